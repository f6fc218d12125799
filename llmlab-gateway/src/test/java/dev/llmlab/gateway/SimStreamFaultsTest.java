package dev.llmlab.gateway;

import static dev.llmlab.gateway.SimHarness.HI;
import static dev.llmlab.gateway.SimHarness.chat;
import static dev.llmlab.gateway.SimHarness.sum;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.sim.Simulator;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The simulator's stream faults through the gateway: a stream the simulator drops, stalls or cuts
 * short ends for the client with an error event in its own API's shape; a client that reads
 * nothing holds the simulator back instead of filling the gateway.
 */
class SimStreamFaultsTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    private SimHarness h;
    private Simulator sim;
    private Gateway gateway;

    @BeforeEach
    void start() throws Exception {
        h = new SimHarness(dir);
        // the client's headers are not sent to a provider of another API: rules drop claude-sonnet-4-5's
        // streams and cut claude-opus-4-1's short
        sim = h.simulator(
                "faults: {rules: [{kind: drop, probability: 1.0, after_tokens: 3, models: [claude-sonnet-4-5]},"
                        + " {kind: truncate, probability: 1.0, after_tokens: 3, models: [claude-opus-4-1]}]}\n",
                0.001);
        String base = "http://127.0.0.1:" + sim.port();
        gateway = h.gateway(
                "timeouts: {idle: 300ms}\nretry: {attempts: 2, backoff: 1ms}\nroutes:\n"
                        + "  - name: m\n    deployments:\n"
                        + "      - {name: sim-openai, provider: openai-compatible, base_url: " + base
                        + "/v1, model: gpt-4o-mini}\n"
                        + "  - name: claude\n    deployments:\n"
                        + "      - {name: sim-anthropic, provider: anthropic, base_url: " + base
                        + ", model: claude-haiku-4-5}\n"
                        + "  - name: claude-drops\n    deployments:\n"
                        + "      - {name: sim-anthropic-drops, provider: anthropic, base_url: " + base
                        + ", model: claude-sonnet-4-5}\n"
                        + "  - name: claude-truncates\n    deployments:\n"
                        + "      - {name: sim-anthropic-truncates, provider: anthropic, base_url: " + base
                        + ", model: claude-opus-4-1}\n",
                Map.of());
    }

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    private static List<String> data(HttpResponse<String> r) {
        return r.body()
                .lines()
                .filter(l -> l.startsWith("data: "))
                .map(l -> l.substring(6))
                .toList();
    }

    /** The error event and the end that close an OpenAI stream cut short, exactly as the client gets them. */
    private static String openAiErrorTail(String message, String type) {
        return "data: {\"error\":{\"message\":\"" + message + "\",\"type\":\"" + type
                + "\",\"param\":null,\"code\":null}}\n\ndata: [DONE]\n\n";
    }

    private double brokenStreams() throws Exception {
        return sum(h.metrics(gateway.port()), "llmlab_gateway_requests_total", "error_type", "stream_broken");
    }

    @Test
    void aDroppedOpenAiStream_endsWithAnErrorEvent_thenDone() throws Exception {
        HttpResponse<String> r =
                h.post(gateway.port(), "/v1/chat/completions", chat("m", true, 20), "x-llmlab-fault", "drop-after=3");
        assertThat(r.statusCode()).isEqualTo(200);
        List<String> events = data(r);
        assertThat(events.getLast()).isEqualTo("[DONE]");
        assertThat(events.indexOf("[DONE]")).as("[DONE] only at the end").isEqualTo(events.size() - 1);
        assertThat(events.stream().filter(e -> e.contains("\"delta\"")).count())
                .as("what came before the drop reached the client")
                .isGreaterThanOrEqualTo(3);
        JsonNode error = JSON.readTree(events.get(events.size() - 2)).path("error");
        assertThat(error.path("type").asString()).isEqualTo("upstream_error");
        assertThat(error.path("message").asString()).contains("broke");
        assertThat(sum(h.metrics(sim.port()), "llmlab_faults_injected_total", "kind", "drop"))
                .isEqualTo(1);
        assertThat(brokenStreams()).isEqualTo(1);
    }

    @Test
    void aDroppedAnthropicStream_endsWithAnErrorEvent_inAnthropicsShape() throws Exception {
        HttpResponse<String> r = h.post(
                gateway.port(),
                "/v1/messages",
                "{\"model\":\"claude\",\"stream\":true,\"max_tokens\":20,\"messages\":" + HI + "}",
                "x-llmlab-fault",
                "drop-after=3",
                "anthropic-version",
                "2023-06-01");
        assertThat(r.statusCode()).isEqualTo(200);
        List<String> names =
                r.body().lines().filter(l -> l.startsWith("event: ")).toList();
        assertThat(names).contains("event: content_block_delta").doesNotContain("event: message_stop");
        assertThat(names.getLast()).isEqualTo("event: error");
        JsonNode error = JSON.readTree(data(r).getLast());
        assertThat(error.path("type").asString()).isEqualTo("error");
        assertThat(error.path("error").path("message").asString()).contains("broke");
        assertThat(brokenStreams()).isEqualTo(1);
    }

    @Test
    void aDroppedStream_translatedFromAnthropic_endsWithAnOpenAiErrorEvent_thenDone() throws Exception {
        HttpResponse<String> r = h.post(gateway.port(), "/v1/chat/completions", chat("claude-drops", true, 20));
        assertThat(r.statusCode()).isEqualTo(200);
        List<String> events = data(r);
        assertThat(events.getFirst()).contains("chat.completion.chunk");
        assertThat(events.getLast()).isEqualTo("[DONE]");
        assertThat(events.indexOf("[DONE]")).isEqualTo(events.size() - 1);
        assertThat(JSON.readTree(events.get(events.size() - 2))
                        .path("error")
                        .path("message")
                        .asString())
                .contains("broke");
        assertThat(brokenStreams()).isEqualTo(1);
    }

    @Test
    void aTruncatedStream_translatedFromAnthropic_endsExactlyAsAPassThroughOne() throws Exception {
        HttpResponse<String> r = h.post(gateway.port(), "/v1/chat/completions", chat("claude-truncates", true, 20));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(data(r).stream().filter(e -> e.contains("\"content\":\"")).count())
                .as("what came before the cut reached the client")
                .isGreaterThanOrEqualTo(3);
        // as the pass-through stream below ends (the relay types its own errors by status: server_error)
        assertThat(r.body())
                .endsWith("}\n\n"
                        + openAiErrorTail("the provider's stream ended before the end of its answer", "server_error"));
        assertThat(brokenStreams()).isEqualTo(1);
    }

    @Test
    void aStreamThatStallsPastTheIdleTimeout_endsWithAnErrorEvent() throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> r =
                h.post(gateway.port(), "/v1/chat/completions", chat("m", true, 20), "x-llmlab-fault", "stall=5000@3");
        double ms = (System.nanoTime() - t0) / 1e6;
        assertThat(r.statusCode()).isEqualTo(200);
        List<String> events = data(r);
        assertThat(events.getLast()).isEqualTo("[DONE]");
        assertThat(JSON.readTree(events.get(events.size() - 2))
                        .path("error")
                        .path("type")
                        .asString())
                .isEqualTo("upstream_error");
        assertThat(ms)
                .as("cut by the 300 ms idle timeout, not after the 5 s stall")
                .isLessThan(4000);
    }

    @Test
    void aTruncatedStream_endsWithAnErrorEvent_thenDone_notSilently() throws Exception {
        HttpResponse<String> r =
                h.post(gateway.port(), "/v1/chat/completions", chat("m", true, 20), "x-llmlab-fault", "truncate=3");
        assertThat(r.statusCode()).isEqualTo(200);
        // the provider's three chunks, then the gateway's error and the end: [DONE] once, at the end
        assertThat(r.body())
                .endsWith("}\n\n"
                        + openAiErrorTail(
                                "the provider's stream ended before the end of its answer", "upstream_error"));
        assertThat(data(r).indexOf("[DONE]")).isEqualTo(data(r).size() - 1);
        assertThat(sum(h.metrics(sim.port()), "llmlab_faults_injected_total", "kind", "truncate"))
                .isEqualTo(1);
        assertThat(brokenStreams()).isEqualTo(1);
    }

    @Test
    void aTruncatedAnthropicStream_endsWithAnErrorEvent() throws Exception {
        HttpResponse<String> r = h.post(
                gateway.port(),
                "/v1/messages",
                "{\"model\":\"claude\",\"stream\":true,\"max_tokens\":20,\"messages\":" + HI + "}",
                "x-llmlab-fault",
                "truncate=3");
        List<String> names =
                r.body().lines().filter(l -> l.startsWith("event: ")).toList();
        assertThat(names).doesNotContain("event: message_stop");
        assertThat(names.getLast()).isEqualTo("event: error");
        assertThat(brokenStreams()).isEqualTo(1);
    }

    @Test
    void aCompleteStream_isNotCountedBroken() throws Exception {
        HttpResponse<String> r = h.post(gateway.port(), "/v1/chat/completions", chat("m", true, 5));
        assertThat(data(r).getLast()).isEqualTo("[DONE]");
        HttpResponse<String> a = h.post(
                gateway.port(),
                "/v1/messages",
                "{\"model\":\"claude\",\"stream\":true,\"max_tokens\":5,\"messages\":" + HI + "}");
        assertThat(a.body().lines().filter(l -> l.startsWith("event: ")).toList())
                .last()
                .isEqualTo("event: message_stop");
        assertThat(brokenStreams()).isZero();
    }

    @Test
    void aClientThatReadsNothing_holdsTheSimulatorBack_insteadOfFillingTheGateway() throws Exception {
        // A long, instant stream: 2,000,000 tokens, 8 a chunk, far more than the sockets' buffers hold.
        // What the gateway takes in stops at what those buffers hold (4 to 9 MB on loopback, measured).
        Simulator big = h.simulator(
                "generation: {tokens_per_chunk: 8}\nmodels:\n  - {id: long, context_window: 3000000,"
                        + " max_output_tokens: 2000000, output_tokens: \"2000000\"}\n",
                0);
        Taps.ByteTap tap = h.keep(new Taps.ByteTap(big.port()));
        Gateway g = h.gateway(
                "routes:\n  - name: long\n    deployments:\n"
                        + "      - {name: big, provider: openai-compatible, base_url: " + tap.url() + "/v1}\n",
                Map.of());
        String body = chat("long", true, 2_000_000);
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(64 << 10);
            s.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), g.port()));
            OutputStream out = s.getOutputStream();
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
                            + "content-length: " + b.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.write(b);
            out.flush();
            // The client reads nothing: the bytes the gateway has taken in from the simulator stop
            // growing (checked every 200 ms, for at most 20 s), far below the stream's length.
            long last = -1;
            for (int i = 0; i < 100; i++) {
                Thread.sleep(200);
                long now = tap.toGateway.get();
                if (now == last && now > 0) break;
                last = now;
            }
            long held = tap.toGateway.get();
            assertThat(held).as("the simulator was held back").isEqualTo(last);
            assertThat(held).isGreaterThan(0).isLessThan(16L << 20);
            assertThat(sum(h.metrics(big.port()), "vllm:request_success_total"))
                    .as("the simulator's stream has not finished")
                    .isZero();
            // reading resumes it: the stream goes on where it stopped
            InputStream in = s.getInputStream();
            byte[] buf = new byte[1 << 16];
            long read = 0;
            long until = System.nanoTime() + 20_000_000_000L;
            while (tap.toGateway.get() <= held + (4L << 20) && System.nanoTime() < until) {
                int n = in.read(buf);
                if (n < 0) break;
                read += n;
            }
            assertThat(tap.toGateway.get()).isGreaterThan(held + (4L << 20));
            assertThat(read).isGreaterThan(1L << 20);
        }
    }
}
