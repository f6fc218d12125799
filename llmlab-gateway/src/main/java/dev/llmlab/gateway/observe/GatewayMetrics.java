package dev.llmlab.gateway.observe;

import dev.llmlab.gateway.account.TokenUsage;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.LongSupplier;

/**
 * The gateway's Prometheus metrics, served on {@code GET /metrics} in the text format 0.0.4.
 *
 * <p>Names follow the OpenTelemetry GenAI semantic conventions where they define one, translated
 * as OpenTelemetry's Prometheus compatibility rules do (dots to underscores, the unit {@code s} as
 * {@code _seconds}, an annotation unit such as {@code {token}} dropped, {@code _total} on
 * counters); the gateway stands as a server to its clients ({@code gen_ai.server.*}: TTFT and
 * request duration as the client sees them) and as a client of its providers ({@code
 * gen_ai.client.*}: the upstream call and the tokens). Histogram buckets are the ones the
 * conventions recommend. Everything else is {@code llmlab_gateway_*}. The table of names, labels
 * and definitions is docs/gateway-metrics.md.
 *
 * <p><b>Bounded labels.</b> Routes, deployments, keys and models come from the config; the client's
 * own model string never labels anything. Every string label still passes a {@link BoundedValues}
 * bound (values past it read {@code _OTHER} and are counted in {@code
 * llmlab_gateway_label_overflow_total}), so that a wildcard route cannot grow the page.
 *
 * <p><b>Cost of recording.</b> {@link #requestFinished} looks up one pre-resolved set of children
 * per (route, deployment, provider, model, ingress), found by one map lookup, and the children per
 * status code in an array: no label resolution and no allocation beyond the lookup key once a
 * combination has been seen. The client's counters and histograms are striped atomic cells;
 * only a scrape takes the client's buffer switch. Rare events (retries, fallbacks, breaker
 * changes, key cooldowns) resolve their labels per call. Thread-safe.
 */
public final class GatewayMetrics {
    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    /** Circuit breaker states, as {@code llmlab_gateway_breaker_state{state}} names them. */
    public enum BreakerState {
        CLOSED("closed"),
        OPEN("open"),
        HALF_OPEN("half_open");

        private final String label;

