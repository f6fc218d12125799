package dev.llmlab.bench.run;

import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * Whether an open loop's figures describe the server rather than the client: the rule that marks a
 * run invalid.
 *
 * <p>An open-loop load generator promises to send each request at its intended time, so that what it
 * measures is the server's answer to the offered load (Schroeder, Wierman and Harchol-Balter, "Open
 * versus closed: a cautionary tale", NSDI 2006; Tene's "coordinated omission"). Two things break
 * that promise, and each makes a run invalid:
 *
 * <ul>
 *   <li><b>Lag.</b> The schedule lag is a send's actual time minus its intended one: a late timer, a
 *       busy event loop, a collection pause. Lag matters in proportion to what it sits in front of:
 *       1.4 ms of lag in front of a 100 ms time to first token moves that figure by 1.4%, far inside
 *       the noise of any real server, while the same lag in front of a 0.3 ms answer from a fast proxy
 *       swamps it. So the lag p99 is held to the larger of {@value #FLOOR_MS} ms (a bound any healthy
 *       client meets, whatever the server) and {@value #LATENCY_FRACTION} of the run's median latency:
 *       the time to first token when streaming, the end-to-end latency otherwise, both from the
 *       actual send (the server's own view, which lag does not inflate). A fixed 1 ms bound alone
 *       marked low-rate runs against slow servers invalid at random on a shared two-core machine (a
 *       timer's wake-up there is often a millisecond late) while their figures were sound.
 *       Genuine saturation, where a busy client sends requests tens of milliseconds late, exceeds
 *       either bound by far. A percentile needs samples: with fewer than 100 sends the median lag is
 *       judged instead of the 99th percentile, which would be the single worst send (a first call's
 *       class loading).
 *   <li><b>Falling behind.</b> The client handled its last arrival more than {@value #BEHIND_FRACTION}
 *       of the schedule's span after it was due: it could not keep up with the rate at all, and its
 *       offered load was lower than asked.
 * </ul>
 *
 * <p>docs/metrics.md states the same rule for users. Stateless.
 */
public final class Validity {
    /** The lag p99 every run may have, whatever its latencies: {@value} ms. */
    public static final double FLOOR_MS = 1.0;
    /** The share of the run's median latency its lag p99 may reach, when that is more than the floor. */
    public static final double LATENCY_FRACTION = 0.02;
    /** How far behind its schedule (a share of the schedule's span) a client may end. */
    public static final double BEHIND_FRACTION = 0.01;

    private Validity() {}

    /** The bound on the lag p99 (ms) for a run whose median latency is {@code medianLatencyMs} (NaN: unknown). */
    public static double lagBoundMs(double medianLatencyMs) {
        return Double.isNaN(medianLatencyMs) ? FLOOR_MS : Math.max(FLOOR_MS, LATENCY_FRACTION * medianLatencyMs);
    }

    /**
     * Why the lag makes the run invalid, or null when it does not.
     *
     * @param lag             each measured send's lag, in nanoseconds
     * @param medianLatencyMs the run's median TTFT (streaming) or e2e (whole answers) from the actual send; NaN if none
     * @param latencyName     that metric's name, for the message
     */
    public static String lag(Histogram lag, double medianLatencyMs, String latencyName) {
        if (lag.getTotalCount() == 0) return null;
        boolean enough = lag.getTotalCount() >= 100;
        double lagMs = lag.getValueAtPercentile(enough ? 99 : 50) / 1e6;
        double bound = lagBoundMs(medianLatencyMs);
        if (lagMs <= bound) return null;
        String which = enough ? "p99" : "p50 (fewer than 100 sends)";
        return bound > FLOOR_MS
                ? String.format(
                        Locale.ROOT,
                        "client saturated: schedule lag %s %.2f ms > %.2f ms (%.0f%% of the %s median %.1f ms)",
                        which,
                        lagMs,
                        bound,
                        100 * LATENCY_FRACTION,
                        latencyName,
                        medianLatencyMs)
                : String.format(
                        Locale.ROOT, "client saturated: schedule lag %s %.2f ms > %.0f ms", which, lagMs, FLOOR_MS);
    }

    /**
     * Why falling behind makes the run invalid, or null when it does not.
     *
     * @param scheduledSpan seconds from the clock's start to the last arrival's intended time
     * @param actualSpan    seconds from the clock's start to when the last arrival was handled
     */
    public static String behind(double scheduledSpan, double actualSpan) {
        if (!(scheduledSpan > 0) || scheduledSpan >= (1 - BEHIND_FRACTION) * actualSpan) return null;
        return String.format(
                Locale.ROOT,
                "client saturated: sent at %.1f%% of the scheduled rate",
                100 * scheduledSpan / actualSpan);
    }
}
