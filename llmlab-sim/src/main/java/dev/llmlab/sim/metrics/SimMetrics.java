package dev.llmlab.sim.metrics;

import dev.llmlab.metrics.LlmlabNames;
import dev.llmlab.metrics.VllmNames;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The simulator's Prometheus metrics, under vLLM's names and {@code model_name} label so that
 * dashboards and autoscalers built for vLLM read a simulator unchanged, plus {@code llmlab_*}
 * metrics of the HTTP layer. See docs/metrics.md. The names come from llmlab-metrics'
 * {@link VllmNames} and {@link LlmlabNames}, the constants its readers detect and read pages by,
 * so the simulator and bench's {@code --scrape} cannot disagree; counters are named without
 * {@code _total}, which the Prometheus client appends.
 *
 * <p>Histogram buckets are vLLM's (v1 engine), with a few sub-10 ms buckets added to the
 * inter-token histogram because fast simulated profiles live there.
 *
 * <p>Recording is lock-free: label children are resolved once per model into {@link ModelMetrics}
 * and the prometheus client's counters and histograms use striped atomic cells; only a scrape
 * takes the client's internal buffer switch. Thread-safe.
 */
public final class SimMetrics {
    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    private static final double[] TTFT_BUCKETS = {
        0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0,
        160.0, 640.0, 2560.0
    };
    private static final double[] ITL_BUCKETS = {
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0,
        20.0, 40.0, 80.0
    };
    private static final double[] E2E_BUCKETS = {
        0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0, 120.0, 240.0, 480.0, 960.0,
        1920.0, 7680.0
    };
    /** Step timing error of the live engine: what matters is the sub-millisecond range. */
    private static final double[] LATENESS_BUCKETS = {
        0.0001, 0.00025, 0.0005, 0.001, 0.0015, 0.002, 0.003, 0.004, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1
    };

