package dev.llmlab.bench.result;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A target as given, without a verdict: what a sweep lists in {@code sweep.slos} so that its charts
 * can draw each bound. Fields as in {@link SloVerdict.Target}.
 */
public record TargetSpec(
        String name,
        SloVerdict.Kind kind,
        String metric,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double percentile,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double low,
        double bound,
        String unit) {}
