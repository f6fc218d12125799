package dev.llmlab.bench.result;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Several load levels run one after another (docs/bench.md, {@code sweep}): a sweep, an SLO search
 * or a breaking point, with every level probed, the targets each was judged against, and a
 * search's answer. The result around it holds the last level's run.
 *
 * @param slos   the targets, for charts
 * @param answer a search's answer; null for a sweep
 */
public record Sweep(
        Kind kind,
        LoadAxis axis,
        List<Point> points,
        List<TargetSpec> slos,
        @JsonInclude(JsonInclude.Include.NON_NULL) Answer answer) {

    public Sweep {
        points = points == null ? List.of() : List.copyOf(points);
        slos = slos == null ? List.of() : List.copyOf(slos);
    }

    public enum Kind {
        @JsonProperty("sweep")
        SWEEP,
        @JsonProperty("slo-search")
        SLO_SEARCH,
        @JsonProperty("breaking-point")
        BREAKING_POINT;

        /** As the command and the JSON name it. */
        public String label() {
            return switch (this) {
                case SWEEP -> "sweep";
                case SLO_SEARCH -> "slo-search";
                case BREAKING_POINT -> "breaking-point";
            };
        }
    }

    /**
     * One probed level: what was asked, what was achieved, the verdict, and the run's figures.
     *
     * @param rate          the offered rate on the rate axis; NaN for a closed loop
     * @param concurrency   the users of a closed loop; null for an open one
     * @param rateAchieved  completed requests per second
     * @param passed        whether its targets passed; null without targets
     * @param sustained     whether the level passed as a whole ({@code failedOn} empty)
     * @param failedOn      what failed: targets' names, or why else it failed
     * @param slo           its targets' verdict; null without targets
     */
    public record Point(
            String label,
            double rate,
            Integer concurrency,
            double rateAchieved,
            boolean valid,
            String invalidReason,
            Boolean passed,
            String stoppedEarly,
            boolean sustained,
            List<String> failedOn,
            Summary summary,
            Map<String, Stats> metrics,
            @JsonInclude(JsonInclude.Include.NON_NULL) SloVerdict slo) {

        public Point {
            failedOn = failedOn == null ? List.of() : List.copyOf(failedOn);
            metrics = metrics == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        }

        /** A metric's figures; null when the point has none of it. */
        public Stats metric(String key) {
            return metrics.get(key);
        }

        /** Its place on {@code axis}: users, or the offered rate, or for a point that offered none the rate achieved. */
        public double load(LoadAxis axis) {
            if (axis == LoadAxis.CONCURRENCY) return concurrency == null ? Double.NaN : concurrency;
            return Double.isNaN(rate) ? rateAchieved : rate;
        }
    }

    /**
     * A search's answer.
     *
     * @param maxPassing   the highest level sustained; NaN when none was
     * @param firstFailing the lowest level that failed; NaN when none did
     * @param confidence   that both ends' verdicts are right (at least, by Bonferroni)
     * @param resolution   the bracket's width over its upper end; NaN without both ends
     * @param failedOn     what failed at the first failing level
     * @param probes       levels run, repeats included
     */
    public record Answer(
            double maxPassing,
            double firstFailing,
            double confidence,
            double resolution,
            List<String> failedOn,
            int probes) {
        public Answer {
            failedOn = failedOn == null ? List.of() : List.copyOf(failedOn);
        }
    }
}
