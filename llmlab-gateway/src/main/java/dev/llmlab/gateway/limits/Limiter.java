package dev.llmlab.gateway.limits;

import java.util.List;

/**
 * Reserves a request's estimated use against every limit that applies, all at once or not at all,
 * and settles the reservation with what the request used. {@link LocalLimiter} keeps the counts
 * in this process; a shared store keeps them for several gateways.
 *
 * <p>The clock is the caller's ({@code nowMillis}, epoch milliseconds): budgets follow the
 * calendar, and tests drive it.
 */
public interface Limiter {
    /**
     * @param asks at most one per subject and rule
     * @throws IllegalArgumentException for two asks of the same subject and rule
     */
    Admission reserve(List<Ask> asks, long nowMillis);

    /** Puts {@code actual} in place of the reservation's estimates and ends its in-flight count; once. */
    void settle(Reservation reservation, Actual actual, long nowMillis);
}
