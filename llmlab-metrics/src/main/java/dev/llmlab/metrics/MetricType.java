package dev.llmlab.metrics;

import java.util.Locale;

/** A family's type, as its {@code # TYPE} line declares it; {@link #UNKNOWN} when none does. */
public enum MetricType {
    COUNTER,
    GAUGE,
    HISTOGRAM,
    /** OpenMetrics' gauge histogram: buckets of a current distribution, {@code _gcount} and {@code _gsum}. */
    GAUGE_HISTOGRAM,
    SUMMARY,
    /** OpenMetrics' info: one series of value 1 whose labels are the information. */
    INFO,
    /** OpenMetrics' stateset: one series per state, labelled by the family name, 1 for the states held. */
    STATESET,
    /** 0.0.4's {@code untyped}, OpenMetrics' {@code unknown}, or no {@code # TYPE} line at all. */
    UNKNOWN;

    /** The type a {@code # TYPE} line names, in either format; UNKNOWN for anything else. */
    public static MetricType parse(String word) {
        return switch (word.toLowerCase(Locale.ROOT)) {
            case "counter" -> COUNTER;
            case "gauge" -> GAUGE;
            case "histogram" -> HISTOGRAM;
            case "gaugehistogram" -> GAUGE_HISTOGRAM;
            case "summary" -> SUMMARY;
            case "info" -> INFO;
            case "stateset" -> STATESET;
            default -> UNKNOWN;
        };
    }
}
