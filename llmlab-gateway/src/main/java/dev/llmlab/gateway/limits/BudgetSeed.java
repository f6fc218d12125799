package dev.llmlab.gateway.limits;

/**
 * Where a budget's spend so far comes from when the shared store has no count for its period:
 * the first request of a period, or a store that lost its data (a restart, an eviction). The
 * durable spend ledger answers it; {@link RedisLimiter} sets the count from it, if no other gateway
 * did first, before it reserves.
 *
 * <p>Called off the request's event loop, on a thread that may block, once per budget and period
 * while the answer is pending (concurrent requests wait for the same call).
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
