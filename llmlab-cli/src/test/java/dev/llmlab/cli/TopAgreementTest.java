package dev.llmlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.core.config.ConfigLoader;
import dev.llmlab.http.client.TlsOptions;
import dev.llmlab.metrics.Exposition;
import dev.llmlab.metrics.HistogramPoint;
import dev.llmlab.metrics.MetricFamily;
import dev.llmlab.sim.Simulator;
import dev.llmlab.sim.catalog.Catalog.LatencyOverride;
import dev.llmlab.sim.config.SimConfig;
import dev.llmlab.top.Discovery;
import dev.llmlab.top.Figures;
import dev.llmlab.top.Row;
import dev.llmlab.top.Snapshot;
import dev.llmlab.top.Source;
import dev.llmlab.top.Target;
import dev.llmlab.top.Top;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * top and bench watching the same run: the simulator on its batching engine under load from
 * bench, and top's TTFT p50 over the run (the server's histogram, bucket deltas) agrees with the
 * p50 bench measured request by request, within the bucket top's estimate falls in.
 */
class TopAgreementTest {
    @TempDir
    Path dir;

    @Test
    void topsTtftP50_agreesWithBenchs_withinTheBucket() throws Exception {
        SimConfig c = ConfigLoader.parse("""
                server: {host: 127.0.0.1, port: 0, io_threads: 1}
                engine_presets:
                  small: {step_time: 4ms, prefill_per_token: 25us, decode_per_seq: 50us, attention_per_kv_token: 1ns,
                          jitter: 0.2, num_blocks: 4000, block_size: 16, max_num_seqs: 16, max_waiting: 64, replicas: 1}
                models:
                  - {id: llama, output_tokens: "16", engine: {preset: small}}
                """, "t.yaml", SimConfig.class);
        try (Simulator sim = Simulator.start(c, LatencyOverride.NONE)) {
            String base = "http://127.0.0.1:" + sim.port();
            Snapshot s;
            JsonNode bench;
            try (Top top = Top.start(
                    new Source.Scraped(Discovery.of(List.of(Target.of(base)))),
                    new Top.Settings(Duration.ofMillis(200), Duration.ofSeconds(5), TlsOptions.DEFAULT, null, null))) {
                Path out = dir.resolve("bench.json");
                Cli.Result r = Cli.run(
                        "bench",
                        "--url",
                        base + "/v1",
                        "--model",
                        "llama",
                        "--rate",
                        "30",
                        "--duration",
                        "5s",
                        "--input-tokens",
                        "200",
                        "--max-tokens",
                        "16",
                        "--no-check",
                        "--quiet",
                        "--json",
                        out.toString());
                assertThat(r.code()).as(r.err()).isIn(0, 17); // 17: invalid on a loaded machine; still measured
                bench = JsonMapper.builder().build().readTree(Files.readString(out));
                long measured = bench.get("summary").get("requests_completed").asLong();
                // until top has read the server after the last answer (it reads every 200 ms)
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                do {
                    s = top.snapshot(Top.LONGEST_WINDOW);
                    if (observations(s) >= measured) break;
                    Thread.sleep(50);
                } while (System.nanoTime() < deadline);
                assertThat(observations(s)).isEqualTo(measured);
            }
            Figures f = llama(s).figures();
            double benchP50 = bench.get("metrics").get("ttft").get("p50").asDouble() / 1000; // ms to s
            double[] bucket = bucketOf(f.ttftP50().value(), base + "/metrics");
            // bench's clock runs from its send to its first byte: loopback and the client add under a ms
            assertThat(benchP50)
                    .as(
                            "bench %.4f s, top %.4f s in (%.3f, %.3f]",
                            benchP50, f.ttftP50().value(), bucket[0], bucket[1])
                    .isBetween(bucket[0] - 0.002, bucket[1] + 0.002);
        }
    }

    private static Row llama(Snapshot s) {
        return s.models().stream()
                .filter(m -> m.model().equals("llama"))
                .findFirst()
                .orElseThrow();
    }

    private static double observations(Snapshot s) {
        return s.models().stream()
                .filter(m -> m.model().equals("llama"))
                .mapToDouble(m -> m.figures().ttftP50() == null
                        ? 0
                        : m.figures().ttftP50().observations())
                .sum();
    }

    /** The bounds of the sim's TTFT bucket that holds {@code v}. */
    private static double[] bucketOf(double v, String metrics) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            String page = http.send(
                            HttpRequest.newBuilder(URI.create(metrics)).build(), HttpResponse.BodyHandlers.ofString())
                    .body();
            MetricFamily.Histogram h = (MetricFamily.Histogram) Exposition.parse(page)
                    .family("vllm:time_to_first_token_seconds")
                    .orElseThrow();
            HistogramPoint p = h.points().getFirst();
            double lower = 0;
            for (HistogramPoint.Bucket b : p.buckets()) {
                if (v <= b.le()) return new double[] {lower, b.le()};
                lower = b.le();
            }
            return new double[] {lower, Double.POSITIVE_INFINITY};
        }
    }
}
