package dev.llmlab.sim.serve;

import dev.llmlab.api.ApiException;
import dev.llmlab.api.anthropic.AnthropicResponses;
import dev.llmlab.http.Exchange;
import dev.llmlab.http.Handler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * API-key checks in front of the API routes, each answering 401 in its API's own shape.
 *
 * <p>Keys are kept and compared as SHA-256 digests with {@link MessageDigest#isEqual}, which takes
 * the same time wherever the digests differ, and every configured key is compared, so the time of
 * a check says nothing about how close a guess was or which key matched. Keys never reach a log
 * or an error message (OpenAI's message shows a masked key: first three and last four
 * characters). Immutable and thread-safe.
 */
final class ApiKeys {
    private final byte[][] digests;

    ApiKeys(List<String> keys) {
        digests = keys.stream().map(ApiKeys::digest).toArray(byte[][]::new);
    }

    boolean enabled() {
        return digests.length > 0;
    }

    /** True if {@code presented} is one of the keys. */
    boolean accepts(String presented) {
        byte[] d = digest(presented);
        boolean match = false;
        for (byte[] k : digests) match |= MessageDigest.isEqual(k, d);
        return match;
    }

    Handler openAi(Handler h) {
        if (!enabled()) return h;
        return ex -> {
            String key = bearer(ex);
            if (key == null) {
                Replies.error(
                        ex,
                        new ApiException(
                                401,
                                "invalid_request_error",
                                null,
                                null,
                                "You didn't provide an API key."
                                        + " You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization:"
                                        + " Bearer YOUR_KEY)."));
            } else if (!accepts(key)) {
                Replies.error(
                        ex,
                        new ApiException(
                                401,
                                "invalid_request_error",
                                null,
                                "invalid_api_key",
                                "Incorrect API key provided: " + mask(key) + "."));
            } else {
                h.handle(ex);
            }
        };
    }

    Handler anthropic(Handler h) {
        if (!enabled()) return h;
        return ex -> {
            String key = ex.requestHeaders().get("x-api-key");
            if (key == null) key = bearer(ex);
            if (key == null || !accepts(key)) {
                String requestId = AnthropicResponses.newRequestId();
                ex.responseHeaders().set("request-id", requestId);
                MessagesHandler.error(
                        ex,
                        new ApiException(
                                401,
                                null,
                                null,
                                null,
                                key == null ? "x-api-key header is required" : "invalid x-api-key"),
                        requestId);
            } else {
                h.handle(ex);
            }
        };
    }

    /** Gemini: {@code x-goog-api-key} or {@code ?key=}; a missing key is 403, a wrong one 400, as Google answers. */
    Handler gemini(Handler h) {
        if (!enabled()) return h;
        return ex -> {
            String key = ex.requestHeaders().get("x-goog-api-key");
            if (key == null) key = ex.queryParam("key");
            if (key == null) {
                GeminiHandler.error(
                        ex,
                        new ApiException(
                                403,
                                null,
                                null,
                                null,
                                "Method doesn't allow unregistered callers "
                                        + "(callers without established identity). Please use API Key or other form of API consumer identity to call this API."));
            } else if (!accepts(key)) {
                GeminiHandler.error(
                        ex, new ApiException(400, null, null, null, "API key not valid. Please pass a valid API key."));
            } else {
                h.handle(ex);
            }
        };
    }

    /** OpenAI's model routes are shared with Anthropic clients, told apart by their version header. */
    Handler either(Handler h) {
        if (!enabled()) return h;
        Handler openAi = openAi(h);
        Handler anthropic = anthropic(h);
        return ex -> (ex.requestHeaders().contains("anthropic-version") ? anthropic : openAi).handle(ex);
    }

    private static String bearer(Exchange ex) {
        String auth = ex.requestHeaders().get("authorization");
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) return null;
        String key = auth.substring(7).strip();
        return key.isEmpty() ? null : key;
    }

    static String mask(String key) {
        return key.length() <= 10 ? "***" : key.substring(0, 3) + "***" + key.substring(key.length() - 4);
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
