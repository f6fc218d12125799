package dev.llmlab.cli;

import dev.llmlab.core.config.ConfigException;
import dev.llmlab.core.config.ConfigLoader;
import dev.llmlab.core.config.Secret;
import dev.llmlab.gateway.Gateway;
import dev.llmlab.gateway.config.GatewayConfig;
import dev.llmlab.gateway.config.GatewayConfigs;
import dev.llmlab.gateway.config.ServerConfig;
import dev.llmlab.gateway.config.TimeoutConfig;
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
import sun.misc.Signal;

/**
 * {@code llmlab gateway}: OpenAI-, Anthropic- and Gemini-compatible endpoints in front of the
 * deployments a config routes models to, until SIGINT or SIGTERM, then drain and exit; SIGHUP
 * reloads the config file. Without {@code --config} or {@code --upstream}, the upstream is a
 * simulator started in this process: the CLI wires the two features together here, neither
 * imports the other.
 */
@Command(
        name = "gateway",
        mixinStandardHelpOptions = true,
        subcommands = {KeysCommand.class, TeamsCommand.class, AuditCommand.class, AuditCommand.Spend.class},
        sortOptions = false,
        description = {
            "Serve an LLM gateway: OpenAI, Anthropic and Gemini APIs in front of many providers (docs/gateway.md).",
            "--config FILE routes each model to its deployments.",
            "--upstream URL sends every model to one OpenAI-compatible server.",
            "With neither, every model goes to a simulator started in this process."
        })
