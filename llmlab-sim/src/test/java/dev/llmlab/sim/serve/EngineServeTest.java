package dev.llmlab.sim.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.metrics.Exposition;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The batching engine behind the live APIs, over real sockets. */
class EngineServeTest {
    /** 2 ms steps, so that a 20-token reply takes about 40 ms; no jitter. */
    static final String TINY = """
      engine_presets:
        tiny: {step_time: 2ms, prefill_per_token: 1us, decode_per_seq: 10us, attention_per_kv_token: 1ns, jitter: 0,
               num_blocks: 1000, block_size: 16, max_num_seqs: %d, max_waiting: %d, replicas: %d}
      models:
        - {id: llama, output_tokens: "20", engine: {preset: tiny}}
        - {id: claude-llama, api: anthropic, output_tokens: "20", engine: {preset: tiny}}
        - {id: long, output_tokens: "15000", engine: {preset: tiny}}
        - {id: huge, output_tokens: "20000", engine: {preset: tiny}}
        - {id: quick-long, output_tokens: "20000", engine: {preset: tiny, step_time: 20us, decode_per_seq: 0us}}
      """;

    static SimHarness start(int maxSeqs, int maxWaiting, int replicas) {
        return SimHarness.startTimed(TINY.formatted(maxSeqs, maxWaiting, replicas));
    }

    static final String SYSTEM = "You are a helpful assistant. ".repeat(40);
    static final String CHAT = "{\"model\":\"llama\",\"stream\":%s,\"max_tokens\":%d,\"messages\":["
            + "{\"role\":\"system\",\"content\":\"" + SYSTEM + "\"},{\"role\":\"user\",\"content\":\"hello\"}]}";

    @Test
    void streams_wholeReplies_andVllmMetrics_comeFromTheEngine() {
        try (SimHarness h = start(8, 16, 1)) {
            List<String> frames = h.stream(
                    "/v1/chat/completions",
                    CHAT.formatted("true", 12)
                            .replace("\"max_tokens\"", "\"stream_options\":{\"include_usage\":true},\"max_tokens\""));
            assertThat(frames.getLast()).isEqualTo("[DONE]");
            JsonNode usage = SimHarness.json(frames.get(frames.size() - 2)).get("usage");
            assertThat(usage.get("completion_tokens").asInt()).isEqualTo(12);

            HttpResponse<String> whole = h.post("/v1/chat/completions", CHAT.formatted("false", 12));
            assertThat(whole.statusCode()).isEqualTo(200);
            assertThat(SimHarness.json(whole.body())
                            .at("/usage/completion_tokens")
                            .asInt())
                    .isEqualTo(12);

            Exposition m = h.metrics();
            // The same system prompt twice: the second request found its blocks cached.
            assertThat(m.value("vllm:prefix_cache_queries_total", "engine", "0", "model_name", "llama"))
                    .isGreaterThan(0);
            assertThat(m.value("vllm:prefix_cache_hits_total", "engine", "0", "model_name", "llama"))
                    .isGreaterThanOrEqualTo(16 * 10);
            assertThat(m.value("vllm:request_queue_time_seconds_count", "engine", "0", "model_name", "llama"))
                    .isEqualTo(2);
            assertThat(m.value("vllm:request_decode_time_seconds_sum", "engine", "0", "model_name", "llama"))
                    .isGreaterThanOrEqualTo(2 * 11 * 0.002);
            assertThat(m.value("vllm:kv_cache_usage_perc", "engine", "0", "model_name", "llama"))
                    .isZero();
            assertThat(m.value("vllm:num_requests_running", "engine", "0", "model_name", "llama"))
                    .isZero();
            assertThat(m.value("vllm:num_preemptions_total", "engine", "0", "model_name", "llama"))
                    .isZero();
            assertThat(m.value(
                            "llmlab_engine_step_lateness_seconds_bucket",
                            "engine",
                            "0",
                            "model_name",
                            "llama",
                            "le",
                            "0.002"))
                    .isNotNaN();
            assertThat(m.value("vllm:time_to_first_token_seconds_count", "model_name", "llama"))
                    .isEqualTo(2);
        }
    }

