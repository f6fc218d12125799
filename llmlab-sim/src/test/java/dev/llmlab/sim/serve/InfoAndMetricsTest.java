package dev.llmlab.sim.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.metrics.Exposition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class InfoAndMetricsTest {
    static SimHarness h;

    @BeforeAll
    static void start() {
        h = SimHarness.start();
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @Test
    void models_listsEveryServedIdAndGetsOne() {
        JsonNode list = SimHarness.json(h.get("/v1/models").body());
        assertThat(list.get("object").stringValue()).isEqualTo("list");
        Set<String> ids = new HashSet<>();
        for (JsonNode m : list.get("data")) {
            ids.add(m.get("id").stringValue());
            assertThat(m.propertyNames()).containsExactly("id", "object", "created", "owned_by");
        }
        assertThat(ids)
                .contains(
                        "gpt-4o",
                        "gpt-4o-mini",
                        "gpt-4.1",
                        "o4-mini",
                        "gpt-5",
                        "gpt-5-mini",
                        "text-embedding-3-small",
                        "text-embedding-3-large",
                        "gpt-3.5-turbo-instruct");
        Golden.assertMatches(h.get("/v1/models/gpt-4o").body(), "model.json");
        var missing = h.get("/v1/models/nope");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(SimHarness.json(missing.body()).at("/error/code").stringValue())
                .isEqualTo("model_not_found");
    }

    @Test
    void health_ready_version() {
        assertThat(h.get("/health").statusCode()).isEqualTo(200);
        // /ready turns 200 once the tokenizer tables have loaded in the background.
        ConcurrencyTest.await(() -> h.sim.isWarm());
        assertThat(h.get("/ready").statusCode()).isEqualTo(200);
        assertThat(SimHarness.json(h.get("/version").body()).get("name").stringValue())
                .isEqualTo("llmlab");
    }

    /** Metrics defined but never recorded are a defect: every family must move. */
    @Test
    void metrics_everyFamilyMoves() {
        h.post(
                "/v1/chat/completions",
                "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]," + "\"max_tokens\":4}");
        h.stream(
                "/v1/chat/completions",
                "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                        + "\"max_tokens\":4,\"stream\":true}");
        Exposition m = h.metrics();
        assertThat(m.value("vllm:time_to_first_token_seconds_count", "model_name", "gpt-4o"))
                .isGreaterThanOrEqualTo(2);
        assertThat(m.value("vllm:inter_token_latency_seconds_count", "model_name", "gpt-4o"))
                .isGreaterThanOrEqualTo(6);
        assertThat(m.value("vllm:e2e_request_latency_seconds_count", "model_name", "gpt-4o"))
                .isGreaterThanOrEqualTo(2);
        assertThat(m.value("vllm:request_prompt_tokens_sum", "model_name", "gpt-4o"))
                .isGreaterThanOrEqualTo(2 * 8);
        assertThat(m.value("vllm:request_generation_tokens_sum", "model_name", "gpt-4o"))
                .isGreaterThanOrEqualTo(8);
        assertThat(m.value("vllm:prompt_tokens_total", "model_name", "gpt-4o")).isGreaterThanOrEqualTo(16);
        assertThat(m.value("vllm:generation_tokens_total", "model_name", "gpt-4o"))
                .isGreaterThanOrEqualTo(8);
        assertThat(m.value("vllm:request_success_total", "finished_reason", "length", "model_name", "gpt-4o"))
                .isGreaterThanOrEqualTo(2);
        assertThat(m.value(
                        "llmlab_http_requests_total",
                        "method",
                        "POST",
                        "route",
                        "/v1/chat/completions",
                        "status",
                        "200"))
                .isPositive();
        assertThat(m.value("llmlab_http_request_duration_seconds_count", "route", "/v1/chat/completions"))
                .isPositive();
        // Gauges are back to zero when idle, but the series exist; the running/waiting/stream gauges
        // are shown to move while requests are in flight in ConcurrencyTest.
        assertThat(m.value("vllm:num_requests_running", "engine", "0", "model_name", "gpt-4o"))
                .isZero();
        assertThat(m.value("llmlab_active_streams")).isZero();
    }

    @Test
    void metrics_passPromtoolCheck() throws IOException, InterruptedException {
        Assumptions.assumeTrue(onPath("promtool") || System.getenv("CI") != null, "promtool not installed");
        h.post(
                "/v1/chat/completions",
                "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]," + "\"max_tokens\":2}");
        Path f = Files.createTempFile("metrics", ".txt");
        Files.writeString(f, h.get("/metrics").body(), StandardCharsets.UTF_8);
        Process p = new ProcessBuilder("promtool", "check", "metrics")
                .redirectInput(f.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        // promtool lints (exit 3) are style advice, e.g. about vLLM's own names; parse errors are exit 1.
        assertThat(p.exitValue()).as(out).isIn(0, 3);
        assertThat(out).doesNotContain("error while linting").doesNotContain("text format parsing error");
        Files.delete(f);
    }

    private static boolean onPath(String cmd) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, cmd))) return true;
        }
        return false;
    }
}
