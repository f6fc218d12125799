package dev.llmlab.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP/1.1 server: keep-alive, pipelining (answered in order), {@code Expect: 100-continue}, request size
 * limits, full responses and Server-Sent Events, on a native transport where available.
 *
 * <pre>{@code
 * Router router = Router.builder()
 *     .add("GET", "/v1/models/{id}", ex -> ex.respond(200, "application/json", json(ex.pathParam("id"))))
 *     .build();
 * try (HttpServer server = HttpServer.builder().port(0).router(router).start()) {
 *     ... server.port() ...
 * }
 * }</pre>
 *
 * <p>Thread-safety: a started server is thread-safe. {@link #shutdownGracefully()} and {@link #close()} may be
 * called from any thread except the server's own event loops (it blocks while connections drain), any number
 * of times; all calls return the outcome of the first. The {@link Builder} is not thread-safe.
 */
public final class HttpServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

    /** Bounds the methods HttpServerCodec remembers for pipelined requests; reads pause long before this. */
    private static final int MAX_PIPELINE_DEPTH = 1024;

    private static final int SO_BACKLOG = 4096;
    private static final long FORCE_CLOSE_WAIT_SECONDS = 5;

    /** The I/O transport. Immutable. */
    public enum Transport {
        /** epoll if it is available, else NIO. */
        AUTO,
        NIO,
        /** epoll; falls back to NIO (with a warning) where it is unavailable. */
        EPOLL,
        /** io_uring; falls back to epoll, then NIO (with a warning) where it is unavailable. */
        IO_URING
    }

    private final ServerContext context;
    private final EventLoopGroup group;
    /** Whether the server started its loops, and so stops them; shared ones ({@link EventLoops}) it leaves. */
    private final boolean ownsLoops;

    private final Channel serverChannel;
    private final String transportName;
    private final Tls.Engine tlsEngine;
    private final long drainTimeoutNanos;
    private final CompletableFuture<Void> acceptingStopped = new CompletableFuture<>();
    private final AtomicReference<CompletableFuture<Boolean>> shutdown = new AtomicReference<>();

    private HttpServer(
            ServerContext context,
            EventLoopGroup group,
            boolean ownsLoops,
            Channel serverChannel,
            String transportName,
            Tls.Engine tlsEngine,
            long drainTimeoutNanos) {
        this.context = context;
        this.group = group;
        this.ownsLoops = ownsLoops;
        this.serverChannel = serverChannel;
        this.transportName = transportName;
        this.tlsEngine = tlsEngine;
        this.drainTimeoutNanos = drainTimeoutNanos;
    }

    /** The default of {@link Builder#headTimeout}: 30 s. */
    public static final Duration DEFAULT_HEAD_TIMEOUT = Duration.ofSeconds(30);

    /** The default of {@link Builder#bodyTimeout}: 60 s, as nginx's {@code client_body_timeout}. */
    public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(60);

    /**
     * The slowest average rate at which a request body is never cut: each KiB received extends its
     * {@linkplain Builder#bodyTimeout deadline} by a second (8 kbit/s, below any link that carries an LLM's answer).
     */
    public static final int MIN_BODY_BYTES_PER_SECOND = 1024;

    /**
     * Descriptors kept back from the connection cap for everything else a process opens (files,
     * logs, its own clients): a quarter of the open-file limit, at most this many.
     */
    static final int RESERVED_DESCRIPTORS = 1024;

    /**
     * The default connection cap: the process's open-file limit (the JVM raises it to the hard limit
     * at start) less what is kept back ({@link #RESERVED_DESCRIPTORS}), divided by {@code
     * descriptorsPerConnection} (2 for a proxy, whose every connection may need an upstream one);
     * 0 (no cap) where the limit cannot be read or there is none.
     */
    public static int defaultMaxConnections(int descriptorsPerConnection) {
        return capFor(openFileLimit(), descriptorsPerConnection);
    }

    /**
     * The soft limit on open files, from Linux's {@code /proc/self/limits} (a file read, where the
     * JVM's management beans would load a subsystem on every server's start); -1 where it cannot be
     * read or is unlimited.
     */
    static long openFileLimit() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/limits"))) {
                if (!line.startsWith("Max open files")) continue;
                String soft = line.substring("Max open files".length()).strip().split("\\s+")[0];
                return soft.equals("unlimited") ? -1 : Long.parseLong(soft);
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux, or an unexpected layout: no default cap
        }
        return -1;
    }

    static int capFor(long openFileLimit, int descriptorsPerConnection) {
        if (openFileLimit <= 0) return 0;
        long kept = Math.min(RESERVED_DESCRIPTORS, openFileLimit / 4);
        long cap = (openFileLimit - kept) / Math.max(1, descriptorsPerConnection);
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, cap));
    }

    /**
     * Loads and initialises what every server needs (the native transport, the pooled allocator,
     * the HTTP codec) without binding anything. A process that calls this on a spare thread while
     * it reads its configuration starts serving sooner; calling it is never required. Thread-safe.
     */
    public static void warmUp() {
        TransportSelector.select(Transport.AUTO);
        io.netty.buffer.ByteBuf b = io.netty.buffer.PooledByteBufAllocator.DEFAULT.directBuffer(64);
        b.release();
        new io.netty.handler.codec.http.HttpServerCodec();
        new io.netty.handler.codec.http.DefaultFullHttpResponse(
                io.netty.handler.codec.http.HttpVersion.HTTP_1_1, io.netty.handler.codec.http.HttpResponseStatus.OK);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The bound address; with port 0 this tells the port the system picked. */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    public int port() {
        return localAddress().getPort();
    }

    /** {@code "epoll"}, {@code "io_uring"} or {@code "nio"}: what {@link Transport} resolved to. */
    public String transportName() {
        return transportName;
    }

    /** The TLS engine serving connections, or null for plain HTTP. */
    public Tls.Engine tlsEngine() {
        return tlsEngine;
    }

    /** {@code "https"} when serving TLS, else {@code "http"}. */
    public String scheme() {
        return tlsEngine == null ? "http" : "https";
    }

    /** Requests read and not yet completed, streams included; a point-in-time estimate across event loops. */
    public int activeExchanges() {
        return (int) context.activeExchanges.sum();
    }

    /**
     * Stops accepting connections, closes idle keep-alive connections, lets in-flight requests and SSE streams
     * finish (their connections close after the final response) for up to the drain timeout, then force-closes
     * what is left (stream producers see their {@code onClose} callbacks) and releases the event loops.
     *
     * @return true if every connection finished on its own within the drain timeout
     * @throws IllegalStateException if called on one of this server's event loops, where waiting would deadlock
     */
    public boolean shutdownGracefully() {
        for (EventExecutor loop : group) {
            if (loop.inEventLoop()) {
                throw new IllegalStateException("shutdownGracefully() must not be called on the server's event loop");
            }
        }
        CompletableFuture<Boolean> mine = new CompletableFuture<>();
        CompletableFuture<Boolean> first = shutdown.compareAndExchange(null, mine);
        if (first != null) {
            return first.join();
        }
        try {
            boolean drained = doShutdown();
            mine.complete(drained);
            return drained;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        }
    }

    /** Same as {@link #shutdownGracefully()}. */
    @Override
    public void close() {
        shutdownGracefully();
    }

    private boolean doShutdown() {
        serverChannel.close().awaitUninterruptibly();
        acceptingStopped.complete(null);
        CompletableFuture<Void> allClosed = context.drain();
        boolean drained = await(allClosed, drainTimeoutNanos);
        if (!drained) {
            log.warn(
                    "drain timeout elapsed with {} connections still open ({} exchanges, {} streams); closing them",
                    context.connectionCount(),
                    context.activeExchanges.sum(),
                    context.openStreams.sum());
            context.forceCloseAll();
            await(allClosed, TimeUnit.SECONDS.toNanos(FORCE_CLOSE_WAIT_SECONDS));
        }
        if (ownsLoops) {
            group.shutdownGracefully(0, FORCE_CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)
                    .awaitUninterruptibly(2 * FORCE_CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        }
        log.info(
                "HTTP server on {} stopped ({})",
                serverChannel.localAddress(),
                drained ? "drained" : "connections force-closed");
        return drained;
    }

    private static boolean await(CompletableFuture<Void> f, long nanos) {
        try {
            f.get(nanos, TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    // ---- package-private, for tests

    CompletableFuture<Void> acceptingStopped() {
        return acceptingStopped;
    }

    int connectionCount() {
        return context.connectionCount();
    }

    int openStreams() {
        return (int) context.openStreams.sum();
    }

    static void initPipeline(ChannelPipeline pipeline, ServerContext context, HttpDecoderConfig decoderConfig) {
        initPipeline(pipeline, context, decoderConfig, null);
    }

    static void initPipeline(
            ChannelPipeline pipeline, ServerContext context, HttpDecoderConfig decoderConfig, SslContext tls) {
        if (tls != null)
            pipeline.addLast("tls", tls.newHandler(pipeline.channel().alloc()));
        ConnectionHandler handler = new ConnectionHandler(context);
        pipeline.addLast("bytes", handler.bytesWatch());
        pipeline.addLast("http", new HttpServerCodec(decoderConfig, MAX_PIPELINE_DEPTH));
        pipeline.addLast("exchange", handler);
    }

    /**
     * Configures and starts an {@link HttpServer}. Not thread-safe; every setter validates its argument and
     * throws {@link IllegalArgumentException} for a value that cannot work.
     */
    public static final class Builder {
        private String host = "0.0.0.0";
        private int port = 8000;
        private int maxContentLength = 4 * 1024 * 1024;
        private int maxHeaderSize = 16 * 1024;
        private int maxInitialLineLength = 8 * 1024;
        private Duration idleTimeout = Duration.ofSeconds(60);
        private Duration headTimeout = DEFAULT_HEAD_TIMEOUT;
        private Duration bodyTimeout = DEFAULT_BODY_TIMEOUT;
        private Duration drainTimeout = Duration.ofSeconds(10);
        private int ioThreads = Runtime.getRuntime().availableProcessors();
        private Transport transport = Transport.AUTO;
        private int lowWaterMark = 32 * 1024;
        private int highWaterMark = 64 * 1024;
        private Router router;
        private ErrorRenderer errorRenderer = JsonErrorRenderer.INSTANCE;
        private ExchangeListener listener;
        private Path tlsCert;
        private Path tlsKey;
        private EventLoops loops;
        /** Null until set: the default is read when the server starts. */
        private Integer maxConnections;

        private Builder() {}

        /**
         * At most this many connections at once; past it, a new connection gets a 503 and is closed
         * before anything of it is read, so that descriptors stay free for the connections served (and
         * for a gateway's upstream calls, and {@code /metrics}). 0 for no cap. Default: {@link
         * #defaultMaxConnections defaultMaxConnections(1)}.
         */
        public Builder maxConnections(int n) {
            if (n < 0) throw new IllegalArgumentException("the connection cap must be >= 0, got " + n);
            this.maxConnections = n;
            return this;
        }

        /**
         * Serves on these loops, shared with a client ({@link EventLoops}), instead of loops of its own;
         * {@code ioThreads} and {@code transport} are then theirs. The server does not stop them.
         */
        public Builder eventLoops(EventLoops shared) {
            this.loops = java.util.Objects.requireNonNull(shared, "shared");
            return this;
        }

        /**
         * Serves TLS (HTTP/1.1 only, no ALPN) with the certificate chain and private key of these PEM
         * files (the server's own certificate first; the key unencrypted, PKCS#8 or PKCS#1), on OpenSSL
         * where it loads, else the JDK's engine ({@link Tls}). The files are read by {@link #start()},
         * which refuses unreadable ones, or a key that is not the certificate's, with an
         * {@link IllegalArgumentException} naming the file. Null for both: plain HTTP (the default).
         */
        public Builder tls(Path certChain, Path key) {
            if ((certChain == null) != (key == null))
                throw new IllegalArgumentException("TLS needs both a certificate and a key file");
            this.tlsCert = certChain;
            this.tlsKey = key;
            return this;
        }

        /** The address to bind; default {@code "0.0.0.0"}. */
        public Builder host(String h) {
            this.host = Objects.requireNonNull(h, "host");
            return this;
        }

        /** The port to bind; default 8000; 0 picks a free one (see {@link HttpServer#port()}). */
        public Builder port(int p) {
            if (p < 0 || p > 65535) {
                throw new IllegalArgumentException("port must be in 0..65535, got " + p);
            }
            this.port = p;
            return this;
        }

        /** Largest request body; a larger one is answered 413 and the connection closed. Default 4 MiB. */
        public Builder maxContentLength(int bytes) {
            this.maxContentLength = positive("maxContentLength", bytes);
            return this;
        }

        /** Largest total size of the request header fields; beyond it 431. Default 16 KiB. */
        public Builder maxHeaderSize(int bytes) {
            this.maxHeaderSize = positive("maxHeaderSize", bytes);
            return this;
        }

        /** Longest request line; beyond it 414. Default 8 KiB. */
        public Builder maxInitialLineLength(int bytes) {
            this.maxInitialLineLength = positive("maxInitialLineLength", bytes);
            return this;
        }

        /**
         * How long a connection with no exchange in progress may stay silent before it is closed; an exchange or
         * stream in progress is never cut, however quiet. Silence in the middle of a request (its head or body
         * partly read) is answered 408 before the close. Default 60 s; zero disables the timeout.
         */
        public Builder idleTimeout(Duration d) {
            this.idleTimeout = nonNegative("idleTimeout", d);
            return this;
        }

        /**
         * The deadline for a whole request head (request line and header fields), as nginx's {@code
         * client_header_timeout}: a client that has not sent all of it in time gets a 408 and the connection is
         * closed, however steadily it trickles bytes (each byte resets the idle timeout; it does not move this
         * deadline). The clock starts when the connection is accepted for its first request (as nginx's: TLS
         * handshake included; a connection that sent nothing by then is closed without an answer), and at the
         * first byte of each later head on a keep-alive connection, never before the previous response is
         * complete: the wait between requests is the {@link #idleTimeout}'s. Bytes of the next head that came in
         * the same read as the end of the previous request start its clock only with the next read; the idle
         * timeout still bounds that gap.
         *
         * <p>Default {@link #DEFAULT_HEAD_TIMEOUT 30 s}, half nginx's 60: a legitimate client sends its head in
         * one round trip, and the largest head this server accepts (8 KiB line, 16 KiB fields) arrives within
         * 30 s even at 8 kbit/s; every second allowed is a second a slow-loris connection holds a descriptor. A
         * connection opened ahead of its first request must use it within this time. Zero disables the deadline
         * (the idle timeout then still closes a client silent that long).
         */
        public Builder headTimeout(Duration d) {
            this.headTimeout = nonNegative("headTimeout", d);
            return this;
        }

        /**
         * The time allowed for a request body, counted from the end of its head: this allowance plus one
         * second for every {@link #MIN_BODY_BYTES_PER_SECOND} bytes received so far. A client that runs out
         * gets a 408 and the connection is closed. nginx's {@code client_body_timeout} bounds only the gap
         * between two reads, which a client dripping a byte at a time never hits; here the {@link
         * #idleTimeout} bounds that gap, and this deadline the whole, so that a drip holds a connection for
         * about this long at most, while a client averaging at least 1 KiB/s (8 kbit/s) is never cut, however
         * large its body: a 1 MB prompt on a 1 Mbit/s link takes 8 s, the largest body allowed by default (4
         * MiB) 34 s. Default {@link #DEFAULT_BODY_TIMEOUT 60 s}; zero disables the deadline.
         */
        public Builder bodyTimeout(Duration d) {
            this.bodyTimeout = nonNegative("bodyTimeout", d);
            return this;
        }

        /** How long {@link HttpServer#shutdownGracefully()} waits for exchanges to finish. Default 10 s. */
        public Builder drainTimeout(Duration d) {
            this.drainTimeout = nonNegative("drainTimeout", d);
            return this;
        }

        /** Event loop threads; default the number of available processors. */
        public Builder ioThreads(int n) {
            this.ioThreads = positive("ioThreads", n);
            return this;
        }

        /** Default {@link Transport#AUTO}. */
        public Builder transport(Transport t) {
            this.transport = Objects.requireNonNull(t, "transport");
            return this;
        }

        /**
         * Outbound buffer thresholds per connection: above {@code high} a stream reports not
         * {@linkplain SseStream#isWritable() writable}, below {@code low} it is writable again. Default 32/64 KiB.
         */
        public Builder writeBufferWaterMark(int low, int high) {
            if (low < 0 || high < low || high == 0) {
                throw new IllegalArgumentException("need 0 <= low <= high and high > 0, got " + low + "/" + high);
            }
            this.lowWaterMark = low;
            this.highWaterMark = high;
            return this;
        }

        /** The routes; default none (everything is 404). */
        public Builder router(Router r) {
            this.router = Objects.requireNonNull(r, "router");
            return this;
        }

        /** Renders the bodies of server-made errors; default {@code {"error":{"message":...}}}. */
        public Builder errorRenderer(ErrorRenderer r) {
            this.errorRenderer = Objects.requireNonNull(r, "errorRenderer");
            return this;
        }

        /** An optional observer of exchanges and streams. */
        public Builder listener(ExchangeListener l) {
            this.listener = l;
            return this;
        }

        /**
         * Binds and starts serving.
         *
         * @throws IllegalStateException if the address cannot be bound; the message names host, port and cause
         */
        public HttpServer start() {
            Tls.Engine engine = tlsCert == null ? null : Tls.engine();
            SslContext tls = tlsCert == null ? null : ServerTls.context(tlsCert, tlsKey, engine);
            ServerContext context = context();
            HttpDecoderConfig decoderConfig = decoderConfig();
            TransportSelector.Selected selected = loops != null ? loops.transport : TransportSelector.select(transport);
            boolean owns = loops == null;
            EventLoopGroup group = owns
                    ? new MultiThreadIoEventLoopGroup(
                            ioThreads,
                            new DefaultThreadFactory("llmlab-http-" + selected.name()),
                            selected.ioHandlerFactory())
                    : loops.group();
            ChannelFuture bind;
            try {
                ServerBootstrap bootstrap = new ServerBootstrap()
                        .group(group)
                        .channel(selected.serverChannel())
                        .handler(new AcceptFailures())
                        .option(ChannelOption.SO_BACKLOG, SO_BACKLOG)
                        .option(ChannelOption.SO_REUSEADDR, true)
                        .childOption(ChannelOption.TCP_NODELAY, true)
                        .childOption(
                                ChannelOption.WRITE_BUFFER_WATER_MARK,
                                new WriteBufferWaterMark(lowWaterMark, highWaterMark))
                        .childHandler(new ChannelInitializer<>() {
                            @Override
                            protected void initChannel(Channel ch) {
                                initPipeline(ch.pipeline(), context, decoderConfig, tls);
                            }
                        });
                bind = bootstrap.bind(host, port).awaitUninterruptibly();
            } catch (RuntimeException e) {
                if (owns) group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
                throw bindFailure(e);
            }
            if (!bind.isSuccess()) {
                if (owns) group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
                throw bindFailure(bind.cause());
            }
            HttpServer server = new HttpServer(
                    context, group, owns, bind.channel(), selected.name(), engine, drainTimeout.toNanos());
            int threads = 0;
            for (io.netty.util.concurrent.EventExecutor ignored : group) threads++;
            log.info(
                    "HTTP server listening on {} ({}, {} I/O threads{})",
                    server.localAddress(),
                    selected.name(),
                    owns ? threads : threads + " shared",
                    engine == null ? "" : ", TLS on " + engine.label());
            return server;
        }

        private IllegalStateException bindFailure(Throwable cause) {
            String reason = cause.getMessage() != null ? cause.getMessage() : cause.toString();
            return new IllegalStateException("cannot bind " + host + ":" + port + ": " + reason, cause);
        }

        ServerContext context() {
            return new ServerContext(
                    router != null ? router : Router.builder().build(),
                    errorRenderer,
                    listener != null ? listener : new ExchangeListener() {},
                    maxContentLength,
                    idleTimeout.toNanos(),
                    headTimeout.toNanos(),
                    bodyTimeout.toNanos(),
                    maxConnections != null ? maxConnections : defaultMaxConnections(1));
        }

        HttpDecoderConfig decoderConfig() {
            return new HttpDecoderConfig()
                    .setMaxInitialLineLength(maxInitialLineLength)
                    .setMaxHeaderSize(maxHeaderSize)
                    // Larger pieces mean fewer content objects (and copies) for big bodies.
                    .setMaxChunkSize(64 * 1024);
        }

        private static int positive(String name, int value) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + " must be positive, got " + value);
            }
            return value;
        }

        private static Duration nonNegative(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative, got " + d);
            }
            return d;
        }
    }
}
