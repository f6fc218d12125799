package dev.llmlab.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.core.config.ConfigLoader;
import dev.llmlab.core.config.Secret;
import dev.llmlab.core.dist.Distributions;
import dev.llmlab.gateway.config.GatewayConfig;
import dev.llmlab.gateway.config.GatewayConfigs;
import dev.llmlab.gateway.config.RetryConfig;
import dev.llmlab.gateway.config.ServerConfig;
import dev.llmlab.gateway.config.StateConfig;
import dev.llmlab.gateway.config.TimeoutConfig;
import dev.llmlab.gateway.proxy.Endpoints;
import dev.llmlab.http.HttpServer;
import dev.llmlab.http.Router;
import dev.llmlab.http.SseStream;
import dev.llmlab.sim.Simulator;
import dev.llmlab.sim.catalog.Catalog.LatencyOverride;
import dev.llmlab.sim.config.SimConfig;
import io.netty.buffer.Unpooled;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The gateway over real loopback sockets, with the simulator or a hand-made server as its upstream. */
class GatewayTest {
    private final List<AutoCloseable> open = new ArrayList<>();
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) c.close();
        http.close();
    }

    private <T extends AutoCloseable> T keep(T c) {
        open.add(c);
        return c;
    }

    /** The simulator: 20 ms to the first token, then 20 ms a token. */
    private Simulator simulator() {
        SimConfig c = ConfigLoader.parse(
                "server: {host: 127.0.0.1, port: 0, io_threads: 1}\nseed: 1\n", "t.yaml", SimConfig.class);
        return keep(Simulator.start(c, new LatencyOverride(Distributions.fixed(0.02), Distributions.fixed(0.02))));
    }

    private Gateway gateway(String upstream, String key) {
        return keep(Gateway.start(
                local(GatewayConfigs.forUpstreams(List.of(upstream), null, key == null ? null : Secret.of(key)))));
    }

    /** On a free loopback port, one loop, 5 s timeouts, no retries. */
    static GatewayConfig local(GatewayConfig c) {
        return new GatewayConfig(
                new ServerConfig("127.0.0.1", 0, 1, null, null),
                new TimeoutConfig(null, Duration.ofSeconds(5), Duration.ofSeconds(5), null),
                c.clientKeys(),
                c.teams(),
                c.routes(),
                new RetryConfig(0, null, null, null, null),
                c.breaker(),
                dev.llmlab.gateway.observe.AccessLogConfig.off(),
                c.prices(),
                StateConfig.memory(),
                null,
                c.cache());
    }

    private HttpResponse<String> post(Gateway g, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.port() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("content-type", "application/json");
        for (int i = 0; i < headers.length; i += 2) r.header(headers[i], headers[i + 1]);
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static final String VALID = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final String STREAM =
            "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private static String chat(boolean stream, int maxTokens) {
        return "{\"model\":\"gpt-4o-mini\",\"stream\":" + stream + ",\"max_tokens\":" + maxTokens
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
    }

    @Test
    void aWholeAnswer_passesThrough_withTheClientsRequestId_andTheGatewaysOwnTime() throws Exception {
        Simulator sim = simulator();
        Gateway g = gateway("http://127.0.0.1:" + sim.port() + "/v1", null);
        HttpResponse<String> r = post(g, "/v1/chat/completions", chat(false, 5), "x-request-id", "req-42");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"object\":\"chat.completion\"").contains("\"choices\"");
        assertThat(r.headers().firstValue("content-type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(r.headers().firstValue("x-request-id")).hasValue("req-42");
        double overhead = Double.parseDouble(
                r.headers().firstValue(Endpoints.OVERHEAD_HEADER).orElseThrow());
        assertThat(overhead).isGreaterThanOrEqualTo(0).isLessThan(1000);
        // the models the upstream serves are listed through the gateway's catch-all route
        HttpResponse<String> models = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.port() + "/v1/models"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(models.statusCode()).isEqualTo(200);
        assertThat(models.body()).contains("gpt-4o-mini");
    }

    @Test
    void aReload_letsAStreamInFlightFinish_onTheConfigItBeganWith() throws Exception {
        Simulator sim = simulator();
        Gateway g = gateway("http://127.0.0.1:" + sim.port() + "/v1", null);
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.port() + "/v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString(chat(true, 30)))
                .header("content-type", "application/json")
                .build();
        HttpResponse<java.util.stream.Stream<String>> r = http.send(req, HttpResponse.BodyHandlers.ofLines());
        java.util.Iterator<String> lines = r.body().iterator();
        String first = lines.next();
        assertThat(first).startsWith("data: "); // the stream has begun
        // a new config without the route this stream came by: the stream goes on, new requests see the new routes
        GatewayConfig other = GatewayConfigs.forUpstreams(List.of("http://127.0.0.1:1/v1"), null, null);
        g.reload(new GatewayConfig(
                other.server(),
                other.timeouts(),
                other.clientKeys(),
                other.teams(),
                List.of(new dev.llmlab.gateway.config.RouteConfig(
                        "other-model",
                        null,
                        null,
                        null,
                        null,
                        other.routes().getFirst().deployments(),
                        null,
                        null)),
                other.retry(),
                other.breaker(),
                dev.llmlab.gateway.observe.AccessLogConfig.off(),
                other.prices(),
                other.state(),
                other.admin(),
                other.cache()));
        List<String> rest = new ArrayList<>();
        lines.forEachRemaining(rest::add);
        assertThat(rest.stream().filter(l -> l.startsWith("data: ")).toList().getLast())
                .isEqualTo("data: [DONE]");
        assertThat(post(g, "/v1/chat/completions", chat(false, 5)).statusCode()).isEqualTo(404);
    }

    @Test
    void aStream_isPassedOnChunkByChunk_notGatheredWhole() throws Exception {
        Simulator sim = simulator();
        Gateway g = gateway("http://127.0.0.1:" + sim.port() + "/v1", null);
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.port() + "/v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString(chat(true, 20)))
                .header("content-type", "application/json")
                .build();
        HttpResponse<java.util.stream.Stream<String>> r = http.send(req, HttpResponse.BodyHandlers.ofLines());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
        List<Long> arrivals = new ArrayList<>();
        List<String> data = new ArrayList<>();
        r.body().filter(l -> l.startsWith("data: ")).forEach(l -> {
            arrivals.add(System.nanoTime());
            data.add(l);
        });
        assertThat(data.getLast()).isEqualTo("data: [DONE]");
        assertThat(data.size()).isGreaterThan(10);
        // 20 tokens 20 ms apart: the first chunk reached the client long before the last was written
        assertThat((arrivals.getLast() - arrivals.getFirst()) / 1e6).isGreaterThan(150);
    }

    @Test
    void theUpstreamsKey_replacesTheClients_andHopByHopHeadersStayBehind() throws Exception {
        Map<String, String> seen = new ConcurrentHashMap<>();
        HttpServer up = keep(HttpServer.builder()
                .host("127.0.0.1")
                .port(0)
                .ioThreads(1)
                .router(Router.builder()
                        .add("POST", "/api/v1/chat/completions", ex -> {
                            ex.requestHeaders().forEach(h -> seen.put(h.getKey().toLowerCase(), h.getValue()));
                            ex.responseHeaders().set("x-ratelimit-remaining-requests", "99");
                            ex.responseHeaders().set("keep-alive", "timeout=5");
                            ex.respond(
                                    200,
                                    "application/json",
                                    Unpooled.copiedBuffer("{\"ok\":true}", StandardCharsets.UTF_8));
                        })
                        .build())
                .start());
        Gateway g = gateway("http://127.0.0.1:" + up.port() + "/api/v1/", "sk-upstream");
        HttpResponse<String> r = post(
                g, "/v1/chat/completions", VALID, "authorization", "Bearer sk-client", "x-api-key", "sk-ant-client");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"ok\":true}");
        assertThat(seen).containsEntry("authorization", "Bearer sk-upstream").doesNotContainKey("x-api-key");
        assertThat(seen.get("x-request-id")).startsWith("llmlab-"); // one was made for the client that sent none
        assertThat(seen.get("host")).isEqualTo("127.0.0.1:" + up.port());
        assertThat(r.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("99");
        assertThat(r.headers().firstValue("x-request-id")).hasValue(seen.get("x-request-id"));
        assertThat(r.headers().map()).doesNotContainKey("keep-alive");
    }

    @Test
    void severalUpstreams_shareTheRequests_asTheStrategySays() throws Exception {
        Map<String, Integer> hits = new ConcurrentHashMap<>();
        List<String> ups = new ArrayList<>();
        for (String name : List.of("a", "b")) {
            HttpServer up = keep(HttpServer.builder()
                    .host("127.0.0.1")
                    .port(0)
                    .ioThreads(1)
                    .router(Router.builder()
                            .add("POST", "/v1/chat/completions", ex -> {
                                hits.merge(name, 1, Integer::sum);
                                ex.respond(
                                        200, "application/json", Unpooled.copiedBuffer("{}", StandardCharsets.UTF_8));
                            })
                            .build())
                    .start());
            ups.add("http://127.0.0.1:" + up.port() + "/v1");
        }
        Gateway g = keep(Gateway.start(local(GatewayConfigs.forUpstreams(ups, "round-robin", null))));
        for (int i = 0; i < 10; i++)
            assertThat(post(g, "/v1/chat/completions", VALID).statusCode()).isEqualTo(200);
        assertThat(hits).containsEntry("a", 5).containsEntry("b", 5);
    }

    @Test
    void anUnreachableUpstream_isA502_inOpenAIsShape_andAnUnknownPathA404() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Gateway g = gateway("http://127.0.0.1:" + closed + "/v1", null);
        HttpResponse<String> r = post(g, "/v1/chat/completions", chat(false, 5));
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body())
                .startsWith("{\"error\":{")
                .contains("\"type\":\"upstream_error\"")
                .contains("the upstream did not answer");
        assertThat(r.headers().firstValue(Endpoints.OVERHEAD_HEADER)).isPresent();
        HttpResponse<String> unknown = post(g, "/v1/nothing", "{}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).startsWith("{\"error\":{").contains("invalid_request_error");
    }

    @Test
    void aClientThatGoesAway_cancelsTheUpstreamCall() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch upstreamClosed = new CountDownLatch(1);
        HttpServer up = keep(endless(started, upstreamClosed, new AtomicLong()));
        Gateway g = gateway("http://127.0.0.1:" + up.port() + "/v1", null);
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), g.port())) {
            send(s, STREAM);
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
            s.getInputStream().read(); // the stream has begun
        }
        assertThat(upstreamClosed.await(5, TimeUnit.SECONDS))
                .as("the upstream's stream was closed when the client left")
                .isTrue();
    }

    @Test
    void aClientThatDoesNotRead_slowsTheUpstream_insteadOfGrowingTheGateway() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicLong produced = new AtomicLong();
        HttpServer up = keep(endless(started, new CountDownLatch(1), produced));
        Gateway g = gateway("http://127.0.0.1:" + up.port() + "/v1", null);
        long limit = 64L << 20; // what a gateway that read on regardless would take in within a second or two
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), g.port())) {
            s.setReceiveBufferSize(64 << 10);
            send(s, STREAM);
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
            // The client reads nothing. Held back through the gateway, the upstream comes to a stop: its count
            // stops growing (checked every 200 ms, for at most 10 s) long before the limit.
            long last = -1;
            for (int i = 0; i < 50; i++) {
                Thread.sleep(200);
                long now = produced.get();
                if (now == last || now > limit) break;
                last = now;
            }
            assertThat(produced.get()).as("the upstream stopped").isEqualTo(last);
            assertThat(produced.get()).isLessThan(limit);
        }
    }

    private static void send(Socket s, String body) throws Exception {
        OutputStream out = s.getOutputStream();
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        out.write(("POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
                        + "content-length: " + b.length + "\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        out.write(b);
        out.flush();
    }

    /**
     * An upstream whose stream never ends: 4 KB events as fast as its connection takes them; it counts
     * what it produced and says when its stream was closed.
     */
    private static HttpServer endless(CountDownLatch started, CountDownLatch closed, AtomicLong produced) {
        byte[] event = ("data: " + "x".repeat(4090) + "\n\n").getBytes(StandardCharsets.US_ASCII);
        return HttpServer.builder()
                .host("127.0.0.1")
                .port(0)
                .ioThreads(1)
                .router(Router.builder()
                        .add("POST", "/v1/chat/completions", ex -> {
                            SseStream sse = ex.startSse();
                            sse.onClose(closed::countDown);
                            started.countDown();
                            new Object() {
                                void pump() {
                                    while (sse.isOpen() && sse.isWritable()) {
                                        sse.send(Unpooled.wrappedBuffer(event));
                                        produced.addAndGet(event.length);
                                    }
                                    if (sse.isOpen()) sse.whenWritable(this::pump);
                                }
                            }.pump();
                        })
                        .build())
                .start();
    }
}
