package dev.llmlab.gateway.limits;

/**
 * One subject's count for one rule. Not thread-safe: its limiter guards it. Each method first
 * moves the count to {@code now} (old seconds leave a minute, a new period starts from 0).
 */
interface Counter {
    /** Said by {@link #waitMillis} when the amount fits now. */
    long FITS = -2;

    /** {@link #FITS}; else in how many milliseconds it may fit, or -1 if it never will (more than the limit). */
    long waitMillis(long amount, long now);

    /** Counts {@code amount}; returns where it was counted, for {@link #settle}. */
    long reserve(long amount, long now);

    /** Replaces the {@code reserved} counted at {@code slot} by {@code actual}, as far as that count still matters. */
    void settle(long slot, long reserved, long actual, long now);

    /** What is left under the limit now (0 when it is overrun). */
    long remaining(long now);

    /** When the count next goes down by itself (epoch ms), or 0 if it does not. */
    long resetAtMillis(long now);

    static Counter of(Rule rule) {
        return switch (rule.period()) {
            case MINUTE -> new MinuteCounter(rule.limit());
            case DAY, MONTH -> new BudgetCounter(rule.limit(), rule.period());
            case NOW -> new InFlightCounter(rule.limit());
        };
    }
}
