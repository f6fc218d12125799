package dev.llmlab.metrics;

import java.util.List;

/**
 * One series of a summary: the quantiles the server computed (over its own window, so they cannot
 * be merged or differenced, only shown), and its {@code _count}, {@code _sum} and {@code _created}
 * (NaN for each the page lacks).
 */
public record SummaryPoint(Labels labels, List<Quantile> quantiles, double count, double sum, double created) {
    public SummaryPoint {
        quantiles = List.copyOf(quantiles);
    }

    /** The {@code quantile} label and its value. */
    public record Quantile(double quantile, double value) {}
}
