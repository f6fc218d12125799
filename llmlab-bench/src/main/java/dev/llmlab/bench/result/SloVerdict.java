package dev.llmlab.bench.result;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Locale;

/**
 * The targets ({@code --slo}, {@code --targets}) judged on a run: each target's value, verdict and
 * confidence, whether all passed, goodput and the grade (docs/bench.md, {@code slo}).
 *
 * @param confidence that the run passed (or, when it failed, that it did)
 * @param goodput    requests per second that met every latency target; NaN without one
 */
public record SloVerdict(List<Target> targets, boolean passed, double confidence, double goodput, Grade grade) {
    public SloVerdict {
        targets = targets == null ? List.of() : List.copyOf(targets);
    }

    /** What a target bounds. */
    public enum Kind {
        /** A latency percentile at most the bound. */
        @JsonProperty("percentile")
        PERCENTILE,
        /** A latency mean at most the bound. */
        @JsonProperty("mean")
        MEAN,
        /** Failed over all requests at most the bound. */
        @JsonProperty("error_rate")
        ERROR_RATE,
        /** A throughput or speed at least the bound. */
        @JsonProperty("minimum")
        MINIMUM,
        /** A spike rate between {@code low} and the bound. */
        @JsonProperty("range")
        RANGE;

        /** As the JSON names it. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Whether its metric is a latency with one value per request, which goodput also counts. */
        public boolean latency() {
            return this == PERCENTILE || this == MEAN;
        }
    }

    /**
     * One target and its verdict. Latency bounds in ms; fractions as fractions.
     *
     * @param metric     the metric key of a latency or spike-rate target, else null
     * @param percentile a percentile target's percentile; null for other kinds
     * @param low        a range's low end; null for other kinds
     * @param bound      the upper bound, or a minimum's lower one
     * @param value      what the run measured; NaN when it had no sample
     * @param confidence the posterior mass on the verdict's side; NaN where there is none
     * @param samples    requests the verdict rests on, for percentile, mean and error-rate targets; else null
     * @param exceeding  of those, the ones beyond the bound (-1 when not counted); null likewise
     * @param goodput    a latency target's requests per second within its bound; null for other kinds
     */
    public record Target(
            String name,
            Kind kind,
            String metric,
            @JsonInclude(JsonInclude.Include.NON_NULL) Double percentile,
            @JsonInclude(JsonInclude.Include.NON_NULL) Double low,
            double bound,
            String unit,
            double value,
            boolean met,
            double confidence,
            @JsonInclude(JsonInclude.Include.NON_NULL) Long samples,
            @JsonInclude(JsonInclude.Include.NON_NULL) Long exceeding,
            @JsonInclude(JsonInclude.Include.NON_NULL) Double goodput) {

        /** The target without its verdict, as a sweep lists it. */
        public TargetSpec spec() {
            return new TargetSpec(name, kind, metric, percentile, low, bound, unit);
        }
    }

    /**
     * The share of targets met, named: Excellent when at least 90%, Good at 80%, Acceptable at 60%,
     * else Poor.
     */
    public record Grade(String name, int met, int total, double fraction) {
        public static Grade of(int met, int total) {
            double share = total == 0 ? 1 : (double) met / total;
            return new Grade(name(share), met, total, share);
        }

        public static String name(double share) {
            return share >= 0.9 ? "Excellent" : share >= 0.8 ? "Good" : share >= 0.6 ? "Acceptable" : "Poor";
        }
    }
}
