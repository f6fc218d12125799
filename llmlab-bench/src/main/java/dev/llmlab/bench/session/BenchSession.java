package dev.llmlab.bench.session;

import dev.llmlab.api.client.ClientApi;
import dev.llmlab.bench.client.BenchClient;
import dev.llmlab.bench.client.Target;
import dev.llmlab.bench.load.Arrivals;
import dev.llmlab.bench.load.Schedule;
import dev.llmlab.bench.load.Workload;
import dev.llmlab.bench.measure.Recorder;
import dev.llmlab.bench.measure.RequestRecord;
import dev.llmlab.bench.measure.SaturationDetector;
import dev.llmlab.bench.measure.Targets;
import dev.llmlab.bench.measure.TimeSeries;
import dev.llmlab.bench.report.HtmlReport;
import dev.llmlab.bench.report.Reports;
import dev.llmlab.bench.report.RequestLog;
import dev.llmlab.bench.result.BenchResult;
import dev.llmlab.bench.result.Energy;
import dev.llmlab.bench.result.Environment;
import dev.llmlab.bench.result.ResultJson;
import dev.llmlab.bench.result.RunConfig;
import dev.llmlab.bench.result.Second;
import dev.llmlab.bench.result.Server;
import dev.llmlab.bench.result.Stats;
import dev.llmlab.bench.run.Delivery;
import dev.llmlab.bench.run.LoadPlan;
import dev.llmlab.bench.run.Runner;
import dev.llmlab.bench.server.EnergyMeter;
import dev.llmlab.bench.server.Scraper;
import dev.llmlab.core.dist.Distribution;
import dev.llmlab.core.dist.Distributions;
import dev.llmlab.core.time.Durations;
import dev.llmlab.core.token.Tokenizer;
import dev.llmlab.http.client.Proxies;
import dev.llmlab.http.client.TlsOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What every bench command sets up once from its {@link SessionOptions} and then runs loads on: the
 * target (a {@link LocalTarget} by default), the prompts, the targets and one client, kept open so
 * that the levels of a scenario share its connections and its warmed-up code. Each run is measured
 * into a {@link BenchResult} with its targets judged, the server's scrape and this machine's energy.
 *
 * <p>Every setting is checked when the session starts, before anything runs: a bad one is a
 * {@link BenchException} of kind usage naming its flag. Not thread-safe: one command drives it.
 */
public final class BenchSession implements AutoCloseable {
    /**
     * What the caller supplies besides the settings.
     *
     * @param localTarget   starts the target to measure without {@code url} (the embedded simulator)
     * @param llmlabVersion the version the result's environment records
     * @param environment   the process's environment: the proxy variables ({@code https_proxy},
     *                      {@code no_proxy}, ...) and the API keys; a test passes its own
     * @param warnings      where a warning for the person running the session goes (an unverified
     *                      TLS connection), whether or not the run is quiet
     */
    public record Wiring(
            LocalTarget.Factory localTarget,
            String llmlabVersion,
            Map<String, String> environment,
            Consumer<String> warnings) {
        public Wiring {
            environment = Map.copyOf(environment);
        }
    }

    /**
     * A run's result, with what the caller still needs.
     *
     * @param clockOffsetSeconds how far into the per-second series the load's own clock started (its connection warm-up)
     */
    public record Run(BenchResult result, Delivery delivery, double clockOffsetSeconds) {
        public List<Second> seconds() {
            return result.timeseries();
        }
    }

    private final SessionOptions o;
    private final Wiring wiring;
    private final ClientApi api;
    private final String model;
    private final Targets targets;
    private final String base;
    private final Prompts prompts;
    /** The opening of this session's prompts, fresh per session; "" with --reuse-prompts. */
    private final String nonce;
    /** Counts prompt lengths and checks the server's usage ({@code --tokenizer}). */
    private final Tokenizer tok;
    /** Fields laid over every request body ({@code --extra-body}), or null. */
    private tools.jackson.databind.node.ObjectNode extraBody;

