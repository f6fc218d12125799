package dev.llmlab.http.client;

import dev.llmlab.http.Tls;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The project's HTTP/1.1 client: the load generator's transport, and the one a gateway and a
 * monitor call servers with. Built like wrk: every connection belongs to one event loop, and a
 * request sent from a loop's own thread (a closed-loop user's next request from its callback, an
 * open loop's timer) goes on that loop's connections with no hand-off between threads. Each loop
 * keeps a pool per route (an origin, and the proxy on the way to it), warmest first ({@link Pool}); a
 * new connection is opened only when none is idle. A request's head is written from bytes prepared
 * once ({@link RequestHead}), its body after it, in one write; answers are read as they arrive by an
 * allocation-free parser, and the head's other headers are read only when asked for. One request at
 * a time per connection (no pipelining), so concurrency is connections.
 *
 * <p>TLS ({@link TlsOptions}) runs on OpenSSL where its native library loads, else on the JDK's
 * engine ({@link Tls}); proxies come from the environment as curl reads it ({@link Proxies}). Only
 * HTTP/1.1 is spoken.
 *
 * <h2>Timeouts</h2>
 * Connect (TCP, proxy tunnel and TLS handshake together), first byte (from the request's write),
 * idle (between reads of an answer that has begun) and total (from the send), each reported as its
 * own {@link ClientException.Kind}. A timer per request would cost more than the rest of a fast
 * request's handling, so each loop checks its requests in one sweep a few times per shortest
 * timeout (every tenth of it, between 1 ms and 100 ms): a timeout fires up to a tenth late. Zero
 * turns a timeout off.
 *
 * <h2>Threading and ownership</h2>
 * {@link #send} may be called from any thread; off the loops, requests are dealt round robin over
 * them. Each request then lives on one loop, and every listener callback runs there, never inside
 * {@code send} (see {@link ResponseListener} for the exactly-once contract). Connections, pools
 * and buffers are confined to their loop; the client releases every buffer it allocates. A caller
 * runs its own work on a loop through {@link #loop(int)} (an open loop's timers, so that their
 * sends need no hand-off); the loops themselves stay the client's. {@link #cancelAll()},
 * {@link #warmUp} and {@link #close()} may be called from any thread but the loops (they wait for
 * the loops).
 *
 * <h2>Bounds</h2>
 * At most {@code maxIdlePerRoute} idle connections per route and loop, each closed after
 * {@code idleExpiry} unused; a route's pool is dropped once it holds nothing, so the pools of a
 * loop never outnumber its open connections. A body asked for whole is refused past
 * {@code maxBodyBytes}; a streamed one is not gathered, and an {@link SseParser} reading it refuses
 * an event past {@link SseParser#MAX_EVENT_BYTES}.
 *
 * <h2>No retries</h2>
 * A request is sent once. A kept-alive connection the server closes just as a request is written
 * on it fails that request ({@link ClientException.Kind#CLOSED}); the default idle expiry (4 s) is
 * below the common servers' keep-alive timeouts so that the client, not the server, ends an idle
 * connection. Resending would hide such failures, and for a POST it is not safe: a server that read
 * the request and then closed cannot be told from one that never saw it (RFC 9110 9.2.2).
 */
public final class HttpClient implements AutoCloseable {
    static final Logger log = LoggerFactory.getLogger(HttpClient.class);

    final long connectNanos;
    final int connectTimeoutMillis;
    final long firstByteNanos;
    final long idleNanos;
    final long totalNanos;
    final int maxBodyBytes;
    final int maxIdlePerRoute;
    final long idleExpiryNanos;
    private final TlsOptions tlsOptions;
    private final Proxies proxies;
    final Transport transport;
    private final EventLoopGroup group;
    /** Whether the client started its loops, and so stops them; shared ones it leaves running. */
    private final boolean ownsLoops;

    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private final List<java.util.concurrent.ScheduledFuture<?>> sweeps = new ArrayList<>();
    private final Loop[] loops;
    private final AtomicInteger nextLoop = new AtomicInteger();
    private final AtomicReference<TlsInfo> firstTls = new AtomicReference<>();
    private volatile ClientTls tls;

    private HttpClient(Builder b) {
        this.connectNanos = b.connectTimeout.toNanos();
        this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, b.connectTimeout.toMillis());
        this.firstByteNanos = b.firstByteTimeout.toNanos();
        this.idleNanos = b.idleTimeout.toNanos();
        this.totalNanos = b.totalTimeout.toNanos();
        this.maxBodyBytes = b.maxBodyBytes;
        this.maxIdlePerRoute = b.maxIdlePerRoute;
        this.idleExpiryNanos = b.idleExpiry.toNanos();
        this.tlsOptions = b.tls;
        this.proxies = b.proxies;
        // A CA file or the insecure mode is checked now, so that a bad one is an error at start.
        if (b.tls.caFile() != null || b.tls.insecure()) tls = ClientTls.create(b.tls);
        this.ownsLoops = b.loops == null;
        this.transport =
                ownsLoops ? Transport.select() : Transport.of(b.loops.transportName(), b.loops.socketChannel());
        this.group = ownsLoops ? transport.group(b.ioThreads, b.threadName) : b.loops.group();
        List<EventLoop> executors = new ArrayList<>();
        for (EventExecutor e : group) executors.add((EventLoop) e);
        this.loops = new Loop[executors.size()];
        long shortest = Long.MAX_VALUE;
        for (long t : new long[] {connectNanos, firstByteNanos, idleNanos, totalNanos})
            if (t > 0) shortest = Math.min(shortest, t);
        long sweep = Math.max(1_000_000, Math.min(100_000_000, shortest / 10));
        for (int i = 0; i < loops.length; i++) {
            Loop l = new Loop(this, executors.get(i));
            loops[i] = l;
            sweeps.add(l.executor.scheduleAtFixedRate(l::sweep, sweep, sweep, TimeUnit.NANOSECONDS));
        }
        if (proxies.any()) log.info("proxies: {}", proxies);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Sends one request; its send time is now (a connection it must open first is part of its
     * latency). The listener hears of it on an event loop, exactly once, whatever happens.
     *
     * @param body the body, sent with its {@code Content-Length}; null for none (a GET)
     * @return the request, to cancel it
     */
    public Call send(RequestHead head, byte[] body, ResponseListener listener) {
        Objects.requireNonNull(head, "head");
        Objects.requireNonNull(listener, "listener");
        if (closed.get()) {
            // on shared loops that still run: told, in a task of its own, that nothing will be sent
            Loop l = loops[Math.floorMod(nextLoop.getAndIncrement(), loops.length)];
            Call c = new Call(head, body, listener, l);
            l.executor.execute(() -> c.fail(new ClientException(ClientException.Kind.CLOSED, "the client is closed")));
            return c;
        }
        for (Loop l : loops) {
            if (l.executor.inEventLoop()) {
                Call c = new Call(head, body, listener, l);
                l.start(c);
                return c;
            }
        }
        Loop l = loops[Math.floorMod(nextLoop.getAndIncrement(), loops.length)];
        Call c = new Call(head, body, listener, l);
        l.executor.execute(() -> l.start(c));
        return c;
    }

    /** How many event loops the client runs. */
    public int loops() {
        return loops.length;
    }

    /**
     * Event loop {@code i} ({@code 0 <= i < loops()}), to run and schedule a caller's own work on: a
     * request sent from a loop's own thread uses that loop's connections. The loop stays the
     * client's: the handle cannot shut it down.
     */
    public ClientLoop loop(int i) {
        return loops[i].handle;
    }

    /** {@code "epoll"} or {@code "nio"}. */
    public String transport() {
        return transport.name;
    }

    /** The TLS engine https requests use (the process's choice unless the options named one). */
    public Tls.Engine tlsEngine() {
        ClientTls t = tls;
        return t != null ? t.engine : tlsOptions.engineOrDefault();
    }

    String tlsEngineName() {
        return tlsEngine().label();
    }

    /** What the first TLS connection agreed on, or null before one. */
    public TlsInfo firstTls() {
        return firstTls.get();
    }

    void sawTls(TlsInfo info) {
        if (firstTls.get() == null) firstTls.compareAndSet(null, info);
    }

    public Proxies proxies() {
        return proxies;
    }

    /** Connections opened so far (opening ones, and failed ones, included), warm-up included. */
    public long connectionsOpened() {
        long n = 0;
        for (Loop l : loops) n += l.connects;
        return n;
    }

    /** The longest a warm-up waits, whatever the connect timeout: a run should not wait minutes to start. */
    static final long WARM_UP_LIMIT_NANOS = 5_000_000_000L;

    /**
     * Opens up to {@code connections} connections to {@code origin}, spread over the loops, into the
     * pools, and waits until they are ready (TCP, tunnel and TLS handshake), so that a run starts with
     * connections ready and its first sends pay for no handshakes. It waits at most the connect
     * timeout, and never more than 5 s; connections still opening then are closed, with a warning in
     * the log, and a run's first sends open their own. Connections that fail are not retried.
     */
    public void warmUp(Origin origin, int connections) {
        warmUp(origin, connections, warmUpLimitNanos(connectNanos));
    }

    static long warmUpLimitNanos(long connectNanos) {
        return connectNanos > 0 ? Math.min(connectNanos, WARM_UP_LIMIT_NANOS) : WARM_UP_LIMIT_NANOS;
    }

    void warmUp(Origin origin, int connections, long limitNanos) {
        long deadline = System.nanoTime() + limitNanos;
        for (int i = 0; i < connections; i++) {
            Loop l = loops[i % loops.length];
            l.executor.execute(() -> l.connect(l.pool(origin), null));
        }
        // Ready once each is idle in its pool: connected, tunnelled and shaken hands.
        int opening = 0;
        while (true) {
            opening = 0;
            for (Loop l : loops)
                opening += l.executor
                        .submit(() -> l.openingTo(origin))
                        .syncUninterruptibly()
                        .getNow();
            if (opening == 0 || System.nanoTime() - deadline >= 0) break;
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
        if (opening > 0) {
            for (Loop l : loops) l.executor.submit(() -> l.closeOpening(origin)).syncUninterruptibly();
            log.warn(
                    "warm-up: {} of {} connections to {} were not ready within {}; closed them",
                    opening,
                    connections,
                    origin,
                    text(limitNanos));
        }
    }

    /**
     * Abandons every request in flight, closing its connection; each listener hears
     * {@link ClientException.Kind#CANCELLED}. For a run stopped early, whose queued requests would
     * otherwise hold the next one up.
     */
    public void cancelAll() {
        for (Loop l : loops) {
            l.executor.submit(l::cancelAll).awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
    }

    /**
     * Closes every connection and stops the loops; requests still in flight are cancelled first, so
     * each listener hears of its request. Idempotent.
     */
    @Override
    public void close() {
        for (Loop l : loops) {
            if (l.executor.inEventLoop())
                throw new IllegalStateException("close() must not be called on the client's event loop");
        }
        if (!closed.compareAndSet(false, true) || group.isShuttingDown()) return;
        cancelAll();
        if (ownsLoops) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            return;
        }
        // Shared loops go on for their owner: only what is the client's own stops, its sweeps and connections.
        for (java.util.concurrent.ScheduledFuture<?> s : sweeps) s.cancel(false);
        for (Loop l : loops) l.executor.submit(l::closeAll).awaitUninterruptibly(1, TimeUnit.SECONDS);
    }

    ClientTls tls() {
        ClientTls t = tls;
        if (t == null) {
            synchronized (this) {
                t = tls;
                if (t == null) tls = t = ClientTls.create(tlsOptions);
            }
        }
        return t;
    }

    /** {@code 30 s}, {@code 250 ms}: for messages. */
    static String text(long nanos) {
        return nanos % 1_000_000_000L == 0 ? nanos / 1_000_000_000L + " s" : nanos / 1_000_000 + " ms";
    }

    /**
     * Configures an {@link HttpClient}. Not thread-safe; each setter checks its argument and throws
     * {@link IllegalArgumentException} for one that cannot work.
     */
    public static final class Builder {
        /**
         * Under 5 s: uvicorn (so vLLM's and SGLang's OpenAI servers) and Node's HTTP server close a
         * keep-alive connection after 5 s idle, and a request written as the server closes fails (see
         * the class comment, No retries). The loop's sweep (at most every 100 ms) closes it a little
         * after the expiry, still well before 5 s. Reconnecting every few seconds costs a low-rate run
         * one handshake per request at most; a busy one keeps its connections busy, and never idle.
         */
        static final Duration DEFAULT_IDLE_EXPIRY = Duration.ofSeconds(4);

        private int ioThreads = Runtime.getRuntime().availableProcessors();
        private String threadName = "llmlab-client";
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration firstByteTimeout = Duration.ZERO;
        private Duration idleTimeout = Duration.ZERO;
        private Duration totalTimeout = Duration.ZERO;
        private int maxIdlePerRoute = 1024;
        private Duration idleExpiry = DEFAULT_IDLE_EXPIRY;
        private dev.llmlab.http.EventLoops loops;

        /**
         * Runs on these loops, shared with a server ({@link dev.llmlab.http.EventLoops}), instead of
         * loops of its own: a request sent from one of them goes out on that same loop, and its
         * listener is told there. {@code ioThreads} and {@code threadName} are then theirs. The client
         * does not stop them; {@link HttpClient#close()} closes its own connections only.
         */
        public Builder eventLoops(dev.llmlab.http.EventLoops shared) {
            this.loops = Objects.requireNonNull(shared, "shared");
            return this;
        }

        private int maxBodyBytes = 64 * 1024 * 1024;
        private TlsOptions tls = TlsOptions.DEFAULT;
        private Proxies proxies = Proxies.NONE;

        private Builder() {}

        /** Event loops; each owns its connections. Default: one per core. */
        public Builder ioThreads(int n) {
            if (n < 1) throw new IllegalArgumentException("ioThreads must be >= 1, got " + n);
            this.ioThreads = n;
            return this;
        }

        /** The loops' threads are named {@code name-N}. */
        public Builder threadName(String name) {
            this.threadName = Objects.requireNonNull(name);
            return this;
        }

        /** TCP connect, proxy tunnel and TLS handshake together. Default 10 s; zero: none. */
        public Builder connectTimeout(Duration d) {
            this.connectTimeout = nonNegative("connectTimeout", d);
            return this;
        }

        /** From the request's write to the answer's first byte. Default: none. */
        public Builder firstByteTimeout(Duration d) {
            this.firstByteTimeout = nonNegative("firstByteTimeout", d);
            return this;
        }

        /** Between reads once the answer has begun (a stalled stream). Default: none. */
        public Builder idleTimeout(Duration d) {
            this.idleTimeout = nonNegative("idleTimeout", d);
            return this;
        }

        /** From the send to the answer's end. Default: none. */
        public Builder totalTimeout(Duration d) {
            this.totalTimeout = nonNegative("totalTimeout", d);
            return this;
        }

        /** Idle connections kept per route on each loop. Default 1024. */
        public Builder maxIdlePerRoute(int n) {
            if (n < 0) throw new IllegalArgumentException("maxIdlePerRoute must be >= 0, got " + n);
            this.maxIdlePerRoute = n;
            return this;
        }

        /**
         * How long an idle connection is kept. Default 4 s, under the shortest common server
         * keep-alive timeout, so that the client closes an idle connection before the server does
         * (see {@link #DEFAULT_IDLE_EXPIRY}); zero: forever.
         */
        public Builder idleExpiry(Duration d) {
            this.idleExpiry = nonNegative("idleExpiry", d);
            return this;
        }

        /** The largest body delivered whole ({@link ResponseListener.Body#WHOLE}). Default 64 MiB. */
        public Builder maxBodyBytes(int n) {
            if (n < 1) throw new IllegalArgumentException("maxBodyBytes must be >= 1, got " + n);
            this.maxBodyBytes = n;
            return this;
        }

        public Builder tls(TlsOptions options) {
            this.tls = Objects.requireNonNull(options);
            return this;
        }

        /** Default {@link Proxies#NONE}; {@code Proxies.fromEnvironment(System.getenv())} for curl's variables. */
        public Builder proxies(Proxies p) {
            this.proxies = Objects.requireNonNull(p);
            return this;
        }

        /**
         * Starts the loops.
         *
         * @throws IllegalArgumentException for a CA file that cannot be read, naming it
         * @throws IllegalStateException when TLS cannot be set up for a CA file or the insecure mode
         *     (the engine or the JDK's trust store refuses), with a message for a person
         */
        public HttpClient build() {
            return new HttpClient(this);
        }

        private static Duration nonNegative(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.isNegative()) throw new IllegalArgumentException(name + " must not be negative, got " + d);
            return d;
        }
    }
}
