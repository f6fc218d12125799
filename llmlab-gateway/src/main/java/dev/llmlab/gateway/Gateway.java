package dev.llmlab.gateway;

import dev.llmlab.api.openai.OpenAiResponses;
import dev.llmlab.core.token.Tokenizers;
import dev.llmlab.gateway.account.UsageEstimate;
import dev.llmlab.gateway.config.GatewayConfig;
import dev.llmlab.gateway.config.ServerConfig;
import dev.llmlab.gateway.config.TimeoutConfig;
import dev.llmlab.gateway.observe.AccessLog;
import dev.llmlab.gateway.observe.GatewayMetrics;
import dev.llmlab.gateway.proxy.Observers;
import dev.llmlab.gateway.proxy.Proxy;
import dev.llmlab.gateway.proxy.Settings;
import dev.llmlab.http.ErrorRenderer;
import dev.llmlab.http.EventLoops;
import dev.llmlab.http.HttpServer;
import dev.llmlab.http.Router;
import dev.llmlab.http.client.HttpClient;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A running gateway: OpenAI-, Anthropic- and Gemini-compatible endpoints in front of the
 * deployments its config routes each model to.
 *
 * <p>The config's routes, client keys, retry policy, breaker settings and prices can be replaced
 * while it runs ({@link #reload}): requests read one snapshot from start to end, so those in
 * flight, streams included, finish as they began. Where to listen, the timeouts and the access log
 * are read at start only.
 *
 * <p>Thread-safety: a started gateway is thread-safe; {@link #close()} may be called from any
 * thread but its own event loops.
 */
public final class Gateway implements AutoCloseable {
    private final EventLoops loops;
    private final HttpClient client;
    private final HttpServer server;
    private final State state;
    private final Observers observers;

    private Gateway(EventLoops loops, HttpClient client, HttpServer server, State state, Observers observers) {
        this.loops = loops;
        this.client = client;
        this.server = server;
        this.state = state;
        this.observers = observers;
    }

    /**
     * Starts listening. The server and the upstream client share their event loops: a request's
     * upstream call goes out on the loop the request came in on, and its answer comes back there, so
     * nothing is handed between threads on the way.
     *
     * @throws IllegalArgumentException for a config that cannot be served (a TLS file that cannot be read,
     *     an access log file that cannot be opened)
     * @throws IllegalStateException    when the port cannot be bound, or the config's Redis cannot be reached
     */
    public static Gateway start(GatewayConfig config) {
        ServerConfig sc = config.server();
        int threads = sc.ioThreads() > 0 ? sc.ioThreads() : Runtime.getRuntime().availableProcessors();
        GatewayMetrics metrics = new GatewayMetrics();
        AccessLog accessLog;
        try {
            accessLog = AccessLog.open(config.accessLog(), metrics);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot open the access log " + config.accessLog().file() + ": " + e.getMessage());
        }
        UsageEstimate estimate = UsageEstimate.defaultEstimate();
        // the tokenizer's table loads on first use: load it now, not in the first request's event loop
        Tokenizers.warmUp(List.of(estimate.tokenizer()));
        EventLoops loops = EventLoops.start(threads, "llmlab-gateway");
        State state;
        try {
            state = State.open(config, metrics);
        } catch (RuntimeException e) {
            loops.close();
            accessLog.close();
            throw e;
        }
        Observers observers = new Observers(metrics, accessLog, estimate, state.spend());
        AtomicReference<Settings> settings = state.snapshot();
        HttpClient client = null;
        try {
            TimeoutConfig t = config.timeouts();
            client = HttpClient.builder()
                    .eventLoops(loops)
                    .connectTimeout(t.connect())
                    .firstByteTimeout(t.firstByte())
                    .idleTimeout(t.idle())
                    .totalTimeout(t.total())
                    .build();
            Router.Builder routes = Router.builder();
            Proxy.addTo(routes, settings::get, observers, client);
            state.addAdminTo(routes);
            HttpServer.Builder b = HttpServer.builder()
                    .host(sc.host())
                    .port(sc.port())
                    .eventLoops(loops)
                    // each client connection may need an upstream one: half the descriptors for each
                    .maxConnections(HttpServer.defaultMaxConnections(2))
                    .headTimeout(sc.headerTimeout())
                    .bodyTimeout(sc.bodyTimeout())
                    .router(routes.build())
                    .errorRenderer(OPENAI_ERRORS);
            if (sc.tlsCert() != null) b.tls(sc.tlsCert(), sc.tlsKey());
            return new Gateway(loops, client, b.start(), state, observers);
        } catch (RuntimeException e) {
            if (client != null) client.close();
            state.close();
            loops.close();
            accessLog.close();
            throw e;
        }
    }

    /**
     * Replaces the routes, client keys, retry policy, breaker settings and prices at once.
     * Deployments unchanged since the last config (breaker settings included) keep their state
     * (keys' cooldowns, breaker, latency average); the server section, the timeouts and the access
     * log of a running gateway stay as they started.
     */
    public void reload(GatewayConfig config) {
        state.reload(config);
    }

    public int port() {
        return server.port();
    }

    /** {@code http} or {@code https}. */
    public String scheme() {
        return server.scheme();
    }

    /**
     * Stops accepting, lets the answers in flight finish (streams included) within the server's drain
     * time, then closes the upstream connections.
     *
     * @return true if everything in flight finished in time
     */
    public boolean shutdownGracefully() {
        boolean drained = server.shutdownGracefully();
        client.close();
        // Streams cut by the client's close record their spend on their loops: let what is queued on
        // each loop run (twice: a task may queue another) before the spend log closes.
        for (int round = 0; round < 2; round++)
            for (io.netty.util.concurrent.EventExecutor e : loops.group())
                if (!e.isShuttingDown()) e.submit(() -> {}).awaitUninterruptibly(1_000);
        // after the last request ended: its spend is written before the database closes
        state.close();
        loops.close();
        observers.accessLog().close();
        return drained;
    }

    @Override
    public void close() {
        shutdownGracefully();
    }

    /** Errors of the gateway's own HTTP layer (an unknown path, a wrong method) in OpenAI's shape. */
    private static final ErrorRenderer OPENAI_ERRORS = new ErrorRenderer() {
        @Override
        public ByteBuf render(ByteBufAllocator alloc, int status, String message) {
            ByteBuf buf = alloc.buffer(256);
            String type = status >= 500 ? "server_error" : "invalid_request_error";
            OpenAiResponses.writeError(new ByteBufOutputStream(buf), message, type, null, null);
            return buf;
        }

        @Override
        public String contentType() {
            return "application/json";
        }
    };
}