        BreakerState(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    // OpenTelemetry GenAI names, translated to Prometheus (counters without _total: the client appends it).
    public static final String TOKEN_USAGE = "gen_ai_client_token_usage";
    public static final String CLIENT_OPERATION_DURATION = "gen_ai_client_operation_duration_seconds";
    public static final String SERVER_REQUEST_DURATION = "gen_ai_server_request_duration_seconds";
    public static final String SERVER_TTFT = "gen_ai_server_time_to_first_token_seconds";
    // The gateway's own.
    public static final String REQUESTS = "llmlab_gateway_requests";
    public static final String IN_FLIGHT = "llmlab_gateway_requests_in_flight";
    public static final String TOKENS = "llmlab_gateway_tokens";
    public static final String CACHED_INPUT_TOKENS = "llmlab_gateway_cached_input_tokens";
    public static final String COST = "llmlab_gateway_cost_usd";
    public static final String COST_UNKNOWN = "llmlab_gateway_cost_unknown";
    public static final String OVERHEAD = "llmlab_gateway_overhead_seconds";
    public static final String RETRIES = "llmlab_gateway_retries";
    public static final String FALLBACKS = "llmlab_gateway_fallbacks";
    public static final String BREAKER_STATE = "llmlab_gateway_breaker_state";
    public static final String BREAKER_TRANSITIONS = "llmlab_gateway_breaker_transitions";
    public static final String KEY_COOLDOWNS = "llmlab_gateway_key_cooldowns";
    public static final String KEY_COOLDOWN_SECONDS = "llmlab_gateway_key_cooldown_seconds";
    public static final String KEYS_REMOVED = "llmlab_gateway_keys_removed";
    public static final String ACCESS_LOG_DROPPED = "llmlab_gateway_access_log_dropped";
    public static final String LABEL_OVERFLOW = "llmlab_gateway_label_overflow";
    public static final String LIMITS_STORE_ERRORS = "llmlab_gateway_limits_store_errors";
    public static final String LIMITS_STORE_UP = "llmlab_gateway_limits_store_up";
    public static final String LIMITS_FALLBACK = "llmlab_gateway_limits_fallback";
    public static final String LIMITS_CHECKS = "llmlab_gateway_limits_checks";
    public static final String CACHE_HITS = "llmlab_gateway_cache_hits";
    public static final String CACHE_MISSES = "llmlab_gateway_cache_misses";
    public static final String CACHE_BYPASSED = "llmlab_gateway_cache_bypassed";
    public static final String CACHE_STORED = "llmlab_gateway_cache_stored";
    public static final String CACHE_SAVED_TOKENS = "llmlab_gateway_cache_saved_tokens";
    public static final String CACHE_SAVED_COST = "llmlab_gateway_cache_saved_cost_usd";
    public static final String CACHE_ENTRIES = "llmlab_gateway_cache_entries";
    public static final String CACHE_BYTES = "llmlab_gateway_cache_bytes";
    public static final String CACHE_SHARED_ERRORS = "llmlab_gateway_cache_shared_errors";

    static final String ROUTE = "route";
    static final String DEPLOYMENT = "deployment";
    static final String PROVIDER = "gen_ai_provider_name";
    static final String OPERATION = "gen_ai_operation_name";
    static final String MODEL = "gen_ai_request_model";
    static final String TOKEN_TYPE = "gen_ai_token_type";
    static final String ERROR = "error_type";

    /** The conventions' buckets for {@code gen_ai.client.token.usage}. */
    static final double[] TOKEN_BUCKETS = {
        1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864
    };
    /** The conventions' buckets for {@code gen_ai.client.operation.duration} and {@code gen_ai.server.request.duration}. */
    static final double[] DURATION_BUCKETS = {
        0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92
    };
    /** The conventions' buckets for {@code gen_ai.server.time_to_first_token}. */
    static final double[] TTFT_BUCKETS = {
        0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0
    };
    /** The gateway's own time: the target is 0.2 ms at p50 and 1 ms at p99, so the resolution is there. */
    static final double[] OVERHEAD_BUCKETS = {
        0.00005, 0.0001, 0.00015, 0.0002, 0.0003, 0.0004, 0.0005, 0.00075, 0.001, 0.0015, 0.002, 0.003, 0.005, 0.01,
        0.025, 0.05, 0.1, 0.25, 1
    };

    static final String UNMATCHED = "unmatched";
    static final String NONE = "none";

    /** Provider kinds of the config to the conventions' {@code gen_ai.provider.name} values. */
    private static final Map<String, String> PROVIDER_NAMES = Map.of(
            "openai", "openai",
            "azure-openai", "azure.ai.openai",
            "anthropic", "anthropic",
            "gemini", "gcp.gemini",
            "vertex-ai", "gcp.vertex_ai");

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    private final Counter requests;
    private final Histogram tokenUsage;
    private final Counter tokens;
    private final Counter cachedTokens;
    private final Counter cost;
    private final Counter costUnknown;
    private final Histogram clientDuration;
    private final Histogram serverDuration;
    private final Histogram ttft;
    private final Histogram overhead;
    private final Counter retries;
    private final Counter fallbacks;
    private final Gauge breakerState;
    private final Counter breakerTransitions;
    private final Counter keyCooldowns;
    private final Counter keyCooldownSeconds;
    private final Counter keysRemoved;
    private final Counter labelOverflow;
    private final Counter limitsStoreErrors;
    private final Gauge limitsStoreUp;
    private final Counter limitsFallback;
    private final Counter limitsChecks;
    /** Made on first use: a gateway without a shared store shows none. */
    private volatile CounterDataPoint checksOnCredit;

    private volatile CounterDataPoint checksInStore;
    private final Counter cacheHits;
    private final Counter cacheMisses;
    private final Counter cacheBypassed;
    private final Counter cacheStored;
    private final Counter cacheSavedTokens;
    private final Counter cacheSavedCost;
    private final Counter cacheSharedErrors;
    private final GaugeDataPoint inFlight;
    private final CounterDataPoint accessLogDropped;

    private final BoundedValues routes;
    private final BoundedValues deployments;
    private final BoundedValues providers;
    private final BoundedValues models;
    private final BoundedValues errorTypes;
    private final BoundedValues keys;

    private final ConcurrentHashMap<Key, Series> series = new ConcurrentHashMap<>();

    public GatewayMetrics() {
        requests = counter(
                REQUESTS,
                "Requests answered, by route, deployment, provider, operation, HTTP status and error type.",
                ROUTE,
                DEPLOYMENT,
                PROVIDER,
                OPERATION,
                "status",
                ERROR);
        tokenUsage = histogram(
                TOKEN_USAGE,
                "Number of input and output tokens used per request.",
                TOKEN_BUCKETS,
                OPERATION,
                PROVIDER,
                MODEL,
                TOKEN_TYPE,
                ROUTE,
                DEPLOYMENT);
        tokens = counter(
                TOKENS,
                "Tokens used, input (cached included) and output, as reported by the provider or estimated.",
                ROUTE,
                DEPLOYMENT,
                PROVIDER,
                MODEL,
                TOKEN_TYPE,
                "estimated");
        cachedTokens = counter(
                CACHED_INPUT_TOKENS,
                "Input tokens read from the provider's prompt cache (a part of the input tokens).",
                ROUTE,
                DEPLOYMENT,
                PROVIDER,
                MODEL);
        cost = counter(
                COST, "Cost of the requests that had a price, in US dollars.", ROUTE, DEPLOYMENT, PROVIDER, MODEL);
        costUnknown = counter(
                COST_UNKNOWN,
                "Requests with usage whose model has no price: their cost is not in the cost counter.",
                ROUTE,
                DEPLOYMENT,
                PROVIDER,
                MODEL);
        clientDuration = histogram(
                CLIENT_OPERATION_DURATION,
                "Upstream call of the answering attempt, from its start to its last byte.",
                DURATION_BUCKETS,
                OPERATION,
                PROVIDER,
                MODEL,
                ROUTE,
                DEPLOYMENT,
                ERROR);
        serverDuration = histogram(
                SERVER_REQUEST_DURATION,
                "Request received to its last byte sent, as the gateway's client sees it.",
                DURATION_BUCKETS,
                OPERATION,
                PROVIDER,
                MODEL,
                ROUTE,
                DEPLOYMENT,
                ERROR);
        ttft = histogram(
                SERVER_TTFT,
                "Request received to the first content byte sent, for successful streams.",
                TTFT_BUCKETS,
                OPERATION,
                PROVIDER,
                MODEL,
                ROUTE,
                DEPLOYMENT);
        overhead = histogram(
                OVERHEAD,
                "The gateway's own time per request (x-llmlab-overhead-ms).",
                OVERHEAD_BUCKETS,
                ROUTE,
                "stream");
        retries = counter(RETRIES, "Upstream calls retried, by the error that caused them.", ROUTE, DEPLOYMENT, ERROR);
        fallbacks = counter(
                FALLBACKS, "Requests moved on to the next deployment.", ROUTE, "from_deployment", "to_deployment");
        breakerState = Gauge.builder()
                .name(BREAKER_STATE)
                .help("Circuit breaker state per deployment: 1 for the current state, 0 for the others.")
                .labelNames(DEPLOYMENT, "state")
                .register(registry);
        breakerTransitions =
                counter(BREAKER_TRANSITIONS, "Circuit breaker changes, by the state entered.", DEPLOYMENT, "state");
        keyCooldowns = counter(
                KEY_COOLDOWNS, "Provider keys put to cool down (a 429), by configured key name.", DEPLOYMENT, "key");
        keyCooldownSeconds =
                counter(KEY_COOLDOWN_SECONDS, "Sum of the cooldowns imposed, in seconds.", DEPLOYMENT, "key");
        keysRemoved = counter(
                KEYS_REMOVED,
                "Provider keys taken out of rotation after a 401 or 403, by configured key name.",
                DEPLOYMENT,
                "key",
                "status");
        labelOverflow = counter(
                LABEL_OVERFLOW,
                "Label values read as _OTHER because the label had reached its bound of distinct values.",
                "label");
        limitsStoreErrors = counter(
                LIMITS_STORE_ERRORS,
                "Calls to the shared limits store (Redis) that failed: refused, timed out, or rejected while"
                        + " reconnecting.",
                "operation");
        limitsStoreUp = Gauge.builder()
                .name(LIMITS_STORE_UP)
                .help("Whether the shared limits store (Redis) answers: 1, or 0 while the failure policy applies.")
                .register(registry);
        limitsFallback = counter(
                LIMITS_FALLBACK,
                "Requests decided by the failure policy while the limits store was down: open (admitted,"
                        + " counted in this gateway alone) or closed (refused with a 503).",
                "policy");
        limitsChecks = counter(
                LIMITS_CHECKS,
                "Requests whose limits were checked with the shared limits store up: drawn on credit this"
                        + " gateway holds (credit), or reserved in the store with a round trip (store).",
                "where");
        cacheHits = counter(
                CACHE_HITS,
                "Requests answered from the exact cache, by route and tier (local or shared).",
                ROUTE,
                "tier");
        cacheMisses = counter(CACHE_MISSES, "Requests of a cached route that the exact cache could not answer.", ROUTE);
        cacheBypassed = counter(
                CACHE_BYPASSED,
                "Requests of a cached route that asked not to be answered from it (no-cache, no-store).",
                ROUTE);
        cacheStored = counter(CACHE_STORED, "Answers kept in the exact cache.", ROUTE);
        cacheSavedTokens = counter(
                CACHE_SAVED_TOKENS,
                "Tokens the exact cache's answers used when they were first generated: not used again.",
                ROUTE,
                TOKEN_TYPE);
        cacheSavedCost = counter(
                CACHE_SAVED_COST,
                "What the exact cache's answers cost when they were first generated, priced now, in US dollars.",
                ROUTE);
        cacheSharedErrors = counter(
                CACHE_SHARED_ERRORS,
                "Commands to the shared cache (Redis) that failed or timed out: a get is then a miss.",
                "operation");
        inFlight = Gauge.builder()
                .name(IN_FLIGHT)
                .help("Requests received and not yet finished.")
                .register(registry)
                .labelValues();
        accessLogDropped = counter(ACCESS_LOG_DROPPED, "Access log lines dropped because the writer's queue was full.")
                .labelValues();

        routes = bounded(ROUTE, 1000);
        deployments = bounded(DEPLOYMENT, 1000);
        providers = bounded(PROVIDER, 64);
        models = bounded(MODEL, 1000);
        errorTypes = bounded(ERROR, 64);
        keys = bounded("key", 1000);
    }

    /** A request was received; pair each with one {@link #requestFinished}. */
    public void requestStarted() {
        inFlight.inc();
    }

    /** A request finished (answered, failed, or its client gone): counts it, its times, tokens and cost. */
    public void requestFinished(RequestRecord r) {
        inFlight.dec();
        series(r).record(r);
    }

    /** An upstream call of {@code deployment} is being retried after {@code errorType}. */
    public void retry(String route, String deployment, String errorType) {
        retries.labelValues(route(route), deployment(deployment), error(errorType))
                .inc();
    }

    /** A request moves on from one deployment to the next of its fallback chain. */
    public void fallback(String route, String fromDeployment, String toDeployment) {
        fallbacks
                .labelValues(route(route), deployment(fromDeployment), deployment(toDeployment))
                .inc();
    }

    /** {@code deployment}'s breaker is now in {@code state} (call on every change, and once at start). */
    public void breakerState(String deployment, BreakerState state) {
        String d = deployment(deployment);
        for (BreakerState s : BreakerState.values()) {
            breakerState.labelValues(d, s.label()).set(s == state ? 1 : 0);
        }
        breakerTransitions.labelValues(d, state.label()).inc();
    }

    /** A key of {@code deployment} cools down for {@code seconds} (its Retry-After, or a backoff). */
    public void keyCooldown(String deployment, String keyName, double seconds) {
        String d = deployment(deployment);
        String k = keys.admit(keyName == null ? NONE : keyName);
        keyCooldowns.labelValues(d, k).inc();
        if (seconds > 0 && !Double.isInfinite(seconds))
            keyCooldownSeconds.labelValues(d, k).inc(seconds);
    }

    /** A key of {@code deployment} was taken out of rotation after {@code status} (401 or 403). */
    public void keyRemoved(String deployment, String keyName, int status) {
        keysRemoved
                .labelValues(
                        deployment(deployment), keys.admit(keyName == null ? NONE : keyName), Integer.toString(status))
                .inc();
    }

    /** Where the spend ledger's gauges and counters read its state; call once. */
    public void spendLedger(dev.llmlab.gateway.spend.SpendLog spend) {
        GaugeWithCallback.builder()
                .name("llmlab_gateway_spend_rows_waiting")
                .help("Spend rows waiting to be written to the database (state.spend_buffer at most).")
                .callback(cb -> cb.call(spend.buffered()))
                .register(registry);
        CounterWithCallback.builder()
                .name("llmlab_gateway_spend_rows_written")
                .help("Spend rows written to the database.")
                .callback(cb -> cb.call(spend.written()))
                .register(registry);
        CounterWithCallback.builder()
                .name("llmlab_gateway_spend_rows_dropped")
                .help("Spend rows refused because the buffer was full: spend that is not in the ledger.")
                .callback(cb -> cb.call(spend.dropped()))
                .register(registry);
        CounterWithCallback.builder()
                .name("llmlab_gateway_spend_write_failures")
                .help("Batches of spend rows the database refused or did not answer (each is retried).")
                .callback(cb -> cb.call(spend.failures()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("llmlab_gateway_spend_database_up")
                .help("1 when the last write of spend rows reached the database, else 0.")
                .callback(cb -> cb.call(spend.databaseUp() ? 1 : 0))
                .register(registry);
    }

    /** A call to the shared limits store failed; {@code operation} is reserve, settle, seed or read. */
    public void limitsStoreError(String operation) {
        limitsStoreErrors.labelValues(operation).inc();
    }

    /** The shared limits store answers ({@code true}) or not; on every change, and once when it is first known. */
    public void limitsStoreUp(boolean up) {
        limitsStoreUp.set(up ? 1 : 0);
    }

    /** A request's limits were checked on this gateway's credit ({@code true}), or in the store. */
    public void limitsChecked(boolean onCredit) {
        CounterDataPoint p = onCredit ? checksOnCredit : checksInStore;
        if (p == null) { // a race makes it twice: the same data point
            p = limitsChecks.labelValues(onCredit ? "credit" : "store");
            if (onCredit) checksOnCredit = p;
            else checksInStore = p;
        }
        p.inc();
    }

    /** A request was decided by the limits' failure policy, {@code open} or {@code closed}. */
    public void limitsFallback(String policy) {
        limitsFallback.labelValues(policy).inc();
    }

    /**
     * A request answered from the exact cache; {@code saved} what its answer used when it was
     * generated (null if nothing was counted), {@code savedUsd} its price (NaN if none).
     */
    public void cacheHit(String route, boolean shared, TokenUsage saved, double savedUsd) {
        String r = route(route);
        cacheHits.labelValues(r, shared ? "shared" : "local").inc();
        if (saved != null) {
            cacheSavedTokens.labelValues(r, "input").inc(saved.inputTokens());
            cacheSavedTokens.labelValues(r, "output").inc(saved.outputTokens());
        }
        if (!Double.isNaN(savedUsd)) cacheSavedCost.labelValues(r).inc(savedUsd);
    }

    /** A request of a cached route the cache could not answer. */
    public void cacheMiss(String route) {
        cacheMisses.labelValues(route(route)).inc();
    }

    /** A request of a cached route that asked not to be answered from it. */
    public void cacheBypassed(String route) {
        cacheBypassed.labelValues(route(route)).inc();
    }

    /** An answer was kept in the exact cache. */
    public void cacheStored(String route) {
        cacheStored.labelValues(route(route)).inc();
    }

    /** A command to the shared cache failed or timed out: {@code get} or {@code set}. */
    public void cacheSharedError(String operation) {
        cacheSharedErrors.labelValues(operation).inc();
    }

    /** Where the gauges of the exact cache's local tier read its answers held and their bytes; call once. */
    public void cacheSize(LongSupplier entries, LongSupplier bytes) {
        GaugeWithCallback.builder()
                .name(CACHE_ENTRIES)
                .help("Answers held in this gateway's exact cache (its local tier).")
                .callback(cb -> cb.call(entries.getAsLong()))
                .register(registry);
        GaugeWithCallback.builder()
                .name(CACHE_BYTES)
                .help("Bytes of the answers held in this gateway's exact cache (its local tier).")
                .callback(cb -> cb.call(bytes.getAsLong()))
                .register(registry);
    }

    /** Writes every metric in the Prometheus text format 0.0.4 ({@link #CONTENT_TYPE}). */
    public void write(OutputStream out) throws IOException {
        writer.write(out, registry.scrape());
    }

    void accessLogDropped() {
        accessLogDropped.inc();
    }

    private Series series(RequestRecord r) {
        String provider = r.provider() == null ? NONE : providers.admit(providerName(r.provider()));
        Key k = new Key(
                r.route() == null ? UNMATCHED : routes.admit(r.route()),
                deployment(r.deployment()),
                provider,
                r.providerModel() == null ? NONE : models.admit(r.providerModel()),
                r.ingress());
        Series s = series.get(k);
        return s != null ? s : series.computeIfAbsent(k, Series::new);
    }

    /** The conventions' name for a provider kind of the config; other kinds are their own name. */
    static String providerName(String kind) {
        return PROVIDER_NAMES.getOrDefault(kind, kind);
    }

    private String route(String route) {
        return route == null ? UNMATCHED : routes.admit(route);
    }

    private String deployment(String deployment) {
        return deployment == null ? NONE : deployments.admit(deployment);
    }

    private String error(String errorType) {
        return errorType == null ? "" : errorTypes.admit(errorType);
    }

    private BoundedValues bounded(String label, int max) {
        CounterDataPoint overflow = labelOverflow.labelValues(label);
        return new BoundedValues(max, overflow::inc);
    }

    private Counter counter(String name, String help, String... labels) {
        return Counter.builder().name(name).help(help).labelNames(labels).register(registry);
    }

    private Histogram histogram(String name, String help, double[] buckets, String... labels) {
        return Histogram.builder()
                .name(name)
                .help(help)
                .classicOnly()
                .classicUpperBounds(buckets)
                .withoutExemplars()
                .labelNames(labels)
                .register(registry);
    }

    private record Key(String route, String deployment, String provider, String model, Ingress ingress) {}

    /** The children of one (route, deployment, provider, model, ingress), resolved once. */
    private final class Series {
        private final Key key;
        private final Outcome ok;
        private final ConcurrentHashMap<String, Outcome> errors = new ConcurrentHashMap<>();
        private final DistributionDataPoint tokensIn;
        private final DistributionDataPoint tokensOut;
        private final CounterDataPoint[] inputTotal = new CounterDataPoint[2]; // [estimated ? 1 : 0]
        private final CounterDataPoint[] outputTotal = new CounterDataPoint[2];
        private final CounterDataPoint cached;
        private final CounterDataPoint costUsd;
        private final CounterDataPoint costMissing;
        private final DistributionDataPoint firstToken;
        private final DistributionDataPoint[] overheadByStream = new DistributionDataPoint[2];

        Series(Key k) {
            this.key = k;
            String op = k.ingress().operation();
            this.ok = new Outcome(k, "");
            this.tokensIn = tokenUsage.labelValues(op, k.provider(), k.model(), "input", k.route(), k.deployment());
            this.tokensOut = tokenUsage.labelValues(op, k.provider(), k.model(), "output", k.route(), k.deployment());
            for (int e = 0; e < 2; e++) {
                String est = e == 1 ? "true" : "false";
                inputTotal[e] = tokens.labelValues(k.route(), k.deployment(), k.provider(), k.model(), "input", est);
                outputTotal[e] = tokens.labelValues(k.route(), k.deployment(), k.provider(), k.model(), "output", est);
            }
            this.cached = cachedTokens.labelValues(k.route(), k.deployment(), k.provider(), k.model());
            this.costUsd = cost.labelValues(k.route(), k.deployment(), k.provider(), k.model());
            this.costMissing = costUnknown.labelValues(k.route(), k.deployment(), k.provider(), k.model());
            this.firstToken = ttft.labelValues(op, k.provider(), k.model(), k.route(), k.deployment());
            this.overheadByStream[0] = overhead.labelValues(k.route(), "false");
            this.overheadByStream[1] = overhead.labelValues(k.route(), "true");
        }

        void record(RequestRecord r) {
            Outcome o = ok;
            if (r.errorType() != null) {
                String e = errorTypes.admit(r.errorType());
                o = errors.get(e);
                if (o == null) o = errors.computeIfAbsent(e, t -> new Outcome(key, t));
            }
            o.request(r.status());
            if (r.e2eNanos() >= 0) o.e2e.observe(r.e2eNanos() / 1e9);
            if (r.upstreamNanos() >= 0) o.upstream.observe(r.upstreamNanos() / 1e9);
            if (r.ttftNanos() >= 0 && r.ok()) firstToken.observe(r.ttftNanos() / 1e9);
            if (r.overheadNanos() >= 0) overheadByStream[r.stream() ? 1 : 0].observe(r.overheadNanos() / 1e9);
            TokenUsage u = r.usage();
            if (u == null) return;
            tokensIn.observe(u.inputTokens());
            tokensOut.observe(u.outputTokens());
            int e = u.estimated() ? 1 : 0;
            inputTotal[e].inc(u.inputTokens());
            outputTotal[e].inc(u.outputTokens());
            cached.inc(u.cachedInputTokens());
            if (r.cost().known()) costUsd.inc(r.cost().usd());
            else costMissing.inc();
        }
    }

    /** The children that carry {@code error_type}: one set for success ("") and one per error type seen. */
    private final class Outcome {
        private final Key key;
        private final String errorType;
        private final AtomicReferenceArray<CounterDataPoint> byStatus = new AtomicReferenceArray<>(600);
        private final DistributionDataPoint e2e;
        private final DistributionDataPoint upstream;

        Outcome(Key k, String errorType) {
            this.key = k;
            this.errorType = errorType;
            String op = k.ingress().operation();
            this.e2e = serverDuration.labelValues(op, k.provider(), k.model(), k.route(), k.deployment(), errorType);
            this.upstream =
                    clientDuration.labelValues(op, k.provider(), k.model(), k.route(), k.deployment(), errorType);
        }

        void request(int status) {
            CounterDataPoint c = byStatus.get(status);
            if (c == null) {
                c = requests.labelValues(
                        key.route(),
                        key.deployment(),
                        key.provider(),
                        key.ingress().operation(),
                        Integer.toString(status),
                        errorType);
                byStatus.compareAndSet(status, null, c);
            }
            c.inc();
        }
    }
}
