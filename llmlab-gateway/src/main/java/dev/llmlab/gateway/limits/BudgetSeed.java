package dev.llmlab.gateway.limits;

/**
 * Where a budget starts when its counter is made (at start, or after a shared store lost it): what
 * the subject already spent in the period, from the spend ledger. Budgets outlive the process that
 * counts them; rates and requests in flight do not, and start from nothing.
 */
@FunctionalInterface
public interface BudgetSeed {
    BudgetSeed NONE = (subject, rule, periodStartMillis) -> 0;

    /**
     * @param rule              a budget ({@link Rule#budget()})
     * @param periodStartMillis the first instant of the budget's current period (UTC)
     * @return what {@code subject} spent of {@code rule}'s meter since then, at least 0
     */
    long spent(String subject, Rule rule, long periodStartMillis);
}
