package dev.llmlab.http.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.http.HttpServer;
import dev.llmlab.http.Router;
import dev.llmlab.http.client.ClientException.Kind;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The client over real loopback sockets: pools, heads, bodies, and every way a request can fail. */
class HttpClientTest {
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) c.close();
    }

    private <T extends AutoCloseable> T keep(T c) {
        open.add(c);
        return c;
    }

    private HttpClient client(Consumer<HttpClient.Builder> config) {
        HttpClient.Builder b = HttpClient.builder().ioThreads(1);
        config.accept(b);
        return keep(b.build());
    }

    private RawServer raw(RawServer.Answer answer) throws Exception {
        return keep(new RawServer(answer));
    }

    private static RequestHead post(int port) {
        return RequestHead.of(
                new Origin("http", "127.0.0.1", port), "POST", "/v1/x", Map.of("content-type", "application/json"));
    }

    private static Recorded send(HttpClient c, RequestHead head, ResponseListener.Body mode) throws Exception {
        Recorded r = new Recorded(mode);
        c.send(head, "{}".getBytes(StandardCharsets.UTF_8), r);
        return r.await();
    }

    private HttpServer hello(String name) {
        return keep(HttpServer.builder()
                .host("127.0.0.1")
                .port(0)
                .ioThreads(1)
                .router(Router.builder()
                        .add(
                                "GET",
                                "/hi",
                                ex -> ex.respond(
                                        200, "text/plain", Unpooled.copiedBuffer(name, StandardCharsets.UTF_8)))
                        .build())
                .start());
    }

    @Test
    void send_reusesKeptAliveConnections_withAPoolPerOrigin() throws Exception {
        HttpServer a = hello("a");
        HttpServer b = hello("b");
        HttpClient c = client(x -> {});
        for (int i = 0; i < 5; i++) {
            for (HttpServer s : List.of(a, b)) {
                RequestHead get = RequestHead.of(new Origin("http", "127.0.0.1", s.port()), "GET", "/hi", Map.of());
                Recorded r = new Recorded(ResponseListener.Body.WHOLE);
                c.send(get, null, r);
                assertThat(r.await().text()).isEqualTo(s == a ? "a" : "b");
                assertThat(r.head.status()).isEqualTo(200);
            }
        }
        assertThat(c.connectionsOpened()).isEqualTo(2); // one per origin, each reused four times
    }

    @Test
    void warmUp_opensEachConnectionOnce_andTheRunUsesThem() throws Exception {
        HttpServer s = hello("w");
        HttpClient c = client(x -> {});
        Origin o = new Origin("http", "127.0.0.1", s.port());
        c.warmUp(o, 3);
        assertThat(c.connectionsOpened()).isEqualTo(3); // each counted once, not once warmed and once connected
        RequestHead get = RequestHead.of(o, "GET", "/hi", Map.of());
        Recorded r = new Recorded(ResponseListener.Body.WHOLE);
        c.send(get, null, r);
        assertThat(r.await().text()).isEqualTo("w");
        assertThat(c.connectionsOpened()).isEqualTo(3); // the request took a warmed-up connection
    }

    @Test
    void warmUp_waitsAtMostFiveSeconds_whateverTheConnectTimeout_andClosesWhatIsStillOpening() throws Exception {
        RawServer s = raw((sock, req) -> {}); // accepts TCP, never answers the ClientHello
        HttpClient c = client(x -> x.connectTimeout(Duration.ofSeconds(600)));
        long start = System.nanoTime();
        c.warmUp(new Origin("https", "127.0.0.1", s.port()), 2);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(seconds).isBetween(4.5, 8.0);
        // both closed, so no handshake goes on under the run
        assertThat(s.closed.poll(5, TimeUnit.SECONDS)).isNotNull();
        assertThat(s.closed.poll(5, TimeUnit.SECONDS)).isNotNull();
        assertThat(c.connectionsOpened()).isEqualTo(2);
    }

    @Test
    void warmUp_waitsTheConnectTimeout_whenItIsShorter() {
        assertThat(HttpClient.warmUpLimitNanos(Duration.ofSeconds(600).toNanos()))
                .isEqualTo(5_000_000_000L);
        assertThat(HttpClient.warmUpLimitNanos(Duration.ofMillis(1500).toNanos()))
                .isEqualTo(1_500_000_000L);
        assertThat(HttpClient.warmUpLimitNanos(0)).isEqualTo(5_000_000_000L); // no connect timeout
    }

    /**
     * A server that ends a keep-alive connection idle longer than {@code idleMillis}, found out as a
     * real one is when the close crosses the next request: that request is read, and the connection
     * closed without an answer.
     */
    private RawServer closingIdleAfter(long idleMillis) throws Exception {
        java.util.Map<java.net.Socket, Long> lastAnswer = new java.util.concurrent.ConcurrentHashMap<>();
        return raw((sock, req) -> {
            Long last = lastAnswer.get(sock);
            if (last != null && System.nanoTime() - last > idleMillis * 1_000_000) {
                sock.close();
                return;
            }
            RawServer.write(sock, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            lastAnswer.put(sock, System.nanoTime());
        });
    }

    @Test
    void anIdleConnection_isClosedBeforeTheServerClosesIt() throws Exception {
        RawServer s = closingIdleAfter(600);
        HttpClient c = client(x -> x.idleExpiry(Duration.ofMillis(300)));
        assertThat(send(c, post(s.port()), ResponseListener.Body.WHOLE).text()).isEqualTo("ok");
        Thread.sleep(800);
        Recorded second = send(c, post(s.port()), ResponseListener.Body.WHOLE);
        assertThat(second.failure).isNull();
        assertThat(second.text()).isEqualTo("ok");
        assertThat(c.connectionsOpened()).isEqualTo(2); // the first expired, unused
    }

    @Test
    void aConnectionKeptPastTheServersTimeout_failsTheNextRequest_whichIsNotResent() throws Exception {
        RawServer s = closingIdleAfter(300);
        HttpClient c = client(x -> x.idleExpiry(Duration.ofSeconds(30)));
        assertThat(send(c, post(s.port()), ResponseListener.Body.WHOLE).text()).isEqualTo("ok");
        Thread.sleep(500);
        assertThat(send(c, post(s.port()), ResponseListener.Body.WHOLE).failure.kind())
                .isEqualTo(Kind.CLOSED);
        assertThat(s.requests).hasSize(2); // sent once
    }

    /** uvicorn (vLLM, SGLang) and Node close a keep-alive connection idle for 5 s. */
    @Test
    void theDefaultIdleExpiry_isUnderFiveSeconds() {
        assertThat(HttpClient.Builder.DEFAULT_IDLE_EXPIRY).isLessThan(Duration.ofMillis(4_900));
    }

    /** A caller's timer on a loop sends from that loop's thread, on that loop's connections; the loop stays the client's. */
    @Test
    void workScheduledOnALoop_runsThere_andCannotStopIt() throws Exception {
        HttpServer s = hello("l");
        HttpClient c = client(x -> x.ioThreads(2));
        assertThat(java.util.concurrent.ExecutorService.class.isAssignableFrom(ClientLoop.class))
                .isFalse(); // no shutdown() for a caller
        RequestHead get = RequestHead.of(new Origin("http", "127.0.0.1", s.port()), "GET", "/hi", Map.of());
        for (int round = 0; round < 3; round++) {
            java.util.concurrent.CompletableFuture<Recorded> sent = new java.util.concurrent.CompletableFuture<>();
            c.loop(1)
                    .schedule(
                            () -> {
                                assertThat(c.loop(1).inLoop()).isTrue();
                                assertThat(c.loop(0).inLoop()).isFalse();
                                Recorded r = new Recorded(ResponseListener.Body.WHOLE);
                                c.send(get, null, r);
                                sent.complete(r);
                            },
                            10,
                            TimeUnit.MILLISECONDS);
            assertThat(sent.get(5, TimeUnit.SECONDS).await().text()).isEqualTo("l");
        }
        assertThat(c.connectionsOpened()).isEqualTo(1); // every send on loop 1's one connection
    }

    @Test
    void theResponseHead_reachesTheCaller_withTheRateLimitHeaders() throws Exception {
        RawServer s = raw((sock, req) -> RawServer.write(
                sock,
                "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 3\r\nretry-after-ms: 2500\r\n"
                        + "x-ratelimit-remaining-tokens: 0\r\nanthropic-ratelimit-requests-remaining: 0\r\n"
                        + "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"));
        Recorded r = send(client(x -> {}), post(s.port()), ResponseListener.Body.WHOLE);
        assertThat(r.head.status()).isEqualTo(429);
        assertThat(r.head.header("retry-after")).isEqualTo("3");
        assertThat(r.head.rateLimitHeaders())
                .containsExactly(
                        Map.entry("retry-after", "3"),
                        Map.entry("retry-after-ms", "2500"),
                        Map.entry("x-ratelimit-remaining-tokens", "0"),
                        Map.entry("anthropic-ratelimit-requests-remaining", "0"));
        assertThat(r.text()).isEqualTo("{}");
        assertThat(s.requests.getFirst())
                .startsWith("POST /v1/x HTTP/1.1\r\nhost: 127.0.0.1:" + s.port() + "\r\n")
                .contains("content-length: 2\r\n");
    }

    @Test
    void firstByteTimeout_firesWhenNothingComes() throws Exception {
        RawServer s = raw((sock, req) -> {}); // reads the request, says nothing
        Recorded r = send(
                client(x -> x.firstByteTimeout(Duration.ofMillis(200))), post(s.port()), ResponseListener.Body.WHOLE);
        assertThat(r.failure.kind()).isEqualTo(Kind.FIRST_BYTE_TIMEOUT);
        assertThat(r.failure.getMessage())
                .contains("first-byte timeout (200 ms)")
                .contains("127.0.0.1");
    }

    @Test
    void pause_stopsReadingSoTheServerCannotFinish_resumeReadsTheRest_andTheIdleTimeoutWaits() throws Exception {
        int total = 64 << 20; // far more than the sockets' buffers hold
        java.util.concurrent.CountDownLatch written = new java.util.concurrent.CountDownLatch(1);
        RawServer s = raw((sock, req) -> {
            var out = sock.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " + total
                            + "\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            byte[] block = new byte[1 << 16];
            for (int sent = 0; sent < total; sent += block.length) out.write(block);
            out.flush();
            written.countDown();
        });
        java.util.concurrent.atomic.AtomicLong received = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicReference<Call> paused = new java.util.concurrent.atomic.AtomicReference<>();
        Recorded r = new Recorded(ResponseListener.Body.STREAM) {
            @Override
            public void onBody(Call call, io.netty.buffer.ByteBuf content, int index, int length) {
                received.addAndGet(length);
                if (paused.compareAndSet(null, call)) call.pause();
            }
        };
        // an idle timeout far shorter than the pause: a paused answer is not stalled, the gateway chose to wait
        client(x -> x.idleTimeout(Duration.ofMillis(100))).send(post(s.port()), "{}".getBytes(), r);
        assertThat(written.await(1, TimeUnit.SECONDS))
                .as("the server cannot send it all to a client that does not read")
                .isFalse();
        long whilePaused = received.get();
        assertThat(whilePaused).isLessThan(total / 4);
        assertThat(r.done).isNotDone();
        paused.get().resume();
        assertThat(r.await().failure).isNull();
        assertThat(received.get()).isEqualTo(total);
        assertThat(written.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void idleTimeout_firesWhenAStreamStalls() throws Exception {
        RawServer s = raw(
                (sock, req) -> RawServer.write(
                        sock,
                        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n7\r\ndata: 1\r\n"));
        Recorded r = send(
                client(x -> x.idleTimeout(Duration.ofMillis(200)).firstByteTimeout(Duration.ofSeconds(5))),
                post(s.port()),
                ResponseListener.Body.STREAM);
        assertThat(r.head.status()).isEqualTo(200);
        assertThat(r.failure.kind()).isEqualTo(Kind.IDLE_TIMEOUT);
        assertThat(r.failure.getMessage()).contains("stalled");
    }

    @Test
    void totalTimeout_firesOnAStreamThatNeverEnds() throws Exception {
        RawServer s = raw((sock, req) -> {
            RawServer.write(
                    sock, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n");
            try {
                for (int i = 0; i < 200; i++) { // a token every 20 ms: never idle, never done (bounded: 4 s)
                    RawServer.write(sock, "a\r\ndata: {}\n\n\r\n");
                    java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
                }
            } catch (java.io.UncheckedIOException closed) {
                // the client timed out and closed: what the test wants
            }
        });
        Recorded r = send(
                client(x -> x.idleTimeout(Duration.ofSeconds(2)).totalTimeout(Duration.ofMillis(300))),
                post(s.port()),
                ResponseListener.Body.STREAM);
        assertThat(r.failure.kind()).isEqualTo(Kind.TOTAL_TIMEOUT);
        assertThat(r.events).isNotEmpty();
    }

    @Test
    void connectTimeout_coversTheTlsHandshake() throws Exception {
        RawServer s = raw((sock, req) -> {}); // accepts, never answers the ClientHello
        RequestHead get = RequestHead.of(new Origin("https", "127.0.0.1", s.port()), "GET", "/", Map.of());
        Recorded r = new Recorded(ResponseListener.Body.WHOLE);
        client(x -> x.connectTimeout(Duration.ofMillis(300))).send(get, null, r);
        assertThat(r.await().failure.kind()).isEqualTo(Kind.CONNECT_TIMEOUT);
        assertThat(r.failure.getMessage()).contains("300 ms");
    }

    @Test
    void cancel_closesTheConnection_andTellsTheListenerOnce() throws Exception {
        CountDownLatch asked = new CountDownLatch(1);
        CountDownLatch askedAgain = new CountDownLatch(2);
        RawServer s = raw((sock, req) -> {
            asked.countDown();
            askedAgain.countDown();
        });
        HttpClient c = client(x -> {});
        Recorded r = new Recorded(ResponseListener.Body.WHOLE);
        Call call = c.send(post(s.port()), new byte[] {'{', '}'}, r);
        assertThat(asked.await(5, TimeUnit.SECONDS)).isTrue();
        call.cancel();
        call.cancel();
        assertThat(r.await().failure.kind()).isEqualTo(Kind.CANCELLED);
        assertThat(s.closed.poll(5, TimeUnit.SECONDS)).isEqualTo(1); // the server saw the connection close
        c.cancelAll();
        assertThat(r.endings.get()).isEqualTo(1);
        // the next request cannot have the cancelled connection
        c.send(post(s.port()), new byte[] {'{', '}'}, new Recorded(ResponseListener.Body.WHOLE));
        assertThat(askedAgain.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(s.accepted.get()).isEqualTo(2);
        assertThat(c.connectionsOpened()).isEqualTo(2);
    }

    @Test
    void close_cancelsWhatIsInFlight() throws Exception {
        CountDownLatch asked = new CountDownLatch(1);
        RawServer s = raw((sock, req) -> asked.countDown());
        HttpClient c = HttpClient.builder().ioThreads(1).build();
        Recorded r = new Recorded(ResponseListener.Body.WHOLE);
        c.send(post(s.port()), new byte[] {'{', '}'}, r);
        assertThat(asked.await(5, TimeUnit.SECONDS)).isTrue();
        c.close();
        assertThat(r.await().failure.kind()).isEqualTo(Kind.CANCELLED);
        assertThat(r.endings.get()).isEqualTo(1);
    }

    @Test
    void aRefusedConnection_saysSo() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Recorded r = send(client(x -> {}), post(port), ResponseListener.Body.WHOLE);
        assertThat(r.failure.kind()).isEqualTo(Kind.CONNECT);
        assertThat(r.failure.getMessage()).isEqualTo("connection to 127.0.0.1:" + port + " refused");
    }

    /**
     * An unresolvable name fails inside the connect, at once: sent from the loop's own thread (a
     * closed-loop user's next request), the listener still hears of it only after send returned.
     */
    @Test
    void aFailureAtOnce_reachesTheListener_afterSendReturned() throws Exception {
        HttpClient c = client(x -> {});
        RequestHead get = RequestHead.of(new Origin("http", "no-such-host.invalid", 8000), "GET", "/", Map.of());
        java.util.concurrent.atomic.AtomicBoolean returned = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.CompletableFuture<Boolean> toldAfterReturn =
                new java.util.concurrent.CompletableFuture<>();
        Recorded r = new Recorded(ResponseListener.Body.WHOLE);
        ResponseListener told = new ResponseListener() {
            @Override
            public Body onHead(Call call, ResponseHead head) {
                return r.onHead(call, head);
            }

            @Override
            public void onEnd(Call call, byte[] body, int length) {
                r.onEnd(call, body, length);
            }

            @Override
            public void onFailure(Call call, ClientException e) {
                toldAfterReturn.complete(returned.get());
                r.onFailure(call, e);
            }
        };
        c.loop(0).execute(() -> {
            c.send(get, null, told);
            returned.set(true);
        });
        assertThat(toldAfterReturn.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(r.await().failure.getMessage()).isEqualTo("cannot resolve host no-such-host.invalid");
        assertThat(r.endings.get()).isEqualTo(1);
    }

    @Test
    void bytesThatAreNotHttp_areMalformed() throws Exception {
        RawServer s = raw((sock, req) -> RawServer.write(sock, "SSH-2.0-OpenSSH_9.2\r\n\r\n"));
        Recorded r = send(client(x -> {}), post(s.port()), ResponseListener.Body.WHOLE);
        assertThat(r.failure.kind()).isEqualTo(Kind.MALFORMED);
        assertThat(r.failure.getMessage()).contains("not an HTTP/1.x status line");
    }

    @Test
    void aBodyCutShort_isClosed_andAWholeBodyOverTheLimit_isTooLarge() throws Exception {
        RawServer cut = raw((sock, req) -> {
            RawServer.write(sock, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"a\":");
            sock.close();
        });
        assertThat(send(client(x -> {}), post(cut.port()), ResponseListener.Body.WHOLE)
                        .failure
                        .kind())
                .isEqualTo(Kind.CLOSED);
        RawServer big = raw((sock, req) ->
                RawServer.write(sock, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + "x".repeat(100)));
        Recorded r = send(client(x -> x.maxBodyBytes(10)), post(big.port()), ResponseListener.Body.WHOLE);
        assertThat(r.failure.kind()).isEqualTo(Kind.TOO_LARGE);
        // streamed, the same body is fine: nothing is gathered
        assertThat(send(client(x -> x.maxBodyBytes(10)), post(big.port()), ResponseListener.Body.STREAM)
                        .text())
                .hasSize(100);
    }

    /** A stream that never breaks its line is failed as malformed once its event passes the limit, not gathered on. */
    @Test
    void anSseEventPastTheLimit_isMalformed() throws Exception {
        RawServer s = raw((sock, req) -> {
            RawServer.write(
                    sock, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n");
            String chunk = "x".repeat(1024 * 1024);
            try {
                RawServer.write(sock, "6\r\ndata: \r\n");
                for (int i = 0; i < 20; i++) RawServer.write(sock, "100000\r\n" + chunk + "\r\n");
            } catch (java.io.UncheckedIOException closed) {
                // the client gave up on it: what the test wants
            }
        });
        Recorded r = send(client(x -> {}), post(s.port()), ResponseListener.Body.STREAM);
        assertThat(r.failure.kind()).isEqualTo(Kind.MALFORMED);
        assertThat(r.failure.getMessage()).contains("16 MiB").contains("127.0.0.1");
        assertThat(r.events).isEmpty();
        assertThat(r.endings.get()).isEqualTo(1);
    }

    /** An SSE body written in seeded random pieces, each flushed: the events come out whole and in order. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void sse_splitAnywhere(long seed) throws Exception {
        StringBuilder stream = new StringBuilder();
        List<String> expected = new ArrayList<>();
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < 50; i++) {
            String data = "{\"i\":" + i + ",\"text\":\"" + "é".repeat(rng.nextInt(5)) + "\"}";
            expected.add(data);
            stream.append(rng.nextBoolean() ? "data: " : "data:")
                    .append(data)
                    .append(rng.nextBoolean() ? "\r\n\r\n" : "\n\n");
        }
        byte[] bytes = stream.toString().getBytes(StandardCharsets.UTF_8);
        RawServer s = raw((sock, req) -> {
            RawServer.write(
                    sock, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n");
            SplittableRandom split = new SplittableRandom(seed);
            for (int at = 0; at < bytes.length; ) {
                int n = Math.min(bytes.length - at, 1 + split.nextInt(40));
                sock.getOutputStream().write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                sock.getOutputStream().write(bytes, at, n);
                sock.getOutputStream().write("\r\n".getBytes(StandardCharsets.US_ASCII));
                sock.getOutputStream().flush();
                at += n;
            }
            RawServer.write(sock, "0\r\n\r\n");
        });
        Recorded r = send(client(x -> {}), post(s.port()), ResponseListener.Body.STREAM);
        assertThat(r.failure).isNull();
        assertThat(r.events).isEqualTo(expected);
    }
}
