package dev.llmlab.bench.run;

import org.HdrHistogram.Histogram;

/**
 * How a run's load was delivered: what the client measured of itself besides the requests, and
 * whether it kept to its schedule well enough for the requests' figures to describe the server.
 *
 * @param windowSeconds the measured window: from the clock's start (less the warm-up) to the last
 *                      measured request's end
 * @param sent          requests sent (arrived, for an open loop stopped early)
 * @param achievedRate  sends per second in the measured window
 * @param scheduleLag   how late each measured send was, in nanoseconds (empty for a closed loop)
 * @param valid         whether the client kept to its schedule ({@link Validity}); if not, {@code invalidReason}
 *                      says how it did not. A run's delivery is judged on its lag only once its latencies
 *                      are known: see {@link #judgeLag}
 * @param connections   connections the client opened (a pool that keeps up opens few; a server that
 *                      closes them, or a load that outgrows the pool, makes many)
 * @param stoppedEarly  why the run was stopped before its end (over-saturation), or null
 * @param startNanos    when its clock started: the schedule's offsets count from here
 * @param abandoned     requests still in flight (or queued for a slot) when the drain after the sending
 *                      window ended: not measured, since their end is unknown ({@link LoadPlan#drainSeconds})
 */
public record Delivery(
        double windowSeconds,
        long sent,
        double achievedRate,
        Histogram scheduleLag,
        boolean valid,
        String invalidReason,
        long connections,
        String stoppedEarly,
        long startNanos,
        long abandoned) {
    public Delivery(
            double windowSeconds,
            long sent,
            double achievedRate,
            Histogram scheduleLag,
            boolean valid,
            String invalidReason,
            long connections) {
        this(windowSeconds, sent, achievedRate, scheduleLag, valid, invalidReason, connections, null, 0, 0);
    }

    /**
     * This delivery judged on its schedule lag too ({@link Validity#lag}), now that the run's median
     * latency is known; an invalid delivery stays as it is.
     *
     * @param medianLatencyMs the median TTFT (streaming) or e2e (whole answers) from the actual send; NaN if none
     */
    public Delivery judgeLag(double medianLatencyMs, String latencyName) {
        if (!valid) return this;
        String reason = Validity.lag(scheduleLag, medianLatencyMs, latencyName);
        return reason == null
                ? this
                : new Delivery(
                        windowSeconds,
                        sent,
                        achievedRate,
                        scheduleLag,
                        false,
                        reason,
                        connections,
                        stoppedEarly,
                        startNanos,
                        abandoned);
    }
}
