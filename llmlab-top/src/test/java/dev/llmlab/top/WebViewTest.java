package dev.llmlab.top;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmlab.metrics.Histograms.Estimate;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The web view over real sockets on loopback, its snapshots published by hand: the page, the
 * event stream and its back-pressure, the JSON, and the answers to everything else.
 */
class WebViewTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final InetSocketAddress ANY_PORT = new InetSocketAddress("127.0.0.1", 0);

    final AtomicReference<Snapshot> next = new AtomicReference<>(snapshot("first", 1, 1.5));
    final HttpClient http = HttpClient.newHttpClient();
    WebView view;

    @BeforeEach
    void start() {
        view = new WebView(next::get, ANY_PORT, null, WebView.MAX_STREAMS);
    }

    @AfterEach
    void stop() {
        view.close();
        http.shutdownNow();
    }

    /** A snapshot of one model with {@code replicas} replicas, each row a few hundred bytes of JSON. */
    static Snapshot snapshot(String model, int replicas, double rps) {
        Figures f = new Figures(
                10,
                rps,
                Double.NaN,
                3,
                1,
                0.42,
                new Estimate(0.0305, Estimate.Status.OK, 20),
                new Estimate(2.5, Estimate.Status.CAPPED, 20),
                new Estimate(Double.NaN, Estimate.Status.EMPTY, 0),
                null,
                new Estimate(1.2, Estimate.Status.OK, 20),
                100,
                400,
                0,
                Double.NaN,
                Double.NaN);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < replicas; i++) rows.add(new Row(model, "replica-" + i + ":8000", "vllm", 1, f));
        return new Snapshot(
                Instant.parse("2026-01-01T00:00:00Z").plusSeconds(replicas),
                10,
                List.of(new Row(model, null, "vllm", replicas, f)),
                rows,
                List.of(new TargetState("replica-0:8000", "http://replica-0:8000/metrics", "vllm", null, 12)),
                null,
                List.of(),
                null,
                List.of(),
                List.of(),
                Double.NaN,
                null);
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + view.port() + path);
    }

    HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(uri(path))
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void thePage_isSelfContained_withUPlotInlined() throws Exception {
        HttpResponse<String> r = send("GET", "/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
        assertThat(r.headers().firstValue("content-security-policy").orElseThrow())
                .contains("default-src 'none'", "connect-src 'self'");
        String html = r.body();
        assertThat(html)
                .contains("var uPlot=") // the library
                .contains(".uplot") // its stylesheet
                .contains("new EventSource(\"events\")") // the view's script
                .doesNotContain("{{"); // every part was put in its place
        // nothing is loaded from elsewhere: no script or stylesheet by address, no address in any src or href
        assertThat(Pattern.compile("<script[^>]*\\ssrc=", Pattern.CASE_INSENSITIVE)
                        .matcher(html)
                        .find())
                .isFalse();
        assertThat(Pattern.compile("<link\\b", Pattern.CASE_INSENSITIVE)
                        .matcher(html)
                        .find())
                .isFalse();
        assertThat(Pattern.compile("(src|href)\\s*=\\s*[\"']?\\s*(https?:)?//", Pattern.CASE_INSENSITIVE)
                        .matcher(html)
                        .find())
                .isFalse();
        assertThat(html.split("</script>", -1)).hasSize(3); // two scripts, neither closed early
    }

    @Test
    void events_sendTheLatestAtOnce_thenEachNewSnapshot() throws Exception {
        try (SseClient events = new SseClient(uri("/events"))) {
            assertThat(events.response.statusCode()).isEqualTo(200);
            assertThat(events.response.headers().firstValue("content-type").orElseThrow())
                    .startsWith("text/event-stream");
            SseClient.Event first = events.next(WAIT);
            assertThat(first.event()).isEqualTo("snapshot");
            assertThat(first.id()).isEqualTo("1");
            assertThat(events.retry).isEqualTo(String.valueOf(WebStreams.RETRY_MILLIS));
            JsonNode j = JSON.readTree(first.data());
            assertThat(j.get("models").get(0).get("model").asString()).isEqualTo("first");
            assertThat(j.get("models").get(0).get("ttft_p99").get("capped").asBoolean())
                    .isTrue();
            assertThat(first.data()).doesNotContain("\n");

            next.set(snapshot("second", 2, 7.25));
            view.refresh();
            SseClient.Event second = events.next(WAIT);
            assertThat(second.id()).isEqualTo("2");
            JsonNode k = JSON.readTree(second.data());
            assertThat(k.get("models").get(0).get("model").asString()).isEqualTo("second");
            assertThat(k.get("models").get(0).get("requests_per_s").asDouble()).isEqualTo(7.25);
            assertThat(k.get("replicas")).hasSize(2);
        }
    }

    @Test
    void manyStreams_eachGetsEverySnapshot_andPastTheBoundA503() throws Exception {
        view.close();
        view = new WebView(next::get, ANY_PORT, null, 12);
        List<SseClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 12; i++) clients.add(new SseClient(uri("/events")));
            for (SseClient c : clients) assertThat(c.next(WAIT).id()).isEqualTo("1");
            HttpResponse<String> over = send("GET", "/events");
            assertThat(over.statusCode()).isEqualTo(503);
            assertThat(over.body()).contains("too many");
            view.refresh();
            for (SseClient c : clients) assertThat(c.next(WAIT).id()).isEqualTo("2");
        } finally {
            clients.forEach(SseClient::close);
        }
    }

    /**
     * A tab that stopped reading (its receive window full) costs no other tab anything, and the
     * server holds at most one snapshot for it beyond what the socket and the outbound buffer
     * take: publishing ~20 MB at it skips most of them.
     */
    @Test
    void aReaderThatNeverReads_blocksNoOther_andIsSkipped() throws Exception {
        next.set(snapshot("big", 100, 1)); // ~50 kB a snapshot
        view.refresh();
        int frame = view.streams().latest().event().length;
        assertThat(frame).isGreaterThan(40_000);
        try (Socket stalled = new Socket();
                SseClient good = new SseClient(uri("/events"))) {
            stalled.setReceiveBufferSize(4096);
            stalled.connect(new InetSocketAddress("127.0.0.1", view.port()));
            OutputStream out = stalled.getOutputStream();
            out.write("GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (view.streams().open() < 2 && System.nanoTime() < deadline) Thread.sleep(5);
            assertThat(view.streams().open()).isEqualTo(2);
            assertThat(good.next(WAIT).id()).isEqualTo("2");

            int published = 400;
            for (int i = 0; i < published; i++) {
                long id = view.streams().publish(next.get()).id();
                // the good reader gets each one, however far behind the stalled one is
                assertThat(good.next(WAIT).id()).isEqualTo(String.valueOf(id));
            }
            // what the stalled reader could have been sent: the socket's buffers (a few MB) and the
            // server's outbound buffer; the rest, most of 20 MB, was skipped rather than queued
            assertThat(view.streams().skipped()).isGreaterThan(published / 2);
            assertThat(view.streams().open()).isEqualTo(2); // skipped, not cut off
            InputStream in = stalled.getInputStream();
            assertThat(in.read()).isNotNegative(); // and it still reads when it wants to
        }
    }

    @Test
    void snapshotJson_isTheLatest() throws Exception {
        next.set(snapshot("json", 3, 2));
        view.refresh();
        HttpResponse<String> r = send("GET", "/snapshot.json");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode j = JSON.readTree(r.body());
        assertThat(j.get("models").get(0).get("model").asString()).isEqualTo("json");
        assertThat(j.get("replicas")).hasSize(3);
    }

    @Test
    void unknownPaths_are404_headIsAHead_otherMethods405() throws Exception {
        HttpResponse<String> missing = send("GET", "/nope");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).isEqualTo("no route for GET /nope\n");

        HttpResponse<String> page = send("GET", "/");
        HttpResponse<String> head = send("HEAD", "/");
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValueAsLong("content-length").orElseThrow())
                .isEqualTo(page.body().getBytes(StandardCharsets.UTF_8).length);
        assertThat(send("HEAD", "/snapshot.json").statusCode()).isEqualTo(200);

        HttpResponse<String> post = send("POST", "/");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("allow")).hasValue("GET, HEAD");
        assertThat(send("POST", "/events").statusCode()).isEqualTo(405);
        assertThat(send("DELETE", "/snapshot.json").statusCode()).isEqualTo(405);
    }

    @Test
    void aRequestForAnotherHost_isRefused_onLoopback() throws Exception {
        // what a page elsewhere sends after rebinding its name to 127.0.0.1
        try (Socket s = new Socket("127.0.0.1", view.port())) {
            s.getOutputStream()
                    .write("GET /snapshot.json HTTP/1.1\r\nHost: attacker.example:80\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 403").doesNotContain("\"models\"");
        }
        assertThat(WebView.loopbackName("localhost:8080")).isTrue();
        assertThat(WebView.loopbackName("127.0.0.1:8080")).isTrue();
        assertThat(WebView.loopbackName("[::1]:8080")).isTrue();
        assertThat(WebView.loopbackName("LOCALHOST")).isTrue();
        assertThat(WebView.loopbackName("127.0.0.1.example.com")).isFalse();
        assertThat(WebView.loopbackName("[::2]:80")).isFalse();
    }

    @Test
    void closing_endsTheStreams() throws Exception {
        SseClient events = new SseClient(uri("/events"));
        try (events) {
            events.next(WAIT);
            view.close();
            assertThat(events.awaitEnd(WAIT)).as("the stream ended").isTrue();
            assertThat(view.streams().open()).isZero();
        }
    }

    @Test
    void bindAddress_takesPortHostPortAndBracketedIPv6() {
        assertThat(WebView.bindAddress(":8080")).isEqualTo(new InetSocketAddress("127.0.0.1", 8080));
        assertThat(WebView.bindAddress("0.0.0.0:9000")).isEqualTo(new InetSocketAddress("0.0.0.0", 9000));
        assertThat(WebView.bindAddress("[::1]:0").getAddress().isLoopbackAddress())
                .isTrue();
        assertThat(WebView.bindAddress("localhost:1").getPort()).isEqualTo(1);
        assertThatThrownBy(() -> WebView.bindAddress("8080")).hasMessageContaining(":PORT or HOST:PORT");
        assertThatThrownBy(() -> WebView.bindAddress(":http")).hasMessageContaining("0 to 65535");
        assertThatThrownBy(() -> WebView.bindAddress(":65536")).hasMessageContaining("0 to 65535");
        assertThatThrownBy(() -> WebView.bindAddress("::1:80")).hasMessageContaining("brackets");
        assertThatThrownBy(() -> WebView.bindAddress("no-such-host.invalid:80"))
                .hasMessageContaining("unknown host 'no-such-host.invalid'");
    }

    @Test
    void aPortInUse_isNamed() {
        InetSocketAddress taken = new InetSocketAddress("127.0.0.1", view.port());
        assertThatThrownBy(() -> new WebView(next::get, taken, null, 1).close())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot bind 127.0.0.1:" + view.port());
    }
}
