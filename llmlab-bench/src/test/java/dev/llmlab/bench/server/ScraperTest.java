package dev.llmlab.bench.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.llmlab.bench.result.ResultJson;
import dev.llmlab.core.config.ConfigLoader;
import dev.llmlab.sim.Simulator;
import dev.llmlab.sim.catalog.Catalog.LatencyOverride;
import dev.llmlab.sim.config.SimConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ScraperTest {
    static final String VLLM = """
      # HELP vllm:num_requests_running Number of requests in model execution batches.
      # TYPE vllm:num_requests_running gauge
      vllm:num_requests_running{engine="0",model_name="m"} %d.0
      vllm:num_requests_running{engine="1",model_name="m"} 1.0
      # TYPE vllm:num_requests_waiting gauge
      vllm:num_requests_waiting{engine="0",model_name="m"} %d.0
      # TYPE vllm:kv_cache_usage_perc gauge
      vllm:kv_cache_usage_perc{engine="0",model_name="m"} %s
      """;

    HttpServer server;
    ExecutorService serverThreads;
    final AtomicReference<String> page = new AtomicReference<>(VLLM.formatted(0, 0, "0.0"));
    final AtomicInteger gets = new AtomicInteger();
    final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        serverThreads = Executors.newCachedThreadPool();
        server.setExecutor(serverThreads);
        server.createContext("/metrics", ex -> respond(ex, 200, page.get()));
        server.createContext("/html", ex -> respond(ex, 200, "<html><body>Sign in</body></html>"));
        server.createContext("/slow", ex -> {
            gets.incrementAndGet();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            respond(ex, 200, page.get());
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        release.countDown();
        server.stop(0);
        serverThreads.shutdownNow();
    }

    void respond(com.sun.net.httpserver.HttpExchange ex, int status, String body) throws IOException {
        if (ex.getRequestURI().getPath().equals("/metrics")) gets.incrementAndGet();
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not reached within 10 s");
            Thread.sleep(10);
        }
    }

    @Test
    void sampleNow_recordsChangingGauges_atSecondsFromTheOrigin() {
        AtomicLong now = new AtomicLong(5_000_000_000L);
        Scraper s = Scraper.start(List.of(url("/metrics")), null, 5_000_000_000L, null, now::get);
        s.sampleNow();
        page.set(VLLM.formatted(7, 3, "0.5"));
        now.addAndGet(1_500_000_000L);
        s.sampleNow();
        JsonNode server = ResultJson.tree(s.stop());

        JsonNode src = server.get("sources").get(0);
        assertThat(src.get("url").asString()).isEqualTo(url("/metrics").toString());
        assertThat(src.get("kind").asString()).isEqualTo("vllm");
        assertThat(src.get("error").isNull()).isTrue();
        JsonNode samples = src.get("samples");
        assertThat(samples).hasSize(2);
        assertThat(samples.get(0).toString())
                .isEqualTo("{\"second\":0.0,\"running\":1,\"waiting\":0,\"kv_cache_usage\":0.0}");
        assertThat(samples.get(1).toString())
                .isEqualTo("{\"second\":1.5,\"running\":8,\"waiting\":3,\"kv_cache_usage\":0.5}");
    }

    static final String MODELS = """
      # TYPE vllm:num_requests_running gauge
      vllm:num_requests_running{engine="0",model_name="busy"} 6.0
      vllm:num_requests_running{engine="0",model_name="idle-1"} 0.0
      vllm:num_requests_running{engine="0",model_name="idle-2"} 0.0
      # TYPE vllm:num_requests_waiting gauge
      vllm:num_requests_waiting{engine="0",model_name="busy"} 2.0
      vllm:num_requests_waiting{engine="0",model_name="idle-1"} 0.0
      vllm:num_requests_waiting{engine="0",model_name="idle-2"} 0.0
      # TYPE vllm:kv_cache_usage_perc gauge
      vllm:kv_cache_usage_perc{engine="0",model_name="busy"} 0.26
      vllm:kv_cache_usage_perc{engine="0",model_name="idle-1"} 0.0
      vllm:kv_cache_usage_perc{engine="0",model_name="idle-2"} 0.01
      """;

    @Test
    void aPageOfSeveralModels_isReadForTheBenchmarkedModel() {
        page.set(MODELS);
        Scraper s = Scraper.start(List.of(url("/metrics")), "busy", 0, null, () -> 0);
        s.sampleNow();
        JsonNode src = ResultJson.tree(s.stop()).get("sources").get(0);
        assertThat(src.get("model").asString()).isEqualTo("busy");
        assertThat(src.get("models").toString()).isEqualTo("[\"busy\",\"idle-1\",\"idle-2\"]");
        assertThat(src.get("samples").get(0).toString())
                .isEqualTo("{\"second\":0.0,\"running\":6,\"waiting\":2,\"kv_cache_usage\":0.26}");
    }

    @Test
    void aPageWithoutTheBenchmarkedModel_isReadWhole_andSaysSo() {
        page.set(MODELS);
        Scraper s = Scraper.start(List.of(url("/metrics")), "other", 0, null, () -> 0);
        s.sampleNow();
        JsonNode src = ResultJson.tree(s.stop()).get("sources").get(0);
        assertThat(src.has("model")).as("no model filter applied").isFalse();
        assertThat(src.get("models")).hasSize(3);
        JsonNode sample = src.get("samples").get(0);
        assertThat(sample.get("running").asInt()).isEqualTo(6);
        assertThat(sample.get("kv_cache_usage").asDouble())
                .isCloseTo(0.09, org.assertj.core.api.Assertions.within(1e-9));
    }

    @Test
    void thread_samplesRepeatedly_untilStopped() throws InterruptedException {
        long origin = System.nanoTime();
        Scraper s = Scraper.start(List.of(url("/metrics")), null, origin, Duration.ofMillis(20), System::nanoTime);
        await(() -> s.sources().getFirst().samples().size() >= 3);
        JsonNode server = ResultJson.tree(s.stop());
        int after = gets.get();
        JsonNode samples = server.get("sources").get(0).get("samples");
        assertThat(samples.size()).isGreaterThanOrEqualTo(3);
        for (int i = 1; i < samples.size(); i++) {
            assertThat(samples.get(i).get("second").asDouble())
                    .isGreaterThanOrEqualTo(samples.get(i - 1).get("second").asDouble());
        }
        assertThat(samples.get(0).get("second").asDouble()).isBetween(0.0, 5.0);
        Thread.sleep(100);
        assertThat(gets.get()).as("no GET after stop").isLessThanOrEqualTo(after + 1);
    }

    @Test
    void unreachableUrls_haveAnError_andDoNotDisturbTheOthers() throws IOException {
        int closedPort;
        try (ServerSocket ss = new ServerSocket(0)) {
            closedPort = ss.getLocalPort();
        }
        List<URI> urls = List.of(
                url("/nothing-here"),
                URI.create("http://127.0.0.1:" + closedPort + "/metrics"),
                url("/html"),
                url("/metrics"));
        Scraper s = Scraper.start(urls, null, 0, null, System::nanoTime);
        s.sampleNow();
        JsonNode sources = ResultJson.tree(s.stop()).get("sources");
        assertThat(sources.get(0).get("error").asString()).isEqualTo("HTTP 404");
        assertThat(sources.get(1).get("error").asString()).contains("refused");
        assertThat(sources.get(2).get("error").asString()).isEqualTo("no Prometheus metrics in the response");
        for (int i = 0; i < 3; i++) {
            assertThat(sources.get(i).get("samples")).isEmpty();
            assertThat(sources.get(i).get("kind").asString()).isEqualTo("unknown");
        }
        assertThat(sources.get(3).get("error").isNull()).isTrue();
        assertThat(sources.get(3).get("samples")).hasSize(1);
    }

    @Test
    void slowServer_getsOneGetAtATime_andTimesOut() throws InterruptedException {
        Scraper s =
                Scraper.start(List.of(url("/slow")), null, System.nanoTime(), Duration.ofMillis(10), System::nanoTime);
        await(() -> gets.get() >= 1);
        Thread.sleep(200); // 20 ticks while the first GET is out
        assertThat(gets.get()).isEqualTo(1);
        await(() -> gets.get() >= 2); // the 800 ms timeout ended the first; the next tick sent another
        JsonNode src = ResultJson.tree(s.stop()).get("sources").get(0);
        assertThat(src.get("error").asString()).isEqualTo("no response within 800 ms");
        assertThat(src.get("samples")).isEmpty();
    }

    @Test
    void unknownServer_isSampled_withNullValues() {
        page.set("# TYPE node_load1 gauge\nnode_load1 0.42\n");
        Scraper s = Scraper.start(List.of(url("/metrics")), null, 0, null, () -> 0);
        s.sampleNow();
        JsonNode src = ResultJson.tree(s.stop()).get("sources").get(0);
        assertThat(src.get("kind").asString()).isEqualTo("unknown");
        assertThat(src.get("samples").get(0).toString())
                .isEqualTo("{\"second\":0.0,\"running\":null,\"waiting\":null,\"kv_cache_usage\":null}");
    }

    @Test
    void metricsUri_addsMetricsToABareHost_keepsAnyOtherPath() {
        assertThat(Scraper.metricsUri("http://gpu-1:8000")).hasToString("http://gpu-1:8000/metrics");
        assertThat(Scraper.metricsUri("https://gpu-1:8000/")).hasToString("https://gpu-1:8000/metrics");
        assertThat(Scraper.metricsUri(" http://gpu-1:9400/custom/prom?x=1 "))
                .hasToString("http://gpu-1:9400/custom/prom?x=1");
        assertThat(Scraper.metricsUri("HTTP://h")).hasToString("http://h/metrics");
    }

    @Test
    void metricsUri_rejectsWhatIsNotAnHttpUrl() {
        assertThatThrownBy(() -> Scraper.metricsUri("localhost:8000"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http");
        assertThatThrownBy(() -> Scraper.metricsUri("ftp://h/metrics"))
                .hasMessage("not an http:// or https:// URL: 'ftp://h/metrics'");
        assertThatThrownBy(() -> Scraper.metricsUri("http:///metrics")).hasMessageContaining("no host");
        assertThatThrownBy(() -> Scraper.metricsUri("http://a b")).hasMessageContaining("not a URL");
    }

    /** The real thing: the embedded simulator with a batching engine, over a socket. */
    @Test
    void simulator_isRecognised() {
        SimConfig c = ConfigLoader.parse("""
        server: {host: 127.0.0.1, port: 0, io_threads: 1}
        engine_presets:
          tiny: {step_time: 2ms, prefill_per_token: 1us, decode_per_seq: 10us, attention_per_kv_token: 1ns, jitter: 0,
                 num_blocks: 1000, block_size: 16, max_num_seqs: 4, max_waiting: 8, replicas: 2}
        models:
          - {id: llama, output_tokens: "20", engine: {preset: tiny}}
        """, "t.yaml", SimConfig.class);
        try (Simulator sim = Simulator.start(c, LatencyOverride.NONE)) {
            // The first /metrics of a cold simulator can take longer than the scraper's 800 ms on a
            // loaded machine; recognition, not cold start, is what this test is about.
            warmUp(URI.create("http://127.0.0.1:" + sim.port() + "/metrics"));
            Scraper s = Scraper.start(
                    List.of(Scraper.metricsUri("http://127.0.0.1:" + sim.port())),
                    "llama",
                    System.nanoTime(),
                    null,
                    System::nanoTime);
            s.sampleNow();
            JsonNode src = ResultJson.tree(s.stop()).get("sources").get(0);
            assertThat(src.get("error").isNull()).as(src.toString()).isTrue();
            assertThat(src.get("kind").asString()).isEqualTo("llmlab");
            JsonNode sample = src.get("samples").get(0);
            assertThat(sample.get("running").asInt()).isZero();
            assertThat(sample.get("waiting").asInt()).isZero();
            assertThat(sample.get("kv_cache_usage").asDouble()).isZero();
        }
    }

    private static void warmUp(URI metrics) {
        try (java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
            http.send(
                    java.net.http.HttpRequest.newBuilder(metrics)
                            .timeout(Duration.ofSeconds(30))
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
