package dev.llmlab.gateway.route;

import dev.llmlab.gateway.proxy.Upstream;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One upstream a route can send to, with what the strategies read of it: the requests in flight,
 * and a moving average of its latency.
 *
 * <h2>The latency average</h2>
 * An exponentially weighted moving average (EWMA) over time, not over samples: a sample {@code x}
 * taken {@code dt} after the last one moves the average by {@code w = 1 - exp(-dt / tau)}, {@code
 * avg += w (x - avg)}, so that a target sampled rarely forgets as fast as one sampled often, as
 * Finagle's and Linkerd's peak-EWMA balancers do (Twitter's Finagle, "Power of Two Choices, Peak
 * EWMA"). The first sample sets it. Until then it is unknown, and {@link #latencyNanos()} reads 0,
 * so that a strategy that prefers the fastest tries an unknown target first.
 *
 * <p>Thread-safety: every method may be called from any thread. The average is updated under the
 * target's own lock (a few arithmetic steps, once per request) and read without one.
 */
public final class Target {
    /** How long the average remembers: a sample's weight halves in {@code tau * ln 2}. */
    static final long TAU_NANOS = 10_000_000_000L;

    private final Upstream upstream;
    private final String name;
    private final AtomicInteger outstanding = new AtomicInteger();
    /** The average in nanoseconds; -1 before the first sample. Written under the lock. */
    private volatile long average = -1;
    /** When the last sample was taken. Under the lock. */
    private long lastSample;

    public Target(String name, Upstream upstream) {
        this.name = name;
        this.upstream = upstream;
    }

    public Upstream upstream() {
        return upstream;
    }

    /** How the target is named in logs and metrics. */
    public String name() {
        return name;
    }

    /** Requests sent to it that have not ended. */
    public int outstanding() {
        return outstanding.get();
    }

    /** A request to it began. */
    public void begin() {
        outstanding.incrementAndGet();
    }

    /** A request to it ended, however it ended. */
    public void end() {
        outstanding.decrementAndGet();
    }

    /** The moving average of its latency, nanoseconds; 0 before the first sample. */
    public long latencyNanos() {
        long a = average;
        return a < 0 ? 0 : a;
    }

    /**
     * Adds a latency sample taken at {@code nowNanos} (a monotonic clock, such as {@link
     * System#nanoTime()}).
     */
    public void sample(long latencyNanos, long nowNanos) {
        if (latencyNanos < 0) return;
        synchronized (this) {
            long a = average;
            if (a < 0) {
                average = latencyNanos;
            } else {
                long dt = Math.max(0, nowNanos - lastSample);
                double w = 1 - Math.exp(-(double) dt / TAU_NANOS);
                average = Math.round(a + w * (latencyNanos - a));
            }
            lastSample = nowNanos;
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