    @Test
    void anthropicModel_onTheEngine() {
        try (SimHarness h = start(8, 16, 1)) {
            HttpResponse<String> r =
                    h.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(h.url("/v1/messages")))
                            .header("content-type", "application/json")
                            .header("anthropic-version", "2023-06-01")
                            .POST(
                                    java.net.http.HttpRequest.BodyPublishers.ofString(
                                            "{\"model\":\"claude-llama\",\"max_tokens\":7,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                            .build());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(SimHarness.json(r.body()).at("/usage/output_tokens").asInt())
                    .isEqualTo(7);
        }
    }

    @Test
    void cachedPromptTokens_areReportedAlike_whenStreamed_andWhole() {
        try (SimHarness h = start(8, 16, 1)) {
            String body = "{\"model\":\"claude-llama\",\"max_tokens\":5,\"stream\":%s,\"system\":\"" + SYSTEM
                    + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
            // The first request fills the prefix cache with the system prompt's blocks; the next two read them.
            assertThat(AnthropicMessagesTest.post(h, "/v1/messages", body.formatted("false"))
                            .statusCode())
                    .isEqualTo(200);
            JsonNode whole = SimHarness.json(AnthropicMessagesTest.post(h, "/v1/messages", body.formatted("false"))
                            .body())
                    .get("usage");
            List<AnthropicMessagesTest.Event> events = AnthropicMessagesTest.stream(h, body.formatted("true"));
            JsonNode start = events.getFirst().json().at("/message/usage");

            assertThat(whole.get("cache_read_input_tokens").asInt()).isGreaterThanOrEqualTo(16 * 10);
            assertThat(start.get("cache_read_input_tokens").asInt())
                    .isEqualTo(whole.get("cache_read_input_tokens").asInt());
            assertThat(start.get("input_tokens").asInt())
                    .isEqualTo(whole.get("input_tokens").asInt());

            // The OpenAI stream's usage chunk and its whole answer agree too (the first request fills the cache).
            assertThat(h.post("/v1/chat/completions", CHAT.formatted("false", 5))
                            .statusCode())
                    .isEqualTo(200);
            String chat = CHAT.formatted("true", 5)
                    .replace("\"max_tokens\"", "\"stream_options\":{\"include_usage\":true},\"max_tokens\"");
            List<String> frames = h.stream("/v1/chat/completions", chat);
            JsonNode streamed = SimHarness.json(frames.get(frames.size() - 2)).get("usage");
            JsonNode chatWhole = SimHarness.json(h.post("/v1/chat/completions", CHAT.formatted("false", 5))
                            .body())
                    .get("usage");
            assertThat(streamed.at("/prompt_tokens_details/cached_tokens").asInt())
                    .isGreaterThanOrEqualTo(16 * 10)
                    .isEqualTo(
                            chatWhole.at("/prompt_tokens_details/cached_tokens").asInt());
        }
    }

    @Test
    void fullQueue_isRefusedWithRetryAfter_andALeavingClientFreesItsBlocksAtOnce() throws IOException {
        try (SimHarness h = start(1, 1, 1)) {
            // A 15,000-token reply at 2 ms a step runs for 30 s: these two hold the replica until they leave.
            String forever =
                    "{\"model\":\"long\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}";
            try (Socket running = h.openChat(forever)) {
                SimHarness.readHead(running);
                await(
                        h,
                        () -> h.metrics().value("vllm:num_requests_running", "engine", "0", "model_name", "long") == 1);
                assertThat(h.metrics().value("vllm:kv_cache_usage_perc", "engine", "0", "model_name", "long"))
                        .isPositive();
                try (Socket queued = h.openChat(forever)) {
                    await(
                            h,
                            () -> h.metrics().value("vllm:num_requests_waiting", "engine", "0", "model_name", "long")
                                    == 1);
                    HttpResponse<String> refused = h.post(
                            "/v1/chat/completions", CHAT.formatted("false", 5).replace("\"llama\"", "\"long\""));
                    assertThat(refused.statusCode()).isEqualTo(429);
                    assertThat(refused.headers().firstValue("retry-after")).isPresent();
                    queued.close();
                    running.close();
                    // both gone: no blocks held, nothing running or waiting
                    await(
                            h,
                            () -> h.metrics().value("vllm:kv_cache_usage_perc", "engine", "0", "model_name", "long")
                                            == 0
                                    && h.metrics()
                                                    .value(
                                                            "vllm:num_requests_running",
                                                            "engine",
                                                            "0",
                                                            "model_name",
                                                            "long")
                                            == 0
                                    && h.metrics()
                                                    .value(
                                                            "vllm:num_requests_waiting",
                                                            "engine",
                                                            "0",
                                                            "model_name",
                                                            "long")
                                            == 0);
                }
            }
            assertThat(h.post("/v1/chat/completions", CHAT.formatted("false", 5))
                            .statusCode())
                    .isEqualTo(200);
            // two clients left; the refusal is not an abort of anything that ran
            assertThat(h.metrics()
                            .value("vllm:request_success_total", "finished_reason", "abort", "model_name", "long"))
                    .isEqualTo(2);
        }
    }

    @Test
    void aReaderThatStalls_getsEveryTokenWhenItReadsAgain() throws IOException {
        try (SimHarness h = start(8, 16, 1)) {
            String body = "{\"model\":\"quick-long\",\"stream\":true,\"max_tokens\":12000,\"messages\":"
                    + "[{\"role\":\"user\",\"content\":\"go\"}]}";
            try (Socket s = new Socket()) {
                s.setReceiveBufferSize(4096); // so that the server's socket fills and back-pressure starts at once
                s.connect(new java.net.InetSocketAddress("127.0.0.1", h.sim.port()));
                byte[] b = body.getBytes(StandardCharsets.UTF_8);
                OutputStream out = s.getOutputStream();
                out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                + "Connection: close\r\nContent-Length: " + b.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(b);
                out.flush();
                // Not reading while the engine generates all 12,000 tokens, thousands of steps.
                await(
                        h,
                        () -> h.metrics()
                                        .value(
                                                "vllm:request_decode_time_seconds_count",
                                                "engine",
                                                "0",
                                                "model_name",
                                                "quick-long")
                                == 1);
                s.setSoTimeout(10_000);
                String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(all).contains("data: [DONE]");
                int frames = all.split("\"content\":\"", -1).length - 1;
                assertThat(frames).isGreaterThanOrEqualTo(11_000); // one per token; the role frame has empty content
            }
        }
    }

    @Test
    void aDroppedStream_freesItsSequenceAtOnce() throws IOException {
        try (SimHarness h = start(8, 16, 1)) {
            String body = "{\"model\":\"long\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}";
            try (Socket s = h.openChat(body, "X-Llmlab-Fault: drop-after=3")) {
                s.setSoTimeout(10_000);
                s.getInputStream().readAllBytes(); // until the server drops the connection
            }
            await(
                    h,
                    () -> h.metrics().value("vllm:num_requests_running", "engine", "0", "model_name", "long") == 0
                            && h.metrics().value("vllm:kv_cache_usage_perc", "engine", "0", "model_name", "long") == 0);
        }
    }

    @Test
    void aRequestLargerThanTheKvCache_isA400() {
        try (SimHarness h = start(8, 16, 1)) {
            // 1000 blocks of 16 = 16,000 tokens
            HttpResponse<String> r = h.post(
                    "/v1/chat/completions",
                    CHAT.formatted("false", 16000).replace("\"model\":\"llama\"", "\"model\":\"huge\""));
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(SimHarness.json(r.body()).at("/error/code").asString()).isEqualTo("context_length_exceeded");
        }
    }

    @Test
    void replicas_eachReportTheirOwnMetrics() {
        try (SimHarness h = start(8, 16, 2)) {
            for (int i = 0; i < 4; i++)
                assertThat(h.post("/v1/chat/completions", CHAT.formatted("false", 3))
                                .statusCode())
                        .isEqualTo(200);
            Exposition m = h.metrics();
            assertThat(m.value("vllm:request_queue_time_seconds_count", "engine", "0", "model_name", "llama")
                            + m.value("vllm:request_queue_time_seconds_count", "engine", "1", "model_name", "llama"))
                    .isEqualTo(4);
            assertThat(m.value("vllm:request_queue_time_seconds_count", "engine", "1", "model_name", "llama"))
                    .isPositive();
        }
    }

    @Test
    void timeScaleZero_runsStepsAtOnce_inConsistentModelTime() {
        try (SimHarness h = SimHarness.startTimed("time_scale: 0\n" + TINY.formatted(8, 16, 1))) {
            HttpResponse<String> r = h.post("/v1/chat/completions", CHAT.formatted("false", 12));
            assertThat(r.statusCode()).isEqualTo(200);
            Exposition m = h.metrics();
            // no wall time needed, but the model's clock moved by every step: 11 decode steps of at least 2 ms
            assertThat(m.value("vllm:request_decode_time_seconds_sum", "engine", "0", "model_name", "llama"))
                    .isGreaterThanOrEqualTo(11 * 0.002);
        }
    }

    static void await(SimHarness h, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached within 10 s; metrics:\n"
                        + h.get("/metrics").body());
            }
            LockSupport.parkNanos(2_000_000);
        }
    }
}
