package dev.llmlab.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The connection state machine, driven through the real codec on an {@link EmbeddedChannel}: no sockets. */
class ConnectionHandlerTest {

    private EmbeddedChannel ch;

    @AfterEach
    void tearDown() {
        if (ch != null) {
            ch.finishAndReleaseAll();
        }
    }

    private EmbeddedChannel channel(Router router) {
        return channel(router, b -> {});
    }

    private EmbeddedChannel channel(Router router, Consumer<HttpServer.Builder> config) {
        HttpServer.Builder b = HttpServer.builder().router(router);
        config.accept(b);
        ServerContext context = b.context();
        ch = new EmbeddedChannel(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel c) {
                HttpServer.initPipeline(c.pipeline(), context, b.decoderConfig());
            }
        });
        return ch;
    }

    private void in(String raw) {
        ch.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.ISO_8859_1));
    }

    /** Everything the server wrote so far, as text. */
    private String out() {
        StringBuilder sb = new StringBuilder();
        Object msg;
        while ((msg = ch.readOutbound()) != null) {
            ByteBuf buf = (ByteBuf) msg;
            sb.append(buf.toString(StandardCharsets.ISO_8859_1));
            buf.release();
        }
        return sb.toString();
    }

    private List<RawClient.Response> responses(int n) throws IOException {
        return RawClient.readAll(
                new RawClient(new ByteArrayInputStream(out().getBytes(StandardCharsets.ISO_8859_1))), n);
    }

    private RawClient.Response response() throws IOException {
        return responses(1).get(0);
    }

    private static ByteBuf utf8(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }

    private static Router route(String method, String pattern, Handler h) {
        return Router.builder().add(method, pattern, h).build();
    }

    private static final Handler HELLO = ex -> ex.respond(200, "text/plain", utf8("hello"));

    // ---- full responses and keep-alive

    @Test
    void get_routedRequest_fullResponseWithLengthTypeAndDate() throws IOException {
        channel(route("GET", "/hi", HELLO));

        in(RawClient.get("/hi"));
        RawClient.Response r = response();

        assertThat(r.version()).isEqualTo("HTTP/1.1");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("hello");
        assertThat(r.header("content-length")).isEqualTo("5");
        assertThat(r.header("content-type")).isEqualTo("text/plain");
        assertThat(r.header("date")).endsWith("GMT");
        assertThat(r.header("connection")).isNull();
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void get_keepAlive_nextRequestServedOnSameConnection() throws IOException {
        channel(route("GET", "/hi", HELLO));

        in(RawClient.get("/hi"));
        in(RawClient.get("/hi"));

        assertThat(responses(2)).extracting(RawClient.Response::body).containsExactly("hello", "hello");
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void get_connectionClose_answeredThenClosed() throws IOException {
        channel(route("GET", "/hi", HELLO));

        in("GET /hi HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        RawClient.Response r = response();
        assertThat(r.body()).isEqualTo("hello");
        assertThat(r.header("connection")).isEqualTo("close");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void get_http10WithoutKeepAlive_answeredIn10ThenClosed() throws IOException {
        channel(route("GET", "/hi", HELLO));

        in("GET /hi HTTP/1.0\r\n\r\n");

        RawClient.Response r = response();
        assertThat(r.version()).isEqualTo("HTTP/1.0");
        assertThat(r.body()).isEqualTo("hello");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void get_http10WithKeepAlive_answersKeepAliveAndStaysOpen() throws IOException {
        channel(route("GET", "/hi", HELLO));

        in("GET /hi HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");

        RawClient.Response r = response();
        assertThat(r.header("connection")).isEqualToIgnoringCase("keep-alive");
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void exchange_accessors_exposeRequest() throws IOException {
        AtomicReference<String> seen = new AtomicReference<>();
        channel(route("POST", "/v1/models/{id}", ex -> {
            seen.set(String.join(
                    "|",
                    ex.method(),
                    ex.path(),
                    ex.routePattern(),
                    ex.pathParam("id"),
                    ex.queryParam("q"),
                    ex.queryParam("flag"),
                    String.valueOf(ex.queryParam("absent")),
                    ex.requestHeaders().get("x-test"),
                    ex.body().toString(StandardCharsets.UTF_8)));
            ex.responseHeaders().set("x-reply", "1");
            ex.respond(204, "text/plain", Unpooled.EMPTY_BUFFER);
        }));

        in("POST /v1/models/a%20b?q=x+y%21&flag HTTP/1.1\r\nHost: x\r\nX-Test: t\r\nContent-Length: 4\r\n\r\nbody");
        RawClient.Response r = response();

        assertThat(r.status()).isEqualTo(204);
        assertThat(r.header("x-reply")).isEqualTo("1");
        assertThat(seen.get()).isEqualTo("POST|/v1/models/a%20b|/v1/models/{id}|a b|x y!||null|t|body");
    }

    @Test
    void request_absoluteFormTarget_routedByPath() throws IOException {
        channel(route("GET", "/hi", HELLO));

        in("GET http://example.com/hi?x=1 HTTP/1.1\r\nHost: example.com\r\n\r\n");

        assertThat(response().body()).isEqualTo("hello");
    }

    @Test
    void respond_twice_throwsAndReleasesSecondBody() throws IOException {
        ByteBuf second = utf8("second");
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        channel(route("GET", "/x", ex -> {
            ex.respond(200, "text/plain", utf8("first"));
            try {
                ex.respond(200, "text/plain", second);
            } catch (IllegalStateException e) {
                thrown.set(e);
            }
        }));

        in(RawClient.get("/x"));

        assertThat(response().body()).isEqualTo("first");
        assertThat(thrown.get()).hasMessageContaining("already answered");
        assertThat(second.refCnt()).isZero();
    }

    // ---- routing errors

    @Test
    void request_unknownPath_404WithJsonError() throws IOException {
        List<String> completions = new CopyOnWriteArrayList<>();
        channel(
                route("GET", "/hi", HELLO),
                b -> b.listener(new ExchangeListener() {
                    @Override
                    public void onComplete(String routePattern, String method, int status, long durationNanos) {
                        completions.add(routePattern + " " + method + " " + status);
                    }
                }));

        in(RawClient.get("/nope"));
        RawClient.Response r = response();

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.header("content-type")).isEqualTo("application/json");
        assertThat(r.body()).isEqualTo("{\"error\":{\"message\":\"no route for GET /nope\"}}");
        assertThat(completions).containsExactly("unmatched GET 404");
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void request_wrongMethod_405WithAllowHeader() throws IOException {
        channel(Router.builder()
                .add("GET", "/m/{id}", HELLO)
                .add("DELETE", "/m/{id}", HELLO)
                .build());

        in("POST /m/1 HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}");
        RawClient.Response r = response();

        assertThat(r.status()).isEqualTo(405);
        assertThat(r.header("allow")).isEqualTo("GET, DELETE");
        assertThat(r.body()).contains("not allowed");
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void request_customErrorRenderer_usedForServerErrors() throws IOException {
        channel(
                route("GET", "/hi", HELLO),
                b -> b.errorRenderer(new ErrorRenderer() {
                    @Override
                    public ByteBuf render(io.netty.buffer.ByteBufAllocator alloc, int status, String message) {
                        return ByteBufUtil.writeUtf8(alloc, status + ":" + message);
                    }

                    @Override
                    public String contentType() {
                        return "text/x-custom";
                    }
                }));

        in(RawClient.get("/nope"));
        RawClient.Response r = response();

        assertThat(r.header("content-type")).isEqualTo("text/x-custom");
        assertThat(r.body()).isEqualTo("404:no route for GET /nope");
    }

    // ---- limits

    @Test
    void request_contentLengthOverLimit_413WithJsonBodyThenClosed() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        channel(route("POST", "/p", ex -> calls.incrementAndGet()), b -> b.maxContentLength(100));

        in("POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 101\r\n\r\n" + "a".repeat(101));
        RawClient.Response r = response();

        assertThat(r.status()).isEqualTo(413);
        assertThat(r.header("connection")).isEqualTo("close");
        assertThat(r.body()).startsWith("{\"error\":{\"message\":\"request body of 101 bytes exceeds");
        assertThat(calls).hasValue(0);
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void request_chunkedBodyOverLimit_413() throws IOException {
        channel(route("POST", "/p", HELLO), b -> b.maxContentLength(10));

        in("POST /p HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n6\r\nghijkl\r\n0\r\n\r\n");

        assertThat(response().status()).isEqualTo(413);
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void request_bodyAtLimit_served() throws IOException {
        channel(
                route(
                        "POST",
                        "/p",
                        ex -> ex.respond(200, "text/plain", ex.body().retain())),
                b -> b.maxContentLength(10));

        in("POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n0123456789");

        assertThat(response().body()).isEqualTo("0123456789");
    }

    @Test
    void request_hugeHeader_431() throws IOException {
        channel(route("GET", "/hi", HELLO), b -> b.maxHeaderSize(1024));

        in("GET /hi HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(2000) + "\r\n\r\n");
        RawClient.Response r = response();

        assertThat(r.status()).isEqualTo(431);
        assertThat(r.body()).contains("header");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void request_longRequestLine_414() throws IOException {
        channel(route("GET", "/hi", HELLO), b -> b.maxInitialLineLength(256));

        in(RawClient.get("/hi?" + "q".repeat(400)));

        assertThat(response().status()).isEqualTo(414);
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void request_garbage_400() throws IOException {
        channel(route("GET", "/hi", HELLO));

        in("GET /hi HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n");

        assertThat(response().status()).isEqualTo(400);
        assertThat(ch.isOpen()).isFalse();
    }

    // ---- bodies and Expect

    @Test
    void request_chunkedBodyInPieces_aggregatedIntoOneBuffer() throws IOException {
        channel(route(
                "POST", "/echo", ex -> ex.respond(200, "text/plain", ex.body().retain())));

        in("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n");
        in("4\r\ndefg\r\n");
        in("0\r\n\r\n");

        assertThat(response().body()).isEqualTo("abcdefg");
    }

    @Test
    void request_body_releasedWhenHandlerReturns() {
        AtomicReference<ByteBuf> seen = new AtomicReference<>();
        channel(route("POST", "/p", ex -> {
            seen.set(ex.body());
            assertThat(ex.body().refCnt()).isPositive();
        }));

        in("POST /p HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n3\r\ndef\r\n0\r\n\r\n");

        assertThat(seen.get().refCnt()).isZero();
    }

    @Test
    void request_expect100Continue_continueThenResponse() throws IOException {
        channel(route(
                "POST", "/echo", ex -> ex.respond(200, "text/plain", ex.body().retain())));

        in("POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n");
        String interim = out();
        in("abc");
        RawClient.Response r = response();

        assertThat(interim).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("abc");
    }

    @Test
    void request_expect100ContinueOverLimit_413WithoutContinue() throws IOException {
        channel(route("POST", "/echo", HELLO), b -> b.maxContentLength(2));

        in("POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n");

        assertThat(response().status()).isEqualTo(413);
    }

    @Test
    void request_unknownExpectation_417() throws IOException {
        channel(route("POST", "/echo", HELLO));

        in("POST /echo HTTP/1.1\r\nHost: x\r\nExpect: something\r\nContent-Length: 3\r\n\r\nabc");

        assertThat(response().status()).isEqualTo(417);
    }

    // ---- handler failures

    @Test
    void handler_throwsBeforeAnswering_500WithoutDetails() throws IOException {
        channel(route("GET", "/boom", ex -> {
            throw new IllegalStateException("secret detail");
        }));

        in(RawClient.get("/boom"));
        RawClient.Response r = response();

        assertThat(r.status()).isEqualTo(500);
        assertThat(r.body()).isEqualTo("{\"error\":{\"message\":\"internal server error\"}}");
        assertThat(r.body()).doesNotContain("secret").doesNotContain("Exception");
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void handler_throwsAfterAnswering_noSecondResponse() throws IOException {
        channel(route("GET", "/x", ex -> {
            ex.respond(200, "text/plain", utf8("ok"));
            throw new IllegalStateException("late");
        }));

        in(RawClient.get("/x"));
        in(RawClient.get("/x"));

        assertThat(responses(2)).extracting(RawClient.Response::status).containsExactly(200, 200);
        assertThat(out()).isEmpty();
    }

    @Test
    void handler_throwsAfterStartingStream_connectionClosed() {
        channel(route("GET", "/s", ex -> {
            ex.startSse();
            throw new IllegalStateException("late");
        }));

        in(RawClient.get("/s"));
        ch.runPendingTasks();

        assertThat(ch.isOpen()).isFalse();
    }

    // ---- ordering

    @Test
    void pipelined_firstAnsweredLater_responsesInRequestOrder() throws IOException {
        AtomicReference<Exchange> slow = new AtomicReference<>();
        channel(Router.builder()
                .add("GET", "/slow", slow::set)
                .add("GET", "/fast/{n}", ex -> ex.respond(200, "text/plain", utf8("fast" + ex.pathParam("n"))))
                .build());

        in(RawClient.get("/slow") + RawClient.get("/fast/1") + RawClient.get("/fast/2"));
        assertThat(out()).isEmpty();
        assertThat(ch.config().isAutoRead()).isFalse(); // reads pause while requests wait

        slow.get().respond(200, "text/plain", utf8("slow"));
        ch.runPendingTasks();

        assertThat(responses(3)).extracting(RawClient.Response::body).containsExactly("slow", "fast1", "fast2");
        assertThat(ch.config().isAutoRead()).isTrue();
    }

    @Test
    void pipelined_connectionClosedWithWaitingRequests_releasesThem() {
        AtomicReference<Exchange> slow = new AtomicReference<>();
        channel(Router.builder()
                .add("GET", "/slow", slow::set)
                .add("POST", "/p", HELLO)
                .build());

        in(RawClient.get("/slow") + "POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc");
        ch.close();

        assertThat(slow.get().isOpen()).isFalse();
        // finishAndReleaseAll plus paranoid leak detection catch anything left behind
    }

    // ---- SSE

    @Test
    void sse_framesThenEnd_chunkedStreamAndConnectionReused() throws IOException {
        AtomicInteger opened = new AtomicInteger();
        AtomicInteger closed = new AtomicInteger();
        List<String> completions = new CopyOnWriteArrayList<>();
        channel(
                Router.builder()
                        .add("GET", "/s", ex -> {
                            SseStream s = ex.startSse();
                            s.send(utf8("data: one\n\n"));
                            s.send(utf8("data: two\n\n"));
                            s.end();
                        })
                        .add("GET", "/hi", HELLO)
                        .build(),
                b -> b.listener(new ExchangeListener() {
                    @Override
                    public void onComplete(String routePattern, String method, int status, long durationNanos) {
                        completions.add(routePattern + " " + status);
                    }

                    @Override
                    public void onStreamOpened() {
                        opened.incrementAndGet();
                    }

                    @Override
                    public void onStreamClosed() {
                        closed.incrementAndGet();
                    }
                }));

        in(RawClient.get("/s"));
        in(RawClient.get("/hi"));
        List<RawClient.Response> rs = responses(2);

        RawClient.Response sse = rs.get(0);
        assertThat(sse.status()).isEqualTo(200);
        assertThat(sse.header("content-type")).isEqualTo("text/event-stream");
        assertThat(sse.header("cache-control")).isEqualTo("no-cache");
        assertThat(sse.header("transfer-encoding")).isEqualTo("chunked");
        assertThat(sse.body()).isEqualTo("data: one\n\ndata: two\n\n");
        assertThat(rs.get(1).body()).isEqualTo("hello");
        assertThat(opened).hasValue(1);
        assertThat(closed).hasValue(1);
        assertThat(completions).containsExactly("/s 200", "/hi 200");
    }

    @Test
    void sse_eachFrameIsOneChunk() {
        channel(route("GET", "/s", ex -> {
            SseStream s = ex.startSse();
            s.send(utf8("data: a\n\n"));
            s.end();
        }));

        in(RawClient.get("/s"));

        assertThat(out()).endsWith("\r\n\r\n9\r\ndata: a\n\n\r\n0\r\n\r\n");
    }

    @Test
    void sse_http10Client_streamEndsByClosing() throws IOException {
        channel(route("GET", "/s", ex -> {
            SseStream s = ex.startSse();
            s.send(utf8("data: a\n\n"));
            s.end();
        }));

        in("GET /s HTTP/1.0\r\n\r\n");
        RawClient.Response r = response();

        assertThat(r.header("transfer-encoding")).isNull();
        assertThat(r.body()).isEqualTo("data: a\n\n");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void sse_connectionClosed_onCloseRunsOnceAndLaterFramesReleased() {
        AtomicReference<SseStream> stream = new AtomicReference<>();
        AtomicInteger onClose = new AtomicInteger();
        AtomicInteger streamsClosed = new AtomicInteger();
        channel(
                route("GET", "/s", ex -> {
                    SseStream s = ex.startSse();
                    s.onClose(onClose::incrementAndGet);
                    stream.set(s);
                }),
                b -> b.listener(new ExchangeListener() {
                    @Override
                    public void onStreamClosed() {
                        streamsClosed.incrementAndGet();
                    }
                }));
        in(RawClient.get("/s"));

        ch.close();
        ByteBuf late = utf8("data: late\n\n");
        stream.get().send(late);
        stream.get().end();
        stream.get().abort();

        assertThat(onClose).hasValue(1);
        assertThat(streamsClosed).hasValue(1);
        assertThat(late.refCnt()).isZero();
        assertThat(stream.get().isOpen()).isFalse();
        assertThat(stream.get().isWritable()).isFalse();
        // registering after the close runs the callback at once, so a late producer still learns of it
        AtomicInteger lateCallback = new AtomicInteger();
        stream.get().onClose(lateCallback::incrementAndGet);
        assertThat(lateCallback).hasValue(1);
    }

    @Test
    void sse_end_onCloseNeverRuns() {
        AtomicInteger onClose = new AtomicInteger();
        channel(route("GET", "/s", ex -> {
            SseStream s = ex.startSse();
            s.onClose(onClose::incrementAndGet);
            s.end();
        }));

        in(RawClient.get("/s"));
        ch.close();

        assertThat(onClose).hasValue(0);
    }

    @Test
    void sse_abort_closesWithoutTerminatingChunk() {
        AtomicInteger onClose = new AtomicInteger();
        channel(route("GET", "/s", ex -> {
            SseStream s = ex.startSse();
            s.onClose(onClose::incrementAndGet);
            s.send(utf8("data: a\n\n"));
            s.abort();
        }));

        in(RawClient.get("/s"));

        assertThat(ch.isOpen()).isFalse();
        assertThat(out()).doesNotContain("0\r\n\r\n");
        assertThat(onClose).hasValue(1);
    }

    @Test
    void sse_startTwice_throws() {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        channel(route("GET", "/s", ex -> {
            ex.startSse();
            try {
                ex.startSse();
            } catch (IllegalStateException e) {
                thrown.set(e);
            }
            try {
                ex.respond(200, "text/plain", Unpooled.EMPTY_BUFFER);
            } catch (IllegalStateException e) {
                thrown.set(e);
            }
        }));

        in(RawClient.get("/s"));

        assertThat(thrown.get()).isInstanceOf(IllegalStateException.class);
    }

    // ---- idle timeout

    @Test
    void idleTimeout_noExchange_closesConnection() {
        channel(route("GET", "/hi", HELLO), b -> b.idleTimeout(Duration.ofSeconds(5)));
        in(RawClient.get("/hi"));
        out();

        ch.advanceTimeBy(4, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isTrue();

        ch.advanceTimeBy(2, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void idleTimeout_activityResetsTheClock() {
        channel(route("GET", "/hi", HELLO), b -> b.idleTimeout(Duration.ofSeconds(5)));

        ch.advanceTimeBy(4, TimeUnit.SECONDS);
        in(RawClient.get("/hi"));
        ch.advanceTimeBy(2, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();

        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void idleTimeout_silentStream_neverCut() {
        channel(route("GET", "/s", ex -> ex.startSse()), b -> b.idleTimeout(Duration.ofSeconds(5)));
        in(RawClient.get("/s"));

        for (int i = 0; i < 5; i++) {
            ch.advanceTimeBy(6, TimeUnit.SECONDS);
            ch.runScheduledPendingTasks();
        }

        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void idleTimeout_slowAnswer_neverCut() {
        AtomicReference<Exchange> pending = new AtomicReference<>();
        channel(route("GET", "/slow", pending::set), b -> b.idleTimeout(Duration.ofSeconds(5)));
        in(RawClient.get("/slow"));

        ch.advanceTimeBy(30, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isTrue();

        pending.get().respond(200, "text/plain", utf8("late"));
        ch.advanceTimeBy(6, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isFalse();
    }

    // ---- head and body deadlines (virtual time)

    private void at(long seconds, long[] clock) {
        ch.advanceTimeBy(seconds - clock[0], TimeUnit.SECONDS);
        clock[0] = seconds;
        ch.runScheduledPendingTasks();
    }

    @Test
    void headTimeout_headTrickledFasterThanTheIdleTimeout_408AtTheDeadline() throws IOException {
        channel(
                route("GET", "/hi", HELLO),
                b -> b.idleTimeout(Duration.ofSeconds(5)).headTimeout(Duration.ofSeconds(10)));
        long[] clock = {0};
        in("GET /hi HTTP/1.1\r\nHost: x\r\n");
        for (int t = 4; t <= 8; t += 4) {
            at(t, clock);
            in("X-Slow-" + t + ": 1\r\n"); // never silent for the idle timeout
        }
        at(9, clock);
        assertThat(ch.isOpen()).isTrue();
        assertThat(out()).isEmpty();

        at(10, clock);
        RawClient.Response r = response();
        assertThat(r.status()).isEqualTo(408);
        assertThat(r.header("connection")).isEqualTo("close");
        assertThat(r.body()).startsWith("{\"error\":{\"message\":\"request head not received in time: 10.0 s");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void headTimeout_silentNewConnection_closedAtTheDeadlineWithoutAnAnswer() {
        channel(
                route("GET", "/hi", HELLO),
                b -> b.idleTimeout(Duration.ofSeconds(60)).headTimeout(Duration.ofSeconds(10)));
        long[] clock = {0};
        at(9, clock);
        assertThat(ch.isOpen()).isTrue();
        at(10, clock);
        assertThat(ch.isOpen()).isFalse();
        assertThat(out()).isEmpty();
    }

    @Test
    void headTimeout_headInPiecesWithinTheDeadline_served() throws IOException {
        channel(
                route("GET", "/hi", HELLO),
                b -> b.idleTimeout(Duration.ofSeconds(5)).headTimeout(Duration.ofSeconds(10)));
        long[] clock = {0};
        in("GET /hi HTT");
        at(4, clock);
        in("P/1.1\r\n");
        at(8, clock);
        in("Host: x\r\n");
        at(9, clock);
        in("\r\n");
        assertThat(response().status()).isEqualTo(200);
        at(12, clock); // the deadline of a finished head does not linger
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void headTimeout_keepAlive_nextHeadsClockStartsAfterTheResponse() throws IOException {
        AtomicReference<Exchange> pending = new AtomicReference<>();
        channel(
                route("GET", "/slow", pending::set),
                b -> b.idleTimeout(Duration.ofSeconds(60)).headTimeout(Duration.ofSeconds(10)));
        long[] clock = {0};
        in(RawClient.get("/slow"));
        at(1, clock);
        in("GET /slow HTTP/1.1\r\n"); // part of the next head, while the first is being answered
        at(30, clock);
        pending.get().respond(200, "text/plain", utf8("first"));
        assertThat(response().status()).isEqualTo(200);

        at(39, clock);
        assertThat(ch.isOpen())
                .as("9 s since the response, 38 s since the head began")
                .isTrue();
        in("Host: x\r\n\r\n");
        pending.get().respond(200, "text/plain", utf8("second"));
        assertThat(response().body()).isEqualTo("second");
    }

    @Test
    void headTimeout_keepAlive_nextHeadsDeadlineRunsFromItsFirstByte() throws IOException {
        channel(
                route("GET", "/hi", HELLO),
                b -> b.idleTimeout(Duration.ofSeconds(60)).headTimeout(Duration.ofSeconds(10)));
        long[] clock = {0};
        in(RawClient.get("/hi"));
        assertThat(response().status()).isEqualTo(200);
        at(45, clock); // the wait between requests is the idle timeout's
        assertThat(ch.isOpen()).isTrue();
        in("GET /hi HTTP/1.1\r\n");
        at(54, clock);
        in("Host: x\r\n");
        assertThat(ch.isOpen()).isTrue();
        at(55, clock);
        assertThat(response().status()).isEqualTo(408);
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void headTimeout_blankLineAfterARequest_isNoHead_andTheIdleConnectionGetsNoUnsolicited408() {
        channel(
                route("GET", "/hi", HELLO),
                b -> b.idleTimeout(Duration.ofSeconds(60)).headTimeout(Duration.ofSeconds(10)));
        long[] clock = {0};
        in(RawClient.get("/hi"));
        out();
        at(1, clock);
        in("\r\n"); // RFC 9112 lets a server skip blank lines between requests; some clients send one
        at(59, clock);
        assertThat(ch.isOpen()).isTrue();
        at(61, clock);
        assertThat(ch.isOpen()).isFalse();
        assertThat(out()).as("closed as idle, without a 408 nobody asked for").isEmpty();
    }

    @Test
    void bodyTimeout_drip_408OnceTheAllowanceIsSpent() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        channel(
                route("POST", "/p", ex -> calls.incrementAndGet()),
                b -> b.idleTimeout(Duration.ofSeconds(5)).bodyTimeout(Duration.ofSeconds(10)));
        long[] clock = {0};
        in("POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n");
        for (int t = 0; t <= 8; t += 4) {
            at(t, clock);
            in("a".repeat(100)); // 100 bytes every 4 s: 25 B/s, far under 1 KiB/s
        }
        at(10, clock);
        assertThat(ch.isOpen())
                .as("300 bytes earned 0.3 s beyond the 10 s allowance")
                .isTrue();
        assertThat(out()).isEmpty();
        at(11, clock);
        RawClient.Response r = response();
        assertThat(r.status()).isEqualTo(408);
        assertThat(r.header("connection")).isEqualTo("close");
        assertThat(r.body()).contains("request body not received in time: 300 of 1000 bytes");
        assertThat(calls).hasValue(0);
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void bodyTimeout_largeBodyAtASteadyRate_servedHoweverLong() throws IOException {
        channel(
                route(
                        "POST",
                        "/p",
                        ex -> ex.respond(200, "text/plain", utf8(ex.body().readableBytes() + " bytes"))),
                b -> b.idleTimeout(Duration.ofSeconds(5)).bodyTimeout(Duration.ofSeconds(10)));
        long[] clock = {0};
        int kib = 120;
        in("POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: " + kib * 1024 + "\r\n\r\n");
        for (int t = 0; t < kib / 2; t++) {
            at(t, clock);
            in("b".repeat(2048)); // 2 KiB/s for a minute: twice the minimum rate
        }
        assertThat(response().body()).isEqualTo(kib * 1024 + " bytes");
    }

    @Test
    void bodyTimeout_clientSilentMidBody_408AtTheIdleTimeout() throws IOException {
        channel(
                route("POST", "/p", HELLO),
                b -> b.idleTimeout(Duration.ofSeconds(5)).bodyTimeout(Duration.ofSeconds(60)));
        long[] clock = {0};
        in("POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc");
        at(4, clock);
        assertThat(ch.isOpen()).isTrue();
        at(5, clock);
        RawClient.Response r = response();
        assertThat(r.status()).isEqualTo(408);
        assertThat(r.body()).contains("3 of 10 bytes in 5.0 s, the last 5.0 s silent");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void timeouts_zero_disableTheDeadlinesButNotTheIdleTimeout() {
        channel(
                route("GET", "/hi", HELLO),
                b -> b.idleTimeout(Duration.ofSeconds(5))
                        .headTimeout(Duration.ZERO)
                        .bodyTimeout(Duration.ZERO));
        long[] clock = {0};
        in("GET /hi HTTP/1.1\r\n");
        for (int t = 4; t <= 100; t += 4) {
            at(t, clock);
            in("X-" + t + ": 1\r\n");
        }
        assertThat(ch.isOpen()).isTrue();
        at(110, clock);
        assertThat(ch.isOpen()).isFalse();
    }

    // ---- listener

    @Test
    void listener_clientGoneBeforeAnswer_reports499() {
        List<String> completions = new CopyOnWriteArrayList<>();
        AtomicReference<Exchange> pending = new AtomicReference<>();
        channel(
                route("GET", "/slow", pending::set),
                b -> b.listener(new ExchangeListener() {
                    @Override
                    public void onComplete(String routePattern, String method, int status, long durationNanos) {
                        completions.add(routePattern + " " + status);
                    }
                }));
        in(RawClient.get("/slow"));

        ch.close();
        ByteBuf late = utf8("late");
        pending.get().respond(200, "text/plain", late);

        assertThat(completions).containsExactly("/slow 499");
        assertThat(late.refCnt()).isZero();
    }

    @Test
    void listener_throwing_doesNotBreakTheExchange() throws IOException {
        channel(
                route("GET", "/hi", HELLO),
                b -> b.listener(new ExchangeListener() {
                    @Override
                    public void onComplete(String routePattern, String method, int status, long durationNanos) {
                        throw new IllegalStateException("observer bug");
                    }
                }));

        in(RawClient.get("/hi"));
        in(RawClient.get("/hi"));

        assertThat(responses(2)).extracting(RawClient.Response::status).containsExactly(200, 200);
    }

    @Test
    void respond_nullBody_rejectedAndExchangeStillAnswerable() throws IOException {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        channel(route("GET", "/x", ex -> {
            try {
                ex.respond(200, "text/plain", null);
            } catch (NullPointerException e) {
                thrown.set(e);
            }
            ex.respond(200, null, utf8("untyped"));
        }));

        in(RawClient.get("/x"));
        RawClient.Response r = response();

        assertThat(thrown.get()).hasMessageContaining("body");
        assertThat(r.body()).isEqualTo("untyped");
        assertThat(r.header("content-type")).isNull();
    }
}