    private static final double[] HTTP_BUCKETS = {0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Gauge running;
    private final Gauge waiting;
    private final Histogram ttft;
    private final Histogram itl;
    private final Histogram e2e;
    private final Histogram promptTokens;
    private final Histogram generationTokens;
    private final Counter promptTokensTotal;
    private final Counter generationTokensTotal;
    private final Counter success;
    private final Counter httpRequests;
    private final Counter faultsInjected;
    private final Histogram httpDuration;
    private final Gauge activeStreams;
    private final Gauge kvUsage;
    private final Counter preemptions;
    private final Counter prefixQueries;
    private final Counter prefixHits;
    private final Histogram queueTime;
    private final Histogram prefillTime;
    private final Histogram decodeTime;
    private final Histogram stepLateness;
    private final GaugeDataPoint activeStreamsPoint;
    private final Map<String, ModelMetrics> models = new ConcurrentHashMap<>();
    private final Map<String, RouteMetrics> routes = new ConcurrentHashMap<>();

    public SimMetrics() {
        running = Gauge.builder()
                .name(VllmNames.NUM_REQUESTS_RUNNING)
                .help("Number of requests in model execution batches.")
                .labelNames(VllmNames.LABEL_MODEL_NAME, VllmNames.LABEL_ENGINE)
                .register(registry);
        waiting = Gauge.builder()
                .name(VllmNames.NUM_REQUESTS_WAITING)
                .help("Number of requests waiting to be processed.")
                .labelNames(VllmNames.LABEL_MODEL_NAME, VllmNames.LABEL_ENGINE)
                .register(registry);
        kvUsage = Gauge.builder()
                .name(VllmNames.KV_CACHE_USAGE)
                .help("KV-cache usage. 1 means 100 percent usage.")
                .labelNames(VllmNames.LABEL_MODEL_NAME, VllmNames.LABEL_ENGINE)
                .register(registry);
        preemptions = Counter.builder()
                .name(VllmNames.NUM_PREEMPTIONS)
                .help("Cumulative number of preemption from the engine.")
                .labelNames(VllmNames.LABEL_MODEL_NAME, VllmNames.LABEL_ENGINE)
                .register(registry);
        prefixQueries = Counter.builder()
                .name(VllmNames.PREFIX_CACHE_QUERIES)
                .help("Prefix cache queries, in terms of number of queried tokens.")
                .labelNames(VllmNames.LABEL_MODEL_NAME, VllmNames.LABEL_ENGINE)
                .register(registry);
        prefixHits = Counter.builder()
                .name(VllmNames.PREFIX_CACHE_HITS)
                .help("Prefix cache hits, in terms of number of cached tokens.")
                .labelNames(VllmNames.LABEL_MODEL_NAME, VllmNames.LABEL_ENGINE)
                .register(registry);
        queueTime = engineHistogram(
                VllmNames.REQUEST_QUEUE_TIME, "Histogram of time spent in WAITING phase for request.", E2E_BUCKETS);
        prefillTime = engineHistogram(
                VllmNames.REQUEST_PREFILL_TIME, "Histogram of time spent in PREFILL phase for request.", E2E_BUCKETS);
        decodeTime = engineHistogram(
                VllmNames.REQUEST_DECODE_TIME, "Histogram of time spent in DECODE phase for request.", E2E_BUCKETS);
        stepLateness = engineHistogram(
                LlmlabNames.ENGINE_STEP_LATENESS,
                "How much later than modelled each live engine step ended (the engine's timing error).",
                LATENESS_BUCKETS);
        ttft = histogram(VllmNames.TIME_TO_FIRST_TOKEN, "Histogram of time to first token in seconds.", TTFT_BUCKETS);
        itl = histogram(VllmNames.INTER_TOKEN_LATENCY, "Histogram of inter-token latency in seconds.", ITL_BUCKETS);
        e2e = histogram(VllmNames.E2E_REQUEST_LATENCY, "Histogram of e2e request latency in seconds.", E2E_BUCKETS);
        promptTokens =
                histogram(VllmNames.REQUEST_PROMPT_TOKENS, "Number of prefill tokens processed.", tokenBuckets());
        generationTokens = histogram(
                VllmNames.REQUEST_GENERATION_TOKENS, "Number of generation tokens processed.", tokenBuckets());
        promptTokensTotal = Counter.builder()
                .name(VllmNames.PROMPT_TOKENS)
                .help("Number of prefill tokens processed.")
                .labelNames(VllmNames.LABEL_MODEL_NAME)
                .register(registry);
        generationTokensTotal = Counter.builder()
                .name(VllmNames.GENERATION_TOKENS)
                .help("Number of generation tokens processed.")
                .labelNames(VllmNames.LABEL_MODEL_NAME)
                .register(registry);
        success = Counter.builder()
                .name(VllmNames.REQUEST_SUCCESS)
                .help("Count of successfully processed requests.")
                .labelNames(VllmNames.LABEL_MODEL_NAME, VllmNames.LABEL_FINISHED_REASON)
                .register(registry);
        httpRequests = Counter.builder()
                .name(LlmlabNames.HTTP_REQUESTS)
                .help("HTTP requests answered, by route pattern, method and status.")
                .labelNames("route", "method", "status")
                .register(registry);
        httpDuration = Histogram.builder()
                .name(LlmlabNames.HTTP_REQUEST_DURATION)
                .help("Time from a request fully read to its response (or stream) completed.")
                .classicOnly()
                .classicUpperBounds(HTTP_BUCKETS)
                .withoutExemplars()
                .labelNames("route")
                .register(registry);
        activeStreams = Gauge.builder()
                .name(LlmlabNames.ACTIVE_STREAMS)
                .help("SSE streams open now.")
                .register(registry);
        faultsInjected = Counter.builder()
                .name(LlmlabNames.FAULTS_INJECTED)
                .help("Faults injected, by kind (status, delay, hang, stall, drop, truncate, malformed) and model.")
                .labelNames("kind", "model")
                .register(registry);
        activeStreamsPoint = activeStreams.labelValues();
    }

    private Histogram histogram(String name, String help, double[] buckets) {
        return Histogram.builder()
                .name(name)
                .help(help)
                .classicOnly()
                .classicUpperBounds(buckets)
                .withoutExemplars()
                .labelNames(VllmNames.LABEL_MODEL_NAME)
                .register(registry);
    }

    private Histogram engineHistogram(String name, String help, double[] buckets) {
        return Histogram.builder()
                .name(name)
                .help(help)
                .classicOnly()
                .classicUpperBounds(buckets)
                .withoutExemplars()
                .labelNames(VllmNames.LABEL_MODEL_NAME, VllmNames.LABEL_ENGINE)
                .register(registry);
    }

    /** The handles of one engine replica of a model, resolved once. */
    public ReplicaMetrics replica(String model, int index) {
        return new ReplicaMetrics(model, Integer.toString(index));
    }

    /** One engine replica's metric children, under vLLM's {@code engine} label. Thread-safe. */
    public final class ReplicaMetrics {
        private final GaugeDataPoint running;
        private final GaugeDataPoint waiting;
        private final GaugeDataPoint kvUsage;
        private final CounterDataPoint preemptions;
        private final CounterDataPoint prefixQueries;
        private final CounterDataPoint prefixHits;
        private final DistributionDataPoint queueTime;
        private final DistributionDataPoint prefillTime;
        private final DistributionDataPoint decodeTime;
        private final DistributionDataPoint stepLateness;

        private ReplicaMetrics(String model, String engine) {
            running = SimMetrics.this.running.labelValues(model, engine);
            waiting = SimMetrics.this.waiting.labelValues(model, engine);
            kvUsage = SimMetrics.this.kvUsage.labelValues(model, engine);
            preemptions = SimMetrics.this.preemptions.labelValues(model, engine);
            prefixQueries = SimMetrics.this.prefixQueries.labelValues(model, engine);
            prefixHits = SimMetrics.this.prefixHits.labelValues(model, engine);
            queueTime = SimMetrics.this.queueTime.labelValues(model, engine);
            prefillTime = SimMetrics.this.prefillTime.labelValues(model, engine);
            decodeTime = SimMetrics.this.decodeTime.labelValues(model, engine);
            stepLateness = SimMetrics.this.stepLateness.labelValues(model, engine);
        }

        public void state(int running, int waiting, double kvUsage) {
            this.running.set(running);
            this.waiting.set(waiting);
            this.kvUsage.set(kvUsage);
        }

        public void preempted() {
            preemptions.inc();
        }

        public void prefixLookup(long queried, long hits) {
            prefixQueries.inc(queried);
            prefixHits.inc(hits);
        }

        public void requestPhases(long queueNanos, long prefillNanos, long decodeNanos) {
            queueTime.observe(queueNanos / 1e9);
            prefillTime.observe(prefillNanos / 1e9);
            decodeTime.observe(decodeNanos / 1e9);
        }

        public void stepLateness(long nanos) {
            stepLateness.observe(nanos / 1e9);
        }
    }

    /** vLLM's 1-2-5 series up to a million tokens. */
    private static double[] tokenBuckets() {
        double[] b = new double[19];
        int i = 0;
        for (double m = 1; i < b.length; m *= 10) {
            b[i++] = m;
            if (i < b.length) b[i++] = 2 * m;
            if (i < b.length) b[i++] = 5 * m;
        }
        return b;
    }

    /** The handles for one model name, resolved once. */
    public ModelMetrics model(String name) {
        ModelMetrics m = models.get(name);
        return m != null ? m : models.computeIfAbsent(name, ModelMetrics::new);
    }

    /** One fault applied to a request; rare by design, so the label lookup per call is fine. */
    public void faultInjected(String kind, String model) {
        faultsInjected.labelValues(kind, model).inc();
    }

    public void httpRequest(String route, String method, int status, long nanos) {
        RouteMetrics r = routes.get(route);
        if (r == null) r = routes.computeIfAbsent(route, RouteMetrics::new);
        r.record(method, status, nanos);
    }

    /**
     * One route's children: the duration histogram and a counter per (method, status), found by
     * array index instead of a composed string key, so counting a request allocates nothing.
     */
    private final class RouteMetrics {
        private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"};
        private final String route;
        private final DistributionDataPoint duration;
        private final AtomicReferenceArray<CounterDataPoint> counters =
                new AtomicReferenceArray<>((METHODS.length + 1) * 600);

        RouteMetrics(String route) {
            this.route = route;
            this.duration = httpDuration.labelValues(route);
        }

        void record(String method, int status, long nanos) {
            int m = 0;
            while (m < METHODS.length && !METHODS[m].equals(method)) m++;
            int s = status >= 100 && status < 600 ? status : 599;
            int slot = m * 600 + s;
            CounterDataPoint c = counters.get(slot);
            if (c == null) {
                c = httpRequests.labelValues(
                        route, m < METHODS.length ? METHODS[m] : "OTHER", Integer.toString(status));
                counters.compareAndSet(slot, null, c);
            }
            c.inc();
            duration.observe(nanos / 1e9);
        }
    }

    public void streamOpened() {
        activeStreamsPoint.inc();
    }

    public void streamClosed() {
        activeStreamsPoint.dec();
    }

    /** Writes every metric in the Prometheus text format (version 0.0.4). */
    public void write(OutputStream out) throws IOException {
        writer.write(out, registry.scrape());
    }

    /** One model's metric children. Thread-safe. */
    public final class ModelMetrics {
        private final String name;
        private final GaugeDataPoint running;
        private final GaugeDataPoint waiting;
        private final DistributionDataPoint ttft;
        private final DistributionDataPoint itl;
        private final DistributionDataPoint e2e;
        private final DistributionDataPoint promptTokens;
        private final DistributionDataPoint generationTokens;
        private final CounterDataPoint promptTokensTotal;
        private final CounterDataPoint generationTokensTotal;
        private final Map<String, CounterDataPoint> success = new ConcurrentHashMap<>();

        private ModelMetrics(String name) {
            this.name = name;
            // Models timed by a latency profile are one engine in vLLM's terms: engine "0".
            this.running = SimMetrics.this.running.labelValues(name, "0");
            this.waiting = SimMetrics.this.waiting.labelValues(name, "0");
            this.ttft = SimMetrics.this.ttft.labelValues(name);
            this.itl = SimMetrics.this.itl.labelValues(name);
            this.e2e = SimMetrics.this.e2e.labelValues(name);
            this.promptTokens = SimMetrics.this.promptTokens.labelValues(name);
            this.generationTokens = SimMetrics.this.generationTokens.labelValues(name);
            this.promptTokensTotal = SimMetrics.this.promptTokensTotal.labelValues(name);
            this.generationTokensTotal = SimMetrics.this.generationTokensTotal.labelValues(name);
        }

        public void runningInc() {
            running.inc();
        }

        public void runningDec() {
            running.dec();
        }

        public void waitingInc() {
            waiting.inc();
        }

        public void waitingDec() {
            waiting.dec();
        }

        public void ttft(long nanos) {
            ttft.observe(nanos / 1e9);
        }

        public void itl(long nanos) {
            itl.observe(nanos / 1e9);
        }

        /** A finished request: latency, token counts and why it finished (stop, length, abort, ...). */
        public void finished(long e2eNanos, int prompt, int generated, String reason) {
            e2e.observe(e2eNanos / 1e9);
            promptTokens.observe(prompt);
            generationTokens.observe(generated);
            promptTokensTotal.inc(prompt);
            generationTokensTotal.inc(generated);
            CounterDataPoint c = success.get(reason);
            if (c == null) {
                c = success.computeIfAbsent(reason, r -> SimMetrics.this.success.labelValues(name, r));
            }
            c.inc();
        }
    }
}
