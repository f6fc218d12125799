package dev.llmlab.http;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The server over real loopback sockets on ephemeral ports. */
@Timeout(value = 20, unit = SECONDS)
class HttpServerTest {

    private final List<HttpServer> servers = new ArrayList<>();
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable r : resources) {
            r.close();
        }
        for (HttpServer s : servers) {
            s.close();
        }
    }

    private HttpServer start(Router router) {
        return start(router, b -> {});
    }

    private HttpServer start(Router router, Consumer<HttpServer.Builder> config) {
        HttpServer.Builder b = HttpServer.builder()
                .host("127.0.0.1")
                .port(0)
                .ioThreads(2)
                .router(router)
                .drainTimeout(Duration.ofSeconds(5))
                // -Dllmlab.http.test.transport=NIO|IO_URING runs the whole class on another transport
                .transport(HttpServer.Transport.valueOf(System.getProperty("llmlab.http.test.transport", "AUTO")));
        config.accept(b);
        HttpServer s = b.start();
        servers.add(s);
        return s;
    }

    @Test
    void pastTheConnectionCap_aNewConnectionGetsA503AndIsClosed_andOneClosedMakesRoom() throws Exception {
        HttpServer s = start(
                Router.builder()
                        .add(
                                "GET",
                                "/hi",
                                ex -> ex.respond(
                                        200,
                                        "text/plain",
                                        Unpooled.copiedBuffer("hi", java.nio.charset.StandardCharsets.UTF_8)))
                        .build(),
                b -> b.maxConnections(2));
        RawClient a = client(s);
        RawClient b = client(s);
        // each answered once: both are counted before the third comes
        assertThat(a.send(RawClient.get("/hi")).read().status()).isEqualTo(200);
        assertThat(b.send(RawClient.get("/hi")).read().status()).isEqualTo(200);
        RawClient c = client(s);
        RawClient.Response refused = c.send(RawClient.get("/hi")).read();
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.header("retry-after")).isEqualTo("1");
        assertThat(refused.body()).contains("at its cap of 2 connections");
        assertThat(c.closedByPeer()).isTrue();
        // the two served go on being served
        assertThat(a.send(RawClient.get("/hi")).read().status()).isEqualTo(200);
        a.close();
        for (int i = 0; i < 500 && s.connectionCount() > 1; i++) Thread.sleep(10); // the server sees the close
        assertThat(client(s).send(RawClient.get("/hi")).read().status()).isEqualTo(200);
    }

    @Test
    void theDefaultConnectionCap_keepsDescriptorsBackFromTheOpenFileLimit() {
        assertThat(HttpServer.capFor(20_000, 1)).isEqualTo(18_976); // 1,024 kept back
        assertThat(HttpServer.capFor(20_000, 2)).isEqualTo(9_488); // a proxy: two descriptors a connection
        assertThat(HttpServer.capFor(1_024, 1)).isEqualTo(768); // a small limit: a quarter kept back
        assertThat(HttpServer.capFor(-1, 1)).isZero(); // unknown: no cap
        long limit = ((com.sun.management.UnixOperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getMaxFileDescriptorCount();
        // read from /proc, it agrees with the JVM's own account of the limit
        assertThat(HttpServer.openFileLimit()).isEqualTo(limit);
        assertThat(HttpServer.defaultMaxConnections(1)).isEqualTo(HttpServer.capFor(limit, 1));
    }

    @Test
    void aFailedAccept_pausesAcceptingForASecond_andIsCountedNotThrownOn() {
        AcceptFailures handler = new AcceptFailures();
        io.netty.channel.embedded.EmbeddedChannel listening = new io.netty.channel.embedded.EmbeddedChannel(handler);
        listening
                .pipeline()
                .fireExceptionCaught(new java.io.IOException("accept(..) failed with error(-24): Too many open files"));
        assertThat(listening.config().isAutoRead()).isFalse();
        listening.checkException(); // it went no further down the pipeline
        listening.advanceTimeBy(1, SECONDS);
        listening.runScheduledPendingTasks();
        assertThat(listening.config().isAutoRead()).isTrue();
        // another kind of failure is not its business
        listening.pipeline().fireExceptionCaught(new IllegalStateException("other"));
        assertThatThrownBy(listening::checkException).hasMessage("other");
        listening.finishAndReleaseAll();
    }

    private RawClient client(HttpServer s) throws IOException {
        return client(s, 0);
    }

    private RawClient client(HttpServer s, int receiveBuffer) throws IOException {
        RawClient c = new RawClient(s.port(), receiveBuffer);
        resources.add(c);
        return c;
    }

    private HttpClient httpClient() {
        HttpClient c = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        resources.add(c);
        return c;
    }

    private static URI uri(HttpServer s, String path) {
        return URI.create("http://127.0.0.1:" + s.port() + path);
    }

    private static ByteBuf utf8(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }

    private static final Handler HELLO = ex -> ex.respond(200, "text/plain", utf8("hello"));

    // ---- lifecycle

    @Test
    void start_portZero_bindsEphemeralPortAndPicksNativeTransport() {
        HttpServer s = start(Router.builder().build(), b -> b.transport(HttpServer.Transport.AUTO));

        assertThat(s.port()).isPositive();
        assertThat(s.localAddress().getAddress().isLoopbackAddress()).isTrue();
        assertThat(s.transportName()).isEqualTo(Epoll.isAvailable() ? "epoll" : "nio");
        assertThat(s.activeExchanges()).isZero();
    }

    @Test
    void start_portInUse_failsNamingHostPortAndCause() {
        HttpServer first = start(Router.builder().build());

        assertThatThrownBy(() -> start(Router.builder().build(), b -> b.port(first.port())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("127.0.0.1:" + first.port())
                .satisfies(e -> assertThat(e.getMessage()).containsIgnoringCase("address already in use"));
    }

    @ParameterizedTest
    @EnumSource(HttpServer.Transport.class)
    void transport_each_servesRequestsOrFallsBack(HttpServer.Transport transport) throws Exception {
        HttpServer s = start(Router.builder().add("GET", "/hi", HELLO).build(), b -> b.transport(transport));

        HttpResponse<String> r =
                httpClient().send(HttpRequest.newBuilder(uri(s, "/hi")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("hello");
        String expected = switch (transport) {
            case NIO -> "nio";
            case IO_URING -> IoUring.isAvailable() ? "io_uring" : Epoll.isAvailable() ? "epoll" : "nio";
            default -> Epoll.isAvailable() ? "epoll" : "nio";
        };
        assertThat(s.transportName()).isEqualTo(expected);
    }

    // ---- requests

    @Test
    void httpClient_pathParamQueryAndBody_roundTrip() throws Exception {
        HttpServer s = start(Router.builder()
                .add("POST", "/v1beta/models/{model}:generateContent", ex -> {
                    String reply = ex.pathParam("model") + "|" + ex.queryParam("key") + "|"
                            + ex.body().toString(StandardCharsets.UTF_8);
                    ex.respond(200, "text/plain", utf8(reply));
                })
                .build());

        HttpResponse<String> r = httpClient()
                .send(
                        HttpRequest.newBuilder(uri(s, "/v1beta/models/gemini%201:generateContent?key=k%3D1"))
                                .POST(HttpRequest.BodyPublishers.ofString("{\"x\":1}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(r.body()).isEqualTo("gemini 1|k=1|{\"x\":1}");
    }

    @Test
    void httpClient_expectContinue_bodySentAfterContinue() throws Exception {
        HttpServer s = start(Router.builder()
                .add(
                        "POST",
                        "/echo",
                        ex -> ex.respond(200, "text/plain", ex.body().retain()))
                .build());

        HttpResponse<String> r = httpClient()
                .send(
                        HttpRequest.newBuilder(uri(s, "/echo"))
                                .expectContinue(true)
                                .POST(HttpRequest.BodyPublishers.ofString("payload"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("payload");
    }

    @Test
    void httpClient_handlerThrows_500WithErrorRendererBody() throws Exception {
        HttpServer s = start(Router.builder()
                .add("GET", "/boom", ex -> {
                    throw new IllegalArgumentException("do not leak me");
                })
                .build());

        HttpResponse<String> r = httpClient()
                .send(HttpRequest.newBuilder(uri(s, "/boom")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.headers().firstValue("content-type")).contains("application/json");
        assertThat(r.body()).isEqualTo("{\"error\":{\"message\":\"internal server error\"}}");
    }

    @Test
    void httpClient_routingErrors_404And405WithAllow() throws Exception {
        HttpServer s =
                start(Router.builder().add("GET", "/v1/models/{id}", HELLO).build());
        HttpClient c = httpClient();

        HttpResponse<String> notFound =
                c.send(HttpRequest.newBuilder(uri(s, "/v2/x")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> notAllowed = c.send(
                HttpRequest.newBuilder(uri(s, "/v1/models/a")).DELETE().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(notFound.body()).startsWith("{\"error\":{\"message\":");
        assertThat(notAllowed.statusCode()).isEqualTo(405);
        assertThat(notAllowed.headers().firstValue("allow")).contains("GET");
    }

    @Test
    void keepAlive_sequentialRequests_reuseOneConnection() throws Exception {
        HttpServer s = start(Router.builder().add("GET", "/hi", HELLO).build());
        RawClient c = client(s);

        for (int i = 0; i < 3; i++) {
            RawClient.Response r = c.send(RawClient.get("/hi")).read();
            assertThat(r.body()).isEqualTo("hello");
            assertThat(r.header("connection")).isNull();
        }

        assertThat(s.connectionCount()).isEqualTo(1);
    }

    @Test
    void pipelining_firstAnsweredLaterOnTimer_responsesInRequestOrder() throws Exception {
        HttpServer s = start(Router.builder()
                .add(
                        "GET",
                        "/slow",
                        ex -> ex.eventLoop()
                                .schedule(() -> ex.respond(200, "text/plain", utf8("slow")), 50, TimeUnit.MILLISECONDS))
                .add("GET", "/fast/{n}", ex -> ex.respond(200, "text/plain", utf8("fast" + ex.pathParam("n"))))
                .build());
        RawClient c = client(s);

        c.send(RawClient.get("/slow") + RawClient.get("/fast/1") + RawClient.get("/slow") + RawClient.get("/fast/2"));

        assertThat(RawClient.readAll(c, 4))
                .extracting(RawClient.Response::body)
                .containsExactly("slow", "fast1", "slow", "fast2");
    }

    @Test
    void oversizedBody_413WithJsonBodyThenConnectionClosed() throws Exception {
        HttpServer s = start(Router.builder().add("POST", "/p", HELLO).build(), b -> b.maxContentLength(1024));
        RawClient c = client(s);

        c.send("POST /p HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1048576\r\n\r\n");
        c.send(new byte[64 * 1024]); // the client is still sending when the answer comes
        RawClient.Response r = c.read();

        assertThat(r.status()).isEqualTo(413);
        assertThat(r.header("content-type")).isEqualTo("application/json");
        assertThat(r.header("connection")).isEqualTo("close");
        assertThat(r.body())
                .isEqualTo(
                        "{\"error\":{\"message\":\"request body of 1048576 bytes exceeds the limit of 1024 bytes\"}}");
        assertThat(c.closedByPeer()).isTrue();
    }

    @Test
    void httpClient_oversizedBody_413() throws Exception {
        HttpServer s = start(Router.builder().add("POST", "/p", HELLO).build(), b -> b.maxContentLength(1024));

        HttpResponse<String> r = httpClient()
                .send(
                        HttpRequest.newBuilder(uri(s, "/p"))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[256 * 1024]))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).contains("exceeds the limit of 1024 bytes");
    }

    @Test
    void hugeHeaders_431ThenConnectionClosed() throws Exception {
        HttpServer s = start(Router.builder().add("GET", "/hi", HELLO).build());
        RawClient c = client(s);

        c.send("GET /hi HTTP/1.1\r\nHost: x\r\nX-Huge: " + "h".repeat(20 * 1024) + "\r\n\r\n");
        RawClient.Response r = c.read();

        assertThat(r.status()).isEqualTo(431);
        assertThat(r.body()).isEqualTo("{\"error\":{\"message\":\"request header fields too large\"}}");
        assertThat(c.closedByPeer()).isTrue();
    }

    @Test
    void idleTimeout_idleKeepAliveConnection_closedByServer() throws Exception {
        HttpServer s =
                start(Router.builder().add("GET", "/hi", HELLO).build(), b -> b.idleTimeout(Duration.ofMillis(200)));
        RawClient c = client(s);

        c.send(RawClient.get("/hi")).read();

        assertThat(c.closedByPeer()).isTrue(); // blocks until the server closes it, at most the 5 s read timeout
    }

    // ---- SSE

    @Test
    void sse_framesOnTimerThenEnd_streamedAndConnectionReused() throws Exception {
        HttpServer s = start(Router.builder()
                .add("GET", "/stream", ex -> {
                    SseStream stream = ex.startSse();
                    for (int i = 1; i <= 3; i++) {
                        int n = i;
                        ex.eventLoop()
                                .schedule(
                                        () -> {
                                            stream.send(utf8("data: " + n + "\n\n"));
                                            if (n == 3) {
                                                stream.end();
                                            }
                                        },
                                        5L * i,
                                        TimeUnit.MILLISECONDS);
                    }
                })
                .add("GET", "/hi", HELLO)
                .build());
        RawClient c = client(s);

        c.send(RawClient.get("/stream"));
        RawClient.Response head = c.readHead();
        List<String> chunks = new ArrayList<>();
        String chunk;
        while ((chunk = c.readChunk()) != null) {
            chunks.add(chunk);
        }

        assertThat(head.header("content-type")).isEqualTo("text/event-stream");
        assertThat(chunks).containsExactly("data: 1\n\n", "data: 2\n\n", "data: 3\n\n");
        assertThat(c.send(RawClient.get("/hi")).read().body()).isEqualTo("hello");
    }

    @Test
    void sse_clientDisconnectsMidStream_onCloseFiresAndProducerStops() throws Exception {
        CompletableFuture<SseStream> closed = new CompletableFuture<>();
        CompletableFuture<io.netty.channel.EventLoop> loop = new CompletableFuture<>();
        HttpServer s = start(Router.builder()
                .add("GET", "/stream", ex -> {
                    SseStream stream = ex.startSse();
                    loop.complete(ex.eventLoop());
                    stream.onClose(() -> closed.complete(stream));
                    // a producer on a timer, like a token generator, that stops when told the client left
                    Runnable[] tick = new Runnable[1];
                    tick[0] = () -> {
                        if (!stream.isOpen()) {
                            return;
                        }
                        stream.send(utf8("data: tick\n\n"));
                        ex.eventLoop().schedule(tick[0], 2, TimeUnit.MILLISECONDS);
                    };
                    tick[0].run();
                })
                .build());
        RawClient c = client(s);

        c.send(RawClient.get("/stream"));
        c.readHead();
        assertThat(c.readChunk()).isEqualTo("data: tick\n\n");
        c.close();

        SseStream stream = closed.get(5, SECONDS);
        assertThat(stream.isOpen()).isFalse();
        // after the close has been fully processed on the loop, nothing is in flight any more
        int active = loop.get().submit(s::activeExchanges).get(5, SECONDS);
        assertThat(active).isZero();
        assertThat(s.openStreams()).isZero();
    }

    @Test
    void sse_stalledReader_notWritableThenWhenWritableFiresAfterDrain() throws Exception {
        CompletableFuture<Long> stalled = new CompletableFuture<>();
        CompletableFuture<Boolean> resumed = new CompletableFuture<>();
        ByteBuf frame = Unpooled.unreleasableBuffer(
                Unpooled.copiedBuffer("data: " + "x".repeat(8 * 1024) + "\n\n", StandardCharsets.UTF_8));
        HttpServer s = start(
                Router.builder()
                        .add("GET", "/stream", ex -> {
                            SseStream stream = ex.startSse();
                            // off the read path, so each send is flushed to the socket as a producer on a timer would
                            ex.eventLoop().execute(() -> {
                                long sent = 0;
                                while (stream.isWritable()) {
                                    stream.send(frame.duplicate());
                                    sent++;
                                }
                                stalled.complete(sent);
                                stream.whenWritable(() -> {
                                    resumed.complete(stream.isWritable());
                                    stream.send(utf8("data: done\n\n"));
                                    stream.end();
                                });
                            });
                        })
                        .build(),
                b -> b.writeBufferWaterMark(16 * 1024, 32 * 1024));
        RawClient c = client(s, 8 * 1024);

        c.send(RawClient.get("/stream"));
        c.readHead();
        long framesBeforeStall = stalled.get(10, SECONDS);

        assertThat(framesBeforeStall).isPositive();
        assertThat(resumed).isNotDone(); // the client has not read: no progress, no callback
        long bytes = c.readChunksUntil("data: done");
        assertThat(resumed.get(5, SECONDS)).isTrue();
        assertThat(bytes).isGreaterThanOrEqualTo(framesBeforeStall * 8 * 1024);
        assertThat(c.readChunk()).isNull();
    }

    // ---- shutdown

    @Test
    void shutdown_inFlightStreamFinishes_newConnectionsRefused_idleConnectionsClosed() throws Exception {
        CompletableFuture<SseStream> started = new CompletableFuture<>();
        HttpServer s = start(Router.builder()
                .add("GET", "/stream", ex -> {
                    SseStream stream = ex.startSse();
                    stream.send(utf8("data: 1\n\n"));
                    started.complete(stream);
                })
                .add("GET", "/hi", HELLO)
                .build());
        RawClient streaming = client(s);
        RawClient idle = client(s);
        idle.send(RawClient.get("/hi")).read();
        streaming.send(RawClient.get("/stream"));
        streaming.readHead();
        assertThat(streaming.readChunk()).isEqualTo("data: 1\n\n");
        SseStream stream = started.get(5, SECONDS);

        CompletableFuture<Boolean> result = CompletableFuture.supplyAsync(s::shutdownGracefully);
        s.acceptingStopped().get(5, SECONDS);

        assertThatThrownBy(() -> new Socket("127.0.0.1", s.port()).close()).isInstanceOf(ConnectException.class);
        assertThat(idle.closedByPeer()).isTrue();
        assertThat(result).isNotDone();
        assertThat(stream.isOpen()).isTrue();

        stream.send(utf8("data: 2\n\n"));
        stream.end();

        assertThat(streaming.readChunk()).isEqualTo("data: 2\n\n");
        assertThat(streaming.readChunk()).isNull();
        assertThat(streaming.closedByPeer()).isTrue(); // no keep-alive while shutting down
        assertThat(result.get(5, SECONDS)).isTrue();
        assertThat(s.shutdownGracefully()).isTrue(); // idempotent
    }

    @Test
    void shutdown_streamOutlivesDrainTimeout_forceClosedAndReportedNotDrained() throws Exception {
        CompletableFuture<Void> onClose = new CompletableFuture<>();
        HttpServer s = start(
                Router.builder()
                        .add("GET", "/stream", ex -> {
                            SseStream stream = ex.startSse();
                            stream.onClose(() -> onClose.complete(null));
                            stream.send(utf8("data: forever\n\n"));
                        })
                        .build(),
                b -> b.drainTimeout(Duration.ofMillis(200)));
        RawClient c = client(s);
        c.send(RawClient.get("/stream"));
        c.readHead();
        c.readChunk();

        boolean drained = s.shutdownGracefully();

        assertThat(drained).isFalse();
        assertThat(onClose).isDone();
        assertThat(c.closedByPeer()).isTrue();
    }

    @Test
    void shutdown_concurrentCalls_allReturnTheSameOutcome() throws Exception {
        HttpServer s = start(Router.builder().add("GET", "/hi", HELLO).build());
        client(s).send(RawClient.get("/hi")).read();

        List<CompletableFuture<Boolean>> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            calls.add(CompletableFuture.supplyAsync(s::shutdownGracefully));
        }

        for (CompletableFuture<Boolean> call : calls) {
            assertThat(call.get(10, SECONDS)).isTrue();
        }
    }

    @Test
    void shutdown_calledOnEventLoop_rejected() throws Exception {
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        HttpServer[] self = new HttpServer[1];
        HttpServer s = start(Router.builder()
                .add("GET", "/stop", ex -> {
                    try {
                        self[0].shutdownGracefully();
                    } catch (IllegalStateException e) {
                        thrown.complete(e);
                    }
                    ex.respond(200, "text/plain", Unpooled.EMPTY_BUFFER);
                })
                .build());
        self[0] = s;

        client(s).send(RawClient.get("/stop")).read();

        assertThat(thrown.get(5, SECONDS)).hasMessageContaining("event loop");
    }

    @Test
    void errorRenderer_failing_fallsBackToPlainText() throws Exception {
        HttpServer s = start(
                Router.builder().build(),
                b -> b.errorRenderer(new ErrorRenderer() {
                    @Override
                    public ByteBuf render(io.netty.buffer.ByteBufAllocator alloc, int status, String message) {
                        throw new IllegalStateException("renderer bug");
                    }

                    @Override
                    public String contentType() {
                        return "application/json";
                    }
                }));

        RawClient.Response r = client(s).send(RawClient.get("/none")).read();

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.header("content-type")).startsWith("text/plain");
        assertThat(r.body()).isEqualTo("no route for GET /none");
    }
}
