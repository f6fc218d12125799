package dev.llmlab.bench.measure;

import java.util.Locale;
import java.util.Optional;

/**
 * Tells, second by second, whether an open-loop run is over-saturated: queueing that grows without
 * bound because the target completes less than it is offered, so that running out the clock would
 * only measure a longer queue.
 *
 * <h2>Model</h2>
 * In an open loop the requests in flight (queued included) change by the arrivals minus the
 * completions. Below capacity they hover around the level Little's law sets, however high; beyond
 * it they grow by about {@code offered - capacity} a second, and the time queued, which TTFT
 * includes, grows with them. Three things look alike over a short window and are not overload: a
 * burst, after which completions outrun arrivals and the backlog drains; the fill at a run's start,
 * when long requests have been sent and none has ended yet; and the wandering of a queue near
 * capacity, or of many long requests in flight, whose count drifts for as long as a request lives.
 * So the detector looks at a window long enough to see past them and asks that the deficit be large,
 * lasting, and not a warm-up:
 * <ol>
 *   <li><b>Window.</b> At least {@code W} seconds (default 12); at least twice a request's lifetime:
 *       the smallest mean e2e of the requests ending in a second, when the caller gives it, else
 *       estimated by Little's law as in flight over completions a second, the smallest seen so far
 *       (before a queue inflated it); and long enough that each third was offered 60 arrivals. Up to
 *       120 s; none before that much run time has been seen.</li>
 *   <li><b>Each third</b> of the window completed under 90% of what it was offered. A burst must span
 *       a whole third and enough of both others to pass, so one shorter than about {@code W/2}
 *       does not, and the drain after it is a surplus.</li>
 *   <li><b>Beyond noise</b>: over the window, offered minus completed exceeds three standard
 *       deviations, {@code 3 sqrt(offered + completed)}, the spread of the difference of two
 *       independent Poisson counts (exact for many independent requests in flight). Below capacity
 *       the in-flight count moves by its fluctuations, which do not grow with the window; a deficit
 *       does. This is what makes low rates take longer: at 3 req/s and 1.5 times capacity, about a
 *       minute.</li>
 *   <li><b>In flight rises</b>: its least-squares slope over the window has a t-statistic of at
 *       least 3 and adds 2 requests or more. The deficit implies growth when every offered request
 *       was sent; this checks that it happened.</li>
 *   <li><b>Completions have stopped rising</b>: their slope's t-statistic is under 2. While they
 *       still rise, the run is filling up, or the server is still gaining throughput (a batching
 *       engine filling its batch), and may yet catch up.</li>
 *   <li><b>TTFT rises</b>: the slope of the per-second mean TTFT is positive, where three seconds of
 *       the window have one (a run without streaming skips this). A corroboration, not a test: a
 *       per-second mean is noisy, and measured from the actual send it misses requests queued in
 *       the client.</li>
 * </ol>
 * These must hold for {@code K} consecutive checks (default 3); the verdict then stands. An overload
 * of less than about 11% is not flagged: its queue grows slowly and a run's figures show it anyway.
 * Checked by simulation (see the tests): a FIFO server at 50 to 97% load, bursts of 5 s at 2 and 4
 * times capacity, and many long requests at a steady rate never stop a 300 s run; 1.5 and 3 times
 * capacity at 20 req/s stop it at 13 s.
 *
 * <h2>Sources</h2>
 * GuideLLM's over-saturation constraint (vllm-project/guidellm, {@code over_saturation.py}) tests
 * the slopes of concurrency and TTFT for significance, after 30 s. Slopes alone cannot tell a count
 * that wanders for as long as a request lives from one that grows for good: over a window shorter
 * than that, a random walk often shows a "significant" trend (the spurious regression of Granger
 * and Newbold, 1974). The window tied to the lifetime, the balance of offered and completed per
 * third and its Poisson noise floor are what this detector adds.
 *
 * <p>Not thread-safe: fed from one thread, once per second of run time.
 */
public final class SaturationDetector {
    public static final int DEFAULT_WINDOW_SECONDS = 12;
    public static final int DEFAULT_CHECKS = 3;
    static final int MAX_WINDOW_SECONDS = 120;
    static final int PARTS = 3;
    static final long MIN_OFFERED_PER_PART = 60;
    static final double LIFETIMES = 2;
    static final double COMPLETED_BELOW = 0.9;
    static final double NOISE_SIGMAS = 3;
    static final double MIN_T = 3;
    static final double MIN_GROWTH = 2;
    static final double MAX_COMPLETIONS_T = 2;

