package dev.llmlab.http;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The head and body deadlines over real loopback sockets, with deadlines of a few hundred milliseconds:
 * slow clients are answered 408 and closed while others are served, and clients that are merely not
 * instantaneous are not cut. Virtual-time cases with exact boundaries are in {@link ConnectionHandlerTest}.
 */
@Timeout(value = 20, unit = SECONDS)
class SlowClientsTest {

    /** How often a slow client sends its next piece: well inside the idle timeout, so only a deadline cuts it. */
    private static final long TRICKLE_MILLIS = 50;

    private static final Duration DEADLINE = Duration.ofMillis(400);

    private final List<HttpServer> servers = new ArrayList<>();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void tearDown() throws Exception {
        pacer.shutdownNow();
        for (AutoCloseable r : resources) r.close();
        for (HttpServer s : servers) s.close();
    }

    private static final Handler HELLO =
            ex -> ex.respond(200, "text/plain", Unpooled.copiedBuffer("hello", StandardCharsets.UTF_8));

    private HttpServer start(Handler handler, Consumer<HttpServer.Builder> config) {
        HttpServer.Builder b = HttpServer.builder()
                .host("127.0.0.1")
                .port(0)
                .ioThreads(2)
                .idleTimeout(Duration.ofSeconds(5))
                .router(Router.builder()
                        .add("GET", "/hi", handler)
                        .add("POST", "/hi", handler)
                        .build());
        config.accept(b);
        HttpServer s = b.start();
        servers.add(s);
        return s;
    }

    private RawClient client(HttpServer s) throws IOException {
        RawClient c = new RawClient(s.port());
        resources.add(c);
        return c;
    }

    /** Sends {@code piece.apply(i)} every {@link #TRICKLE_MILLIS} until the server stops taking it. */
    private void trickle(RawClient c, java.util.function.IntFunction<String> piece) {
        AtomicInteger i = new AtomicInteger();
        pacer.scheduleAtFixedRate(
                () -> {
                    try {
                        c.send(piece.apply(i.getAndIncrement()));
                    } catch (IOException closed) {
                        throw new IllegalStateException("closed"); // ends the schedule
                    }
                },
                TRICKLE_MILLIS,
                TRICKLE_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    @Test
    void slowHead_headerLineEvery50ms_408AtTheDeadline_whileAnotherClientIsServed() throws IOException {
        HttpServer s = start(HELLO, b -> b.headTimeout(DEADLINE));
        long t0 = System.nanoTime();
        RawClient slow = client(s).send("GET /hi HTTP/1.1\r\nHost: x\r\n");
        trickle(slow, i -> "X-Slow-" + i + ": 1\r\n");

        assertThat(client(s).send(RawClient.get("/hi")).read().status()).isEqualTo(200);

        RawClient.Response r = slow.read();
        long elapsedMillis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(r.status()).isEqualTo(408);
        assertThat(r.header("connection")).isEqualTo("close");
        assertThat(r.body()).startsWith("{\"error\":{\"message\":\"request head not received in time");
        assertThat(slow.closedByPeer()).isTrue();
        assertThat(elapsedMillis).isBetween(DEADLINE.toMillis(), 4_000L);
    }

    @Test
    void slowBody_byteEvery50ms_408AtTheDeadline_whileAnotherClientIsServed() throws IOException {
        AtomicInteger served = new AtomicInteger();
        HttpServer s = start(
                ex -> {
                    served.incrementAndGet();
                    HELLO.handle(ex);
                },
                b -> b.bodyTimeout(DEADLINE));
        long t0 = System.nanoTime();
        RawClient slow = client(s).send("POST /hi HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nab");
        trickle(slow, i -> "c");

        assertThat(client(s).send(RawClient.get("/hi")).read().status()).isEqualTo(200);

        RawClient.Response r = slow.read();
        long elapsedMillis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(r.status()).isEqualTo(408);
        assertThat(r.body()).contains("request body not received in time").contains("of 1000 bytes");
        assertThat(slow.closedByPeer()).isTrue();
        assertThat(elapsedMillis).isBetween(DEADLINE.toMillis(), 4_000L);
        assertThat(served)
                .as("only the other client's request reached the handler")
                .hasValue(1);
    }

    @Test
    void headInPieces_fastEnough_isServed() throws IOException {
        HttpServer s = start(HELLO, b -> b.headTimeout(Duration.ofSeconds(3)));
        String[] pieces = {"GET /h", "i HTTP/1.1\r\n", "Host: x\r\n", "X-A: 1\r\n", "\r\n"};
        RawClient c = client(s).send(pieces[0]);
        trickle(c, i -> {
            if (i + 1 >= pieces.length) throw new IllegalStateException("done");
            return pieces[i + 1];
        });
        assertThat(c.read().status()).isEqualTo(200);
    }

    @Test
    void bodyInPieces_fasterThanTheMinimumRate_isServedPastTheAllowance() throws IOException {
        HttpServer s = start(
                ex -> ex.respond(
                        200,
                        "text/plain",
                        Unpooled.copiedBuffer(ex.body().readableBytes() + " bytes", StandardCharsets.UTF_8)),
                b -> b.bodyTimeout(Duration.ofMillis(200)));
        int pieces = 12; // 600 ms of 4 KiB every 50 ms: three times the allowance, at 80 KiB/s
        RawClient c = client(s).send("POST /hi HTTP/1.1\r\nHost: x\r\nContent-Length: " + pieces * 4096 + "\r\n\r\n");
        trickle(c, i -> {
            if (i >= pieces) throw new IllegalStateException("done");
            return "b".repeat(4096);
        });
        RawClient.Response r = c.read();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(pieces * 4096 + " bytes");
    }

    @Test
    void keepAlive_theSecondHeadsDeadlineStartsAfterTheFirstResponse() throws Exception {
        CountDownLatch firstArrived = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        HttpServer s = start(
                ex -> {
                    if (calls.getAndIncrement() > 0) {
                        HELLO.handle(ex);
                        return;
                    }
                    firstArrived.countDown();
                    // The first answer takes twice the head deadline.
                    CompletableFuture.delayedExecutor(2 * DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                            .execute(() -> ex.respond(
                                    200, "text/plain", Unpooled.copiedBuffer("first", StandardCharsets.UTF_8)));
                },
                b -> b.headTimeout(DEADLINE));
        RawClient c = client(s).send(RawClient.get("/hi"));
        assertThat(firstArrived.await(5, SECONDS)).isTrue();
        c.send("GET /hi HTTP/1.1\r\n"); // the next head begins while the first is being answered

        assertThat(c.read().body()).isEqualTo("first");
        c.send("Host: x\r\n\r\n");
        assertThat(c.read().body()).isEqualTo("hello");
    }

    @Test
    void silentConnection_closedAtTheHeadDeadlineWithoutAnAnswer() throws IOException {
        HttpServer s = start(HELLO, b -> b.headTimeout(DEADLINE));
        long t0 = System.nanoTime();
        RawClient silent = client(s);
        assertThat(silent.closedByPeer()).as("end of stream, no 408").isTrue();
        assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(DEADLINE.toMillis(), 4_000L);
        assertThat(client(s).send(RawClient.get("/hi")).read().status()).isEqualTo(200);
    }
}