    private final LocalTarget local;
    private final BenchClient client;
    /** What every request asks of whom: the check request is made of it. */
    private final Target target;
    /** Whether the check request went and was answered (once per session, before its first run). */
    private boolean checked;
    /** Stops the session's runs from outside: a person's Ctrl-C ({@link #interrupt}). */
    private final Runner.Stop stop = new Runner.Stop();
    /** Whether answers stream: the lag is then judged beside the TTFT, else beside the e2e. */
    private final boolean streaming;
    /** Whether the target is reached over TLS. */
    private final boolean secure;

    private final Proxies proxies;
    /** How https is verified, for the load and the scrape alike. */
    private final TlsOptions tls;

    private final List<URI> scrape = new ArrayList<>();
    private Environment environment;

    /** A session for single runs. */
    public BenchSession(SessionOptions o, Wiring wiring) {
        this(o, false, wiring);
    }

    /**
     * @param levels whether it will run several load levels (a sweep or search), whose prompts go on
     *               from one level to the next and so are never fewer than 4,096
     * @throws BenchException for bad settings (usage) or a local target that cannot start, before any load runs
     */
    public BenchSession(SessionOptions o, boolean levels, Wiring wiring) {
        this.o = o;
        this.wiring = wiring;
        Outputs.checkWritable(o.json(), "--json");
        Outputs.checkWritable(o.html(), "--html");
        Map<String, String> extra = new LinkedHashMap<>();
        Distribution input;
        Distribution output;
        try {
            try {
                api = ClientApi.parse(o.api());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--api must be one of "
                        + java.util.Arrays.stream(ClientApi.values())
                                .map(ClientApi::flag)
                                .collect(java.util.stream.Collectors.joining(", "))
                        + "; got '" + o.api() + "'");
            }
            for (String h : o.headers()) {
                int colon = h.indexOf(':');
                if (colon <= 0) throw new IllegalArgumentException("--header must be 'Name: value', got '" + h + "'");
                extra.put(
                        h.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        h.substring(colon + 1).strip());
            }
            targets = Targets.parse(o.slo(), o.targets());
            input = Distributions.parse(o.inputTokens(), Distributions.Unit.COUNT);
            output = o.outputTokens() == null ? null : Distributions.parse(o.outputTokens(), Distributions.Unit.COUNT);
            if (o.maxTokens() < 1) throw new IllegalArgumentException("--max-tokens must be >= 1");
            if (o.ioThreads() != null && (o.ioThreads() < 1 || o.ioThreads() > 256)) {
                throw new IllegalArgumentException("--io-threads must be between 1 and 256, got " + o.ioThreads());
            }
            if (o.rate() != null && o.concurrency() != null)
                throw new IllegalArgumentException("give --concurrency or --rate, not both");
            if (!List.of("none", "linear", "exponential").contains(o.ramp().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException(
                        "--ramp must be none, linear or exponential, got '" + o.ramp() + "'");
            }
            for (String u : o.scrape()) {
                try {
                    scrape.add(Scraper.metricsUri(u));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--scrape: " + e.getMessage());
                }
            }
            if (o.caCert() != null && o.insecure())
                throw new IllegalArgumentException("give --ca-cert or --insecure, not both");
            if (o.dataset() != null && !Prompts.FORMATS.contains(o.datasetFormat())) {
                throw new IllegalArgumentException(
                        "--dataset-format must be jsonl, sharegpt or trace, got '" + o.datasetFormat() + "'");
            }
        } catch (IllegalArgumentException e) {
            throw BenchException.usage(e.getMessage());
        }
        // A local target is our own loopback server: never reached through a proxy.
        try {
            proxies = o.local() ? Proxies.NONE : Proxies.fromEnvironment(wiring.environment());
        } catch (IllegalArgumentException e) {
            throw BenchException.usage("proxy: " + e.getMessage());
        }
        tls = new TlsOptions(o.caCert(), o.insecure(), null);
        model = o.model() != null ? o.model() : api.defaultModel();
        nonce = o.reusePrompts() ? "" : Workload.freshNonce();
        tok = Settings.tokenizer(o.tokenizer());
        local = o.local() ? wiring.localTarget().start(o.simArgs()) : null;
        try {
            base = local != null ? local.origin() + api.basePath() : o.url();
            try {
                target = Target.of(
                        base,
                        api,
                        model,
                        o.stream(),
                        o.apiKey() != null ? o.apiKey() : Settings.envKey(api, wiring.environment()),
                        extra);
                extraBody = Settings.extraBody(o.extraBody());
                Prompts built = Prompts.of(o, api, model, target.stream(), input, output, tok, levels, nonce);
                prompts = new Prompts(built.workload().withExtra(extraBody), built.trace());
            } catch (IllegalArgumentException e) {
                throw BenchException.usage(e.getMessage());
            }
            streaming = target.stream();
            secure = target.origin().secure();
            // On every run, quiet or not: the figures come from a server nobody verified.
            if (o.insecure())
                wiring.warnings().accept("warning: --insecure: TLS certificates and host names are not verified");
            try {
                client = new BenchClient(target, ioThreads(), o.timeout(), tok, tls, proxies);
            } catch (
                    IllegalArgumentException e) { // only the CA file's: Target checked the headers by the client's rule
                throw BenchException.usage("--ca-cert: " + e.getMessage());
            } catch (IllegalStateException e) { // TLS could not be set up: this machine's JDK or OpenSSL, not a flag
                throw new BenchException(BenchException.Kind.RUNTIME, e.getMessage());
            }
        } catch (RuntimeException e) {
            if (local != null) local.close();
            throw e;
        }
    }

