package dev.llmlab.gateway.limits;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Reserves a request's estimated use against every limit that applies, all at once or not at all,
 * and settles the reservation with what the request used. {@link LocalLimiter} keeps the counts
 * in this process; a shared store keeps them for several gateways.
 *
 * <p>The clock is the caller's ({@code nowMillis}, epoch milliseconds): budgets follow the
 * calendar, and tests drive it.
 *
 * <p>A shared store answers after a round trip, so {@link #reserve} answers with a stage: one that
 * is already complete when the counts are in this process (the caller continues at once, with no
 * hand-off), else one completed on the store's thread. It never completes exceptionally: a store
 * that fails is the limiter's to handle ({@link Admission.Unavailable}, or a fallback). {@link
 * #settle} returns at once and never throws at the request: its errors are the limiter's to count.
 */
public interface Limiter {
    /**
     * @param asks at most one per subject and rule
     * @throws IllegalArgumentException for two asks of the same subject and rule
     */
    CompletionStage<Admission> reserve(List<Ask> asks, long nowMillis);

    /** Puts {@code actual} in place of the reservation's estimates and ends its in-flight count; once. */
    void settle(Reservation reservation, Actual actual, long nowMillis);
}
