package dev.llmlab.gateway.limits;

import java.util.List;

/**
 * The answer to {@link Limiter#reserve}: every ask granted at once, the first one that does not
 * fit, or none checked because the store that counts them cannot be reached.
 */
public sealed interface Admission {
    /**
     * Every ask is reserved; settle the reservation exactly once when the request ends.
     *
     * @param standings one per ask, in the asks' order
     */
    record Granted(Reservation reservation, List<Standing> standings) implements Admission {}

    /**
     * Nothing was reserved: {@code ask} does not fit.
     *
     * @param remaining        what its limit has left now
     * @param retryAfterMillis when it may fit (the period's end for a budget); -1 when it never
     *                         will, the ask being larger than the limit itself
     */
    record Refused(Ask ask, long remaining, long retryAfterMillis) implements Admission {}

    /**
     * Nothing was reserved: {@code ask}'s limit cannot be counted now, and its kind of limit fails
     * closed ({@code state.on_failure}). Worth a retry in a few seconds.
     *
     * @param why what cannot be reached, for the message: "the limits store is unavailable"
     */
    record Unavailable(Ask ask, String why) implements Admission {
        public Unavailable(Ask ask) {
            this(ask, "the limits store is unavailable");
        }
    }
}
