package dev.llmlab.sim.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Provider-style rate limits seen by a client: headers on every answer, 429 with Retry-After when over. */
class RateLimitTest {
    private static final String CHAT =
            "{\"model\":\"gpt-4o-mini\",\"max_tokens\":%d,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

    @Test
    void perKeyRequests_reportedOnEveryAnswer_then429() {
        try (SimHarness h = SimHarness.start("rate_limits: {per_key: {requests_per_minute: 2}}")) {
            HttpResponse<String> first = chat(h, "sk-a", 2);
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.headers().firstValue("x-ratelimit-limit-requests")).hasValue("2");
            assertThat(first.headers().firstValue("x-ratelimit-remaining-requests"))
                    .hasValue("1");
            assertThat(first.headers().firstValue("x-ratelimit-reset-requests"))
                    .hasValueSatisfying(v -> assertThat(v).matches("[0-9.]+m?s|\\d+m\\d+s"));
            assertThat(chat(h, "sk-a", 2).headers().firstValue("x-ratelimit-remaining-requests"))
                    .hasValue("0");

            HttpResponse<String> refused = chat(h, "sk-a", 2);
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("retry-after"))
                    .hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isBetween(1, 30));
            JsonNode e = SimHarness.json(refused.body()).get("error");
            assertThat(e.get("type").stringValue()).isEqualTo("requests");
            assertThat(e.get("code").stringValue()).isEqualTo("rate_limit_exceeded");
            assertThat(e.get("message").stringValue())
                    .startsWith("Rate limit reached for gpt-4o-mini on requests per min (RPM): Limit 2");

            assertThat(chat(h, "sk-b", 2).statusCode())
                    .as("another key has its own budget")
                    .isEqualTo(200);
        }
    }

    @Test
    void perModelTokens_countPromptAndOutputCap() {
        try (SimHarness h = SimHarness.start("rate_limits: {models: {gpt-4o-mini: {tokens_per_minute: 100}}}")) {
            HttpResponse<String> first = chat(h, "sk-a", 50);
            assertThat(first.statusCode()).isEqualTo(200);
            long left = Long.parseLong(
                    first.headers().firstValue("x-ratelimit-remaining-tokens").orElseThrow());
            assertThat(left).isBetween(35L, 50L); // 100 - (prompt of about 9 + 50 of output cap)
            HttpResponse<String> refused = chat(h, "sk-b", 60);
            assertThat(refused.statusCode())
                    .as("the model's budget is shared by all keys")
                    .isEqualTo(429);
            assertThat(SimHarness.json(refused.body()).at("/error/type").stringValue())
                    .isEqualTo("tokens");
        }
    }

    @Test
    void anthropic_getsItsHeadersAndErrorShape() {
        try (SimHarness h =
                SimHarness.start("rate_limits: {per_key: {requests_per_minute: 1, tokens_per_minute: 10000}}")) {
            HttpResponse<String> ok = message(h);
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.headers().firstValue("anthropic-ratelimit-requests-limit"))
                    .hasValue("1");
            assertThat(ok.headers().firstValue("anthropic-ratelimit-requests-remaining"))
                    .hasValue("0");
            assertThat(ok.headers().firstValue("anthropic-ratelimit-tokens-reset"))
                    .hasValueSatisfying(v -> assertThat(v).endsWith("Z"));
            HttpResponse<String> refused = message(h);
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(SimHarness.json(refused.body()).at("/error/type").stringValue())
                    .isEqualTo("rate_limit_error");
            assertThat(refused.headers().firstValue("retry-after")).isPresent();
        }
    }

    @Test
    void gemini_keysByHeaderOrQuery_eachHaveTheirOwnBudget() {
        try (SimHarness h = SimHarness.start("rate_limits: {per_key: {requests_per_minute: 1}}")) {
            assertThat(gemini(h, "k-1", false).statusCode()).isEqualTo(200);
            assertThat(gemini(h, "k-1", true).statusCode())
                    .as("the same key by ?key= shares its budget")
                    .isEqualTo(429);
            assertThat(gemini(h, "k-2", false).statusCode())
                    .as("another Gemini key has its own budget")
                    .isEqualTo(200);
        }
    }

    @Test
    void resetDurations_readLikeOpenAis() {
        assertThat(RateLimits.duration(120_000_000L)).isEqualTo("120ms");
        assertThat(RateLimits.duration(1_000_000_000L)).isEqualTo("1s");
        assertThat(RateLimits.duration(17_500_000_000L)).isEqualTo("17.5s");
        assertThat(RateLimits.duration(360_000_000_000L)).isEqualTo("6m0s");
    }

    private static HttpResponse<String> chat(SimHarness h, String key, int maxTokens) {
        return h.send(HttpRequest.newBuilder(URI.create(h.url("/v1/chat/completions")))
                .header("content-type", "application/json")
                .header("authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(CHAT.formatted(maxTokens)))
                .build());
    }

    private static HttpResponse<String> gemini(SimHarness h, String key, boolean inQuery) {
        String path = "/v1beta/models/gemini-2.5-flash:generateContent" + (inQuery ? "?key=" + key : "");
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(h.url(path)))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"contents\":[{\"parts\":[{\"text\":\"Hi\"}]}]}"));
        if (!inQuery) b.header("x-goog-api-key", key);
        return h.send(b.build());
    }

    private static HttpResponse<String> message(SimHarness h) {
        return AnthropicMessagesTest.post(
                h,
                "/v1/messages",
                "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
    }
}
