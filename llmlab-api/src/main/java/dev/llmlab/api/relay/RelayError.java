package dev.llmlab.api.relay;

import java.nio.charset.StandardCharsets;

/**
 * An error answer for the client, in its API's shape: the HTTP status to send, the content type
 * and the body. The caller must not modify {@code body}.
 */
public record RelayError(int status, String contentType, byte[] body) {
    /** The body as text (for logs and tests). */
    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