    private final int window;
    private final int checks;
    private final int history;
    private final long[] offered;
    private final long[] completed;
    private final long[] inFlight;
    private final double[] ttft;
    private int last = -1;
    private int seen;
    private int streak;
    private double lifetime = Double.POSITIVE_INFINITY;
    private boolean measuredLifetime;
    private String reason;

    public SaturationDetector() {
        this(DEFAULT_WINDOW_SECONDS, DEFAULT_CHECKS);
    }

    /**
     * @param windowSeconds the shortest window {@code W}, at least 6; bursts shorter than about
     *                      {@code W/2} pass, so a spike pattern wants {@code W} over twice its width
     * @param checks        {@code K}, consecutive seconds the criteria must hold, at least 1
     */
    public SaturationDetector(int windowSeconds, int checks) {
        if (windowSeconds < 6)
            throw new IllegalArgumentException("the saturation window must be at least 6 s, got " + windowSeconds);
        if (checks < 1) throw new IllegalArgumentException("saturation checks must be at least 1, got " + checks);
        this.window = windowSeconds;
        this.checks = checks;
        this.history = Math.max(windowSeconds, MAX_WINDOW_SECONDS);
        offered = new long[history];
        completed = new long[history];
        inFlight = new long[history];
        ttft = new double[history];
    }

    /**
     * One second of run time. A skipped second starts the window over.
     *
     * @param second     seconds since the start, increasing
     * @param offered    arrivals whose intended send fell in this second
     * @param completed  requests that ended in it, failed ones included
     * @param inFlight   requests sent or due but not ended at its end, queued ones included
     * @param ttftMeanMs the mean TTFT of the requests that ended in it, NaN when none or not streamed
     * @return the reason, from the first second the run is over-saturated on
     */
    public Optional<String> observe(int second, long offered, long completed, long inFlight, double ttftMeanMs) {
        return observe(second, offered, completed, inFlight, ttftMeanMs, Double.NaN);
    }

    /**
     * One second of run time, with the mean lifetime of the requests that ended in it: the smallest
     * seen is then the lifetime estimate, in place of Little's law's (see {@link #updateLifetime}).
     *
     * @param e2eMeanMs the mean end-to-end latency, from the intended send, of the requests that
     *                  ended in this second successfully; NaN when none
     */
    public Optional<String> observe(
            int second, long offered, long completed, long inFlight, double ttftMeanMs, double e2eMeanMs) {
        if (reason != null) return Optional.of(reason);
        if (second < 0) throw new IllegalArgumentException("second " + second + " is before the start");
        if (second <= last) throw new IllegalArgumentException("second " + second + " observed after " + last);
        if (second != last + 1) {
            // the window must be whole seconds in a row
            seen = 0;
            streak = 0;
            lifetime = Double.POSITIVE_INFINITY;
            measuredLifetime = false;
        }
        last = second;
        int i = Math.floorMod(second, history);
        this.offered[i] = offered;
        this.completed[i] = completed;
        this.inFlight[i] = inFlight;
        this.ttft[i] = ttftMeanMs;
        seen = Math.min(seen + 1, history);
        if (!Double.isNaN(e2eMeanMs)) {
            measuredLifetime = true;
            lifetime = Math.min(lifetime, e2eMeanMs / 1000);
        } else if (!measuredLifetime) {
            updateLifetime();
        }
        String r = check();
        streak = r == null ? 0 : streak + 1;
        if (streak >= checks) reason = r;
        return reason();
    }

    /** The verdict so far: why the run is over-saturated, or empty. */
    public Optional<String> reason() {
        return Optional.ofNullable(reason);
    }

