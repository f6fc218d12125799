package dev.llmlab.sim;

import dev.llmlab.core.time.Clock;
import dev.llmlab.core.token.Tokenizer;
import dev.llmlab.core.token.Tokenizers;
import dev.llmlab.http.HttpServer;
import dev.llmlab.sim.catalog.Catalog;
import dev.llmlab.sim.catalog.Catalog.LatencyOverride;
import dev.llmlab.sim.catalog.ModelSpec;
import dev.llmlab.sim.config.ServerConfig;
import dev.llmlab.sim.config.SimConfig;
import dev.llmlab.sim.fault.FaultPlanner;
import dev.llmlab.sim.limit.RateLimiter;
import dev.llmlab.sim.metrics.SimMetrics;
import dev.llmlab.sim.serve.EngineStarter;
import dev.llmlab.sim.serve.LiveConfig;
import dev.llmlab.sim.serve.SimContext;
import dev.llmlab.sim.serve.SimRoutes;
import dev.llmlab.sim.text.Composer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;

/**
 * A running LLM API simulator: the built-in catalog with a user configuration laid over it,
 * served over HTTP. Thread-safe.
 */
public final class Simulator implements AutoCloseable {
    private final HttpServer server;
    private final SimContext ctx;
    private final SimConfig effective;

    private final EngineStarter engines;

    private Simulator(HttpServer server, SimContext ctx, SimConfig effective, EngineStarter engines) {
        this.engines = engines;
        this.server = server;
        this.ctx = ctx;
        this.effective = effective;
    }

    /**
     * Starts parsing the built-in catalog and loading the HTTP transport on two background threads,
     * so that a command line that will start a simulator overlaps that work with its own start-up.
     * Optional; {@link #start} waits for whatever is still running.
     */
    public static void preloadAsync() {
        Thread.ofPlatform().daemon().name("llmlab-preload-catalog").start(Catalog::builtin);
        Thread.ofPlatform().daemon().name("llmlab-preload-http").start(HttpServer::warmUp);
    }

    /** The configuration the simulator would run with: built-ins with {@code user} laid over them. */
    public static SimConfig effectiveConfig(SimConfig user) {
        return Catalog.builtin().overlay(user);
    }

    /**
     * Validates the configuration, builds the models and binds the listener.
     *
     * @throws IllegalArgumentException for a configuration that names something unknown
     */
    public static Simulator start(SimConfig user, LatencyOverride override) {
        SimConfig config = effectiveConfig(user);
        Catalog catalog = Catalog.build(config, override);
        Composer composer = new Composer(config.generationOrDefault());
        SimContext ctx = new SimContext(
                catalog,
                composer,
                new SimMetrics(),
                config.seed(),
                config.generationOrDefault().tokensPerChunkOrDefault(),
                version(),
                new FaultPlanner(config.faultsOrDefault()),
                new RateLimiter(config.rateLimitsOrDefault(), Clock.system()));
        ServerConfig s = config.serverOrDefault();
        EngineStarter engines = new EngineStarter(ctx.metrics(), config.timeScaleOrDefault(), config.seed());
        HttpServer server = HttpServer.builder()
                .host(s.hostOrDefault())
                .port(s.portOrDefault())
                .maxContentLength(s.maxBodyBytesOrDefault())
                .maxHeaderSize(s.maxHeaderBytesOrDefault())
                .idleTimeout(s.idleTimeoutOrDefault())
                .headTimeout(s.headerTimeoutOrDefault())
                .bodyTimeout(s.bodyTimeoutOrDefault())
                .drainTimeout(s.drainTimeoutOrDefault())
                .ioThreads(s.ioThreadsOrDefault())
                .transport(HttpServer.Transport.valueOf(s.transportOrDefault().toUpperCase(Locale.ROOT)))
                .tls(
                        s.tlsCert() == null ? null : java.nio.file.Path.of(s.tlsCert()),
                        s.tlsKey() == null ? null : java.nio.file.Path.of(s.tlsKey()))
                .router(SimRoutes.router(ctx, config.authOrDefault(), new LiveConfig(ctx, config, override, engines)))
                .errorRenderer(SimRoutes.errorRenderer())
                .listener(SimRoutes.listener(ctx))
                .start();
        engines.start(catalog);
        // Tokenizer tables load after the listener is up: /health answers at once, /ready once loaded.
        Set<Tokenizer> tokenizers = new LinkedHashSet<>();
        for (ModelSpec m : catalog.models()) tokenizers.add(m.tokenizer());
        Tokenizers.warmUp(tokenizers).thenRun(() -> {
            tokenizers.forEach(composer::warmUp);
            ctx.warm().set(true);
        });
        return new Simulator(server, ctx, config, engines);
    }

    public int port() {
        return server.port();
    }

    public InetSocketAddress address() {
        return server.localAddress();
    }

    /** {@code "https"} when it serves TLS, else {@code "http"}. */
    public String scheme() {
        return server.scheme();
    }

    /** The TLS engine ({@code openssl} or {@code jdk}), or null for plain HTTP. */
    public String tlsEngine() {
        return server.tlsEngine() == null ? null : server.tlsEngine().label();
    }

    public String transport() {
        return server.transportName();
    }

    public SimConfig config() {
        return effective;
    }

    public int modelCount() {
        return ctx.catalog().models().size();
    }

    /**
     * One line per batching-engine deployment: its size, and what its cost model predicts for a
     * lone request and at saturation, for 1000-token prompts and 200-token replies.
     */
    public java.util.List<String> engineSummaries() {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (var b : ctx.catalog().engines()) {
            var spec = b.spec();
            var cap = dev.llmlab.sim.engine.Capacity.estimate(spec, 1000, 200);
            out.add(String.format(
                    Locale.ROOT,
                    "engine for %s: %d replica(s), %d KV blocks x %d tokens, max_num_seqs %d;"
                            + " a lone 1000-token prompt: TTFT %.1f ms, ITL %.1f ms; saturates at %.2f req/s (%.0f output tok/s)"
                            + " at 1000/200 tokens a request",
                    b.model(),
                    spec.replicas(),
                    spec.numBlocks(),
                    spec.blockSize(),
                    spec.maxNumSeqs(),
                    cap.loneTtftNanos() / 1e6,
                    cap.loneItlNanos() / 1e6,
                    cap.requestsPerSecond(),
                    cap.outputTokensPerSecond()));
        }
        return out;
    }

    /** Whether tokenizer tables are loaded, as /ready reports. */
    public boolean isWarm() {
        return ctx.warm().get();
    }

    /** Stops accepting, lets in-flight requests and streams finish within the drain time; true if all did. */
    public boolean shutdownGracefully() {
        ctx.draining().set(true);
        boolean clean = server.shutdownGracefully();
        engines.shutdown();
        return clean;
    }

    @Override
    public void close() {
        shutdownGracefully();
    }

    /** The build's version, from the jar's resources. */
    public static String version() {
        try (InputStream in = Simulator.class.getResourceAsStream("/llmlab/version.properties")) {
            if (in == null) return "dev";
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }
}
