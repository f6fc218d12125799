package dev.llmlab.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.core.config.Secret;
import dev.llmlab.gateway.config.StateConfig;
import dev.llmlab.sim.Simulator;
import dev.llmlab.testkit.RedisServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that leaves while its limits are being checked in Redis: nothing is sent on its
 * behalf, what was reserved for it is given back, and the request is recorded as client_gone.
 * Redis's own CLIENT PAUSE holds the check for a second, so the client is gone before the answer.
 */
class PendingAdmissionTest {
    @TempDir
    Path dir;

    private static void redis(int port, String command) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            PrintWriter w = new PrintWriter(s.getOutputStream(), true, StandardCharsets.US_ASCII);
            w.print(command + "\r\n");
            w.flush();
            String reply =
                    new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            assertThat(reply).isEqualTo("+OK");
        }
    }

    @Test
    void aClientGoneBeforeItsAdmission_isSentNowhere_andGivesBackWhatItHeld() throws Exception {
        try (RedisServer r = RedisServer.start();
                SimHarness h = new SimHarness(dir)) {
            Simulator sim = h.simulator("", 0);
            Gateway g = h.gateway(
                    """
                    client_keys: [{name: k, key: "key-k", limits: {max_in_flight: 1, rpm: 1000}}]
                    routes:
                      - name: "*"
                        deployments: [{provider: openai-compatible, base_url: "http://127.0.0.1:%d/v1", model: "*"}]
                    """.formatted(sim.port()),
                    Map.of(),
                    new StateConfig(
                            "memory",
                            null,
                            null,
                            new StateConfig.RedisConfig(Secret.of(r.uri()), Duration.ofSeconds(5)),
                            null,
                            null));
            String chat = SimHarness.chat("gpt-4o-mini", false, 5);
            // warm: the scripts are loaded and the connection is up
            assertThat(h.post(g.port(), "/v1/chat/completions", chat, "authorization", "Bearer key-k")
                            .statusCode())
                    .isEqualTo(200);
            double before = h.simRequests(sim);

            redis(r.port(), "CLIENT PAUSE 1000 WRITE"); // the next check waits a second in Redis
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), g.port()));
                OutputStream out = s.getOutputStream();
                byte[] b = chat.getBytes(StandardCharsets.UTF_8);
                out.write(("POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
                                + "authorization: Bearer key-k\r\ncontent-length: " + b.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8));
                out.write(b);
                out.flush();
            } // and the client leaves at once

            // recorded as client_gone once Redis answers (polled, at most 10 s)
            long deadline = System.nanoTime() + 10_000_000_000L;
            double gone = 0;
            while (gone == 0 && System.nanoTime() < deadline) {
                gone = SimHarness.sum(
                        h.metrics(g.port()), "llmlab_gateway_requests_total", "error_type", "client_gone");
                if (gone == 0) LockSupport.parkNanos(20_000_000);
            }
            assertThat(gone).isEqualTo(1);
            assertThat(h.simRequests(sim)).as("nothing was sent for it").isEqualTo(before);
            // its one request in flight was given back: the next one fits max_in_flight: 1
            assertThat(h.post(g.port(), "/v1/chat/completions", chat, "authorization", "Bearer key-k")
                            .statusCode())
                    .isEqualTo(200);
        }
    }
}
