package dev.llmlab.api.client;

/**
 * An error a provider reported, in an error body (an HTTP status of 400 or more) or inside a
 * stream, in the internal model.
 *
 * @param status           the HTTP status; for an error inside a stream, the status the error
 *                         names ({@code code} of Gemini's and vLLM's error objects, 529 for
 *                         Anthropic's {@code overloaded_error}), else 0
 * @param type             the API's error type or status ({@code invalid_request_error},
 *                         {@code rate_limit_error}, {@code RESOURCE_EXHAUSTED}, ...), or null
 * @param code             a machine-readable code ({@code rate_limit_exceeded},
 *                         {@code insufficient_quota}, {@code context_length_exceeded}), or null
 * @param message          the provider's message, or the start of a body that was not JSON
 * @param retryAfterMillis how long the body says to wait before retrying (OpenAI's "Please try
 *                         again in 1.2s", Gemini's {@code RetryInfo.retryDelay}), or -1; the
 *                         {@code Retry-After} header, where a provider sends one, is the caller's
 * @param limit            for a rate limit, which one the body names (OpenAI's error type such
 *                         as {@code tokens} or {@code requests}, Gemini's {@code quotaId}), or null
 */
public record ProviderError(int status, String type, String code, String message, long retryAfterMillis, String limit) {

    /** Whether this is a rate limit or an exhausted quota (429, or a rate-limit type inside a stream). */
    public boolean rateLimited() {
        return status == 429 || "rate_limit_error".equals(type) || "RESOURCE_EXHAUSTED".equals(type);
    }
}