final class GatewayCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger("llmlab.gateway");

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "The gateway's YAML config: routes, deployments, keys, retries (docs/gateway.md). "
                    + "$${NAME} in a value reads the environment. SIGHUP reloads it.")
    Path config;

    @Option(names = "--print-config", description = "Print the config in effect, secrets redacted, and exit.")
    boolean printConfig;

    @Option(
            names = "--upstream",
            paramLabel = "URL",
            description = "Without --config: an OpenAI-compatible API every model goes to, with its base path, e.g. "
                    + "http://127.0.0.1:8000/v1 (vLLM); repeat it for several replicas of the same models.")
    List<String> upstreams = new ArrayList<>();

    @Option(
            names = "--strategy",
            paramLabel = "NAME",
            description = "With --upstream: how one is picked per request: weighted, round-robin, random, "
                    + "least-outstanding, latency, cost, priority (default: least-outstanding).")
    String strategy;

    @Option(
            names = "--upstream-key-env",
            paramLabel = "VAR",
            description = "With --upstream: the environment variable holding the upstream's API key, sent as "
                    + "Authorization: Bearer (default: the client's own Authorization goes on).")
    String upstreamKeyEnv;

    @Option(names = "--host", paramLabel = "HOST", description = "Listen address (default: 0.0.0.0, or the config's).")
    String host;

    @Option(
            names = "--port",
            paramLabel = "PORT",
            description = "Listen port (default: 4000, or the config's; 0 picks a free one).")
    Integer port;

    @Option(
            names = "--io-threads",
            paramLabel = "N",
            description = "Event loops, shared by clients' connections and upstream calls (default: one per core).")
    Integer ioThreads;

    @Option(
            names = "--first-byte-timeout",
            paramLabel = "DURATION",
            converter = SimCommand.DurationConverter.class,
            description = "How long an upstream may take to begin its answer (default: 600s, or the config's).")
    Duration firstByte;

    @Option(
            names = "--idle-timeout",
            paramLabel = "DURATION",
            converter = SimCommand.DurationConverter.class,
            description = "How long an upstream stream may fall silent (default: 120s, or the config's).")
    Duration idle;

    @Option(
            names = "--header-timeout",
            paramLabel = "DURATION",
            converter = SimCommand.DurationConverter.class,
            description = "A client's request head must arrive within this, or it gets a 408 and is closed "
                    + "(default: 30s, or the config's; 0 for none).")
    Duration headerTimeout;

    @Option(
            names = "--body-timeout",
            paramLabel = "DURATION",
            converter = SimCommand.DurationConverter.class,
            description = "A request body's deadline, plus a second per KiB received (default: 60s, or the "
                    + "config's; 0 for none).")
    Duration bodyTimeout;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "Serve https with this PEM certificate chain.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "The PEM private key of --tls-cert.")
    Path tlsKey;

    @Override
    public Integer call() {
        if ((tlsCert == null) != (tlsKey == null))
            throw new Main.CliException(Main.EXIT_USAGE, "--tls-cert and --tls-key go together");
        if (port != null && (port < 0 || port > 65535))
            throw new Main.CliException(Main.EXIT_USAGE, "--port must be in 0..65535, got " + port);
        if (ioThreads != null && ioThreads < 0)
            throw new Main.CliException(Main.EXIT_USAGE, "--io-threads must be >= 0, got " + ioThreads);
        if (config != null && (!upstreams.isEmpty() || strategy != null || upstreamKeyEnv != null))
            throw new Main.CliException(
                    Main.EXIT_USAGE,
                    "--config and --upstream, --strategy, --upstream-key-env do not go together: routes go in the file");
        if (upstreams.isEmpty() && (strategy != null || upstreamKeyEnv != null))
            throw new Main.CliException(Main.EXIT_USAGE, "--strategy and --upstream-key-env go with --upstream");
        GatewayConfig cfg = config != null ? load() : fromFlags();
        Simulator sim = null;
        String simOrigin = null;
        if (cfg == null) {
            if (printConfig) {
                simOrigin = "http://127.0.0.1:PORT";
            } else {
                try {
                    sim = Simulator.start(
                            ConfigLoader.parse(
                                    "server: {host: 127.0.0.1, port: 0}\n", "embedded simulator", SimConfig.class),
                            LatencyOverride.NONE);
                } catch (RuntimeException e) {
                    throw new Main.CliException(Main.EXIT_RUNTIME, "cannot start the simulator: " + e.getMessage());
                }
                simOrigin = "http://127.0.0.1:" + sim.port();
            }
            cfg = GatewayConfigs.forSimulator(simOrigin);
        }
        cfg = overlay(cfg);
        if (printConfig) {
            spec.commandLine().getOut().print(GatewayConfigs.print(cfg));
            spec.commandLine().getOut().flush();
            return 0;
        }
        Gateway gateway;
        try {
            gateway = Gateway.start(cfg);
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
        if (config != null) reloadOnHangup(gateway);
        LOG.info(
                "llmlab gateway listening on {}://{}:{}, {} route(s){}",
                gateway.scheme(),
                cfg.server().host(),
                gateway.port(),
                cfg.routes().size(),
                embedded == null
                        ? (config == null ? " to " + upstreams : " from " + config)
                        : " to a simulator in this process at " + simOrigin);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private GatewayConfig load() {
        try {
            return GatewayConfigs.load(config, System::getenv);
        } catch (ConfigException e) {
            throw new Main.CliException(Main.EXIT_CONFIG, "config error: " + e.getMessage());
        }
    }

    /** The config of --upstream, or null for the embedded simulator. */
    private GatewayConfig fromFlags() {
        if (upstreams.isEmpty()) return null;
        Secret key = null;
        if (upstreamKeyEnv != null) {
            String k = System.getenv(upstreamKeyEnv);
            if (k == null || k.isBlank())
                throw new Main.CliException(
                        Main.EXIT_USAGE, "--upstream-key-env " + upstreamKeyEnv + ": that variable is not set");
            key = Secret.of(k);
        }
        for (String u : upstreams) {
            try {
                dev.llmlab.gateway.provider.Upstream.parse(u);
            } catch (IllegalArgumentException e) {
                throw new Main.CliException(Main.EXIT_USAGE, "--upstream: " + e.getMessage());
            }
        }
        try {
            return GatewayConfigs.forUpstreams(upstreams, strategy, key);
        } catch (IllegalArgumentException e) {
            throw new Main.CliException(Main.EXIT_USAGE, "--strategy: " + e.getMessage());
        }
    }

    /** The flags laid over the config's server and timeouts. */
    private GatewayConfig overlay(GatewayConfig c) {
        ServerConfig s = c.server();
        TimeoutConfig t = c.timeouts();
        try {
            return c.withServer(
                    new ServerConfig(
                            host != null ? host : s.host(),
                            port != null ? port : s.port(),
                            ioThreads != null ? ioThreads : s.ioThreads(),
                            tlsCert != null ? tlsCert : s.tlsCert(),
                            tlsKey != null ? tlsKey : s.tlsKey(),
                            headerTimeout != null ? headerTimeout : s.headerTimeout(),
                            bodyTimeout != null ? bodyTimeout : s.bodyTimeout()),
                    new TimeoutConfig(
                            t.connect(),
                            firstByte != null ? firstByte : t.firstByte(),
                            idle != null ? idle : t.idle(),
                            t.total()));
        } catch (IllegalArgumentException e) {
            throw new Main.CliException(Main.EXIT_USAGE, e.getMessage());
        }
    }

    /** SIGHUP reads the file again; a config with a mistake is refused, and the one running stays. */
    private void reloadOnHangup(Gateway gateway) {
        try {
            Signal.handle(new Signal("HUP"), sig -> {
                try {
                    gateway.reload(overlay(GatewayConfigs.load(config, System::getenv)));
                    LOG.info("reloaded {}", config);
                } catch (ConfigException e) {
                    LOG.warn("not reloaded, the running config stays: {}", e.getMessage());
                } catch (Main.CliException | IllegalArgumentException e) {
                    LOG.warn("not reloaded, the running config stays: {}", e.getMessage());
                }
            });
        } catch (IllegalArgumentException e) {
            LOG.warn("SIGHUP cannot be handled here, so the config is read at start only: {}", e.getMessage());
        }
    }
}