    /** The criteria over the current window: a description of what was seen if all hold, else null. */
    private String check() {
        int span = (int) Math.max(window, Math.min(history, Math.ceil(LIFETIMES * lifetime)));
        while (span < history && minPartOffered(span) < MIN_OFFERED_PER_PART) span++;
        if (span > seen) return null;
        long offeredAll = 0;
        long completedAll = 0;
        for (int k = 0; k < PARTS; k++) {
            long o = 0;
            long c = 0;
            for (int j = span * k / PARTS; j < span * (k + 1) / PARTS; j++) {
                o += offered[slot(span, j)];
                c += completed[slot(span, j)];
            }
            if (!(c < COMPLETED_BELOW * o)) return null;
            offeredAll += o;
            completedAll += c;
        }
        if (!(offeredAll - completedAll > NOISE_SIGMAS * Math.sqrt(offeredAll + completedAll))) return null;
        double[] y = new double[span];
        for (int j = 0; j < span; j++) y[j] = inFlight[slot(span, j)];
        double[] fit = fit(y);
        if (!(fit[0] > 0 && fit[0] >= MIN_T * fit[1] && fit[0] * (span - 1) >= MIN_GROWTH)) return null;
        for (int j = 0; j < span; j++) y[j] = completed[slot(span, j)];
        double[] completions = fit(y);
        if (completions[0] > 0 && completions[0] >= MAX_COMPLETIONS_T * completions[1]) return null;
        for (int j = 0; j < span; j++) y[j] = ttft[slot(span, j)];
        double[] ttftFit = fit(y);
        if (!Double.isNaN(ttftFit[0]) && !(ttftFit[0] > 0)) return null;
        StringBuilder why = new StringBuilder(String.format(
                Locale.ROOT,
                "over-saturated: %.0f%% of offered load completed over the last %d s, %d in flight and rising by %s/s",
                100.0 * completedAll / offeredAll,
                span,
                inFlight[slot(span, span - 1)],
                round(fit[0])));
        if (!Double.isNaN(ttftFit[0]))
            why.append(", TTFT rising by ").append(round(ttftFit[0])).append(" ms/s");
        return why.toString();
    }

    /**
     * Little's law: requests in flight over the rate they end at is the time one spends in flight.
     * The smallest such figure seen, over the last {@code W} seconds' completions, estimates a
     * request's lifetime before any queue built up, when lifetimes are not given. It holds in a
     * steady state only: a server that admits everything into one growing batch (vLLM with a large
     * max_num_seqs) completes almost nothing for tens of seconds while hundreds are in flight, and
     * the estimate, hundreds of seconds, would stretch the window past the run. Measured lifetimes
     * (the client's e2e) have no such bias: their smallest mean is an early request's.
     */
    private void updateLifetime() {
        int n = Math.min(seen, window);
        long c = 0;
        for (int j = 0; j < n; j++) c += completed[slot(n, j)];
        if (c > 0) lifetime = Math.min(lifetime, inFlight[slot(n, n - 1)] / ((double) c / n));
    }

    /** The fewest arrivals offered in one part of the last {@code span} seconds (unseen seconds count 0). */
    private long minPartOffered(int span) {
        long min = Long.MAX_VALUE;
        for (int k = 0; k < PARTS; k++) {
            long o = 0;
            for (int j = span * k / PARTS; j < span * (k + 1) / PARTS; j++) {
                if (span - j <= seen) o += offered[slot(span, j)];
            }
            min = Math.min(min, o);
        }
        return min;
    }

    /** The ring slot of second {@code j} of a window of {@code span} seconds, oldest first. */
    private int slot(int span, int j) {
        return Math.floorMod(last - span + 1 + j, history);
    }

    /**
     * The least-squares slope of {@code y} against its index, and the slope's standard error, over
     * the non-NaN values; NaN slope with fewer than 3.
     */
    static double[] fit(double[] y) {
        int n = 0;
        double sx = 0;
        double sy = 0;
        for (int x = 0; x < y.length; x++) {
            if (Double.isNaN(y[x])) continue;
            n++;
            sx += x;
            sy += y[x];
        }
        if (n < 3) return new double[] {Double.NaN, Double.NaN};
        double mx = sx / n;
        double my = sy / n;
        double sxx = 0;
        double sxy = 0;
        for (int x = 0; x < y.length; x++) {
            if (Double.isNaN(y[x])) continue;
            sxx += (x - mx) * (x - mx);
            sxy += (x - mx) * (y[x] - my);
        }
        double slope = sxy / sxx;
        double rss = 0;
        for (int x = 0; x < y.length; x++) {
            if (Double.isNaN(y[x])) continue;
            double r = y[x] - my - slope * (x - mx);
            rss += r * r;
        }
        return new double[] {slope, Math.sqrt(rss / (n - 2) / sxx)};
    }

    private static String round(double v) {
        return Math.abs(v) >= 10 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
