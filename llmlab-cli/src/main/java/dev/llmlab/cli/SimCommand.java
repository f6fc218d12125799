package dev.llmlab.cli;

import dev.llmlab.core.config.ConfigException;
import dev.llmlab.core.config.ConfigLoader;
import dev.llmlab.core.dist.Distribution;
import dev.llmlab.core.dist.Distributions;
import dev.llmlab.core.time.Durations;
import dev.llmlab.sim.Simulator;
import dev.llmlab.sim.catalog.Catalog.LatencyOverride;
import dev.llmlab.sim.config.ConfigWriter;
import dev.llmlab.sim.config.GenerationConfig;
import dev.llmlab.sim.config.ModelConfig;
import dev.llmlab.sim.config.References;
import dev.llmlab.sim.config.ServerConfig;
import dev.llmlab.sim.config.SimConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code llmlab sim}: serve the simulated LLM APIs until SIGINT/SIGTERM, then drain and exit. */
@Command(
        name = "sim",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        subcommands = CalibrateCommand.class,
        description = {
            "Serve an OpenAI-, Anthropic- and Gemini-compatible LLM API simulator.",
            "Flags override the config file, which overrides the built-in catalog."
        })
final class SimCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger("llmlab.sim");

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration (see docs/config.md).")
    Path config;

    @Option(names = "--host", paramLabel = "HOST", description = "Listen address (default: 0.0.0.0).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", description = "Listen port (default: 8000; 0 picks a free one).")
    Integer port;

    @Option(
            names = "--profile",
            paramLabel = "NAME",
            description = "Latency profile for every model, e.g. instant, fast, gpt-4o (default: each model's own).")
    String profile;

    @Option(
            names = "--ttft",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "Fixed time to first token for every model, e.g. 100ms.")
    Duration ttft;

    @Option(
            names = "--itl",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "Fixed inter-token latency for every model, e.g. 20ms.")
    Duration itl;

    @Option(
            names = "--engine",
            paramLabel = "MODE",
            description = "profile (latency profiles; models with an engine block still batch) or batching "
                    + "(every chat model on the batching engine).")
    String engine;

    @Option(
            names = "--preset",
            paramLabel = "NAME",
            description = "Engine preset for batching models without their own, e.g. llama-3.1-8b-h100, "
                    + "llama-3.1-70b-h100-tp4; implies --engine batching.")
    String preset;

    @Option(
            names = "--served-model-name",
            paramLabel = "NAME",
            arity = "1..*",
            description = "Also serve a chat model under this id on the OpenAI API, as vLLM's flag does; more names "
                    + "are its aliases (repeatable). Timing from --profile, --ttft/--itl or --preset.")
    List<String> servedModelNames = new java.util.ArrayList<>();

    @Option(names = "--replicas", paramLabel = "N", description = "Replicas of every batching deployment.")
    Integer replicas;

    @Option(names = "--seed", paramLabel = "N", description = "Server seed: reproducible content and latency samples.")
    Long seed;

    @Option(
            names = "--time-scale",
            paramLabel = "X",
            description = "Multiply every simulated delay by X (0.5 = twice as fast, 0 = no delays).")
    Double timeScale;

    @Option(names = "--mode", paramLabel = "MODE", description = "Reply text: natural, echo, fixed, canned, corpus.")
    String mode;

    @Option(names = "--tokens-per-chunk", paramLabel = "N", description = "Tokens per streamed chunk (default: 1).")
    Integer tokensPerChunk;

    @Option(names = "--io-threads", paramLabel = "N", description = "Event-loop threads (default: one per core).")
    Integer ioThreads;

    @Option(
            names = "--tls-cert",
            paramLabel = "FILE",
            description = "Serve TLS with this PEM certificate chain (with --tls-key).")
    String tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "The PEM private key of --tls-cert.")
    String tlsKey;

    @Option(
            names = "--header-timeout",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "Deadline for a whole request head, from the accept or its first byte; a client that "
                    + "has not sent it all by then gets a 408 and is closed (default: 30s; 0 = none).")
    Duration headerTimeout;

    @Option(
            names = "--body-timeout",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "Time allowed for a request body, plus 1 s for every KiB received; a client that runs "
                    + "out gets a 408 and is closed (default: 60s; 0 = none).")
    Duration bodyTimeout;

    @Option(names = "--print-config", description = "Print the effective configuration as YAML and exit.")
    boolean printConfig;

    @Option(
            names = "--self-test",
            hidden = true,
            description = "Start, send one request of every kind to itself without delays, and exit (0 = all good).")
    boolean selfTest;

    @Override
    public Integer call() {
        long started = System.nanoTime();
        SimConfig effective = userConfig();
        LatencyOverride override =
                selfTest ? new LatencyOverride(Distributions.fixed(0), Distributions.fixed(0)) : latencyOverride();
        if (printConfig) {
            spec.commandLine()
                    .getOut()
                    .print(ConfigWriter.yaml(
                            Simulator.effectiveConfig(effective).withDefaults()));
            spec.commandLine().getOut().flush();
            return 0;
        }
        Simulator sim;
        try {
            sim = Simulator.start(effective, override);
        } catch (IllegalArgumentException e) {
            throw new Main.CliException(Main.EXIT_CONFIG, "config error: " + e.getMessage());
        } catch (RuntimeException e) {
            throw new Main.CliException(Main.EXIT_RUNTIME, "cannot start: " + e.getMessage());
        }
        if (selfTest) {
            try {
                List<String> failures = SelfTest.run(sim);
                failures.forEach(f -> spec.commandLine().getErr().println("self-test: " + f));
                return failures.isEmpty() ? 0 : Main.EXIT_RUNTIME;
            } finally {
                sim.close();
            }
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            LOG.info("shutting down: draining in-flight requests");
                            boolean clean = sim.shutdownGracefully();
                            LOG.info(
                                    clean
                                            ? "stopped cleanly"
                                            : "stopped; streams still open at the drain deadline were closed");
                            stopped.countDown();
                        },
                        "llmlab-shutdown"));
        SimConfig c = sim.config();
        LOG.info(
                "llmlab sim {} listening on {}://{}:{} ({} transport{}, {} models, {}, seed {}) in {} ms",
                Simulator.version(),
                sim.scheme(),
                c.serverOrDefault().hostOrDefault(),
                sim.port(),
                sim.transport(),
                sim.tlsEngine() == null ? "" : ", TLS on " + sim.tlsEngine(),
                sim.modelCount(),
                ttft != null || itl != null
                        ? "profile override"
                        : c.allBatching()
                                ? "chat models on the batching engine, preset "
                                        + (c.preset() != null ? c.preset() : SimConfig.DEFAULT_PRESET)
                                : c.profile() != null ? "profile " + c.profile() : "profile per model",
                c.seed() != null ? c.seed() : "none",
                (System.nanoTime() - started) / 1_000_000);
        sim.engineSummaries().forEach(LOG::info);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** The config file with the flags laid over it (not yet over the built-ins). */
    SimConfig userConfig() {
        SimConfig user;
        try {
            SimConfig file = config == null ? SimConfig.empty() : ConfigLoader.load(config, SimConfig.class);
            user = file.overlay(flags());
        } catch (ConfigException e) {
            throw new Main.CliException(Main.EXIT_CONFIG, "config error: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new Main.CliException(Main.EXIT_USAGE, e.getMessage());
        }
        References.firstUnknown(user, Simulator.effectiveConfig(user)).ifPresent(this::refuse);
        return user;
    }

    /**
     * A name that names nothing: a usage error naming the flag when a flag gave it (a flag
     * overrides the file), else a configuration error at its line in the file.
     */
    private void refuse(References.Unknown unknown) {
        String flag = switch (unknown.field()) {
            case "profile" -> profile != null ? "--profile" : null;
            case "preset" -> preset != null ? "--preset" : null;
            default -> null;
        };
        if (flag != null || config == null) {
            throw new Main.CliException(
                    Main.EXIT_USAGE, (flag != null ? flag : unknown.field()) + ": " + unknown.problem());
        }
        throw new Main.CliException(
                Main.EXIT_CONFIG,
                "config error: "
                        + ConfigLoader.errorAt(config, unknown.field(), unknown.problem())
                                .getMessage());
    }

    LatencyOverride latencyOverride() {
        return new LatencyOverride(fixed(ttft), fixed(itl));
    }

    private SimConfig flags() {
        return SimConfig.builder()
                .server(ServerConfig.builder()
                        .host(host)
                        .port(port)
                        .ioThreads(ioThreads)
                        .headerTimeout(headerTimeout)
                        .bodyTimeout(bodyTimeout)
                        .tlsCert(tlsCert)
                        .tlsKey(tlsKey)
                        .build())
                .seed(seed)
                .timeScale(timeScale)
                .profile(profile)
                .generation(GenerationConfig.builder()
                        .mode(mode)
                        .tokensPerChunk(tokensPerChunk)
                        .build())
                .engine(engine)
                .preset(preset)
                .replicas(replicas)
                .models(servedModel())
                .build();
    }

    /** vLLM's --served-model-name: the first name is the model's id, the others its aliases. */
    private List<ModelConfig> servedModel() {
        if (servedModelNames.isEmpty()) return List.of();
        return List.of(ModelConfig.builder()
                .id(servedModelNames.getFirst())
                .aliases(servedModelNames.size() > 1 ? servedModelNames.subList(1, servedModelNames.size()) : null)
                .build());
    }

    private static Distribution fixed(Duration d) {
        return d == null ? null : Distributions.fixed(Durations.toSeconds(d));
    }

    static final class DurationConverter implements picocli.CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Durations.parse(value);
            } catch (IllegalArgumentException e) {
                // picocli would wrap it as "cannot convert ... (java.lang.IllegalArgumentException: ...)"
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
