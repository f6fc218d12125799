package dev.llmlab.gateway.keys;

/**
 * A count over the last minute, in 60 one-second buckets: what a provider's requests-per-minute
 * and tokens-per-minute limits count. A bucket older than a minute is cleared before it is reused,
 * so the sum is always of the last 60 whole seconds and the current one (off by at most a second's
 * worth, the bucket's width). Not thread-safe: its {@link Key} guards it.
 */
final class MinuteWindow {
    private static final long SECOND = 1_000_000_000L;
    private final long[] buckets = new long[60];
    /** The second (of the clock) of the newest bucket. */
    private long newest = Long.MIN_VALUE;

    void add(long nowNanos, long n) {
        advance(nowNanos);
        buckets[(int) Math.floorMod(newest, 60L)] += n;
    }

    long sum(long nowNanos) {
        advance(nowNanos);
        long s = 0;
        for (long b : buckets) s += b;
        return s;
    }

    /** When the oldest count still in the window leaves it; {@code nowNanos} if the window is empty. */
    long nextRelease(long nowNanos) {
        advance(nowNanos);
        for (long sec = newest - 59; sec <= newest; sec++) {
            if (buckets[(int) Math.floorMod(sec, 60L)] != 0) return (sec + 60) * SECOND;
        }
        return nowNanos;
    }

    private void advance(long nowNanos) {
        long second = Math.floorDiv(nowNanos, SECOND);
        if (newest == Long.MIN_VALUE || second - newest >= 60) {
            java.util.Arrays.fill(buckets, 0);
        } else {
            for (long s = newest + 1; s <= second; s++) buckets[(int) Math.floorMod(s, 60L)] = 0;
        }
        if (newest == Long.MIN_VALUE || second > newest) newest = second;
    }
}
