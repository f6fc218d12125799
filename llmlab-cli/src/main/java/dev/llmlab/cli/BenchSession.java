package dev.llmlab.cli;

import dev.llmlab.bench.client.Api;
import dev.llmlab.bench.client.BenchClient;
import dev.llmlab.bench.client.Target;
import dev.llmlab.bench.load.Arrivals;
import dev.llmlab.bench.load.Datasets;
import dev.llmlab.bench.load.Schedule;
import dev.llmlab.bench.load.Workload;
import dev.llmlab.bench.measure.Recorder;
import dev.llmlab.bench.measure.RequestRecord;
import dev.llmlab.bench.measure.SaturationDetector;
import dev.llmlab.bench.measure.Targets;
import dev.llmlab.bench.measure.TimeSeries;
import dev.llmlab.bench.report.Reports;
import dev.llmlab.bench.report.RequestLog;
import dev.llmlab.bench.run.LoadPlan;
import dev.llmlab.bench.run.Runner;
import dev.llmlab.bench.server.EnergyMeter;
import dev.llmlab.bench.server.Scraper;
import dev.llmlab.core.dist.Distribution;
import dev.llmlab.core.dist.Distributions;
import dev.llmlab.core.time.Durations;
import dev.llmlab.core.token.Tokenizer;
import dev.llmlab.core.token.Tokenizers;
import dev.llmlab.http.client.Proxies;
import dev.llmlab.http.client.TlsInfo;
import dev.llmlab.http.client.TlsOptions;
import dev.llmlab.sim.Simulator;
import dev.llmlab.sim.config.ServerConfig;
import dev.llmlab.sim.config.SimConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import picocli.CommandLine;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What every bench command sets up once from {@link BenchOptions} and then runs loads on: the
 * target (an embedded simulator by default), the prompts, the targets and one client, kept open
 * so that the points of a sweep share its connections and its warmed-up code.
 */
final class BenchSession implements AutoCloseable {
    static final JsonMapper JSON = JsonMapper.builder().build();

    final BenchOptions o;
    final Api api;
    final String model;
    final Targets targets;
    final String base;
    final Target target;
    final Tokenizer tok;
    /** The prompts; a trace's also carry their send times, in {@link #trace}. */
    final Workload workload;

    final Schedule trace;
    private final Distribution input;
    private final Simulator embedded;
    private final BenchClient client;
    private ObjectNode environment;
    private final Proxies proxies;
    private final java.util.List<java.net.URI> scrape = new java.util.ArrayList<>();

    /** A run's result JSON, with the objects the caller still needs. */
    /** @param clockOffsetSeconds how far into the per-second series the load's own clock started (its connection warm-up) */
    record Run(
            ObjectNode result,
            Recorder.Summary summary,
            Runner.Outcome outcome,
            java.util.List<TimeSeries.Second> seconds,
            double clockOffsetSeconds) {}

    /** @throws Main.CliException (exit 2 or 3) for bad flags, before anything starts */
    BenchSession(BenchOptions o) {
        this(o, false);
    }

    /**
     * @param levels whether it will run several load levels (a sweep or search), whose prompts go on
     *               from one level to the next and so are never fewer than 4,096
     */
    BenchSession(BenchOptions o, boolean levels) {
        this(o, levels, Main.environment());
    }

