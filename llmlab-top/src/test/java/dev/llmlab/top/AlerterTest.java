package dev.llmlab.top;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.llmlab.http.client.TlsOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Alerts reach a real webhook (a JDK HTTP server on loopback) once per change: firing, then resolved. */
class AlerterTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static SloStatus status(String alert) {
        return new SloStatus(
                "ttft",
                "llama",
                "ttft p99 <= 100ms",
                0.99,
                List.of(new SloStatus.Window("5m", 300, 300, 80, 100, 0.8, 20)),
                alert,
                new SloStatus.Trend(Double.NaN, Double.NaN, Double.NaN, 0, 300, Double.NaN),
                false,
                null);
    }

    @Test
    void aFiringPage_isPostedOnce_andItsResolution_too() throws Exception {
        BlockingQueue<String> posts = new LinkedBlockingQueue<>();
        HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/hook", x -> {
            posts.add(x.getRequestMethod() + " " + x.getRequestHeaders().getFirst("content-type") + " "
                    + new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            x.sendResponseHeaders(204, -1);
            x.close();
        });
        hook.start();
        try (Alerter a = new Alerter(
                URI.create("http://127.0.0.1:" + hook.getAddress().getPort() + "/hook"),
                Duration.ofSeconds(5),
                TlsOptions.DEFAULT)) {
            a.update(List.of(status(null)));
            a.update(List.of(status("page")));
            a.update(List.of(status("page"))); // still firing: nothing new
            a.update(List.of(status(null)));

            String fired = posts.poll(10, TimeUnit.SECONDS);
            assertThat(fired).startsWith("POST application/json ");
            JsonNode f = JSON.readTree(fired.substring(fired.indexOf('{')));
            assertThat(f.get("status").asString()).isEqualTo("firing");
            assertThat(f.get("severity").asString()).isEqualTo("page");
            assertThat(f.get("slo").asString()).isEqualTo("ttft");
            assertThat(f.get("model").asString()).isEqualTo("llama");
            assertThat(f.get("burn_rates").get("5m").asDouble()).isEqualTo(20);
            String resolved = posts.poll(10, TimeUnit.SECONDS);
            JsonNode r = JSON.readTree(resolved.substring(resolved.indexOf('{')));
            assertThat(r.get("status").asString()).isEqualTo("resolved");
            assertThat(r.get("severity").asString()).isEqualTo("page");
            assertThat(posts.poll(300, TimeUnit.MILLISECONDS))
                    .as("one post per change")
                    .isNull();
            assertThat(a.error()).isNull();
        } finally {
            hook.stop(0);
        }
    }

    @Test
    void aWebhookThatFails_isSaid() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        HttpServer refusing = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        refusing.createContext("/", x -> {
            x.sendResponseHeaders(500, -1);
            x.close();
        });
        refusing.start();
        try (Alerter down = new Alerter(
                        URI.create("http://127.0.0.1:" + closed + "/"), Duration.ofSeconds(5), TlsOptions.DEFAULT);
                Alerter failing = new Alerter(
                        URI.create("http://127.0.0.1:" + refusing.getAddress().getPort() + "/"),
                        Duration.ofSeconds(5),
                        TlsOptions.DEFAULT)) {
            down.update(List.of(status("ticket")));
            failing.update(List.of(status("ticket")));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while ((down.error() == null || failing.error() == null) && System.nanoTime() < deadline) Thread.sleep(10);
            assertThat(down.error()).contains("could not be reached");
            assertThat(failing.error()).contains("answered HTTP 500");
        } finally {
            refusing.stop(0);
        }
    }

    @Test
    void theBody_isTheDocumentedJson() throws IOException {
        JsonNode b = JSON.readTree(new String(Alerter.body(status("page"), "firing", "page"), StandardCharsets.UTF_8));
        assertThat(b.propertyNames())
                .containsExactly("status", "severity", "slo", "model", "objective", "at", "burn_rates", "summary");
        assertThat(b.get("summary").asString())
                .isEqualTo("llmlab top: ttft on llama (ttft p99 <= 100ms) burning its error budget: page");
    }
}
