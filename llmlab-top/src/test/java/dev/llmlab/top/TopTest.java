package dev.llmlab.top;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.llmlab.http.client.TlsOptions;
import dev.llmlab.metrics.Histograms.Estimate;
import dev.llmlab.sim.Simulator;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** top against the real simulator over loopback: what it reads agrees with what was sent to it. */
class TopTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    void theSimulator_underKnownLoad_readsAsSentAndAsJson() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort(); // nothing listens there once closed
        }
        try (Simulator sim = SimFixture.start();
                HttpClient http = HttpClient.newHttpClient()) {
            Target simTarget = Target.of("http://127.0.0.1:" + sim.port());
            Target gone = Target.of("http://127.0.0.1:" + closed + "/metrics");
            try (Top top = new Top(List.of(simTarget, gone), null, TIMEOUT, TlsOptions.DEFAULT)) {
                top.pollAndWait(TIMEOUT);
                SimFixture.chat(http, sim.port(), 20);
                top.pollAndWait(TIMEOUT);
                Snapshot s = top.snapshot(Top.LONGEST_WINDOW);

                assertThat(s.models()).extracting(Row::model).contains("llama");
                Row row = s.models().stream()
                        .filter(r -> r.model().equals("llama"))
                        .findFirst()
                        .orElseThrow();
                assertThat(row.kind()).isEqualTo("llmlab");
                Figures f = row.figures();
                assertThat(f.requestsPerSecond() * f.seconds()).isCloseTo(20, within(1e-6));
                assertThat(f.outputTokensPerSecond() * f.seconds()).isCloseTo(400, within(1e-6));
                assertThat(f.ttftP50().status()).isEqualTo(Estimate.Status.OK);
                assertThat(f.ttftP50().observations()).isEqualTo(20);
                assertThat(f.ttftP50().value()).as("30 ms, within its bucket").isBetween(0.02, 0.05);
                assertThat(f.running()).isZero();

                TargetState down = s.targets().get(1);
                assertThat(down.error()).isNotBlank();
                assertThat(down.kind()).isEqualTo("unknown");
                assertThat(s.targets().getFirst().error()).isNull();

                ByteArrayOutputStream out = new ByteArrayOutputStream();
                SnapshotJson.write(s, out, true);
                JsonNode json = JsonMapper.builder().build().readTree(out.toString(StandardCharsets.UTF_8));
                JsonNode m = null;
                for (JsonNode each : json.get("models"))
                    if (each.get("model").asString().equals("llama")) m = each;
                assertThat(m.get("model").asString()).isEqualTo("llama");
                assertThat(m.get("replicas").asInt()).isEqualTo(1);
                assertThat(m.get("ttft_p50").get("ms").asDouble()).isBetween(20.0, 50.0);
                assertThat(m.get("ttft_p50").has("capped")).isFalse();
                assertThat(m.get("error_rate").isNull() || m.get("error_rate").asDouble() == 0)
                        .isTrue();
                assertThat(json.get("replicas").get(0).get("replica").asString())
                        .isEqualTo("127.0.0.1:" + sim.port());
                assertThat(json.get("targets").get(1).get("error").asString()).isNotBlank();
                assertThat(SnapshotText.render(s)).contains("llama", "127.0.0.1:" + closed + ": ");
            }
        }
    }
}
