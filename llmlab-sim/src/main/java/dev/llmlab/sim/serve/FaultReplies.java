package dev.llmlab.sim.serve;

import dev.llmlab.api.ApiException;
import dev.llmlab.http.Exchange;
import dev.llmlab.sim.catalog.ModelSpec;
import dev.llmlab.sim.fault.Fault;

/**
 * The error answers of injected {@code status} faults and of full queues, as each provider sends
 * them: OpenAI's error object with its usual wording and codes, Anthropic's error, or Google's; {@code Retry-After}
 * where the fault sets one, and on a 429 the provider's rate-limit headers saying nothing is left
 * until the reset.
 */
final class FaultReplies {
    private FaultReplies() {}

    /** An injected status fault, answered in the shape of the model's API. */
    static void status(Exchange ex, Fault f, ModelSpec model, String requestId) {
        switch (model.api()) {
            case OPENAI -> openAi(ex, f, model.id());
            case ANTHROPIC -> anthropic(ex, f, requestId);
            case GEMINI -> gemini(ex, f);
        }
    }

    /** An error of the request, answered in the shape of the model's API. */
    static void error(Exchange ex, ModelSpec model, ApiException e, String requestId) {
        switch (model.api()) {
            case OPENAI -> Replies.error(ex, e);
            case ANTHROPIC -> MessagesHandler.error(ex, e, requestId);
            case GEMINI -> GeminiHandler.error(ex, e);
        }
    }

    /** A model whose queue is full: 429 at OpenAI, 529 {@code overloaded_error} at Anthropic, 503 at Gemini. */
    static void overloaded(Exchange ex, ModelSpec model, String requestId) {
        ex.responseHeaders().set("retry-after", "1");
        switch (model.api()) {
            case OPENAI ->
                Replies.error(
                        ex,
                        new ApiException(
                                429,
                                "requests",
                                null,
                                "rate_limit_exceeded",
                                "The server is overloaded: too many requests are waiting for model " + model.id()
                                        + ". Please retry after a short wait."));
            case ANTHROPIC ->
                MessagesHandler.error(
                        ex, new ApiException(529, "overloaded_error", null, null, "Overloaded"), requestId);
            case GEMINI ->
                GeminiHandler.error(
                        ex,
                        new ApiException(503, null, null, null, "The model is overloaded. Please try again later."));
        }
    }

    static void gemini(Exchange ex, Fault f) {
        retryAfter(ex, f);
        GeminiHandler.error(
                ex,
                new ApiException(
                        f.status(),
                        null,
                        null,
                        null,
                        switch (f.status()) {
                            case 429 -> "Resource has been exhausted (e.g. check quota).";
                            case 500 ->
                                "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting";
                            case 503 -> "The model is overloaded. Please try again later.";
                            case 504 -> "Deadline expired before operation could complete.";
                            case 401, 403 -> "Method doesn't allow unregistered callers.";
                            default -> "Injected fault: HTTP " + f.status() + ".";
                        }));
    }

    static void openAi(Exchange ex, Fault f, String model) {
        retryAfter(ex, f);
        if (f.status() == 429) {
            var h = ex.responseHeaders();
            String reset = Math.max(1, f.retryAfterSeconds()) + "s";
            h.set("x-ratelimit-limit-requests", "500");
            h.set("x-ratelimit-remaining-requests", "0");
            h.set("x-ratelimit-reset-requests", reset);
            h.set("x-ratelimit-limit-tokens", "30000");
            h.set("x-ratelimit-remaining-tokens", "0");
            h.set("x-ratelimit-reset-tokens", reset);
        }
        Replies.error(
                ex,
                switch (f.status()) {
                    case 401 ->
                        new ApiException(
                                401,
                                "invalid_request_error",
                                null,
                                "invalid_api_key",
                                "Incorrect API key provided. You can find your API key in your account settings.");
                    case 403 ->
                        new ApiException(
                                403,
                                "invalid_request_error",
                                null,
                                "unsupported_country_region_territory",
                                "Country, region, or territory not supported");
                    case 429 ->
                        new ApiException(
                                429,
                                "requests",
                                null,
                                "rate_limit_exceeded",
                                "Rate limit reached for " + model
                                        + " on requests per min (RPM): Limit 500, Used 500, Requested 1. Please try again in "
                                        + Math.max(1, f.retryAfterSeconds()) + "s.");
                    case 500 ->
                        new ApiException(
                                500,
                                "server_error",
                                null,
                                null,
                                "The server had an error while processing your request. Sorry about that!");
                    case 502 -> new ApiException(502, "server_error", null, null, "Bad gateway.");
                    case 503 ->
                        new ApiException(
                                503,
                                "server_error",
                                null,
                                null,
                                "The engine is currently overloaded, please try again later.");
                    case 504 -> new ApiException(504, "server_error", null, null, "Gateway timeout.");
                    default ->
                        new ApiException(
                                f.status(),
                                f.status() >= 500 ? "server_error" : "invalid_request_error",
                                null,
                                null,
                                "Injected fault: HTTP " + f.status() + ".");
                });
    }

    static void anthropic(Exchange ex, Fault f, String requestId) {
        retryAfter(ex, f);
        if (f.status() == 429) {
            var h = ex.responseHeaders();
            String reset = java.time.Instant.now()
                    .plusSeconds(Math.max(1, f.retryAfterSeconds()))
                    .toString();
            h.set("anthropic-ratelimit-requests-limit", "50");
            h.set("anthropic-ratelimit-requests-remaining", "0");
            h.set("anthropic-ratelimit-requests-reset", reset);
            h.set("anthropic-ratelimit-tokens-limit", "40000");
            h.set("anthropic-ratelimit-tokens-remaining", "0");
            h.set("anthropic-ratelimit-tokens-reset", reset);
        }
        String message = switch (f.status()) {
            case 401 -> "invalid x-api-key";
            case 403 -> "Your API key does not have permission to use the specified resource.";
            case 429 -> "Number of requests has exceeded your rate limit. Please try again later.";
            case 500 -> "Internal server error";
            case 529 -> "Overloaded";
            default -> "Injected fault: HTTP " + f.status() + ".";
        };
        MessagesHandler.error(ex, new ApiException(f.status(), null, null, null, message), requestId);
    }

    private static void retryAfter(Exchange ex, Fault f) {
        if (f.retryAfterSeconds() > 0) ex.responseHeaders().set("retry-after", Integer.toString(f.retryAfterSeconds()));
    }
}