    public SessionOptions options() {
        return o;
    }

    public ClientApi api() {
        return api;
    }

    public String model() {
        return model;
    }

    /** The base URL measured. */
    public String base() {
        return base;
    }

    public Targets targets() {
        return targets;
    }

    /** The prompts. */
    public Workload workload() {
        return prompts.workload();
    }

    /** A trace's send times, or null. */
    public Schedule trace() {
        return prompts.trace();
    }

    int ioThreads() {
        return o.ioThreads() != null ? o.ioThreads() : Runtime.getRuntime().availableProcessors();
    }

    /**
     * The settings' plan, with the load replaced when {@code concurrency} or {@code rate} is given
     * (a scenario's level); without a bound, {@code defaultSeconds} (or 64 requests when it is 0).
     *
     * @throws BenchException (usage) for a plan the settings make impossible
     */
    public LoadPlan plan(Integer concurrency, Double rate, double defaultSeconds) {
        return Settings.plan(o, concurrency, rate, defaultSeconds);
    }

    /**
     * One run of the settings' load, or of a shard's part of it ({@code llmlab bench}): a trace at
     * its own times, otherwise the settings' plan.
     *
     * @param requestsJsonl where to write every measured request's line, or null
     * @throws BenchException (usage) when the load cannot be split so; (runtime) when the log cannot be written
     */
    public Run runOnce(Shard shard, Path requestsJsonl) {
        Shard.Part part = shard.of(plan(null, null, 0), workload(), trace());
        LoadPlan plan = part.plan();
        Schedule schedule = part.schedule();
        if (trace() != null) {
            // a trace sets its own open-loop schedule: every line, at its time
            double span = Math.max(1e-3, schedule.offsetNanos(schedule.size() - 1) / 1e9);
            plan = new LoadPlan(
                    0,
                    Math.max(1e-6, (schedule.size() - 1) / span),
                    Arrivals.constant(),
                    plan.maxConcurrency(),
                    0,
                    schedule.size(),
                    0,
                    0,
                    Schedule.Ramp.NONE,
                    0,
                    o.seed());
        }
        try (RequestLog log = requestsJsonl == null ? null : new RequestLog(requestsJsonl, System.nanoTime())) {
            return run(plan, schedule, part.workload(), log, true, shard.label());
        } catch (IOException e) {
            throw new BenchException(
                    BenchException.Kind.RUNTIME, "cannot write " + requestsJsonl + ": " + e.getMessage());
        }
    }

