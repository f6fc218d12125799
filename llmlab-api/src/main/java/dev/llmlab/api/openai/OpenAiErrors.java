package dev.llmlab.api.openai;

import static dev.llmlab.api.client.internal.ClientJson.integer;
import static dev.llmlab.api.client.internal.ClientJson.next;
import static dev.llmlab.api.client.internal.ClientJson.nextName;
import static dev.llmlab.api.client.internal.ClientJson.skip;

import dev.llmlab.api.client.ProviderError;
import dev.llmlab.api.client.internal.ClientJson;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * OpenAI's error shape on the client side, {@code {"error":{"message","type","param","code"}}},
 * in error bodies and as a stream chunk; also vLLM's flat {@code {"object":"error","message",
 * "type","code":400}}. A 429's message says how long to wait ("Please try again in 1.2s") and its
 * type which limit was hit ({@code tokens}, {@code requests}); both are read.
 */
final class OpenAiErrors {
    private static final Pattern TRY_AGAIN = Pattern.compile("(?i)try again in ((?:\\d+(?:\\.\\d+)?(?:ms|h|m|s))+)");

    private OpenAiErrors() {}

    /** An error body. */
    static ProviderError body(int status, byte[] body, int offset, int length) {
        try (JsonParser p = ClientJson.openObject(body, offset, length, "an error body")) {
            ProviderError flat = null;
            for (String name = nextName(p); name != null; name = nextName(p)) {
                JsonToken t = next(p);
                if (name.equals("error") && t == JsonToken.START_OBJECT) return object(p, status);
                if (name.equals("message") && t == JsonToken.VALUE_STRING && flat == null) {
                    flat = new ProviderError(status, null, null, p.getString(), -1, null);
                } else {
                    skip(p);
                }
            }
            if (flat != null) return flat;
        } catch (JacksonException | dev.llmlab.api.client.MalformedAnswerException e) {
            // not OpenAI's JSON: a proxy's page, or plain text
        }
        return new ProviderError(status, null, null, ClientJson.firstLine(body, offset, length), -1, null);
    }

    /**
     * The error object whose start was just read (in a body or a chunk); {@code status} 0 in a
     * stream, where the object's own integer {@code code} (vLLM) gives one.
     */
    static ProviderError object(JsonParser p, int status) {
        String message = null;
        String type = null;
        String code = null;
        int numericCode = 0;
        for (String name = nextName(p); name != null; name = nextName(p)) {
            JsonToken t = next(p);
            switch (name) {
                case "message" -> message = ClientJson.string(p);
                case "type" -> type = ClientJson.string(p);
                case "code" -> {
                    if (t == JsonToken.VALUE_NUMBER_INT) numericCode = integer(p, 0);
                    else code = ClientJson.string(p);
                }
                default -> skip(p);
            }
        }
        int s = status != 0 ? status : numericCode >= 400 && numericCode < 600 ? numericCode : 0;
        // Inside a stream an OpenAI error has no status; its code says when it is a rate limit or quota.
        if (s == 0 && ("rate_limit_exceeded".equals(code) || "insufficient_quota".equals(code))) s = 429;
        long retry = -1;
        if (message != null) {
            Matcher m = TRY_AGAIN.matcher(message);
            if (m.find()) retry = ClientJson.durationMillis(m.group(1));
        }
        String limit = s == 429 && type != null && !type.equals("insufficient_quota") ? type : null;
        return new ProviderError(s, type, code, message, retry, limit);
    }

    /**
     * An error given as top-level {@code code} and {@code message} (the Responses API reference's
     * {@code error} event); a rate-limit code is a 429, and the message may say when to retry.
     */
    static ProviderError flat(String code, String message) {
        int s = "rate_limit_exceeded".equals(code) || "insufficient_quota".equals(code) ? 429 : 0;
        long retry = -1;
        if (message != null) {
            Matcher m = TRY_AGAIN.matcher(message);
            if (m.find()) retry = ClientJson.durationMillis(m.group(1));
        }
        return new ProviderError(s, "error", code, message, retry, null);
    }
}
