package dev.llmlab.metrics;

/**
 * What a serving stack's page tells, named once for every kind of server: each {@link ServerKind}
 * maps a quantity to the metric names that carry it across versions, and {@link ServerReading}
 * reads it in one unit whichever name the page has.
 *
 * <p>Units, after normalisation: times in seconds, fractions in 0..1 (never percent), memory in
 * bytes, power in watts, energy in joules, cost in US dollars as the gateway accounts it, counts
 * and tokens as counts.
 */
public enum Quantity {
    /** Requests in the running batch (summed over engines and models). */
    RUNNING(Shape.GAUGE_SUM, Unit.COUNT),
    /** Requests queued, not yet running (summed). */
    WAITING(Shape.GAUGE_SUM, Unit.COUNT),
    /** KV-cache blocks in use, a fraction of each engine's cache (averaged over engines). */
    KV_CACHE_USAGE(Shape.GAUGE_MEAN, Unit.FRACTION),
    /** Time to first token, per request. */
    TTFT(Shape.HISTOGRAM, Unit.SECONDS),
    /** Time between consecutive output tokens of a request. */
    ITL(Shape.HISTOGRAM, Unit.SECONDS),
    /** Time from a request's arrival to its last token. */
    E2E(Shape.HISTOGRAM, Unit.SECONDS),
    /** Prompt tokens processed. */
    PROMPT_TOKENS(Shape.COUNTER, Unit.TOKENS),
    /** Output tokens generated. */
    GENERATION_TOKENS(Shape.COUNTER, Unit.TOKENS),
    /** Requests that finished (for vLLM: by any finish reason, client aborts included). */
    REQUESTS_SUCCEEDED(Shape.COUNTER, Unit.COUNT),
    /** Requests that failed. */
    REQUESTS_FAILED(Shape.COUNTER, Unit.COUNT),
    /** Running requests preempted for lack of KV-cache space. */
    PREEMPTIONS(Shape.COUNTER, Unit.COUNT),
    /** Prompt tokens found in the prefix cache. */
    PREFIX_CACHE_HITS(Shape.COUNTER, Unit.TOKENS),
    /** Prompt tokens looked up in the prefix cache. */
    PREFIX_CACHE_QUERIES(Shape.COUNTER, Unit.TOKENS),
    /** GPU busy time, a fraction (averaged over GPUs). */
    GPU_UTILIZATION(Shape.GAUGE_MEAN, Unit.FRACTION),
    /** GPU memory in use (summed over GPUs). */
    GPU_MEMORY_USED(Shape.GAUGE_SUM, Unit.BYTES),
    /** GPU power draw (summed over GPUs). */
    GPU_POWER(Shape.GAUGE_SUM, Unit.WATTS),
    /** GPU energy used since the driver loaded (summed over GPUs). */
    GPU_ENERGY(Shape.COUNTER, Unit.JOULES),
    /** Requests a gateway received. */
    GATEWAY_REQUESTS(Shape.COUNTER, Unit.COUNT),
    /** What a gateway accounted as spent on its providers. */
    GATEWAY_COST(Shape.COUNTER, Unit.USD),
    /** Requests a gateway answered from its cache. */
    GATEWAY_CACHE_HITS(Shape.COUNTER, Unit.COUNT),
    /** Tokens a gateway's requests used, input and output (what its cost was for). */
    GATEWAY_TOKENS(Shape.COUNTER, Unit.TOKENS),
    /** Upstream calls a gateway retried. */
    GATEWAY_RETRIES(Shape.COUNTER, Unit.COUNT),
    /** A gateway's circuit breakers open now (summed over deployments). */
    GATEWAY_OPEN_BREAKERS(Shape.GAUGE_SUM, Unit.COUNT),
    /** Provider keys a gateway put to cool down (after a 429). */
    GATEWAY_KEY_COOLDOWNS(Shape.COUNTER, Unit.COUNT);

    /** How a quantity is carried and aggregated over a family's series. */
    public enum Shape {
        /** A gauge, summed over series (counts, bytes, watts). */
        GAUGE_SUM,
        /** A gauge, averaged over series (fractions of each series' own capacity). */
        GAUGE_MEAN,
        /** A counter, summed over series; a histogram family counts by its {@code _sum}. */
        COUNTER,
        /** A histogram, kept per series for deltas and merging. */
        HISTOGRAM
    }

    public enum Unit {
        COUNT,
        TOKENS,
        FRACTION,
        SECONDS,
        BYTES,
        WATTS,
        JOULES,
        USD
    }

    private final Shape shape;
    private final Unit unit;

    Quantity(Shape shape, Unit unit) {
        this.shape = shape;
        this.unit = unit;
    }

    public Shape shape() {
        return shape;
    }

    public Unit unit() {
        return unit;
    }
}
