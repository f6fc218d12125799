package dev.llmlab.gateway.limits;

/**
 * A rate: the use of the last 60 seconds, in one-second buckets, held to the limit. A reservation
 * is counted in the second it is made; settling corrects that bucket while it is still in the
 * window (a request that ran longer than a minute has already left it). The sum covers the current
 * second and the 59 before, so over any 60 whole seconds the use admitted is at most the limit,
 * and under a steady load above the limit the rate admitted is the limit per minute. (A span of 60
 * s that starts inside a second can hold more: what that second admitted before the span began
 * counts in the second's bucket.) A refusal says when enough of the oldest buckets leave for the
 * ask to fit.
 */
final class MinuteCounter implements Counter {
    private static final int SECONDS = 60;
    private final long limit;
    private final long[] buckets = new long[SECONDS];
    private long used;
    /** The epoch second of the newest bucket. */
    private long newest = Long.MIN_VALUE;

    MinuteCounter(long limit) {
        this.limit = limit;
    }

    @Override
    public long waitMillis(long amount, long now) {
        advance(now);
        if (used + amount <= limit) return FITS;
        if (amount > limit) return -1;
        long released = 0;
        for (long s = newest - SECONDS + 1; s <= newest; s++) {
            released += buckets[index(s)];
            if (used - released + amount <= limit) return Math.max(1, (s + SECONDS) * 1000 - now);
        }
        return Math.max(1, (newest + 1) * 1000 - now); // not reached: all released leaves used = 0
    }

    @Override
    public long reserve(long amount, long now) {
        advance(now);
        buckets[index(newest)] += amount;
        used += amount;
        return newest;
    }

    @Override
    public void settle(long slot, long reserved, long actual, long now) {
        advance(now);
        if (slot <= newest - SECONDS) return; // out of the window already
        long delta = actual - reserved;
        buckets[index(slot)] += delta;
        used += delta;
    }

    @Override
    public long remaining(long now) {
        advance(now);
        return Math.max(0, limit - used);
    }

    @Override
    public long resetAtMillis(long now) {
        advance(now);
        for (long s = newest - SECONDS + 1; s <= newest; s++) {
            if (buckets[index(s)] != 0) return (s + SECONDS) * 1000;
        }
        return now;
    }

    private void advance(long now) {
        long second = Math.floorDiv(now, 1000L);
        if (newest == Long.MIN_VALUE || second - newest >= SECONDS) {
            java.util.Arrays.fill(buckets, 0);
            used = 0;
            newest = second;
            return;
        }
        for (long s = newest + 1; s <= second; s++) {
            used -= buckets[index(s)];
            buckets[index(s)] = 0;
        }
        if (second > newest) newest = second;
    }

    private static int index(long second) {
        return (int) Math.floorMod(second, (long) SECONDS);
    }
}
