package dev.llmlab.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The spend ledger holds what clients received: the usage of each whole answer and of each stream,
 * and for a stream the client left, what was delivered of it; and the reservation is given back.
 */
class SpendLedgerTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ADMIN = "admin-key-0123456789";

    @TempDir
    Path dir;

    private SimHarness h;
    private Gateway g;

    @AfterEach
    void close() throws Exception {
        if (h != null) h.close();
    }

    private void start(double itlSeconds) throws Exception {
        h = new SimHarness(dir);
        var sim = h.simulator("", itlSeconds);
        g = h.gateway("""
                admin: {keys: [{name: ops, key: "%s"}]}
                client_keys:
                  - {name: k, key: "key-k", team: t}
                  - {name: c, key: "key-c", limits: {tokens_per_day: 300}}
                teams: [{name: t}]
                routes:
                  - name: "*"
                    deployments:
                      - {provider: openai-compatible, base_url: "http://127.0.0.1:%d/v1", model: "*"}
                """.formatted(ADMIN, sim.port()), Map.of());
    }

    /** What the ledger holds for the key {@code key}, once at least {@code atLeast} (polled, at most 10 s). */
    private long ledgerTokens(String key, long atLeast) throws Exception {
        long tokens = 0;
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = h.send(g.port(), "GET", "/admin/spend", null, "authorization", "Bearer " + ADMIN);
            JsonNode k = JSON.readTree(r.body()).path("keys").path(key);
            tokens = k.path("tokens").asLong(0);
            if (tokens >= atLeast
                    && JSON.readTree(r.body()).get("rows_not_yet_written").asLong() == 0) return tokens;
            LockSupport.parkNanos(20_000_000);
        }
        return tokens;
    }

    @Test
    void ledger_equalsTheUsageClientsReceived_wholeAndStreamed() throws Exception {
        start(0);
        long received = 0;
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> r = h.post(
                    g.port(),
                    "/v1/chat/completions",
                    SimHarness.chat("gpt-4o-mini", false, 10 + i),
                    "authorization",
                    "Bearer key-k");
            assertThat(r.statusCode()).isEqualTo(200);
            received += JSON.readTree(r.body()).get("usage").get("total_tokens").asLong();
        }
        for (int i = 0; i < 10; i++) {
            String body = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                    + "\"max_tokens\":" + (5 + i) + ",\"messages\":" + SimHarness.HI + "}";
            HttpResponse<String> r = h.post(g.port(), "/v1/chat/completions", body, "authorization", "Bearer key-k");
            String usage = r.body()
                    .lines()
                    .filter(l -> l.startsWith("data: {") && l.contains("\"usage\":{"))
                    .reduce((a, b) -> b)
                    .orElseThrow();
            received += JSON.readTree(usage.substring(6))
                    .get("usage")
                    .get("total_tokens")
                    .asLong();
        }
        assertThat(ledgerTokens("k", received)).isEqualTo(received);
    }

    @Test
    void aStreamTheClientLeft_paysForWhatWasDelivered_andFreesTheRest() throws Exception {
        start(0.05); // a token every 50 ms
        int maxTokens = 200;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), g.port()));
            OutputStream out = s.getOutputStream();
            byte[] b = SimHarness.chat("gpt-4o-mini", true, maxTokens).getBytes(StandardCharsets.UTF_8);
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
                            + "authorization: Bearer key-c\r\ncontent-length: " + b.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.write(b);
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            int chunks = 0;
            for (String line; chunks < 5 && (line = in.readLine()) != null; )
                if (line.startsWith("data: {") && line.contains("\"content\":\"")) chunks++;
            assertThat(chunks).isEqualTo(5);
        } // the client leaves after five tokens
        long paid = ledgerTokens("c", 1);
        // The prompt (about 8 tokens) and the few tokens sent before the gateway saw the client go
        // (the first of the five chunks read has no text; the rest is the tokenizer's count of the
        // text delivered): far from the 200 reserved.
        assertThat(paid).isBetween(8L + 3, 8L + 5 + 10);

        // What was reserved and not used is free again: a team budget set to exactly what is left
        // admits a request whose estimate fills it.
        HttpResponse<String> r = h.post(
                g.port(),
                "/v1/chat/completions",
                SimHarness.chat("gpt-4o-mini", false, 3),
                "authorization",
                "Bearer key-k");
        assertThat(r.statusCode()).isEqualTo(200);
    }

    @Test
    void aStreamTheClientLeftBeforeItsFirstToken_paysAtMostItsPrompt() throws Exception {
        start(2.0); // the first token comes after 2 s
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), g.port()));
            OutputStream out = s.getOutputStream();
            byte[] b = SimHarness.chat("gpt-4o-mini", true, 200).getBytes(StandardCharsets.UTF_8);
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
                            + "authorization: Bearer key-c\r\ncontent-length: " + b.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.write(b);
            out.flush();
        } // the client leaves before anything came back
        // recorded as client_gone (polled, at most 10 s)
        long deadline = System.nanoTime() + 10_000_000_000L;
        double gone = 0;
        while (gone == 0 && System.nanoTime() < deadline) {
            gone = SimHarness.sum(h.metrics(g.port()), "llmlab_gateway_requests_total", "error_type", "client_gone");
            if (gone == 0) LockSupport.parkNanos(20_000_000);
        }
        assertThat(gone).isEqualTo(1);
        // at most the prompt (the provider had it), never the 200 reserved for the answer
        assertThat(ledgerTokens("c", 0)).isLessThanOrEqualTo(10);
    }
}
