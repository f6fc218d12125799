package dev.llmlab.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.sim.Simulator;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Client keys' limits, reserved before the call and settled after, through the gateway to the simulator. */
class KeyLimitsTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Map<String, String> ENV = Map.of(
            "A", "key-a", "B", "key-b", "C", "key-c", "D", "key-d", "E", "key-e", "F", "key-f", "G", "key-g", "H",
            "key-h", "I", "key-i", "P", "sk-p");

    @TempDir
    Path dir;

    private SimHarness h;
    private Gateway gateway;

    private Gateway start() throws Exception {
        h = new SimHarness(dir);
        // the simulator states its own limits for the gateway's provider key in x-ratelimit-* headers
        Simulator sim = h.simulator("auth: {keys: [sk-p]}\nrate_limits: {per_key: {requests_per_minute: 1000}}\n", 0);
        gateway = h.gateway("""
                client_keys:
                  - {name: a, key: "${A}", limits: {rpm: 2}}
                  - {name: b, key: "${B}", limits: {tokens_per_day: 100}}
                  - {name: c, key: "${C}", limits: {tpm: 50}}
                  - {name: d, key: "${D}", limits: {tpm: 1000}}
                  - {name: e, key: "${E}", team: t, limits: {rpm: 10}}
                  - {name: f, key: "${F}", team: t}
                  - {name: g, key: "${G}", team: u, models: ["gpt-4o*"]}
                  - {name: h, key: "${H}", expires: "2020-01-01"}
                  - {name: i, key: "${I}", expires: "2999-01-01T00:00:00Z"}
                teams:
                  - {name: t, limits: {rpm: 3}}
                  - {name: u, models: [gpt-4o-mini, "claude-*"]}
                routes:
                  - name: "*"
                    deployments:
                      - {provider: openai-compatible, base_url: "http://127.0.0.1:%d/v1", model: "*", keys: [{key: "${P}"}]}
                """.formatted(sim.port()), ENV);
        return gateway;
    }

    @AfterEach
    void close() throws Exception {
        if (h != null) h.close();
    }

    private HttpResponse<String> openAi(String key, int maxTokens) throws Exception {
        return h.post(
                gateway.port(),
                "/v1/chat/completions",
                SimHarness.chat("gpt-4o-mini", false, maxTokens),
                "authorization",
                "Bearer " + key);
    }

    private HttpResponse<String> anthropic(String key) throws Exception {
        return h.post(
                gateway.port(),
                "/v1/messages",
                "{\"model\":\"gpt-4o-mini\",\"max_tokens\":20,\"messages\":" + SimHarness.HI + "}",
                "x-api-key",
                key,
                "anthropic-version",
                "2023-06-01");
    }

    private static JsonNode error(HttpResponse<String> r) {
        return JSON.readTree(r.body()).path("error");
    }

    @Test
    void rpm_countsDownInTheHeaders_thenA429WithRetryAfter_inEachApisShape() throws Exception {
        start();
        HttpResponse<String> first = openAi("key-a", 5);
        HttpResponse<String> second = openAi("key-a", 5);
        assertThat(first.statusCode()).isEqualTo(200);
        // the key's own limit, not the provider key's that the simulator stated
        assertThat(first.headers().allValues("x-ratelimit-limit-requests")).containsExactly("2");
        assertThat(first.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("1");
        assertThat(second.headers().firstValue("x-ratelimit-remaining-requests"))
                .hasValue("0");
        assertThat(second.headers().firstValue("x-ratelimit-reset-requests").orElseThrow())
                .matches("[0-9.]+m?s|\\d+m[0-9.]+s");

        HttpResponse<String> third = openAi("key-a", 5);
        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(Long.parseLong(third.headers().firstValue("retry-after").orElseThrow()))
                .isBetween(1L, 60L);
        assertThat(error(third).path("type").asString()).isEqualTo("requests");
        assertThat(error(third).path("code").asString()).isEqualTo("rate_limit_exceeded");

        HttpResponse<String> viaAnthropic = anthropic("key-a");
        assertThat(viaAnthropic.statusCode()).isEqualTo(429);
        assertThat(JSON.readTree(viaAnthropic.body()).path("error").path("type").asString())
                .isEqualTo("rate_limit_error");
        HttpResponse<String> other = openAi("key-d", 5); // another key's limits are its own
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(other.headers().allValues("x-ratelimit-limit-requests")).containsExactly("1000"); // the provider's
    }

    @Test
    void aDailyBudget_isNeverOverspent_thenInsufficientQuota() throws Exception {
        start();
        HttpResponse<String> wholeBudget = openAi("key-b", 200);
        assertThat(wholeBudget.statusCode()).isEqualTo(429);
        assertThat(error(wholeBudget).path("message").asString()).contains("more than the whole budget");
        long used = 0;
        int granted = 0;
        HttpResponse<String> refused = null;
        for (int i = 0; i < 10 && refused == null; i++) {
            HttpResponse<String> r = openAi("key-b", 20);
            if (r.statusCode() == 200) {
                granted++;
                used += JSON.readTree(r.body())
                        .path("usage")
                        .path("total_tokens")
                        .asLong();
            } else {
                refused = r;
            }
        }
        assertThat(granted).isGreaterThanOrEqualTo(2);
        assertThat(used).isLessThanOrEqualTo(100); // what the clients were given stays within the budget
        assertThat(refused).isNotNull();
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("retry-after")).isEmpty();
        assertThat(error(refused).path("type").asString()).isEqualTo("insufficient_quota");
        assertThat(error(refused).path("code").asString()).isEqualTo("insufficient_quota");

        HttpResponse<String> viaAnthropic = anthropic("key-b");
        assertThat(viaAnthropic.statusCode()).isEqualTo(400); // Anthropic's answer to a spent balance
        assertThat(JSON.readTree(viaAnthropic.body()).path("error").path("type").asString())
                .isEqualTo("invalid_request_error");
    }

    @Test
    void aRequestLargerThanTheLimit_isRefusedWithoutRetryAfter_andSettlingGivesBackTheUnused() throws Exception {
        start();
        HttpResponse<String> tooLarge = openAi("key-c", 100);
        assertThat(tooLarge.statusCode()).isEqualTo(429);
        assertThat(tooLarge.headers().firstValue("retry-after")).isEmpty();
        assertThat(error(tooLarge).path("message").asString()).contains("more than the limit itself");

        // the first answer's estimate is held until it ends, then its use stands in its place
        HttpResponse<String> first = openAi("key-d", 30);
        long remaining1 = Long.parseLong(
                first.headers().firstValue("x-ratelimit-remaining-tokens").orElseThrow());
        long used1 =
                JSON.readTree(first.body()).path("usage").path("total_tokens").asLong();
        HttpResponse<String> second = openAi("key-d", 30);
        long remaining2 = Long.parseLong(
                second.headers().firstValue("x-ratelimit-remaining-tokens").orElseThrow());
        assertThat(remaining2).isEqualTo(remaining1 - used1);
    }

    @Test
    void aTeamsLimit_holdsForItsKeysTogether_besidesEachKeysOwn() throws Exception {
        start();
        HttpResponse<String> e1 = openAi("key-e", 5);
        HttpResponse<String> f1 = openAi("key-f", 5);
        HttpResponse<String> e2 = openAi("key-e", 5);
        assertThat(List.of(e1.statusCode(), f1.statusCode(), e2.statusCode())).containsOnly(200);
        // the team's limit has less left than key e's own 10: its headers are the team's
        assertThat(e1.headers().firstValue("x-ratelimit-limit-requests")).hasValue("3");
        assertThat(e2.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("0");
        HttpResponse<String> f2 = openAi("key-f", 5);
        assertThat(f2.statusCode()).isEqualTo(429);
        assertThat(error(f2).path("message").asString()).contains("the team t (of the key f)");
        assertThat(openAi("key-d", 5).statusCode()).isEqualTo(200); // no team: untouched
    }

    @Test
    void theModelsAKeyAndItsTeamAllow_areTheOnlyOnesItMayAskFor() throws Exception {
        start();
        assertThat(chat("key-g", "gpt-4o-mini").statusCode()).isEqualTo(200); // both allow it
        HttpResponse<String> teamSaysNo = chat("key-g", "gpt-4o");
        assertThat(teamSaysNo.statusCode()).isEqualTo(403);
        assertThat(error(teamSaysNo).path("code").asString()).isEqualTo("model_not_found");
        assertThat(error(teamSaysNo).path("message").asString()).contains("the team u (of the key g)");
        HttpResponse<String> keySaysNo = chat("key-g", "claude-sonnet-4-5");
        assertThat(keySaysNo.statusCode()).isEqualTo(403);
        assertThat(error(keySaysNo).path("message").asString()).startsWith("the key g may not use");
        HttpResponse<String> viaAnthropic = h.post(
                gateway.port(),
                "/v1/messages",
                "{\"model\":\"gpt-4o\",\"max_tokens\":5,\"messages\":" + SimHarness.HI + "}",
                "x-api-key",
                "key-g",
                "anthropic-version",
                "2023-06-01");
        assertThat(viaAnthropic.statusCode()).isEqualTo(403);
        assertThat(error(viaAnthropic).path("type").asString()).isEqualTo("permission_error");
        assertThat(chat("key-d", "gpt-4o").statusCode()).isEqualTo(200); // a key without a list: any model
    }

    private HttpResponse<String> chat(String key, String model) throws Exception {
        return h.post(
                gateway.port(),
                "/v1/chat/completions",
                SimHarness.chat(model, false, 5),
                "authorization",
                "Bearer " + key);
    }

    @Test
    void anExpiredKey_gets401_andOneNotYetExpiredWorks() throws Exception {
        start();
        HttpResponse<String> expired = openAi("key-h", 5);
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(error(expired).path("message").asString()).isEqualTo("this API key expired at 2020-01-01T00:00:00Z");
        assertThat(openAi("key-i", 5).statusCode()).isEqualTo(200);
    }

    @Test
    void theModelList_showsAKeyOnlyWhatItMayUse_andNothingToAnExpiredKey() throws Exception {
        h = new SimHarness(dir);
        Simulator sim = h.simulator("", 0);
        String deployment = "{provider: openai-compatible, base_url: \"http://127.0.0.1:" + sim.port() + "/v1\"}";
        gateway = h.gateway(
                "client_keys:\n  - {name: g, key: \"${G}\", models: [\"gpt-4o*\"]}\n"
                        + "  - {name: d, key: \"${D}\"}\n  - {name: h, key: \"${H}\", expires: \"2020-01-01\"}\n"
                        + "routes:\n"
                        + "  - {name: gpt-4o-mini, deployments: [" + deployment + "]}\n"
                        + "  - {name: claude-sonnet-4-5, deployments: [" + deployment + "]}\n",
                ENV);
        assertThat(models("key-g")).containsExactly("gpt-4o-mini");
        assertThat(models("key-d")).containsExactlyInAnyOrder("gpt-4o-mini", "claude-sonnet-4-5");
        HttpResponse<String> expired = h.http.send(
                java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create("http://127.0.0.1:" + gateway.port() + "/v1/models"))
                        .header("authorization", "Bearer key-h")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(error(expired).path("message").asString()).contains("expired");
    }

    private List<String> models(String key) throws Exception {
        HttpResponse<String> r = h.http.send(
                java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create("http://127.0.0.1:" + gateway.port() + "/v1/models"))
                        .header("authorization", "Bearer " + key)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        List<String> ids = new java.util.ArrayList<>();
        for (JsonNode m : JSON.readTree(r.body()).path("data"))
            ids.add(m.path("id").asString());
        return ids;
    }
}
