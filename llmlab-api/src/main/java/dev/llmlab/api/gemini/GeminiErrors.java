package dev.llmlab.api.gemini;

import static dev.llmlab.api.client.internal.ClientJson.integer;
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
 * Google's error shape, {@code {"error":{"code","message","status","details":[...]}}}, in a body
 * (Vertex wraps it in a one-element array) and inside a stream. For rate limits the details say
 * when to retry ({@code google.rpc.RetryInfo}'s {@code retryDelay}, "43s") and which quota ran out
 * ({@code google.rpc.QuotaFailure}'s {@code violations[].quotaId}).
 */
final class GeminiErrors {
    private GeminiErrors() {}

    static ProviderError body(int status, byte[] body, int offset, int length) {
        int i = offset;
        while (i < offset + length && Character.isWhitespace(body[i])) i++;
        try {
            if (i < offset + length && body[i] == '[') {
                // Vertex: [{"error": {...}}]; read the first element as the body
                int start = i + 1;
                int end = offset + length - 1;
                while (end > start && body[end] != ']') end--;
                return parse(status, body, start, end - start);
            }
            return parse(status, body, offset, length);
        } catch (JacksonException | MalformedAnswerException e) {
            return new ProviderError(status, null, null, ClientJson.firstLine(body, offset, length), -1, null);
        }
    }

    private static ProviderError parse(int status, byte[] body, int offset, int length) {
        try (JsonParser p = ClientJson.openObject(body, offset, length, "an error body")) {
            for (String name = nextName(p); name != null; name = nextName(p)) {
                JsonToken t = next(p);
                if (name.equals("error") && t == JsonToken.START_OBJECT) return object(p, status);
                skip(p);
            }
        }
        throw ClientJson.malformed("no error object");
    }

    /** The error object whose start was just read; {@code status} 0 in a stream, where its {@code code} gives one. */
    static ProviderError object(JsonParser p, int status) {
        int code = 0;
        String message = null;
        String type = null;
        long retry = -1;
        String quota = null;
        for (String name = nextName(p); name != null; name = nextName(p)) {
            JsonToken t = next(p);
            switch (name) {
                case "code" -> code = integer(p, 0);
                case "message" -> message = string(p);
                case "status" -> type = string(p);
                case "details" -> {
                    if (t != JsonToken.START_ARRAY) {
                        skip(p);
                        continue;
                    }
                    for (JsonToken d = next(p); d != JsonToken.END_ARRAY; d = next(p)) {
                        if (d != JsonToken.START_OBJECT) {
                            skip(p);
                            continue;
                        }
                        for (String f = nextName(p); f != null; f = nextName(p)) {
                            JsonToken v = next(p);
                            if (f.equals("retryDelay")) {
                                retry = ClientJson.durationMillis(string(p));
                            } else if (f.equals("violations") && v == JsonToken.START_ARRAY) {
                                String id = firstQuotaId(p);
                                if (quota == null) quota = id;
                            } else {
                                skip(p);
                            }
                        }
                    }
                }
                default -> skip(p);
            }
        }
        return new ProviderError(status != 0 ? status : code, type, null, message, retry, quota);
    }

    private static String firstQuotaId(JsonParser p) {
        String id = null;
        for (JsonToken v = next(p); v != JsonToken.END_ARRAY; v = next(p)) {
            if (v != JsonToken.START_OBJECT) {
                skip(p);
                continue;
            }
            for (String f = nextName(p); f != null; f = nextName(p)) {
                next(p);
                if (f.equals("quotaId") && id == null) id = string(p);
                else skip(p);
            }
        }
        return id;
    }
}
