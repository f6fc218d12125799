package dev.llmlab.api.client;

/**
 * An answer or stream event that is not what the API sends: not JSON, cut short, not one JSON
 * object, or a value of the wrong kind where the decoder needs one. The message is short and says
 * what was wrong ("a chat chunk: truncated JSON"); a load generator counts these as malformed
 * answers. No stack trace is filled in: under a fault-injection test these are expected and can be
 * frequent.
 */
public final class MalformedAnswerException extends RuntimeException {
    public MalformedAnswerException(String message) {
        super(message, null, false, false);
    }
}
