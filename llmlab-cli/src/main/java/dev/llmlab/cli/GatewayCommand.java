package dev.llmlab.cli;

import dev.llmlab.core.config.ConfigLoader;
import dev.llmlab.gateway.Gateway;
import dev.llmlab.gateway.GatewayOptions;
import dev.llmlab.gateway.proxy.Upstream;
import dev.llmlab.gateway.route.Strategy;
import dev.llmlab.sim.Simulator;
import dev.llmlab.sim.catalog.Catalog.LatencyOverride;
import dev.llmlab.sim.config.SimConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code llmlab gateway}: an OpenAI-compatible endpoint in front of an upstream, until SIGINT or
 * SIGTERM, then drain and exit. Without {@code --upstream}, the upstream is a simulator started in
 * this process: the CLI wires the two features together here, neither imports the other.
 */
@Command(
        name = "gateway",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Serve an OpenAI-compatible LLM gateway in front of upstreams (docs/gateway.md).",
            "Requests pass through to one --upstream as they are, streams chunk by chunk;",
            "without --upstream, to a simulator started in this process."
        })
final class GatewayCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger("llmlab.gateway");

    @Option(
            names = "--upstream",
            paramLabel = "URL",
            description = "An OpenAI-compatible API requests go to, with its base path, e.g. "
                    + "http://127.0.0.1:8000/v1 (vLLM); repeat it for several replicas of the same models "
                    + "(default: a simulator started in this process).")
    List<String> upstreams = new ArrayList<>();

    @Option(
            names = "--strategy",
            paramLabel = "NAME",
            defaultValue = "least-outstanding",
            description = "How an upstream is picked per request: round-robin, random, least-outstanding, "
                    + "latency (default: ${DEFAULT-VALUE}).")
    String strategy;

    @Option(
            names = "--upstream-key-env",
            paramLabel = "VAR",
            description = "The environment variable holding the upstream's API key, sent as Authorization: "
                    + "Bearer (default: the client's own Authorization goes on).")
    String upstreamKeyEnv;

    @Option(
            names = "--host",
            paramLabel = "HOST",
            defaultValue = "0.0.0.0",
            description = "Listen address (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(
            names = "--port",
            paramLabel = "PORT",
            defaultValue = "4000",
            description = "Listen port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(
            names = "--io-threads",
            paramLabel = "N",
            defaultValue = "0",
            description = "Event loops, shared by clients' connections and upstream calls (default: one per core).")
    int ioThreads;

    @Option(
            names = "--first-byte-timeout",
            paramLabel = "DURATION",
            converter = SimCommand.DurationConverter.class,
            defaultValue = "600s",
            description = "How long the upstream may take to begin its answer (default: ${DEFAULT-VALUE}).")
    Duration firstByte;

    @Option(
            names = "--idle-timeout",
            paramLabel = "DURATION",
            converter = SimCommand.DurationConverter.class,
            defaultValue = "120s",
            description = "How long an upstream stream may fall silent (default: ${DEFAULT-VALUE}).")
    Duration idle;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "Serve https with this PEM certificate chain.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "The PEM private key of --tls-cert.")
    Path tlsKey;

    @Override
    public Integer call() {
        if ((tlsCert == null) != (tlsKey == null))
            throw new Main.CliException(Main.EXIT_USAGE, "--tls-cert and --tls-key go together");
        if (port < 0 || port > 65535)
            throw new Main.CliException(Main.EXIT_USAGE, "--port must be in 0..65535, got " + port);
        if (ioThreads < 0) throw new Main.CliException(Main.EXIT_USAGE, "--io-threads must be >= 0, got " + ioThreads);
        String key = null;
        if (upstreamKeyEnv != null) {
            key = System.getenv(upstreamKeyEnv);
            if (key == null || key.isBlank())
                throw new Main.CliException(
                        Main.EXIT_USAGE, "--upstream-key-env " + upstreamKeyEnv + ": that variable is not set");
        }
        Strategy picked;
        try {
            picked = Strategy.parse(strategy);
        } catch (IllegalArgumentException e) {
            throw new Main.CliException(Main.EXIT_USAGE, "--strategy: " + e.getMessage());
        }
        List<Upstream> targets = new ArrayList<>();
        for (String u : upstreams) {
            try {
                targets.add(Upstream.parse(u));
            } catch (IllegalArgumentException e) {
                throw new Main.CliException(Main.EXIT_USAGE, "--upstream: " + e.getMessage());
            }
        }
        Simulator sim = null;
        if (targets.isEmpty()) {
            try {
                sim = Simulator.start(
                        ConfigLoader.parse(
                                "server: {host: 127.0.0.1, port: 0}\n", "embedded simulator", SimConfig.class),
                        LatencyOverride.NONE);
            } catch (RuntimeException e) {
                throw new Main.CliException(Main.EXIT_RUNTIME, "cannot start the simulator: " + e.getMessage());
            }
            targets.add(Upstream.parse("http://127.0.0.1:" + sim.port() + "/v1"));
        }
        Gateway gateway;
        try {
            GatewayOptions d = GatewayOptions.of(host, port, targets.getFirst());
            gateway = Gateway.start(new GatewayOptions(
                    host,
                    port,
                    ioThreads,
                    targets,
                    picked,
                    key,
                    d.connectTimeout(),
                    firstByte,
                    idle,
                    d.total(),
                    tlsCert,
                    tlsKey));
        } catch (RuntimeException e) {
            if (sim != null) sim.close();
            int code = e instanceof IllegalArgumentException ? Main.EXIT_CONFIG : Main.EXIT_RUNTIME;
            throw new Main.CliException(code, "cannot start: " + e.getMessage());
        }
        Simulator embedded = sim;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            LOG.info("shutting down: draining in-flight requests");
                            boolean clean = gateway.shutdownGracefully();
                            if (embedded != null) embedded.shutdownGracefully();
                            LOG.info(
                                    clean
                                            ? "stopped cleanly"
                                            : "stopped; streams still open at the drain deadline were closed");
                            stopped.countDown();
                        },
                        "llmlab-shutdown"));
        LOG.info(
                "llmlab gateway listening on {}://{}:{}, requests to {}{}",
                gateway.scheme(),
                host,
                gateway.port(),
                targets.size() == 1
                        ? targets.getFirst()
                        : targets.size() + " upstreams " + targets + " by " + picked.flag(),
                embedded == null ? "" : " (a simulator in this process)");
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
