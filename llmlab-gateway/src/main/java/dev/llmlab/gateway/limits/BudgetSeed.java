package dev.llmlab.gateway.limits;

/**
 * Where a budget's spend so far comes from when no count of its period is kept: a gateway that
 * starts ({@link LocalLimiter} makes the count), the first request of a period, or a shared store
 * that lost its data (a restart, an eviction). The durable spend ledger answers it; {@link
 * RedisLimiter} sets the count from it, if no other gateway did first, before it reserves.
 *
 * <p>RedisLimiter calls it off the request's event loop, on a thread that may block, once per
 * budget and period while the answer is pending (concurrent requests wait for the same call).
 * LocalLimiter calls it when it makes a budget's counter, under its lock: give it one that answers
 * from memory or is fast.
 */
@FunctionalInterface
public interface BudgetSeed {
    /** Nothing is known: a missing count starts from 0. */
    BudgetSeed NONE = (subject, rule, periodStartMillis) -> 0;

    /**
     * What {@code subject} has spent of {@code rule}'s meter (tokens, or micro-USD) since {@code
     * periodStartMillis}, the start of the budget's current period (UTC).
     *
     * @throws RuntimeException when the ledger cannot be read: the budget then counts as
     *     unavailable ({@code state.on_failure.budgets})
     */
    long spent(String subject, Rule rule, long periodStartMillis);
}
