package dev.llmlab.http.client;

import java.io.IOException;

/**
 * Why a request failed, as a kind a program can act on and a message a person can read (it names
 * the cause, never a Java class). Made without a stack trace: failures can come by the thousand
 * when a server goes away, and where the client failed is never the question.
 */
public final class ClientException extends IOException {
    /** What went wrong; each timeout is its own kind. */
    public enum Kind {
        /** The connection could not be made: refused, unreachable, name not resolved, reset while connecting. */
        CONNECT,
        /** No connection (TCP, proxy tunnel and TLS handshake together) within the connect timeout. */
        CONNECT_TIMEOUT,
        /** The TLS handshake failed: the certificate was refused (unknown CA, expired, another host's) or no protocol was common. */
        TLS,
        /** The proxy refused the tunnel or could not be reached. */
        PROXY,
        /** The request was sent and no byte of the answer came within the first-byte timeout. */
        FIRST_BYTE_TIMEOUT,
        /** The answer had begun, and then nothing came for longer than the idle timeout. */
        IDLE_TIMEOUT,
        /** The whole exchange took longer than the total timeout. */
        TOTAL_TIMEOUT,
        /** The connection closed (or failed) before the answer was complete. */
        CLOSED,
        /** The answer is not HTTP/1.1 as this client reads it, or says more than was asked. */
        MALFORMED,
        /** A body the caller wanted whole was larger than the client's limit. */
        TOO_LARGE,
        /** The caller cancelled the request. */
        CANCELLED
    }

    private final Kind kind;

    /** Made by the client only: a caller reads failures, and never makes one. */
    ClientException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // see the class comment
    }

    public Kind kind() {
        return kind;
    }

    /** Whether this is one of the timeouts. */
    public boolean isTimeout() {
        return kind == Kind.CONNECT_TIMEOUT
                || kind == Kind.FIRST_BYTE_TIMEOUT
                || kind == Kind.IDLE_TIMEOUT
                || kind == Kind.TOTAL_TIMEOUT;
    }

    /**
     * A short reason a person can act on, for a request whose every timeout was {@code timeout}
     * (a poll of a metrics page): the timeouts as "connect timed out after N ms" and "no response
     * within N ms", TLS failures with their cause, the rest in the client's own words (refused,
     * unresolved, a proxy's refusal).
     */
    public String reason(java.time.Duration timeout) {
        return switch (kind) {
            case CONNECT_TIMEOUT -> "connect timed out after " + timeout.toMillis() + " ms";
            case FIRST_BYTE_TIMEOUT, IDLE_TIMEOUT, TOTAL_TIMEOUT -> "no response within " + timeout.toMillis() + " ms";
            case TLS -> "TLS: " + getMessage();
            default -> getMessage();
        };
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + ": " + getMessage();
    }
}
