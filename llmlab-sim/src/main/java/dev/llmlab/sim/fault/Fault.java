package dev.llmlab.sim.fault;

import java.util.Locale;

/**
 * One fault to inject into one request.
 *
 * <ul>
 *   <li>{@code STATUS}: answer with an HTTP error in the API's own shape instead of generating
 *       ({@code 429} carries {@code Retry-After} and the provider's rate-limit headers).
 *   <li>{@code DELAY}: add {@code delayNanos} before the first token (or the whole answer).
 *   <li>{@code HANG}: never answer; the request holds until the client gives up (or the server's
 *       idle timeout closes the connection).
 *   <li>{@code STALL}: stop for {@code stallNanos} after {@code afterTokens} tokens, then go on.
 *   <li>{@code DROP}: close the connection after {@code afterTokens} tokens (before answering, for a
 *       non-streamed request).
 *   <li>{@code TRUNCATE}: end the stream without its terminator ({@code data: [DONE]},
 *       {@code message_stop}), after {@code afterTokens} tokens or, if that is 0, after the last
 *       one; a non-streamed answer is cut in the middle of its JSON.
 *   <li>{@code MALFORMED}: send one frame of invalid JSON after {@code afterTokens} tokens, then go
 *       on; a non-streamed answer is invalid JSON.
 * </ul>
 *
 * @param retryAfterSeconds the {@code Retry-After} of a 429 or 503/529, in whole seconds
 */
public record Fault(Kind kind, int status, long delayNanos, int afterTokens, long stallNanos, int retryAfterSeconds) {

    public enum Kind {
        STATUS,
        DELAY,
        HANG,
        STALL,
        DROP,
        TRUNCATE,
        MALFORMED;

        /** The label in {@code llmlab_faults_injected_total} and the name in configuration. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Fault {
        if (kind == Kind.STATUS && (status < 400 || status > 599)) {
            throw new IllegalArgumentException("status must be an HTTP error status (400-599), got " + status);
        }
        if (delayNanos < 0 || stallNanos < 0 || afterTokens < 0 || retryAfterSeconds < 0) {
            throw new IllegalArgumentException("fault durations and token counts must be >= 0");
        }
    }

    public static Fault status(int status, int retryAfterSeconds) {
        return new Fault(Kind.STATUS, status, 0, 0, 0, retryAfterSeconds);
    }

    public static Fault of(Kind kind, long delayNanos, int afterTokens, long stallNanos) {
        return new Fault(kind, 0, delayNanos, afterTokens, stallNanos, 0);
    }

    /**
     * True for the faults that act once a stream has sent {@link #afterTokens} tokens; a truncation
     * without a token count acts at the end instead, by leaving the terminator out.
     */
    public boolean actsAfterTokens() {
        return kind == Kind.STALL
                || kind == Kind.DROP
                || kind == Kind.MALFORMED
                || (kind == Kind.TRUNCATE && afterTokens > 0);
    }
}
