package dev.llmlab.http.client;

/**
 * A body its reader cannot take: thrown from {@link ResponseListener#onBody} (by an {@link SseParser}
 * fed there, for an event past {@link SseParser#MAX_EVENT_BYTES}), it fails the request as
 * {@link ClientException.Kind#MALFORMED} with this message, and closes its connection. Made
 * without a stack trace, as {@link ClientException} is.
 */
public final class MalformedBodyException extends RuntimeException {
    /** @param message what is wrong with the body, for a person (no class names) */
    public MalformedBodyException(String message) {
        super(message, null, false, false);
    }
}
