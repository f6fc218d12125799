package dev.llmlab.bench.measure;

/**
 * A per-request service-level objective: one metric at most a bound, such as TTFT within 500 ms
 * ({@link Targets} derives them from {@code --slo}).
 * A request meets a set of SLOs when it succeeded and meets every one; goodput counts those per
 * second. Latencies are taken from the intended send in an open loop, as the user felt them.
 * Only metrics with one value per request qualify ({@link Metric#ITL} pools gaps, so per request
 * use {@code itl_per_request}).
 */
public record Slo(Metric metric, long maxNanos) {

    public Slo {
        if (metric == Metric.ITL) {
            throw new IllegalArgumentException("itl pools every gap; an SLO per request uses itl_per_request");
        }
        if (maxNanos < 0) throw new IllegalArgumentException("an SLO bound must not be negative");
    }

    /** Whether {@code r} meets this SLO, its latency measured from {@code origin}. */
    public boolean met(RequestRecord r, Origin origin) {
        long[] value = {-1};
        metric.values(r, origin, v -> value[0] = v);
        return value[0] >= 0 && value[0] <= maxNanos;
    }
}
