package dev.llmlab.metrics;

import java.util.List;

/**
 * One series of a histogram: cumulative bucket counts by upper bound ({@code le}), ascending, and
 * the series' {@code _count}, {@code _sum} and {@code _created} (NaN for each the page lacks).
 *
 * <p>The buckets are as the page wrote them: a {@code +Inf} bucket may be missing (some exporters
 * leave it out; {@link #total()} then falls back to {@code _count}).
 */
public record HistogramPoint(Labels labels, List<Bucket> buckets, double count, double sum, double created) {
    public HistogramPoint {
        buckets = List.copyOf(buckets);
    }

    /** One cumulative bucket: how many observations were at most {@code le}. */
    public record Bucket(double le, double count) {}

    /**
     * The number of observations: the {@code +Inf} bucket, else {@code _count}, else the last
     * bucket's count; 0 for a series with none of them.
     */
    public double total() {
        if (!buckets.isEmpty() && buckets.getLast().le() == Double.POSITIVE_INFINITY)
            return buckets.getLast().count();
        if (!Double.isNaN(count)) return count;
        return buckets.isEmpty() ? 0 : buckets.getLast().count();
    }
}
