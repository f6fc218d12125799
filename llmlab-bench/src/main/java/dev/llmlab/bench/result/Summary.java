package dev.llmlab.bench.result;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's headline figures over its measured window (docs/bench.md, {@code summary}).
 *
 * @param requestsAbandoned requests still in flight when the drain after {@code --duration} ended: not measured
 *                          (their end is unknown), so a large count means the latencies leave out a slow tail
 * @param durationS         the measured window, seconds
 * @param goodput           requests per second that met every latency target; NaN without targets
 * @param goodputPerSlo     requests per second that met each latency target's per-request bound, in order
 * @param valid             whether the client kept to its schedule; false with {@code invalidReason}
 * @param invalidReason     why the run is invalid, or null
 * @param stoppedEarly      why the over-saturation stop ended the run, or null
 * @param usageChecked      successful requests whose server-reported output tokens the client also counted
 * @param usageMismatches   of those, the ones whose two counts differ
 * @param errors            failed requests by class: {@code http_STATUS}, {@code timeout}, {@code connection}, ...
 * @param errorSamples      the first few distinct failures ({@link ErrorSample#KEPT}), with what was said and how
 *                          many; empty without failures
 * @param sentRate          sends per second in the measured window
 * @param connectionsOpened connections the client opened, warm-up included
 */
public record Summary(
        long requestsCompleted,
        long requestsFailed,
        long requestsAbandoned,
        double durationS,
        double requestThroughput,
        double outputTokenThroughput,
        double totalTokenThroughput,
        double goodput,
        List<Double> goodputPerSlo,
        boolean valid,
        String invalidReason,
        String stoppedEarly,
        long usageChecked,
        long usageMismatches,
        Map<String, Long> errors,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<ErrorSample> errorSamples,
        ScheduleLag scheduleLag,
        double sentRate,
        long connectionsOpened) {

    public Summary {
        if (requestsCompleted < 0 || requestsFailed < 0 || requestsAbandoned < 0)
            throw new IllegalArgumentException("request counts must not be negative");
        goodputPerSlo = goodputPerSlo == null ? List.of() : Collections.unmodifiableList(List.copyOf(goodputPerSlo));
        errors = errors == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(errors));
        errorSamples = errorSamples == null ? List.of() : List.copyOf(errorSamples);
        if (scheduleLag == null) scheduleLag = ScheduleLag.NONE;
    }

    /** Requests that ended, completed or failed. */
    public long requests() {
        return requestsCompleted + requestsFailed;
    }

    /**
     * How late the client sent, in ms: the actual send less the intended one (an open loop's; a
     * closed loop has none).
     */
    @JsonPropertyOrder({"unit"})
    @JsonIgnoreProperties(value = "unit", allowGetters = true)
    public record ScheduleLag(long count, double p50, double p99, double max) {
        public static final ScheduleLag NONE = new ScheduleLag(0, 0, 0, 0);

        @JsonProperty("unit")
        public String unit() {
            return "ms";
        }
    }
}
