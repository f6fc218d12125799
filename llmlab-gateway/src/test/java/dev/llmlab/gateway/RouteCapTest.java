package dev.llmlab.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.sim.Simulator;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A request without max_tokens reserves its route's max_output_tokens against its key's token limits. */
class RouteCapTest {
    @TempDir
    Path dir;

    @Test
    void withoutMaxTokens_theRoutesCapIsReserved() throws Exception {
        try (SimHarness h = new SimHarness(dir)) {
            Simulator sim = h.simulator("", 0);
            Gateway g = h.gateway("""
                    client_keys: [{name: k, key: "key-k", limits: {tokens_per_day: 1000}}]
                    routes:
                      - name: capped
                        max_output_tokens: 200
                        deployments: [{provider: openai-compatible, base_url: "http://127.0.0.1:%1$d/v1", model: gpt-4o-mini}]
                      - name: uncapped
                        deployments: [{provider: openai-compatible, base_url: "http://127.0.0.1:%1$d/v1", model: gpt-4o-mini}]
                    """.formatted(sim.port()), Map.of());
            String noMax = "{\"model\":\"%s\",\"messages\":" + SimHarness.HI + "}";
            // the prompt and 200 fit in the day's 1,000
            HttpResponse<String> capped = h.post(
                    g.port(), "/v1/chat/completions", noMax.formatted("capped"), "authorization", "Bearer key-k");
            assertThat(capped.statusCode()).as(capped.body()).isEqualTo(200);
            assertThat(capped.headers().firstValue("x-ratelimit-limit-tokens")).isEmpty(); // a budget, not a rate
            // the default cap, 4,096, is more than the whole budget: refused before it is sent
            HttpResponse<String> uncapped = h.post(
                    g.port(), "/v1/chat/completions", noMax.formatted("uncapped"), "authorization", "Bearer key-k");
            assertThat(uncapped.statusCode()).isEqualTo(429);
            assertThat(uncapped.body()).contains("insufficient_quota");
        }
    }
}
