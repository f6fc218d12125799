package dev.llmlab.sim.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Gauges that only move while requests are in flight, admission queueing, and cancellation when a
 * client goes away. Requests are held open by a long TTFT and ended by closing their sockets, so
 * nothing here waits on a timer: it polls observable server state until it changes.
 */
class ConcurrencyTest {
    static SimHarness h;

    @BeforeAll
    static void start() {
        h = SimHarness.startTimed("""
        profiles: {hold: {ttft: 60s, itl: 1ms}}
        models: [{id: held, profile: hold, max_concurrency: 1, max_queue: 1}]
        """);
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    private static final String BODY = "{\"model\":\"held\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],%s}";

    @Test
    void gaugesMove_queueBounded_andDisconnectCancelsAtOnce() throws IOException {
        try (Socket a = open(BODY.formatted("\"stream\":true"))) {
            readHead(a); // A streams: admitted, waiting for its first token
            await(() -> h.metrics().value("vllm:num_requests_running", "engine", "0", "model_name", "held") == 1);
            assertThat(h.metrics().value("llmlab_active_streams")).isEqualTo(1);
            try (Socket b = open(BODY.formatted("\"stream\":false"))) {
                await(() -> h.metrics().value("vllm:num_requests_waiting", "engine", "0", "model_name", "held") == 1);
                // The queue holds one; a third request is refused with a 429 and Retry-After.
                var c = h.post("/v1/chat/completions", BODY.formatted("\"stream\":false"));
                assertThat(c.statusCode()).isEqualTo(429);
                assertThat(c.headers().firstValue("retry-after")).isPresent();
                assertThat(SimHarness.json(c.body()).at("/error/code").stringValue())
                        .isEqualTo("rate_limit_exceeded");

                a.close(); // A's client goes away: its slot passes to B
                await(() -> h.metrics().value("vllm:num_requests_waiting", "engine", "0", "model_name", "held") == 0
                        && h.metrics().value("vllm:num_requests_running", "engine", "0", "model_name", "held") == 1
                        && h.metrics().value("llmlab_active_streams") == 0);
                assertThat(h.metrics()
                                .value("vllm:request_success_total", "finished_reason", "abort", "model_name", "held"))
                        .isEqualTo(1);
            }
            await(() -> h.metrics().value("vllm:num_requests_running", "engine", "0", "model_name", "held") == 0);
        }
    }

    private static Socket open(String body) throws IOException {
        return h.openChat(body);
    }

    private static String readHead(Socket s) throws IOException {
        String head = SimHarness.readHead(s);
        assertThat(head).containsIgnoringCase("text/event-stream");
        return head;
    }

    static void await(BooleanSupplier condition) {
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
