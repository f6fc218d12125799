package dev.llmlab.sim.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** API keys: each API's header, 401 in each API's shape, keys never echoed, open health endpoints. */
class AuthTest {
    private static final String YAML = "auth: {keys: [sk-test-0123456789abcdef, sk-other-key-9876543210]}";
    private static final String CHAT =
            "{\"model\":\"gpt-4o-mini\",\"max_tokens\":2,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    private static final String MESSAGE =
            "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":2,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

    @Test
    void openAi_needsABearerKey() {
        try (SimHarness h = SimHarness.start(YAML)) {
            HttpResponse<String> none = h.post("/v1/chat/completions", CHAT);
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(error(none).get("message").stringValue()).startsWith("You didn't provide an API key.");

            HttpResponse<String> wrong = chat(h, "Bearer sk-wrong-0123456789abcdefXYZ1");
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(error(wrong).get("code").stringValue()).isEqualTo("invalid_api_key");
            assertThat(error(wrong).get("message").stringValue())
                    .isEqualTo("Incorrect API key provided: sk-***XYZ1.")
                    .doesNotContain("0123456789abcdef");

            assertThat(chat(h, "Bearer sk-test-0123456789abcdef").statusCode()).isEqualTo(200);
            assertThat(chat(h, "bearer sk-other-key-9876543210").statusCode()).isEqualTo(200);
            assertThat(chat(h, "Basic sk-test-0123456789abcdef").statusCode()).isEqualTo(401);
        }
    }

    @Test
    void anthropic_needsAnXApiKey_orBearer() {
        try (SimHarness h = SimHarness.start(YAML)) {
            HttpResponse<String> none = message(h, null, null);
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(SimHarness.json(none.body()).at("/error/type").stringValue())
                    .isEqualTo("authentication_error");
            assertThat(SimHarness.json(none.body()).at("/error/message").stringValue())
                    .isEqualTo("x-api-key header is required");
            assertThat(SimHarness.json(message(h, "sk-nope", null).body())
                            .at("/error/message")
                            .stringValue())
                    .isEqualTo("invalid x-api-key");
            assertThat(message(h, "sk-test-0123456789abcdef", null).statusCode())
                    .isEqualTo(200);
            assertThat(message(h, null, "Bearer sk-other-key-9876543210").statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void models_needAKey_healthAndMetricsDoNot() {
        try (SimHarness h = SimHarness.start(YAML)) {
            assertThat(h.get("/v1/models").statusCode()).isEqualTo(401);
            assertThat(h.send(HttpRequest.newBuilder(URI.create(h.url("/v1/models")))
                                    .header("authorization", "Bearer sk-test-0123456789abcdef")
                                    .GET()
                                    .build())
                            .statusCode())
                    .isEqualTo(200);
            HttpResponse<String> anthropicList = h.send(HttpRequest.newBuilder(URI.create(h.url("/v1/models")))
                    .header("anthropic-version", "2023-06-01")
                    .GET()
                    .build());
            assertThat(anthropicList.statusCode()).isEqualTo(401);
            assertThat(SimHarness.json(anthropicList.body()).at("/error/type").stringValue())
                    .isEqualTo("authentication_error");
            for (String open : new String[] {"/health", "/ready", "/version", "/metrics"}) {
                assertThat(h.get(open).statusCode()).as(open).isNotEqualTo(401);
            }
        }
    }

    @Test
    void keys_areComparedWhole() {
        ApiKeys keys = new ApiKeys(java.util.List.of("sk-abc"));
        assertThat(keys.accepts("sk-abc")).isTrue();
        assertThat(keys.accepts("sk-ab")).isFalse();
        assertThat(keys.accepts("sk-abcd")).isFalse();
        assertThat(keys.accepts("")).isFalse();
        assertThat(ApiKeys.mask("short")).isEqualTo("***");
    }

    private static HttpResponse<String> chat(SimHarness h, String authorization) {
        return h.send(HttpRequest.newBuilder(URI.create(h.url("/v1/chat/completions")))
                .header("content-type", "application/json")
                .header("authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofString(CHAT))
                .build());
    }

    private static HttpResponse<String> message(SimHarness h, String apiKey, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(h.url("/v1/messages")))
                .header("content-type", "application/json")
                .header("anthropic-version", "2023-06-01");
        if (apiKey != null) b.header("x-api-key", apiKey);
        if (authorization != null) b.header("authorization", authorization);
        return h.send(b.POST(HttpRequest.BodyPublishers.ofString(MESSAGE)).build());
    }

    private static JsonNode error(HttpResponse<String> r) {
        return SimHarness.json(r.body()).get("error");
    }
}
