package dev.llmlab.gateway.route;

import dev.llmlab.gateway.keys.KeyPool;
import dev.llmlab.gateway.provider.Provider;
import dev.llmlab.gateway.reliability.Breaker;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One place a route can send to: a provider, the model it serves there, its keys and its breaker,
 * with what the strategies read of it: its weight, priority and price, the requests in flight, and
 * a moving average of its latency.
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
public final class Deployment {
    /** How long the average remembers: a sample's weight halves in {@code tau * ln 2}. */
    static final long TAU_NANOS = 10_000_000_000L;

    private final String name;
    private final Provider provider;
    private final String model;
    private final KeyPool keys;
    private final Breaker breaker;
    private final int weight;
    private final int priority;
    private final double price;
    private final AtomicInteger outstanding = new AtomicInteger();
    /** The average in nanoseconds; -1 before the first sample. Written under the lock. */
    private volatile long average = -1;
    /** When the last sample was taken. Under the lock. */
    private long lastSample;

    /**
     * @param model    the provider's name for the model, or null for the name the request gives
     * @param price    what a request costs here, in any unit common to the route's deployments (the
     *                 lowest-cost strategy compares them), or NaN when unknown
     */
    public Deployment(
            String name,
            Provider provider,
            String model,
            KeyPool keys,
            Breaker breaker,
            int weight,
            int priority,
            double price) {
        this.name = name;
        this.provider = provider;
        this.model = model;
        this.keys = keys;
        this.breaker = breaker;
        this.weight = weight;
        this.priority = priority;
        this.price = price;
    }

    public Provider provider() {
        return provider;
    }

    /**
     * The model to ask the provider for, given the name the route passes on (a wildcard route's, the
     * part its {@code *} matched): the deployment's own model, with its {@code *} replaced by that
     * name if it has one ({@code claude-*} for a route {@code claude-*}), else that name.
     */
    public String model(String routed) {
        if (model == null) return routed;
        int star = model.indexOf('*');
        return star < 0 ? model : model.substring(0, star) + routed + model.substring(star + 1);
    }

    public KeyPool keys() {
        return keys;
    }

    public Breaker breaker() {
        return breaker;
    }

    public int weight() {
        return weight;
    }

    public int priority() {
        return priority;
    }

    /** NaN when unknown. */
    public double price() {
        return price;
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
