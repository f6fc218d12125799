package dev.llmlab.gateway.observe;

import dev.llmlab.gateway.account.Cost;
import dev.llmlab.gateway.account.TokenUsage;

/**
 * One finished request, filled once by the request path and taken by both {@link
 * GatewayMetrics#requestFinished} and {@link AccessLog#log}. It holds no prompt, no answer and no
 * key: only the configured name of the client's key.
 *
 * <p>Times are nanoseconds, -1 when they do not apply. Their definitions (docs/gateway-metrics.md):
 *
 * @param requestId      the propagated or generated request id
 * @param startEpochMillis when the request's head was read, wall clock
 * @param clientKeyName  the configured name of the client key that authenticated it, or null
 * @param ingress        the API it came in on
 * @param route          the configured route it matched, or null when none did
 * @param deployment     the deployment that answered (the last one tried), or null when none was
 * @param provider       that deployment's provider kind from the config ({@code openai}, {@code
 *                       azure-openai}, {@code anthropic}, {@code gemini}, {@code openai-compatible}),
 *                       or null
 * @param providerModel  the model the gateway asked the provider for, or null
 * @param status         the HTTP status sent to the client; 0 when the client left before one was sent
 * @param errorType      null on success; else a short, low-cardinality class of error ({@code timeout},
 *                       {@code connect_error}, {@code upstream_5xx}, {@code 429}, {@code client_gone},
 *                       ...), the OpenTelemetry {@code error.type}
 * @param stream         whether the answer was streamed
 * @param attempts       upstream calls made, over every deployment tried (0 when none was)
 * @param fallbacks      times the request moved on to another deployment
 * @param ttftNanos      received -> first content byte sent to the client (streams), or -1
 * @param e2eNanos       received -> last byte sent (or the client gone)
 * @param upstreamNanos  the answering attempt's call begun -> its last byte read, or -1
 * @param overheadNanos  the gateway's own time, as in {@code x-llmlab-overhead-ms}
 * @param usage          tokens used (reported or estimated), or null when nothing was generated
 *                       or counted
 * @param cost           its cost, {@link Cost#UNKNOWN} without a price or usage; never null
 * @param cache          on a route with an exact cache: {@code hit}, {@code miss}, or {@code
 *                       bypass} (the request asked not to be answered from it); else null
 */
public record RequestRecord(
        String requestId,
        long startEpochMillis,
        String clientKeyName,
        Ingress ingress,
        String route,
        String deployment,
        String provider,
        String providerModel,
        int status,
        String errorType,
        boolean stream,
        int attempts,
        int fallbacks,
        long ttftNanos,
        long e2eNanos,
        long upstreamNanos,
        long overheadNanos,
        TokenUsage usage,
        Cost cost,
        String cache) {
    public RequestRecord {
        if (requestId == null) throw new IllegalArgumentException("a request record needs a request id");
        if (ingress == null) throw new IllegalArgumentException("a request record needs its ingress");
        if (status < 0 || status > 599)
            throw new IllegalArgumentException("status must be 0 or 100-599, got " + status);
        if (attempts < 0 || fallbacks < 0) {
            throw new IllegalArgumentException("attempts and fallbacks must not be negative");
        }
        if (cost == null) cost = Cost.UNKNOWN;
    }

    /** Upstream calls beyond the first of each deployment tried: {@code attempts - 1 - fallbacks}, at least 0. */
    public int retries() {
        return Math.max(0, attempts - 1 - fallbacks);
    }

    /** Whether the request succeeded: no error type and a status below 400. */
    public boolean ok() {
        return errorType == null && status > 0 && status < 400;
    }
}