    /**
     * Runs {@code plan} (on {@code schedule} when given: an open loop at those times) and builds its
     * result, with the targets judged.
     *
     * @param log      every measured request's line, or null
     * @param progress whether to show a progress line on a terminal
     * @param shard    the result's {@code config.shard}, or null
     */
    public Run run(LoadPlan plan, Schedule schedule, Workload prompts, RequestLog log, boolean progress, String shard) {
        return run(plan, schedule, prompts, log, progress, shard, o.saturationStop());
    }

    /** @param saturationStop whether an open loop whose queue grows without bound stops early */
    public Run run(
            LoadPlan plan,
            Schedule schedule,
            Workload prompts,
            RequestLog log,
            boolean progress,
            String shard,
            boolean saturationStop) {
        return run(plan, schedule, prompts, log, progress ? "" : null, shard, saturationStop);
    }

    /**
     * @param progress what the progress line says first (a scenario's level: {@code "level 2 of 7,
     *                 4.0 req/s"}), "" for nothing; null for no progress line
     */
    public Run run(
            LoadPlan plan,
            Schedule schedule,
            Workload prompts,
            RequestLog log,
            String progress,
            String shard,
            boolean saturationStop) {
        checkTarget();
        boolean open = plan.openLoop() || schedule != null;
        Recorder recorder = new Recorder(open, targets.requestBounds(), open && plan.maxConcurrency() > 0);
        long origin = System.nanoTime();
        TimeSeries series = new TimeSeries(origin, open);
        Consumer<RequestRecord> sink = rec -> {
            recorder.record(rec);
            series.record(rec);
            if (log != null) log.record(rec);
        };
        ProgressLine line = progress == null || o.quiet() ? null : ProgressLine.start(recorder, plan, origin, progress);
        Delivery delivery;
        // The server's own view and this machine's energy, over the same seconds.
        // The CA file was read once already, by the load's client: it reads the same way here.
        Scraper scraper = scrape.isEmpty() ? null : Scraper.start(scrape, model, origin, tls, proxies);
        EnergyMeter energy = EnergyMeter.start();
        Server server;
        Energy joules;
        try {
            Runner.Watch watch = null;
            if (saturationStop && open) {
                SaturationDetector detector = new SaturationDetector();
                watch = (second, offered, completed, inFlight, ttft, e2e) -> detector.observe(
                                second, offered, completed, inFlight, ttft, e2e)
                        .map(why -> why + "; stopped after " + (second + 1) + " s")
                        .orElse(null);
            }
            delivery = schedule != null
                    ? Runner.replay(client, prompts, plan, schedule, sink, watch, stop)
                    : Runner.run(client, prompts, plan, sink, watch, stop);
        } finally {
            server = scraper == null ? null : scraper.stop();
            joules = energy.stop(recorder.outputTokens());
            if (line != null) line.close();
        }
        Recorder.Summary summary = recorder.summary(delivery.windowSeconds());
        // The lag is judged beside what it sits in front of: the median time to first token when
        // streaming, the whole answer's latency otherwise (Validity).
        String latency = streaming ? "ttft" : "e2e";
        Stats median = summary.metrics().get(latency);
        delivery = delivery.judgeLag(median == null || median.count() == 0 ? Double.NaN : median.p50(), latency);
        BenchResult result = Reports.result(config(plan, shard), environment(), summary, delivery, series.seconds());
        if (!targets.isEmpty()) result = result.withSlo(targets.evaluate(result.summary(), result.metrics()));
        if (server != null) result = result.withServer(server);
        result = result.withEnergy(joules);
        return new Run(
                result, delivery, delivery.startNanos() == 0 ? 0 : Math.max(0, (delivery.startNanos() - origin) / 1e9));
    }

