package dev.llmlab.gateway.reliability;

import dev.llmlab.gateway.config.BreakerConfig;

/**
 * A circuit breaker for one deployment: it stops sending requests to a deployment that fails most
 * of them, and tries it again a little at a time.
 *
 * <h2>The model</h2>
 * Closed, it counts outcomes in a sliding window of time (10 buckets, so that the window slides in
 * tenths and an old burst leaves it gradually). When the window holds at least {@code
 * min_requests} outcomes and the failed fraction reaches {@code failure_rate}, it opens: no
 * request is let through for {@code open_for}. Then it is half-open: {@code probes} requests are
 * let through, one slot each; when all of them succeed it closes with an empty window, and the
 * first that fails opens it again for another {@code open_for}. This is the count-based model of
 * Hystrix and resilience4j's {@code CircuitBreaker} over a time window (resilience4j's
 * {@code TIME_BASED} sliding window, {@code permittedNumberOfCallsInHalfOpenState}), without their
 * slow-call rule: a slow deployment is the latency strategy's concern, not the breaker's.
 *
 * <p>A failure is what says the deployment, not the request, is wrong: a connection that cannot be
 * made, a timeout, a 5xx or a 529. A 4xx, 429 included, is not: a rate limit belongs to a key, and
 * a bad request to its client.
 *
 * <p>Thread-safety: every method may be called from any thread; each holds the breaker's lock for a
 * few steps, once or twice per request.
 */
public final class Breaker {
    /** The breaker's states, as the metrics number them (0, 1, 2). */
    public enum State {
        CLOSED,
        OPEN,
        HALF_OPEN
    }

    private static final int BUCKETS = 10;

    private final BreakerConfig config;
    private final java.util.function.Consumer<State> onChange;
    private final long bucketNanos;
    private final long openNanos;
    private final int[] total = new int[BUCKETS];
    private final int[] failed = new int[BUCKETS];
    private long newestBucket = Long.MIN_VALUE;
    private State state = State.CLOSED;
    private long openedAt;
    private int probesLeft;
    private int probesOut;
    private int probesSucceeded;

    public Breaker(BreakerConfig config) {
        this(config, s -> {});
    }

    /**
     * @param onChange told of every change of state, under the breaker's lock (keep it short: a
     *     metric's update)
     */
    public Breaker(BreakerConfig config, java.util.function.Consumer<State> onChange) {
        this.onChange = onChange;
        this.config = config;
        this.bucketNanos = Math.max(1, config.window().toNanos() / BUCKETS);
        this.openNanos = config.openFor().toNanos();
    }

    /**
     * Whether a request may go now; when it returns true half-open, the request holds a probe slot
     * and its outcome must be reported.
     */
    public synchronized boolean tryAcquire(long nowNanos) {
        if (!config.enabled()) return true;
        switch (state) {
            case CLOSED:
                return true;
            case OPEN:
                if (nowNanos - openedAt < openNanos) return false;
                state = State.HALF_OPEN;
                onChange.accept(state);
                probesLeft = config.probes();
                probesOut = 0;
                probesSucceeded = 0;
            // fall through: the first probe goes now
            case HALF_OPEN:
            default:
                if (probesLeft == 0) return false;
                probesLeft--;
                probesOut++;
                return true;
        }
    }

    /** Whether {@link #tryAcquire} would let a request through now, without taking a slot. */
    public synchronized boolean allows(long nowNanos) {
        if (!config.enabled()) return true;
        return switch (state) {
            case CLOSED -> true;
            case OPEN -> nowNanos - openedAt >= openNanos;
            case HALF_OPEN -> probesLeft > 0;
        };
    }

    /** The outcome of a request {@link #tryAcquire} let through. */
    public synchronized void record(long nowNanos, boolean failure) {
        if (!config.enabled()) return;
        switch (state) {
            case CLOSED -> {
                advance(nowNanos);
                int b = (int) Math.floorMod(newestBucket, (long) BUCKETS);
                total[b]++;
                if (failure) failed[b]++;
                int t = 0;
                int f = 0;
                for (int i = 0; i < BUCKETS; i++) {
                    t += total[i];
                    f += failed[i];
                }
                if (t >= config.minRequests() && f >= config.failureRate() * t) open(nowNanos);
            }
            case HALF_OPEN -> {
                probesOut = Math.max(0, probesOut - 1);
                if (failure) {
                    open(nowNanos);
                } else if (++probesSucceeded >= config.probes()) {
                    state = State.CLOSED;
                    onChange.accept(state);
                    java.util.Arrays.fill(total, 0);
                    java.util.Arrays.fill(failed, 0);
                }
            }
            case OPEN -> {
                // an answer to a request let through before it opened: the window is already judged
            }
        }
    }

    /**
     * A request let through half-open ended without an outcome that says anything of the
     * deployment (the client went away): its probe slot is given back.
     */
    public synchronized void release() {
        if (state == State.HALF_OPEN && probesOut > 0) {
            probesOut--;
            probesLeft++;
        }
    }

    /** The state at {@code nowNanos} (an open breaker whose time is up reads half-open). */
    public synchronized State state(long nowNanos) {
        if (state == State.OPEN && nowNanos - openedAt >= openNanos) return State.HALF_OPEN;
        return state;
    }

    private void open(long nowNanos) {
        state = State.OPEN;
        onChange.accept(state);
        openedAt = nowNanos;
        probesLeft = 0;
        probesOut = 0;
    }

    private void advance(long nowNanos) {
        long bucket = Math.floorDiv(nowNanos, bucketNanos);
        if (newestBucket == Long.MIN_VALUE || bucket - newestBucket >= BUCKETS) {
            java.util.Arrays.fill(total, 0);
            java.util.Arrays.fill(failed, 0);
        } else {
            for (long b = newestBucket + 1; b <= bucket; b++) {
                int i = (int) Math.floorMod(b, (long) BUCKETS);
                total[i] = 0;
                failed[i] = 0;
            }
        }
        if (newestBucket == Long.MIN_VALUE || bucket > newestBucket) newestBucket = bucket;
    }
}
