package dev.llmlab.gateway.limits;

/**
 * A budget: what was spent in the calendar period (UTC) plus what is reserved by requests in
 * flight, held to the limit. An ask fits only if spent + reserved + ask stays within it, so the
 * spend can pass the limit only by what requests in flight use beyond their reservations. A
 * request is charged to the period it was admitted in; one that ends after its period ended
 * corrects nothing in the new one. A refusal lasts until the period ends.
 */
final class BudgetCounter implements Counter {
    private final long limit;
    private final Period period;
    private long key = Long.MIN_VALUE;
    private long spent;
    private long reserved;

    BudgetCounter(long limit, Period period) {
        this.limit = limit;
        this.period = period;
    }

    @Override
    public long waitMillis(long amount, long now) {
        roll(now);
        if (spent + reserved + amount <= limit) return FITS;
        if (amount > limit) return -1;
        return Math.max(1, BudgetPeriod.end(period, key) - now);
    }

    @Override
    public long reserve(long amount, long now) {
        roll(now);
        reserved += amount;
        return key;
    }

    @Override
    public void settle(long slot, long reservedAmount, long actual, long now) {
        roll(now);
        if (slot != key) return;
        reserved -= reservedAmount;
        spent += actual;
    }

    @Override
    public long remaining(long now) {
        roll(now);
        return Math.max(0, limit - spent - reserved);
    }

    @Override
    public long resetAtMillis(long now) {
        roll(now);
        return BudgetPeriod.end(period, key);
    }

    /** Counts {@code amount} as spent in the period of {@code now}, as a restart finds it in the ledger. */
    void seed(long amount, long now) {
        roll(now);
        spent += amount;
    }

    /** The first instant of the period of {@code now}. */
    long startMillis(long now) {
        return BudgetPeriod.start(period, BudgetPeriod.key(period, now));
    }

    /** What the period has spent (settled) so far. */
    long spent(long now) {
        roll(now);
        return spent;
    }

    private void roll(long now) {
        long k = BudgetPeriod.key(period, now);
        if (k != key) {
            key = k;
            spent = 0;
            reserved = 0;
        }
    }
}
