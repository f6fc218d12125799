package dev.llmlab.api.anthropic;

import static dev.llmlab.api.client.internal.ClientJson.next;
import static dev.llmlab.api.client.internal.ClientJson.nextName;
import static dev.llmlab.api.client.internal.ClientJson.skip;
import static dev.llmlab.api.client.internal.ClientJson.string;

import dev.llmlab.api.client.MalformedAnswerException;
import dev.llmlab.api.client.ProviderError;
import dev.llmlab.api.client.internal.ClientJson;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Anthropic's error shape on the client side, {@code {"type":"error","error":{"type","message"},
 * "request_id"}}, in a body and as a stream's {@code error} event. Which limit a 429 hit, and when
 * it resets, the API says in its {@code anthropic-ratelimit-*} and {@code retry-after} headers, not
 * in the body.
 */
final class AnthropicErrors {
    private AnthropicErrors() {}

    static ProviderError body(int status, byte[] body, int offset, int length) {
        try (JsonParser p = ClientJson.openObject(body, offset, length, "an error body")) {
            for (String name = nextName(p); name != null; name = nextName(p)) {
                JsonToken t = next(p);
                if (name.equals("error") && t == JsonToken.START_OBJECT) return object(p, status);
                skip(p);
            }
        } catch (JacksonException | MalformedAnswerException e) {
            // not the API's JSON: a proxy's page
        }
        return new ProviderError(status, null, null, ClientJson.firstLine(body, offset, length), -1, null);
    }

    /** The error object whose start was just read; {@code status} 0 in a stream, where the type gives one. */
    static ProviderError object(JsonParser p, int status) {
        String type = null;
        String message = null;
        for (String name = nextName(p); name != null; name = nextName(p)) {
            next(p);
            switch (name) {
                case "type" -> type = string(p);
                case "message" -> message = string(p);
                default -> skip(p);
            }
        }
        return new ProviderError(status != 0 ? status : status(type), type, null, message, -1, null);
    }

    /** The HTTP status the API gives an error type (the reverse of {@link AnthropicResponses#errorType}). */
    static int status(String type) {
        if (type == null) return 0;
        return switch (type) {
            case "invalid_request_error" -> 400;
            case "authentication_error" -> 401;
            case "billing_error" -> 402;
            case "permission_error" -> 403;
            case "not_found_error" -> 404;
            case "request_too_large" -> 413;
            case "rate_limit_error" -> 429;
            case "api_error" -> 500;
            case "timeout_error" -> 504;
            case "overloaded_error" -> 529;
            default -> 0;
        };
    }
}
