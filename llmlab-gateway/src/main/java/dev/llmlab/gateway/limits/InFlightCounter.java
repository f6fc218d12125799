package dev.llmlab.gateway.limits;

/**
 * Requests in flight: counted when reserved, uncounted when settled. When it is full no time is
 * known at which a slot frees, so a refusal says one second: the time clients' retry loops need.
 */
final class InFlightCounter implements Counter {
    static final long RETRY_MILLIS = 1000;
    private final long limit;
    private long count;

    InFlightCounter(long limit) {
        this.limit = limit;
    }

    @Override
    public long waitMillis(long amount, long now) {
        if (count + amount <= limit) return FITS;
        return amount > limit ? -1 : RETRY_MILLIS;
    }

    @Override
    public long reserve(long amount, long now) {
        count += amount;
        return 0;
    }

    @Override
    public void settle(long slot, long reserved, long actual, long now) {
        count -= reserved;
    }

    @Override
    public long remaining(long now) {
        return Math.max(0, limit - count);
    }

    @Override
    public long resetAtMillis(long now) {
        return 0;
    }
}
