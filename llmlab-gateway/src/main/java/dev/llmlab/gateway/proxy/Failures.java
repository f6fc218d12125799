package dev.llmlab.gateway.proxy;

import dev.llmlab.http.Exchange;
import dev.llmlab.http.client.ClientException;
import dev.llmlab.http.client.ResponseHead;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * What went wrong with one request's tries: which failures another try may mend, the names the
 * metrics and the access log give them, and the last one, kept for the client in case no later
 * try succeeds.
 *
 * <h2>Worth another try</h2>
 * A try that fails before anything reached the client is retried when it may succeed elsewhere or
 * later: a connection that could not be made or broke before the answer, a timeout before the
 * first byte, a 429 (its key cools down), a 401 or 403 (its key is taken out), a 500, 502, 503,
 * 504 or 529. Nothing is retried once bytes have reached the client: a stream that breaks ends
 * with an error event.
 *
 * <h2>What the client gets when every try failed</h2>
 * The last upstream answer, as it was (the same API) when there was one, with its rate-limit
 * headers; else a 502 (or a 504 for a timeout) in the client's API's shape. When no deployment
 * could be tried at all: a 429 with {@code Retry-After} when keys are cooling down, else a 503
 * (breakers open).
 *
 * <p>Not thread-safe: one per request, used on its event loop.
 */
final class Failures {
    /** The last failed answer: its body is null when the last try got none (or none failed yet). */
    private int status;

    private byte[] body;
    private String contentType;
    private Reply reply;
    /** The rate-limit headers of the last failed head, which tell the client when to come back. */
    private final Map<String, String> headers = new LinkedHashMap<>();
    /** Why the last try got no answer, or null. */
    private ClientException failure;

    /**
     * The error the client gets when no failed answer is left to pass on.
     *
     * @param retryAfter the {@code Retry-After} seconds, or 0 for none
     */
    record Verdict(int status, String type, String message, String errorType, long retryAfter) {}

    /** Whether a status may be mended by another try, elsewhere or later. */
    static boolean retryable(int status) {
        return status == 429
                || status == 401
                || status == 403
                || status == 500
                || status == 502
                || status == 503
                || status == 504
                || status == 529;
    }

    /** A failed answer's name in the metrics and the access log. */
    static String errorType(int status) {
        if (status == 429) return "rate_limited";
        if (status == 401 || status == 403) return "upstream_auth";
        if (status >= 500) return "upstream_5xx";
        return "upstream_4xx";
    }

    /** A failed call's name in the metrics and the access log. */
    static String errorType(ClientException f) {
        if (timeout(f)) return "timeout";
        return switch (f.kind()) {
            case CONNECT, TLS, PROXY -> "connect_error";
            default -> "upstream_closed";
        };
    }

    private static boolean timeout(ClientException f) {
        return switch (f.kind()) {
            case CONNECT_TIMEOUT, FIRST_BYTE_TIMEOUT, IDLE_TIMEOUT, TOTAL_TIMEOUT -> true;
            default -> false;
        };
    }

    /** A try's head was not a 2xx: its rate-limit headers replace the last ones. */
    void head(ResponseHead head) {
        headers.clear();
        head.forEach((name, value) -> {
            String n = name.toLowerCase(Locale.ROOT);
            if (n.equals("retry-after") || n.startsWith("x-ratelimit") || n.startsWith("anthropic-ratelimit"))
                headers.put(n, value);
        });
    }

    /** A try's non-2xx answer came whole: the client's, unless a later try does better. */
    void answered(int status, byte[] answer, int length, String contentType, Reply reply) {
        this.status = status;
        this.body = Arrays.copyOf(answer, length);
        this.contentType = contentType;
        this.reply = reply;
        this.failure = null;
    }

    /** A try got no answer: a later give-up names why. */
    void failed(ClientException failure) {
        this.failure = failure;
        this.body = null;
        this.status = 0;
    }

    /** Whether a failed answer is kept to pass on. */
    boolean hasAnswer() {
        return body != null;
    }

    /**
     * Passes the last failed answer on to the client, with its rate-limit headers.
     *
     * @param spent told the nanoseconds its handling took, just before it is handed on
     * @return its status
     */
    int passOn(Exchange ex, LongConsumer spent) {
        headers.forEach((n, v) -> ex.responseHeaders().set(n, v));
        long from = System.nanoTime();
        reply.failed(status, body, contentType, () -> spent.accept(System.nanoTime() - from));
        return status;
    }

    /**
     * The error for the client when there is no failed answer to pass on.
     *
     * @param route     the route the client's model matched
     * @param keyFreeAt when the first cooling key frees ({@link Tries#keyFreeAt}), {@code Long.MAX_VALUE} if none
     *                  was cooling
     */
    Verdict verdict(String route, long keyFreeAt, long now) {
        if (failure != null)
            return new Verdict(
                    timeout(failure) ? 504 : 502,
                    "upstream_error",
                    "the upstream did not answer: " + failure.getMessage(),
                    errorType(failure),
                    0);
        if (keyFreeAt != Long.MAX_VALUE) {
            long wait = Math.max(1, (keyFreeAt - now + 999_999_999L) / 1_000_000_000L);
            return new Verdict(
                    429,
                    "rate_limit_error",
                    "every key of route " + route + " is at its rate limit or cooling down; retry in " + wait + " s",
                    "keys_cooling",
                    wait);
        }
        return new Verdict(
                503,
                "upstream_unavailable",
                "no deployment of route " + route + " can take requests now (circuit breakers open, or keys"
                        + " revoked)",
                "no_deployment",
                0);
    }
}