    /**
     * Stops the run in progress, and any later one at once: nothing more is sent; what is in flight
     * gets the runner's grace (2 s), then is abandoned; the result holds what ended before, with
     * {@code stopped_early: interrupted}. For a person's first Ctrl-C; safe from any thread.
     */
    public void interrupt() {
        stop.stop(INTERRUPTED);
    }

    /** Whether {@link #interrupt} was called: a scenario runs no further level. */
    public boolean interrupted() {
        return stop.reason() != null;
    }

    /** The {@code stopped_early} of an interrupted run. */
    public static final String INTERRUPTED = "interrupted";

    /**
     * Sends the check request before the session's first run ({@link TargetCheck}), unless the
     * settings skip it.
     *
     * @throws BenchException (target) with what the server said and hints, when it failed
     */
    public void checkTarget() {
        if (checked || !o.check()) return;
        String failure = TargetCheck.run(client, target, nonce, o.maxTokens(), o.timeout(), extraBody);
        if (failure != null) throw new BenchException(BenchException.Kind.TARGET, failure);
        checked = true;
    }

    /**
     * Writes the result where the settings ask: JSON and the HTML report.
     *
     * @throws BenchException (runtime) naming the file that cannot be written
     */
    public void write(BenchResult result) {
        Path writing = o.json();
        try {
            if (o.json() != null) ResultJson.write(o.json(), result);
            writing = o.html();
            if (o.html() != null) HtmlReport.write(o.html(), result);
        } catch (IOException e) {
            throw new BenchException(BenchException.Kind.RUNTIME, "cannot write " + writing + ": " + e.getMessage());
        }
    }

    /**
     * Writes one row per metric as CSV.
     *
     * @throws BenchException (runtime) when the file cannot be written
     */
    public static void writeCsv(Path csv, BenchResult result) {
        try {
            Files.writeString(csv, Reports.csv(result));
        } catch (IOException e) {
            throw new BenchException(BenchException.Kind.RUNTIME, "cannot write " + csv + ": " + e.getMessage());
        }
    }

    /** The result's config: every setting, resolved for {@code plan}. */
    RunConfig config(LoadPlan plan, String shard) {
        return RunConfig.builder()
                .url(base)
                .embeddedSim(o.local())
                .simArgs(o.simArgs())
                .api(api.flag())
                .model(model)
                .stream(o.stream())
                .maxTokens(o.maxTokens())
                .inputTokens(o.inputTokens())
                .outputTokens(o.outputTokens())
                .mode(plan.openLoop() ? RunConfig.Mode.OPEN : RunConfig.Mode.CLOSED)
                .concurrency(plan.concurrency())
                .rate(plan.rate())
                .arrival(o.arrival())
                .burstiness(o.burstiness())
                .maxConcurrency(plan.maxConcurrency())
                .durationS(plan.seconds())
                .requests(plan.maxRequests())
                .warmupS(plan.warmupSeconds())
                .cooldownS(plan.cooldownSeconds())
                .ramp(o.ramp())
                .rampS(plan.rampSeconds())
                .seed(o.seed())
                .promptNonce(nonce.isEmpty() ? null : nonce.strip())
                .slo(o.slo())
                .targets(o.targets())
                .timeoutS(Durations.toSeconds(o.timeout()))
                .ioThreads(ioThreads())
                .tokenizer(tok.encoding())
                .shard(shard)
                .dataset(o.dataset() == null ? null : o.dataset().toString())
                .datasetFormat(o.dataset() == null ? null : o.datasetFormat())
                .build();
    }

    /** The machine, the JDK and the target's model list: read once per session. */
    Environment environment() {
        if (environment == null) {
            environment = EnvironmentProbe.read(
                    client, wiring.llmlabVersion(), secure, !o.insecure(), proxies.any() ? proxies.toString() : null);
        }
        return environment;
    }

    @Override
    public void close() {
        client.close();
        if (local != null) local.close();
    }
}
