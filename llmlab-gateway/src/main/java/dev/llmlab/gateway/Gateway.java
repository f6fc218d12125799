package dev.llmlab.gateway;

import dev.llmlab.api.openai.OpenAiResponses;
import dev.llmlab.gateway.proxy.PassThrough;
import dev.llmlab.gateway.proxy.Upstream;
import dev.llmlab.gateway.route.Route;
import dev.llmlab.gateway.route.Strategy;
import dev.llmlab.gateway.route.Target;
import dev.llmlab.http.ErrorRenderer;
import dev.llmlab.http.EventLoops;
import dev.llmlab.http.HttpServer;
import dev.llmlab.http.Router;
import dev.llmlab.http.client.HttpClient;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A running gateway: one OpenAI-compatible endpoint in front of upstreams that serve the same
 * models.
 *
 * <p>This is the gateway's first part: the same API on both sides, every request passed through
 * to one of the upstreams, picked by the route's {@link Strategy} ({@link PassThrough}). Routes
 * per model over many providers, translation between APIs, key pools, retries, fallback and
 * breakers come next (docs/gateway.md says what is built).
 *
 * <p>Thread-safety: a started gateway is thread-safe; {@link #close()} may be called from any
 * thread but its own event loops.
 */
public final class Gateway implements AutoCloseable {
    /** The OpenAI endpoints passed through, with their paths after {@code /v1}. */
    private static final String[][] OPENAI = {
        {"POST", "/chat/completions"},
        {"POST", "/completions"},
        {"POST", "/embeddings"},
        {"POST", "/responses"},
        {"GET", "/models"},
    };

    private final EventLoops loops;
    private final HttpClient client;
    private final HttpServer server;

    private Gateway(EventLoops loops, HttpClient client, HttpServer server) {
        this.loops = loops;
        this.client = client;
        this.server = server;
    }

    /**
     * Starts listening. The server and the upstream client share their event loops: a request's
     * upstream call goes out on the loop the request came in on, and its answer comes back there, so
     * nothing is handed between threads on the way.
     *
     * @throws IllegalArgumentException for options that cannot be served (a TLS file that cannot be read)
     * @throws IllegalStateException    when the port cannot be bound
     */
    public static Gateway start(GatewayOptions o) {
        int threads = o.ioThreads() > 0 ? o.ioThreads() : Runtime.getRuntime().availableProcessors();
        EventLoops loops = EventLoops.start(threads, "llmlab-gateway");
        HttpClient client = null;
        try {
            client = HttpClient.builder()
                    .eventLoops(loops)
                    .connectTimeout(o.connectTimeout())
                    .firstByteTimeout(o.firstByte())
                    .idleTimeout(o.idle())
                    .totalTimeout(o.total())
                    .build();
            List<Target> targets = new ArrayList<>();
            for (Upstream u : o.upstreams()) targets.add(new Target(u.toString(), u));
            Route route = new Route(targets, o.strategy());
            Router.Builder routes = Router.builder();
            for (String[] e : OPENAI) {
                routes.add(e[0], "/v1" + e[1], new PassThrough(client, route, o.upstreamKey(), e[1]));
            }
            HttpServer.Builder b = HttpServer.builder()
                    .host(o.host())
                    .port(o.port())
                    .eventLoops(loops)
                    // each client connection may need an upstream one: half the descriptors for each
                    .maxConnections(HttpServer.defaultMaxConnections(2))
                    .router(routes.build())
                    .errorRenderer(OPENAI_ERRORS);
            if (o.tlsCert() != null) b.tls(o.tlsCert(), o.tlsKey());
            return new Gateway(loops, client, b.start());
        } catch (RuntimeException e) {
            if (client != null) client.close();
            loops.close();
            throw e;
        }
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
        loops.close();
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
