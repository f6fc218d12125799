package dev.llmlab.gateway.reliability;

/**
 * How many retries the gateway may add: a fraction of the requests of the last 10 seconds, plus a
 * floor of 10 per second, so that a few retries are always possible on a quiet gateway but an
 * outage under load is not tripled by every request retrying twice. This is Finagle's {@code
 * RetryBudget} (a percentage of requests over a time window, with a minimum rate) and Envoy's
 * {@code retry_budget}, counted in 10 one-second buckets.
 *
 * <p>Thread-safety: every method may be called from any thread.
 */
public final class RetryBudget {
    private static final int SECONDS = 10;
    private static final long SECOND = 1_000_000_000L;
    private static final int MIN_PER_SECOND = 10;

    private final double ratio;
    private final long[] requests = new long[SECONDS];
    private final long[] retries = new long[SECONDS];
    private long newest = Long.MIN_VALUE;

    /** @param ratio retries per request allowed over the window (0.2: one retry per five requests) */
    public RetryBudget(double ratio) {
        this.ratio = ratio;
    }

    /** A request (not a retry) began. */
    public synchronized void request(long nowNanos) {
        advance(nowNanos);
        requests[(int) Math.floorMod(newest, (long) SECONDS)]++;
    }

    /** Takes one retry from the budget, if it holds one. */
    public synchronized boolean tryRetry(long nowNanos) {
        advance(nowNanos);
        long req = 0;
        long ret = 0;
        for (int i = 0; i < SECONDS; i++) {
            req += requests[i];
            ret += retries[i];
        }
        if (ret + 1 > MIN_PER_SECOND * (long) SECONDS * (ratio > 0 ? 1 : 0) + ratio * req) return false;
        retries[(int) Math.floorMod(newest, (long) SECONDS)]++;
        return true;
    }

    private void advance(long nowNanos) {
        long s = Math.floorDiv(nowNanos, SECOND);
        if (newest == Long.MIN_VALUE || s - newest >= SECONDS) {
            java.util.Arrays.fill(requests, 0);
            java.util.Arrays.fill(retries, 0);
        } else {
            for (long b = newest + 1; b <= s; b++) {
                int i = (int) Math.floorMod(b, (long) SECONDS);
                requests[i] = 0;
                retries[i] = 0;
            }
        }
        if (newest == Long.MIN_VALUE || s > newest) newest = s;
    }
}
