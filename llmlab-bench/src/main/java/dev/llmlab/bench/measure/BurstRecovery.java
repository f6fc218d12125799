package dev.llmlab.bench.measure;

import dev.llmlab.bench.load.LoadShape;
import dev.llmlab.bench.result.Second;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * How latency and errors answer each burst of a stress run, and how soon they recover, read from
 * the run's {@link TimeSeries per-second series}.
 *
 * <h2>Figures</h2>
 * Latency is the per-second median TTFT when the series has TTFT, else the median e2e latency (a
 * run without streaming), in ms. For each burst {@code [start, end)}:
 * <ul>
 *   <li>{@code baselineMs}: the median of the per-second latencies over the up to 10 whole seconds
 *       before the burst, none before the previous burst's recovery (or, if it never recovered, the
 *       start of this burst: then there is none); seconds without a figure are skipped. NaN when no
 *       second qualifies, such as for a burst at the start.</li>
 *   <li>{@code peakTtftMs}, {@code peakE2eMs}: the highest per-second median TTFT and e2e latency
 *       from the second the burst starts in until recovery, else until the next burst or the end
 *       (NaN when none ended then); {@code errors}: the errors over the same seconds.</li>
 *   <li>{@code recoveredAfterS}: the first second {@code r} from which two seconds in a row have a
 *       latency within {@code max(1.25 x baseline, baseline + 5 ms)} and no more errors than the worst
 *       baseline second, counted in seconds from the first second {@code s0} that can show it (below);
 *       null if that does not happen before the next burst or the end, or without a baseline.</li>
 * </ul>
 * A relative band alone would be too tight where latency is a few milliseconds and jitter is most
 * of it, hence the 5 ms floor; two seconds in a row keep one lucky second from counting, and
 * errors count because a server that sheds the backlog by failing it has not recovered.
 *
 * <h2>Seconds of completion</h2>
 * The series files each request under the second in which it ended, not the one in which it was
 * sent. A request sent as the burst ends at the baseline's e2e latency {@code L} ends at about
 * {@code end + L}, so seconds before that show only requests sent during the burst or before it,
 * and a burst that is over but whose requests have not ended yet could look recovered. The search
 * therefore starts at {@code s0 = max(ceil(end), floor(end + L))}, and {@code recoveredAfterS} is
 * {@code r - s0}: 0 when the first seconds that can show fresh requests show them fast, e.g. a burst
 * absorbed without queueing. Resolution is one second. Latency rises late in the same way, so the
 * peak may lie seconds after the burst; the window for peaks and errors runs on to recovery for that.
 *
 * <p>Pure: a function of its arguments.
 */
public final class BurstRecovery {
    /** Figures for one burst; see the class comment. Latencies in ms, NaN where unknown. */
    public record Burst(
            double startS,
            double endS,
            double rate,
            double baselineMs,
            double peakTtftMs,
            double peakE2eMs,
            long errors,
            Double recoveredAfterS) {}

    static final int BASELINE_SECONDS = 10;
    static final double TOLERANCE = 0.25;
    static final double FLOOR_MS = 5;
    static final int HOLD_SECONDS = 2;

    private BurstRecovery() {}

    /** Whether latency is TTFT (true) or e2e (false, when no second of the series has a TTFT). */
    public static boolean usesTtft(List<Second> series) {
        return series.stream().anyMatch(s -> !Double.isNaN(s.ttftP50()));
    }

    /**
     * @param series the run's seconds, by {@link Second#second()} (gaps read as empty seconds)
     * @param bursts the phases to judge, such as {@link LoadShape#bursts(double)}; taken in order of start
     */
    public static List<Burst> analyse(List<Second> series, List<LoadShape.Phase> bursts) {
        int n = series.stream().mapToInt(s -> s.second() + 1).max().orElse(0);
        double[] ttft = nans(n);
        double[] e2e = nans(n);
        long[] errors = new long[n];
        for (Second s : series) {
            if (s.second() < 0) continue;
            ttft[s.second()] = s.ttftP50();
            e2e[s.second()] = s.e2eP50();
            errors[s.second()] = s.errors();
        }
        double[] latency = usesTtft(series) ? ttft : e2e;
        List<LoadShape.Phase> sorted = new ArrayList<>(bursts);
        sorted.sort(Comparator.comparingDouble(LoadShape.Phase::startS));

        List<Burst> out = new ArrayList<>(sorted.size());
        int free = 0; // the first second after the previous burst's effects
        for (int k = 0; k < sorted.size(); k++) {
            LoadShape.Phase b = sorted.get(k);
            int first = clamp(Math.floor(b.startS()), n);
            // seconds before 'limit' end before the next burst starts
            int limit =
                    k + 1 < sorted.size() ? clamp(Math.floor(sorted.get(k + 1).startS()), n) : n;
            int from = Math.max(free, clamp(Math.ceil(b.startS() - BASELINE_SECONDS), n));
            double baseline = median(latency, from, first);
            double lagS = Double.isNaN(baseline) ? 0 : orZero(median(e2e, from, first)) / 1000;
            long baselineErrors = 0;
            for (int s = from; s < first; s++) baselineErrors = Math.max(baselineErrors, errors[s]);

            Integer recovered = null;
            int s0 = (int) Math.max(Math.ceil(b.endS()), Math.floor(b.endS() + lagS));
            if (!Double.isNaN(baseline)) {
                double band = Math.max(baseline * (1 + TOLERANCE), baseline + FLOOR_MS);
                int run = 0;
                for (int s = s0; s < limit; s++) {
                    boolean ok = latency[s] <= band && errors[s] <= baselineErrors; // false for NaN
                    run = ok ? run + 1 : 0;
                    if (run == HOLD_SECONDS) {
                        recovered = s - HOLD_SECONDS + 1;
                        break;
                    }
                }
            }
            int to = recovered != null ? recovered : limit;
            long errs = 0;
            for (int s = first; s < to; s++) errs += errors[s];
            out.add(new Burst(
                    b.startS(),
                    b.endS(),
                    b.rate(),
                    baseline,
                    max(ttft, first, to),
                    max(e2e, first, to),
                    errs,
                    recovered == null ? null : (double) (recovered - s0)));
            free = Math.max(free, to);
        }
        return out;
    }

    private static double[] nans(int n) {
        double[] a = new double[n];
        Arrays.fill(a, Double.NaN);
        return a;
    }

    private static int clamp(double second, int n) {
        return (int) Math.max(0, Math.min(n, second));
    }

    private static double orZero(double v) {
        return Double.isNaN(v) ? 0 : v;
    }

    /** The median of the non-NaN values in {@code [from, to)}, the mean of the middle two for an even count. */
    static double median(double[] a, int from, int to) {
        double[] v = Arrays.stream(a, Math.min(from, to), to)
                .filter(x -> !Double.isNaN(x))
                .sorted()
                .toArray();
        if (v.length == 0) return Double.NaN;
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static double max(double[] a, int from, int to) {
        double m = Double.NaN;
        for (int s = from; s < to; s++) {
            if (!Double.isNaN(a[s]) && !(a[s] <= m)) m = a[s];
        }
        return m;
    }
}