    /**
     * @param env the environment: the proxy variables ({@code https_proxy}, {@code no_proxy}, ...) and
     *            the API keys; tests pass their own
     */
    BenchSession(BenchOptions o, boolean levels, Map<String, String> env) {
        this.o = o;
        Map<String, String> extra = new LinkedHashMap<>();
        Distribution output;
        try {
            api = Api.parse(o.api);
            for (String h : o.headers) {
                int colon = h.indexOf(':');
                if (colon <= 0) throw new IllegalArgumentException("--header must be 'Name: value', got '" + h + "'");
                extra.put(
                        h.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        h.substring(colon + 1).strip());
            }
            targets = Targets.parse(o.slo, o.targets);
            input = Distributions.parse(o.inputTokens, Distributions.Unit.COUNT);
            output = o.outputTokens == null ? null : Distributions.parse(o.outputTokens, Distributions.Unit.COUNT);
            if (o.maxTokens < 1) throw new IllegalArgumentException("--max-tokens must be >= 1");
            if (o.ioThreads != null && (o.ioThreads < 1 || o.ioThreads > 256)) {
                throw new IllegalArgumentException("--io-threads must be between 1 and 256, got " + o.ioThreads);
            }
            if (o.rate != null && o.concurrency != null)
                throw new IllegalArgumentException("give --concurrency or --rate, not both");
            if (!java.util.List.of("none", "linear", "exponential").contains(o.ramp.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("--ramp must be none, linear or exponential, got '" + o.ramp + "'");
            }
            if (o.caCert != null && o.insecure)
                throw new IllegalArgumentException("give --ca-cert or --insecure, not both");
            for (String u : o.scrape) {
                try {
                    scrape.add(Scraper.metricsUri(u));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--scrape: " + e.getMessage());
                }
            }
        } catch (IllegalArgumentException e) {
            throw new Main.CliException(Main.EXIT_USAGE, e.getMessage());
        }
        // The embedded simulator is our own loopback server: never reached through a proxy.
        try {
            proxies = o.url == null || o.sim ? Proxies.NONE : Proxies.fromEnvironment(env);
        } catch (IllegalArgumentException e) {
            throw new Main.CliException(Main.EXIT_USAGE, "proxy: " + e.getMessage());
        }
        model = o.model != null ? o.model : api == Api.ANTHROPIC_MESSAGES ? "claude-haiku-4-5" : "gpt-4o-mini";
        tok = Tokenizers.forEncoding("o200k_base");
        if (o.dataset != null
                && !java.util.List.of("jsonl", "sharegpt", "trace").contains(o.datasetFormat)) {
            throw new Main.CliException(
                    Main.EXIT_USAGE,
                    "--dataset-format must be jsonl, sharegpt or trace, got '" + o.datasetFormat + "'");
        }
        Workload w;
        Schedule replay = null;
        embedded = o.url == null || o.sim ? startSim(o.simArgs) : null;
        try {
            base = embedded != null ? embedded.scheme() + "://127.0.0.1:" + embedded.port() + "/v1" : o.url;
            try {
                target = Target.of(base, api, model, o.stream, o.apiKey != null ? o.apiKey : envKey(api, env), extra);
                long distinct = !levels && o.requests != null && o.requests > 0 ? Math.min(o.requests, 4096) : 4096;
                if (o.dataset == null) {
                    w = Workload.synthetic(
                            api, model, target.stream(), (int) distinct, input, output, o.maxTokens, tok, o.seed);
                } else {
                    switch (o.datasetFormat) {
                        case "jsonl" -> w = Datasets.jsonl(o.dataset, api, model, target.stream(), o.maxTokens, tok);
                        case "sharegpt" -> w = Datasets.shareGpt(o.dataset, api, model, target.stream(), tok, 100_000);
                        default -> {
                            Datasets.Trace t = Datasets.trace(o.dataset, api, model, target.stream(), tok, o.seed);
                            w = t.workload();
                            replay = Schedule.of(t.offsetsNanos());
                        }
                    }
                }
            } catch (IllegalArgumentException e) {
                throw new Main.CliException(Main.EXIT_USAGE, e.getMessage());
            }
            workload = w;
            trace = replay;
            if (o.insecure) { // on every run, --quiet or not: the figures come from an unverified server
                Main.err().println("warning: --insecure: TLS certificates and host names are not verified");
            }
            try {
                client = new BenchClient(
                        target, ioThreads(), o.timeout, tok, new TlsOptions(o.caCert, o.insecure, null), proxies);
            } catch (IllegalArgumentException e) { // the CA file's problem, named with the file
                throw new Main.CliException(Main.EXIT_USAGE, (o.caCert != null ? "--ca-cert: " : "") + e.getMessage());
            }
        } catch (RuntimeException e) {
            if (embedded != null) embedded.close();
            throw e;
        }
    }

    int ioThreads() {
        return o.ioThreads != null ? o.ioThreads : Runtime.getRuntime().availableProcessors();
    }

    /**
     * The flags' plan, with the load replaced when {@code concurrency} or {@code rate} is given
     * (a scenario's point); without a bound, 30 s (or 64 requests for a plain run).
     */
    LoadPlan plan(Integer concurrency, Double rate, double defaultSeconds) {
        boolean given = concurrency != null || rate != null;
        Integer c = given ? concurrency : o.concurrency;
        Double r = given ? rate : o.rate;
        boolean open = r != null;
        double seconds = o.duration != null ? Durations.toSeconds(o.duration) : 0;
        long n = o.requests != null ? o.requests : 0;
        if (seconds <= 0 && n <= 0) {
            if (defaultSeconds > 0) seconds = defaultSeconds;
            else n = 64;
        }
        try {
            return new LoadPlan(
                    open ? 0 : c != null ? c : 8,
                    open ? r : 0,
                    Arrivals.parse(o.arrival, o.burstiness),
                    o.maxConcurrency != null ? o.maxConcurrency : 0,
                    seconds,
                    n,
                    Durations.toSeconds(o.warmup),
                    Durations.toSeconds(o.cooldown),
                    Schedule.Ramp.valueOf(o.ramp.toUpperCase(Locale.ROOT)),
                    Durations.toSeconds(o.rampTime),
                    o.seed);
        } catch (IllegalArgumentException e) {
            throw new Main.CliException(Main.EXIT_USAGE, e.getMessage());
        }
    }

    /**
     * Runs {@code plan} (on {@code schedule} when given: an open loop at those times) and builds its
     * result JSON, with the targets judged.
     *
     * @param log      every measured request's line, or null
     * @param progress whether to show a progress line on a terminal
     */
    Run run(LoadPlan plan, Schedule schedule, Workload prompts, RequestLog log, boolean progress, String shard) {
        return run(plan, schedule, prompts, log, progress, shard, o.saturationStop);
    }

    /** @param saturationStop whether an open loop whose queue grows without bound stops early */
    Run run(
            LoadPlan plan,
            Schedule schedule,
            Workload prompts,
            RequestLog log,
            boolean progress,
            String shard,
            boolean saturationStop) {
        boolean open = plan.openLoop() || schedule != null;
        Recorder recorder = new Recorder(open, targets.requestBounds());
        long origin = System.nanoTime();
        TimeSeries series = new TimeSeries(origin, open);
        Consumer<RequestRecord> sink = rec -> {
            recorder.record(rec);
            series.record(rec);
            if (log != null) log.record(rec);
        };
        Thread line = !progress || o.quiet || System.console() == null
                ? null
                : Thread.ofPlatform()
                        .daemon()
                        .name("llmlab-bench-progress")
                        .start(progressLine(recorder, plan, origin));
        Runner.Outcome outcome;
        // The server's own view and this machine's energy, over the same seconds.
        Scraper scraper = scrape.isEmpty() ? null : Scraper.start(scrape, origin);
        EnergyMeter energy = EnergyMeter.start();
        ObjectNode server;
        ObjectNode joules;
        try {
            Runner.Watch watch = null;
            if (saturationStop && open) {
                SaturationDetector detector = new SaturationDetector();
                watch = (second, offered, completed, inFlight, ttft, e2e) -> detector.observe(
                                second, offered, completed, inFlight, ttft, e2e)
                        .map(why -> why + "; stopped after " + (second + 1) + " s")
                        .orElse(null);
            }
            outcome = schedule != null
                    ? Runner.replay(client, prompts, plan, schedule, sink, watch)
                    : Runner.run(client, prompts, plan, sink, watch);
        } finally {
            server = scraper == null ? null : scraper.stop();
            joules = energy.stop(recorder.outputTokens());
            if (line != null) {
                line.interrupt();
                System.err.print("\r\033[K");
            }
        }
        Recorder.Summary summary = recorder.summary(outcome.windowSeconds());
        var seconds = series.seconds();
        ObjectNode result = Reports.result(config(plan, shard), environment(), summary, outcome, seconds);
        if (!targets.isEmpty()) result.set("slo", targets.evaluate(result));
        if (server != null) result.set("server", server);
        result.set("energy", joules);
        return new Run(
                result,
                summary,
                outcome,
                seconds,
                outcome.startNanos() == 0 ? 0 : Math.max(0, (outcome.startNanos() - origin) / 1e9));
    }

    /** Writes {@code --json} and {@code --html} when asked. */
    void write(ObjectNode result) {
        Path writing = o.json;
        try {
            if (o.json != null)
                Files.writeString(o.json, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result));
            writing = o.html;
            if (o.html != null) dev.llmlab.bench.report.HtmlReport.write(o.html, result);
        } catch (IOException e) {
            throw new Main.CliException(Main.EXIT_RUNTIME, "cannot write " + writing + ": " + e.getMessage());
        }
    }

