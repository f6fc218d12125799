package dev.llmlab.bench.scenario;

import dev.llmlab.bench.result.BenchResult;
import dev.llmlab.bench.result.LoadAxis;
import dev.llmlab.bench.result.SloVerdict;
import dev.llmlab.bench.result.Stats;
import dev.llmlab.bench.result.Summary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether a load level was sustained: the run was valid and not stopped for over-saturation, the
 * server kept up with an open loop's offered rate (its last requests ended about a typical request
 * after the last send), errors stayed under the limit, and every target
 * was met. {@link #reasons} says what failed; {@link #margin} how far from the bounds it was.
 *
 * @param minKeepUp   an open loop's send span over its measured window less a typical request's e2e
 *                    (0.9): a server whose backlog after the last send outlasts a typical request by
 *                    more than a ninth of the span was falling behind, whatever its latency so far
 * @param maxErrors   failed over all requests allowed when no {@code error_rate} target is given
 */
public record Verdict(double minKeepUp, double maxErrors) {
    public static final Verdict DEFAULT = new Verdict(0.9, 0.01);

    /** What failed at this level; empty when it passed. */
    public List<String> reasons(Load load, BenchResult result) {
        List<String> out = new ArrayList<>();
        Summary sum = result.summary();
        if (!sum.valid()) out.add("invalid: " + (sum.invalidReason() == null ? "" : sum.invalidReason()));
        if (sum.stoppedEarly() != null) out.add(sum.stoppedEarly());
        long ok = sum.requestsCompleted();
        long failed = sum.requestsFailed();
        if (ok + failed == 0) out.add("no request completed");
        boolean errorTarget = false;
        for (SloVerdict.Target t : targets(result.slo())) {
            if (t.kind() == SloVerdict.Kind.ERROR_RATE) errorTarget = true;
            if (!t.met()) out.add(t.name());
        }
        if (!errorTarget && ok + failed > 0 && (double) failed / (ok + failed) > maxErrors) {
            out.add(String.format(
                    Locale.ROOT, "error rate %.2f%% > %.2f%%", 100.0 * failed / (ok + failed), 100 * maxErrors));
        }
        if (load.axis() == LoadAxis.RATE && ok + failed > 1 && sum.sentRate() > 0) {
            // The measured requests were sent over (n - 1) / sent_rate seconds, and the window runs on to
            // the last one's end. A server that keeps up ends the last request about a typical request
            // after the last send; one falling behind ends it after its backlog, which grew all along.
            // (Comparing completions a second with sends a second would fail any server whose requests
            // take a good part of the window: 3.5 s answers in a 30 s level read as 89%.)
            double sendSpan = (ok + failed - 1) / sum.sentRate();
            Stats e2e = result.metric("e2e_intended");
            if (e2e == null || e2e.count() == 0) e2e = result.metric("e2e");
            double typical = e2e != null && e2e.count() > 0 ? e2e.p50() / 1000 : 0;
            double window = Double.isNaN(sum.durationS()) ? 0 : sum.durationS();
            if (window - typical > sendSpan / minKeepUp) {
                out.add(String.format(
                        Locale.ROOT,
                        "fell behind: the last request ended %.3g s after the last send, a typical"
                                + " one takes %.3g s",
                        window - sendSpan,
                        typical));
            }
        }
        return out;
    }

    /**
     * How far the level is from its bounds: the largest of each target's value over its bound minus 1
     * (bound over value for a minimum), so negative when every target holds with room, and positive
     * infinity when it failed for a reason with no measure (invalid, over-saturated, fell behind).
     *
     * @param reasons what {@link #reasons} found for it
     */
    public static double margin(BenchResult result, List<String> reasons) {
        if (!targetsOnly(reasons, result.slo())) return Double.POSITIVE_INFINITY;
        double m = Double.NEGATIVE_INFINITY;
        for (SloVerdict.Target t : targets(result.slo())) {
            double v = t.value();
            double b = t.bound();
            if (Double.isNaN(v)) return Double.POSITIVE_INFINITY;
            double e = t.kind() == SloVerdict.Kind.MINIMUM
                    ? (v > 0 ? b / v - 1 : Double.POSITIVE_INFINITY)
                    : t.kind() == SloVerdict.Kind.RANGE
                            ? (t.met() ? -0.01 : 0.01)
                            : b > 0 ? v / b - 1 : (v > 0 ? Double.POSITIVE_INFINITY : -1);
            m = Math.max(m, e);
        }
        return m == Double.NEGATIVE_INFINITY ? (reasons.isEmpty() ? -1 : Double.POSITIVE_INFINITY) : m;
    }

    /** Whether every reason is a missed target of {@code slo} (none is: invalid, over-saturated, fell behind). */
    static boolean targetsOnly(Iterable<String> reasons, SloVerdict slo) {
        for (String r : reasons) {
            boolean isTarget = false;
            for (SloVerdict.Target t : targets(slo)) isTarget |= r.equals(t.name());
            if (!isTarget) return false;
        }
        return true;
    }

    private static List<SloVerdict.Target> targets(SloVerdict slo) {
        return slo == null ? List.of() : slo.targets();
    }
}
