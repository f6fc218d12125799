package dev.llmlab.sim.serve;

import dev.llmlab.api.ApiException;
import dev.llmlab.http.Exchange;
import dev.llmlab.sim.catalog.ModelSpec;
import dev.llmlab.sim.limit.RateLimiter;
import dev.llmlab.sim.limit.RateLimiter.Decision;
import dev.llmlab.sim.limit.RateLimiter.Report;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Charges a request to the rate limiter and writes the provider's rate-limit headers on its
 * answer: OpenAI's {@code x-ratelimit-{limit,remaining,reset}-{requests,tokens}} (resets as
 * durations such as {@code 1s} or {@code 6m0s}) or Anthropic's
 * {@code anthropic-ratelimit-{requests,tokens}-{limit,remaining,reset}} (resets as RFC 3339
 * times). A refused request is a 429 with {@code Retry-After} and the provider's wording.
 */
final class RateLimits {
    private RateLimits() {}

    /** @throws ApiException 429 when a budget has no room; headers are set either way */
    static void charge(SimContext ctx, Exchange ex, ModelSpec model, long tokens, ModelSpec.Api api) {
        boolean anthropic = api == ModelSpec.Api.ANTHROPIC;
        RateLimiter limiter = ctx.limits().get();
        if (!limiter.enabled()) return;
        Decision d = limiter.charge(keyId(ex), model.id(), tokens);
        if (api != ModelSpec.Api.GEMINI) headers(ex.responseHeaders(), d.report(), anthropic); // Gemini sends none
        if (d.allowed()) return;
        long seconds = Math.max(1, (d.retryAfterNanos() + 999_999_999L) / 1_000_000_000L);
        ex.responseHeaders().set("retry-after", Long.toString(seconds));
        String what = d.byRequests() ? "requests" : "tokens";
        if (api == ModelSpec.Api.GEMINI) {
            throw new ApiException(429, null, null, null, "Resource has been exhausted (e.g. check quota).");
        }
        if (anthropic) {
            throw new ApiException(
                    429,
                    "rate_limit_error",
                    null,
                    null,
                    "This request would exceed the rate limit of " + d.limit() + " " + what
                            + " per minute. Please retry after " + seconds + " seconds.");
        }
        throw new ApiException(
                429,
                what,
                null,
                "rate_limit_exceeded",
                "Rate limit reached for " + model.id()
                        + " on " + (d.byRequests() ? "requests per min (RPM)" : "tokens per min (TPM)") + ": Limit "
                        + d.limit()
                        + ", Requested " + d.requested() + ". Please try again in " + duration(d.retryAfterNanos())
                        + ".");
    }

    private static void headers(HttpHeaders h, Report r, boolean anthropic) {
        if (anthropic) {
            long now = System.currentTimeMillis();
            if (r.requestLimit() >= 0) {
                h.set("anthropic-ratelimit-requests-limit", Long.toString(r.requestLimit()));
                h.set("anthropic-ratelimit-requests-remaining", Long.toString(r.requestsLeft()));
                h.set(
                        "anthropic-ratelimit-requests-reset",
                        Instant.ofEpochMilli(now + r.requestsResetNanos() / 1_000_000)
                                .toString());
            }
            if (r.tokenLimit() >= 0) {
                h.set("anthropic-ratelimit-tokens-limit", Long.toString(r.tokenLimit()));
                h.set("anthropic-ratelimit-tokens-remaining", Long.toString(r.tokensLeft()));
                h.set(
                        "anthropic-ratelimit-tokens-reset",
                        Instant.ofEpochMilli(now + r.tokensResetNanos() / 1_000_000)
                                .toString());
            }
            return;
        }
        if (r.requestLimit() >= 0) {
            h.set("x-ratelimit-limit-requests", Long.toString(r.requestLimit()));
            h.set("x-ratelimit-remaining-requests", Long.toString(r.requestsLeft()));
            h.set("x-ratelimit-reset-requests", duration(r.requestsResetNanos()));
        }
        if (r.tokenLimit() >= 0) {
            h.set("x-ratelimit-limit-tokens", Long.toString(r.tokenLimit()));
            h.set("x-ratelimit-remaining-tokens", Long.toString(r.tokensLeft()));
            h.set("x-ratelimit-reset-tokens", duration(r.tokensResetNanos()));
        }
    }

    /** OpenAI's reset format: {@code 120ms}, {@code 1s}, {@code 17.5s}, {@code 6m0s}. */
    static String duration(long nanos) {
        long ms = (nanos + 999_999) / 1_000_000;
        if (ms < 1000) return ms + "ms";
        if (ms < 60_000) {
            String s = String.valueOf(ms / 1000.0);
            return (s.endsWith(".0") ? s.substring(0, s.length() - 2) : s) + "s";
        }
        return (ms / 60_000) + "m" + ((ms % 60_000) / 1000) + "s";
    }

    /** The caller's budget id: a digest of the presented key (never the key), or "anonymous". */
    static String keyId(Exchange ex) {
        String key = ex.requestHeaders().get("x-api-key");
        if (key == null) {
            String auth = ex.requestHeaders().get("authorization");
            if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7))
                key = auth.substring(7).strip();
        }
        if (key == null) key = ex.requestHeaders().get("x-goog-api-key"); // Gemini's, as ApiKeys reads it
        if (key == null) key = ex.queryParam("key");
        if (key == null || key.isEmpty()) return "anonymous";
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
