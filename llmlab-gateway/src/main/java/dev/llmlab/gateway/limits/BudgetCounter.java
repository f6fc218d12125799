package dev.llmlab.gateway.limits;

import java.time.LocalDate;
import java.time.ZoneOffset;

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
        return Math.max(1, end(key) - now);
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
        return end(key);
    }

    /** Counts {@code amount} as spent in the period of {@code now}, as a restart finds it in the ledger. */
    void seed(long amount, long now) {
        roll(now);
        spent += amount;
    }

    /** The first instant of the period of {@code now}. */
    long startMillis(long now) {
        long k = key(now);
        return period == Period.DAY ? k * 86_400_000L : end(k - 1);
    }

    /** What the period has spent (settled) so far. */
    long spent(long now) {
        roll(now);
        return spent;
    }

    private void roll(long now) {
        long k = key(now);
        if (k != key) {
            key = k;
            spent = 0;
            reserved = 0;
        }
    }

    /** The period's number: the epoch day, or the month counted from year 0. */
    private long key(long now) {
        long day = Math.floorDiv(now, 86_400_000L);
        if (period == Period.DAY) return day;
        LocalDate d = LocalDate.ofEpochDay(day);
        return d.getYear() * 12L + d.getMonthValue() - 1;
    }

    private long end(long key) {
        if (period == Period.DAY) return (key + 1) * 86_400_000L;
        long next = key + 1;
        return LocalDate.of((int) (next / 12), (int) (next % 12) + 1, 1)
                        .atStartOfDay()
                        .toEpochSecond(ZoneOffset.UTC)
                * 1000;
    }
}
