package dev.llmlab.bench.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.bench.measure.Fate;
import dev.llmlab.bench.measure.RequestRecord;
import dev.llmlab.core.token.Tokenizer;
import dev.llmlab.core.token.Tokenizers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client against servers that misbehave, over real loopback sockets: every request ends in one record. */
class BenchClientTest {
    static final Tokenizer TOK = Tokenizers.forEncoding("o200k_base");
    static final byte[] BODY = "{\"model\":\"m\",\"messages\":[]}".getBytes(StandardCharsets.UTF_8);

    private ServerSocket server;

    @AfterEach
    void close() throws IOException {
        if (server != null) server.close();
    }

    /** A server that reads each request's head and body and then does what {@code answer} says with its socket. */
    private int serve(Consumer<Socket> answer) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread.ofVirtual().start(() -> {
                        try (s) {
                            while (readRequest(s.getInputStream())) answer.accept(s);
                        } catch (IOException ignored) {
                            // the client went away
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
        return server.getLocalPort();
    }

    /** Reads one request (head and Content-Length body); false at the end of the stream. */
    private static boolean readRequest(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            head.append((char) c);
            if (head.toString().endsWith("\r\n\r\n")) break;
        }
        if (c < 0) return false;
        String h = head.toString().toLowerCase();
        int at = h.indexOf("content-length: ");
        int length = Integer.parseInt(h.substring(at + 16, h.indexOf("\r\n", at)));
        return in.readNBytes(length).length == length;
    }

    private static void write(Socket s, String wire) {
        try {
            OutputStream out = s.getOutputStream();
            out.write(wire.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static RequestRecord send(int port, Duration timeout, boolean stream) throws Exception {
        Target t = Target.of("http://127.0.0.1:" + port + "/v1", Api.OPENAI_CHAT, "m", stream, null, Map.of());
        try (BenchClient c = new BenchClient(t, 1, timeout, TOK)) {
            CompletableFuture<RequestRecord> rec = new CompletableFuture<>();
            c.send(BODY, 3, System.nanoTime(), 0, rec::complete);
            return rec.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aServerThatNeverAnswers_timesOut() throws Exception {
        int port = serve(s -> {}); // reads the request, says nothing
        RequestRecord r = send(port, Duration.ofMillis(300), false);
        assertThat(r.fate()).isEqualTo(Fate.TIMEOUT);
        long took = r.endNanos() - r.sentNanos();
        // checked every tenth of the timeout: never early, at most a check period (and scheduling) late
        assertThat(took).isGreaterThanOrEqualTo(300_000_000L).isLessThan(2_000_000_000L);
    }

    @Test
    void aRefusedConnection_isAConnectionError() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        assertThat(send(port, Duration.ofSeconds(5), false).fate()).isEqualTo(Fate.CONNECTION);
    }

    @Test
    void bytesThatAreNotHttp_areMalformed() throws Exception {
        int port = serve(s -> write(s, "SSH-2.0-OpenSSH_9.2\r\n\r\n"));
        assertThat(send(port, Duration.ofSeconds(5), false).fate()).isEqualTo(Fate.MALFORMED);
    }

    @Test
    void aBodyCutShort_isAConnectionError() throws Exception {
        int port = serve(s -> {
            write(s, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"choices\":");
            try {
                s.close();
            } catch (IOException ignored) {
                // closed either way
            }
        });
        assertThat(send(port, Duration.ofSeconds(5), false).fate()).isEqualTo(Fate.CONNECTION);
    }

    @Test
    void aStreamWithoutItsEnd_isMalformed() throws Exception {
        String event = "data: {\"choices\":[{\"delta\":{\"content\":\"hi\"}}]}\n\n"; // and no [DONE] after it
        int port = serve(s -> write(
                s,
                "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + Integer.toHexString(event.length()) + "\r\n" + event + "\r\n0\r\n\r\n"));
        RequestRecord r = send(port, Duration.ofSeconds(5), true);
        assertThat(r.fate()).isEqualTo(Fate.MALFORMED);
        assertThat(r.tokenNanos()).hasSize(1);
    }

    @Test
    void bytesPastAnAnswer_leaveTheAnswerStanding_butNotTheConnection() throws Exception {
        String body = "{\"choices\":[{\"message\":{\"content\":\"hi\"}}],\"usage\":{\"completion_tokens\":1}}";
        int port = serve(s -> write(
                s,
                "HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body
                        + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")); // an answer nobody asked for
        Target t = Target.of("http://127.0.0.1:" + port + "/v1", Api.OPENAI_CHAT, "m", false, null, Map.of());
        try (BenchClient c = new BenchClient(t, 1, Duration.ofSeconds(5), TOK)) {
            for (int i = 0; i < 2; i++) {
                CompletableFuture<RequestRecord> rec = new CompletableFuture<>();
                c.send(BODY, 3, System.nanoTime(), 0, rec::complete);
                RequestRecord r = rec.get(10, TimeUnit.SECONDS);
                assertThat(r.fate()).isEqualTo(Fate.OK);
                assertThat(r.firstByteNanos()).isGreaterThan(r.sentNanos()); // its own answer, not a leftover
            }
            assertThat(c.connectionsOpened()).isEqualTo(2); // the first connection was not pooled again
        }
    }

    @Test
    void anErrorStatus_isRecordedWithItsCode() throws Exception {
        int port = serve(s -> write(s, "HTTP/1.1 429 Too Many Requests\r\nContent-Length: 2\r\n\r\n{}"));
        RequestRecord r = send(port, Duration.ofSeconds(5), false);
        assertThat(r.fate()).isEqualTo(Fate.HTTP_STATUS);
        assertThat(r.status()).isEqualTo(429);
    }

    @Test
    void aWholeAnswer_reportsUsageAndTheClientsOwnCount() throws Exception {
        String body =
                "{\"choices\":[{\"message\":{\"content\":\"Hello there, friend\"}}],\"usage\":{\"completion_tokens\":9}}";
        int port = serve(s -> write(
                s,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n"
                        + body));
        RequestRecord r = send(port, Duration.ofSeconds(5), false);
        assertThat(r.fate()).isEqualTo(Fate.OK);
        assertThat(r.usageOutputTokens()).isEqualTo(9);
        assertThat(r.countedOutputTokens()).isEqualTo(TOK.count("Hello there, friend")); // among the first checked
        assertThat(r.outputTokens()).isEqualTo(9);
    }
}