    ObjectNode config(LoadPlan plan, String shard) {
        ObjectNode c = JSON.createObjectNode();
        c.put("url", base)
                .put("embedded_sim", o.url == null || o.sim)
                .put("sim_args", o.simArgs)
                .put("api", api.flag())
                .put("model", model)
                .put("stream", o.stream)
                .put("max_tokens", o.maxTokens)
                .put("input_tokens", o.inputTokens)
                .put("output_tokens", o.outputTokens)
                .put("mode", plan.openLoop() ? "open" : "closed")
                .put("concurrency", plan.concurrency())
                .put("rate", plan.rate())
                .put("arrival", o.arrival)
                .put("burstiness", o.burstiness)
                .put("max_concurrency", plan.maxConcurrency())
                .put("duration_s", plan.seconds())
                .put("requests", plan.maxRequests())
                .put("warmup_s", plan.warmupSeconds())
                .put("cooldown_s", plan.cooldownSeconds())
                .put("ramp", o.ramp)
                .put("ramp_s", plan.rampSeconds())
                .put("seed", o.seed)
                .put("slo", o.slo)
                .put("targets", o.targets)
                .put("timeout_s", Durations.toSeconds(o.timeout))
                .put("io_threads", ioThreads())
                .put("shard", shard)
                .put("dataset", o.dataset == null ? null : o.dataset.toString())
                .put("dataset_format", o.dataset == null ? null : o.datasetFormat);
        return c;
    }

