package dev.llmlab.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.core.config.Secret;
import dev.llmlab.gateway.config.StateConfig;
import dev.llmlab.gateway.observe.GatewayMetrics;
import dev.llmlab.sim.Simulator;
import dev.llmlab.testkit.RedisServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Client keys' limits held by several gateways that share one Redis, and what they do while it is down. */
class RedisLimitsTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Map<String, String> ENV = Map.of("A", "key-a", "B", "key-b", "P", "sk-p");

    @TempDir
    Path dir;

    private SimHarness h;
    private RedisServer redis;

    @AfterEach
    void close() throws Exception {
        if (h != null) h.close();
        if (redis != null) redis.close();
    }

    /** Two gateways on one Redis, rates open and budgets closed (the defaults). */
    private List<Gateway> gateways() throws Exception {
        h = new SimHarness(dir);
        Simulator sim = h.simulator("auth: {keys: [sk-p]}\n", 0);
        String yaml = """
                client_keys:
                  - {name: a, key: "${A}", limits: {rpm: 3}}
                  - {name: b, key: "${B}", limits: {tokens_per_day: 100000}}
                routes:
                  - name: "*"
                    deployments:
                      - {provider: openai-compatible, base_url: "http://127.0.0.1:%d/v1", model: "*", keys: [{key: "${P}"}]}
                """.formatted(sim.port());
        StateConfig state = new StateConfig(
                "memory",
                null,
                null,
                new StateConfig.RedisConfig(Secret.of(redis.uri()), Duration.ofSeconds(2)),
                new StateConfig.FailurePolicy(null, null),
                null);
        List<Gateway> g = new ArrayList<>();
        g.add(h.gateway(yaml, ENV, state));
        g.add(h.gateway(yaml, ENV, state));
        return g;
    }

    private HttpResponse<String> openAi(Gateway g, String key) throws Exception {
        return h.post(
                g.port(),
                "/v1/chat/completions",
                SimHarness.chat("gpt-4o-mini", false, 5),
                "authorization",
                "Bearer " + key);
    }

    private static JsonNode error(HttpResponse<String> r) {
        return JSON.readTree(r.body()).path("error");
    }

    @Test
    void aKeysRate_holdsAcrossTwoGateways() throws Exception {
        redis = RedisServer.start();
        List<Gateway> g = gateways();
        assertThat(List.of(
                        openAi(g.get(0), "key-a").statusCode(),
                        openAi(g.get(1), "key-a").statusCode(),
                        openAi(g.get(0), "key-a").statusCode()))
                .containsOnly(200);
        HttpResponse<String> fourth = openAi(g.get(1), "key-a");
        assertThat(fourth.statusCode()).isEqualTo(429); // one gateway alone would have let 3 more through
        assertThat(error(fourth).path("code").asString()).isEqualTo("rate_limit_exceeded");
        assertThat(openAi(g.get(0), "key-a").statusCode()).isEqualTo(429);
        assertThat(openAi(g.get(0), "key-b").headers().firstValue("x-ratelimit-remaining-requests"))
                .isEmpty(); // a budget has no such header
    }

    /**
     * With room to spare, most requests are checked on the gateway's credit, without a round trip;
     * when the gateway stops it gives back what it did not lend, so Redis holds nothing for it and
     * counts as spent exactly the tokens the answers reported.
     */
    @Test
    void withRoomToSpare_requestsDrawOnCredit_andAStoppedGatewayGivesItBack() throws Exception {
        redis = RedisServer.start();
        List<Gateway> g = gateways();
        long used = 0;
        for (int i = 0; i < 40; i++) {
            HttpResponse<String> r = openAi(g.get(i % 2), "key-b");
            assertThat(r.statusCode()).isEqualTo(200);
            used += JSON.readTree(r.body()).path("usage").path("total_tokens").asLong();
        }
        double onCredit = 0, inStore = 0;
        for (Gateway each : g) {
            var page = h.metrics(each.port());
            onCredit += SimHarness.sum(page, GatewayMetrics.LIMITS_CHECKS + "_total", "where", "credit");
            inStore += SimHarness.sum(page, GatewayMetrics.LIMITS_CHECKS + "_total", "where", "store");
        }
        assertThat(onCredit + inStore).isEqualTo(40);
        assertThat(onCredit).isGreaterThan(inStore);

        for (Gateway each : g) each.close();
        try (var conn = dev.llmlab.gateway.state.RedisConnection.open(
                new StateConfig.RedisConfig(Secret.of(redis.uri()), Duration.ofSeconds(2)))) {
            var cmd = conn.strings();
            List<String> budgets = cmd.keys("llmlab:lim:*:tokens:day:*").get();
            assertThat(budgets).hasSize(1);
            Map<String, String> count = cmd.hgetall(budgets.getFirst()).get();
            assertThat(count).containsEntry("reserved", "0").containsEntry("spent", Long.toString(used));
            assertThat(count.keySet()).containsExactlyInAnyOrder("spent", "reserved");
        }
    }

    /**
     * Gateways started while Redis is down start anyway: a budget is refused with a 503 in the
     * ingress API's shape, a rate is counted in each gateway alone; when Redis is back, both are
     * counted there again, without a restart.
     */
    @Test
    void whileRedisIsDown_budgetsRefuseWith503_ratesAreCountedInEachGateway_thenRedisAgain() throws Exception {
        redis = RedisServer.start();
        redis.stop();
        List<Gateway> g = gateways();

        HttpResponse<String> budget = openAi(g.get(0), "key-b");
        assertThat(budget.statusCode()).isEqualTo(503);
        assertThat(error(budget).path("type").asString()).isEqualTo("service_unavailable");
        assertThat(error(budget).path("code").asString()).isEqualTo("limits_unavailable");
        assertThat(error(budget).path("message").asString())
                .startsWith(
                        "the limits store is unavailable: the budget of 100000 tokens per day (UTC) of the key b cannot be checked");
        assertThat(budget.headers().firstValue("retry-after")).hasValue("5");
        HttpResponse<String> viaAnthropic = h.post(
                g.get(1).port(),
                "/v1/messages",
                "{\"model\":\"gpt-4o-mini\",\"max_tokens\":5,\"messages\":" + SimHarness.HI + "}",
                "x-api-key",
                "key-b",
                "anthropic-version",
                "2023-06-01");
        assertThat(viaAnthropic.statusCode()).isEqualTo(503);
        assertThat(error(viaAnthropic).path("type").asString()).isEqualTo("api_error");

        // open: each gateway holds key a's 3 a minute alone
        for (Gateway each : g) {
            for (int i = 0; i < 3; i++)
                assertThat(openAi(each, "key-a").statusCode()).isEqualTo(200);
            assertThat(openAi(each, "key-a").statusCode()).isEqualTo(429);
        }
        var page = h.metrics(g.get(0).port());
        assertThat(SimHarness.sum(page, GatewayMetrics.LIMITS_FALLBACK + "_total", "policy", "closed"))
                .isEqualTo(1);
        assertThat(SimHarness.sum(page, GatewayMetrics.LIMITS_FALLBACK + "_total", "policy", "open"))
                .isEqualTo(4);
        assertThat(SimHarness.sum(page, GatewayMetrics.LIMITS_STORE_UP)).isZero();

        redis.startAgain();
        // the gateway connects in the background and tries the store again a second after a failure
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        int status;
        do status = openAi(g.get(0), "key-b").statusCode();
        while (status == 503 && System.nanoTime() < deadline);
        assertThat(status).isEqualTo(200);
        assertThat(SimHarness.sum(h.metrics(g.get(0).port()), GatewayMetrics.LIMITS_STORE_UP))
                .isEqualTo(1);
    }
}