    /** The machine, the JDK and the target's model list: read once per session. */
    ObjectNode environment() {
        if (environment != null) return environment.deepCopy();
        ObjectNode e = JSON.createObjectNode();
        e.put("llmlab_version", Simulator.version())
                .put("jdk", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.version"))
                .put(
                        "os",
                        System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                                + System.getProperty("os.arch"))
                .put("cores", Runtime.getRuntime().availableProcessors())
                .put("cpu", cpuModel())
                .put(
                        "memory_bytes",
                        ((com.sun.management.OperatingSystemMXBean)
                                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                                .getTotalMemorySize());
        e.put("transport", client.transport());
        if (target.origin().secure()) {
            ObjectNode t = e.putObject("tls");
            TlsInfo first = client.firstTls();
            t.put("engine", client.tlsEngine())
                    .put("protocol", first == null ? null : first.protocol())
                    .put("cipher", first == null ? null : first.cipher())
                    .put("verified", !o.insecure);
        }
        if (proxies != Proxies.NONE && proxies.any()) e.put("proxy", proxies.toString());
        try {
            e.set("target_models", JSON.readTree(client.get("/models", Duration.ofSeconds(5))));
        } catch (IllegalStateException ex) {
            e.put("target_models", "unavailable: " + ex.getMessage());
        } catch (RuntimeException ex) { // not JSON
            e.put("target_models", "unavailable: the answer is not JSON");
        }
        environment = e;
        return e.deepCopy();
    }

    /** The first failure message of each error class, for a person to read after a run that had errors. */
    Map<String, String> firstFailures() {
        return client.firstFailures();
    }

    @Override
    public void close() {
        client.close();
        if (embedded != null) embedded.close();
    }

    private static String envKey(Api api, Map<String, String> env) {
        String k = env.get("LLMLAB_API_KEY");
        if (k != null) return k;
        return env.get(api == Api.ANTHROPIC_MESSAGES ? "ANTHROPIC_API_KEY" : "OPENAI_API_KEY");
    }

    /** Once a second on a terminal: done/total, rate, errors, TTFT p50, elapsed and what is left. */
    private static Runnable progressLine(Recorder recorder, LoadPlan plan, long origin) {
        return () -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
                double[] p = recorder.progress();
                double elapsed = (System.nanoTime() - origin) / 1e9;
                long done = (long) (p[0] + p[1]);
                String total = plan.maxRequests() > 0 ? "/" + plan.maxRequests() : "";
                double left = plan.seconds() > 0
                        ? Math.max(0, plan.seconds() - elapsed)
                        : plan.maxRequests() > 0 && done > 0
                                ? elapsed * (plan.maxRequests() - done) / done
                                : Double.NaN;
                System.err.printf(
                        Locale.ROOT,
                        "\r\033[K%d%s done, %.1f req/s, %d errors, TTFT p50 %s, %.0f s elapsed%s",
                        done,
                        total,
                        done / elapsed,
                        (long) p[1],
                        Double.isNaN(p[2]) ? "-" : String.format(Locale.ROOT, "%.1f ms", p[2]),
                        elapsed,
                        Double.isNaN(left) ? "" : String.format(Locale.ROOT, ", about %.0f s left", left));
                System.err.flush();
            }
        };
    }

    private static Simulator startSim(String simArgs) {
        // The embedded server's own start and stop lines would interleave with the benchmark's output.
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext logback) {
            logback.getLogger("dev.llmlab.http").setLevel(ch.qos.logback.classic.Level.WARN);
        }
        SimCommand simCommand = new SimCommand();
        try {
            new CommandLine(simCommand)
                    .parseArgs(
                            simArgs.isBlank() ? new String[0] : simArgs.strip().split("\\s+"));
        } catch (CommandLine.ParameterException e) {
            throw new Main.CliException(Main.EXIT_USAGE, "--sim-args: " + e.getMessage());
        }
        SimConfig user = simCommand
                .userConfig()
                .overlay(new SimConfig(
                        new ServerConfig("127.0.0.1", 0, null, null, null, null, null, null, null, null),
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null));
        Simulator s;
        try {
            s = Simulator.start(user, simCommand.latencyOverride());
        } catch (IllegalArgumentException e) {
            throw new Main.CliException(Main.EXIT_CONFIG, "--sim-args: " + e.getMessage());
        }
        // Its tokenizer tables load in the background; a run that overlapped that would measure the load.
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!s.isWarm() && System.nanoTime() < deadline) java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
        return s;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name"))
                    return line.substring(line.indexOf(':') + 1).strip();
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux
        }
        return "unknown";
    }
}
