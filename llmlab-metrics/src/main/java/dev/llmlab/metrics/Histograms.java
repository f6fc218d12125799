package dev.llmlab.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Quantiles of what happened between two scrapes, from cumulative histogram buckets.
 *
 * <p>The model is Prometheus' own, so that a figure here matches what {@code histogram_quantile(q,
 * sum by (le) (rate(x_bucket[w])))} gives over the same window (prometheus/prometheus, {@code
 * promql/quantile.go}, {@code bucketQuantile}; {@code promql/functions.go} for the reset rule):
 *
 * <ol>
 *   <li><b>Delta per series</b> ({@link #delta}): each bucket's count at the second scrape less its
 *       count at the first. A series whose total, or any bucket, went down, or whose
 *       {@code _created} moved on, restarted in between: its delta is its whole second reading,
 *       which is what {@code rate()} does with a counter that decreased. A series whose bucket
 *       layout changed is taken as restarted too (a process that came back with other buckets). A
 *       series that is new at the second scrape counts whole: labelled series appear on first use.
 *   <li><b>Merge</b> ({@link #merge}): deltas of series (models, engines, replicas) are summed per
 *       {@code le} before anything is interpolated; a percentile of percentiles (or their mean)
 *       is not a percentile of the union. Series with different layouts merge over the bounds they
 *       all have: each series' cumulative count at a bound they share is exact, so their sum is
 *       the union's exact count there, only coarser than either. The result says when that
 *       happened ({@link Merged#coarsened}).
 *   <li><b>Interpolate</b> ({@link #quantile}): the rank {@code q * total} falls in the first bucket
 *       whose cumulative count reaches it; the answer is linear between that bucket's lower and
 *       upper bounds (the first bucket's lower bound is 0, unless its upper bound is not positive,
 *       which is then the answer). Non-monotonic buckets are lifted to the running maximum first.
 *       A rank in the {@code +Inf} bucket has no upper bound: the answer is the last finite bound,
 *       marked {@link Estimate.Status#CAPPED} (the true value is above it, to be shown as
 *       {@code >X}). A window without observations is {@link Estimate.Status#EMPTY} (NaN); one
 *       whose histogram has no finite bound left (a merge of layouts with none in common) is
 *       {@link Estimate.Status#UNBOUNDED} (NaN), never a cap at NaN.
 * </ol>
 *
 * <p>A histogram without a {@code +Inf} bucket (some exporters leave it out) is read as if its
 * {@code +Inf} bucket held its {@code _count} (or, without one, its last bucket's count).
 */
public final class Histograms {
    private Histograms() {}

    /** A quantile: its value, and whether it is exact, a lower bound, or of an empty window. */
    public record Estimate(double value, Status status, double observations) {
        public enum Status {
            /** Interpolated inside a finite bucket. */
            OK,
            /** In the {@code +Inf} bucket: {@code value} is the last finite bound, the true value lies above. */
            CAPPED,
            /** No observation in the window: {@code value} is NaN. */
            EMPTY,
            /**
             * Observations, but no finite bound to place the quantile by: the histogram has only its
             * {@code +Inf} bucket (a merge of layouts with no bound in common, an exporter without
             * buckets). {@code value} is NaN.
             */
            UNBOUNDED
        }

        /** Whether {@code value} is only a lower bound on the quantile. */
        public boolean lowerBound() {
            return status == Status.CAPPED;
        }

        /**
         * {@code 0.25}, {@code >10.0} when capped, {@code empty} without observations, {@code
         * unbounded} without a finite bound.
         */
        @Override
        public String toString() {
            return switch (status) {
                case OK -> Double.toString(value);
                case CAPPED -> ">" + value;
                case EMPTY -> "empty";
                case UNBOUNDED -> "unbounded";
            };
        }
    }

    /** A merge of several series: the summed histogram, and whether layouts differed so bounds were dropped. */
    public record Merged(HistogramPoint histogram, boolean coarsened) {}

    /**
     * What {@code after} observed since {@code before} (the same series at an earlier scrape, or null
     * when it had none), by the reset rule in the class comment. Labels are {@code after}'s.
     */
    public static HistogramPoint delta(HistogramPoint before, HistogramPoint after) {
        double[][] a = normalized(after);
        HistogramPoint whole =
                new HistogramPoint(after.labels(), buckets(a), a[1][a[1].length - 1], after.sum(), Double.NaN);
        if (before == null) return whole;
        double[][] b = normalized(before);
        if (!Arrays.equals(a[0], b[0])) return whole;
        if (after.created() > before.created()) return whole; // false when either is NaN
        double[] counts = new double[a[0].length];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = a[1][i] - b[1][i];
            if (counts[i] < 0) return whole;
        }
        double[][] d = {a[0], counts};
        return new HistogramPoint(
                after.labels(), buckets(d), counts[counts.length - 1], after.sum() - before.sum(), Double.NaN);
    }

    /**
     * The deltas of every series of {@code after} since {@code before} (series matched by labels),
     * merged: what the whole family observed in the window.
     */
    public static Merged window(List<HistogramPoint> before, List<HistogramPoint> after) {
        Map<Labels, HistogramPoint> earlier = new HashMap<>();
        for (HistogramPoint h : before) earlier.put(h.labels(), h);
        List<HistogramPoint> deltas = new ArrayList<>(after.size());
        for (HistogramPoint h : after) deltas.add(delta(earlier.get(h.labels()), h));
        return merge(deltas);
    }

    /**
     * Sums series per {@code le} over the bounds they all have (see the class comment); an empty
     * input merges to an empty histogram. The result has no labels.
     */
    public static Merged merge(Collection<HistogramPoint> series) {
        if (series.isEmpty()) {
            return new Merged(new HistogramPoint(Labels.EMPTY, List.of(), 0, 0, Double.NaN), false);
        }
        List<double[][]> all = new ArrayList<>(series.size());
        for (HistogramPoint h : series) all.add(normalized(h));
        double[] common = all.getFirst()[0];
        boolean coarsened = false;
        for (double[][] h : all) {
            double[] c = intersect(common, h[0]);
            if (c.length != common.length || c.length != h[0].length) coarsened = true;
            common = c;
        }
        double[] counts = new double[common.length];
        double sum = 0;
        for (double[][] h : all) {
            int j = 0;
            for (int i = 0; i < common.length; i++) {
                while (h[0][j] != common[i]) j++;
                counts[i] += h[1][j];
            }
        }
        for (HistogramPoint h : series) sum += h.sum();
        double[][] m = {common, counts};
        return new Merged(
                new HistogramPoint(Labels.EMPTY, buckets(m), counts[counts.length - 1], sum, Double.NaN), coarsened);
    }

    /**
     * The {@code q}-quantile of {@code h}'s observations, by linear interpolation inside the bucket
     * its rank falls in (see the class comment).
     *
     * @throws IllegalArgumentException when {@code q} is not within [0, 1]
     */
    public static Estimate quantile(double q, HistogramPoint h) {
        if (!(q >= 0 && q <= 1)) throw new IllegalArgumentException("quantile must be within [0, 1], got " + q);
        double[][] n = normalized(h);
        double[] le = n[0];
        double[] c = n[1];
        for (int i = 1; i < c.length; i++) c[i] = Math.max(c[i], c[i - 1]);
        int last = c.length - 1;
        double total = c[last];
        if (!(total > 0)) return new Estimate(Double.NaN, Estimate.Status.EMPTY, 0);
        double rank = q * total;
        int i = 0;
        while (c[i] < rank) i++;
        if (last == 0) return new Estimate(Double.NaN, Estimate.Status.UNBOUNDED, total);
        if (i == last) return new Estimate(le[last - 1], Estimate.Status.CAPPED, total);
        if (i == 0 && le[0] <= 0) return new Estimate(le[0], Estimate.Status.OK, total);
        double lower = i == 0 ? 0 : le[i - 1];
        double below = i == 0 ? 0 : c[i - 1];
        double inBucket = c[i] - below;
        double v = inBucket > 0 ? lower + (le[i] - lower) * ((rank - below) / inBucket) : lower;
        return new Estimate(v, Estimate.Status.OK, total);
    }

    /**
     * How many of {@code h}'s observations were at most {@code x}: the good events of a latency
     * objective ("95% of requests within 500 ms"). Exact when {@code x} is one of the bucket bounds;
     * otherwise linear inside the bucket {@code x} falls in, as {@link #quantile} assumes; above the
     * last finite bound, the count at that bound, a lower bound.
     *
     * @return the count, whether it is exact, and the total observed
     */
    public static AtMost countAtMost(double x, HistogramPoint h) {
        double[][] n = normalized(h);
        double[] le = n[0];
        double[] c = n[1];
        for (int i = 1; i < c.length; i++) c[i] = Math.max(c[i], c[i - 1]);
        int last = c.length - 1;
        double total = c[last];
        for (int i = 0; i < last; i++) {
            if (x == le[i]) return new AtMost(c[i], true, total);
            if (x < le[i]) {
                double lower = i == 0 ? Math.min(0, le[0]) : le[i - 1];
                double below = i == 0 ? 0 : c[i - 1];
                if (x <= lower) return new AtMost(below, x == lower, total);
                return new AtMost(below + (c[i] - below) * (x - lower) / (le[i] - lower), false, total);
            }
        }
        return new AtMost(last == 0 ? 0 : c[last - 1], total == (last == 0 ? 0 : c[last - 1]), total);
    }

    /**
     * @param count how many observations were at most the value asked
     * @param exact whether {@code count} is read from a bucket bound (or no observation lies beyond
     *              it) rather than interpolated or bounded
     * @param total every observation
     */
    public record AtMost(double count, boolean exact, double total) {}

    /** Bounds and counts, ascending, ending with a {@code +Inf} bucket; NaN counts read as 0. */
    private static double[][] normalized(HistogramPoint h) {
        List<HistogramPoint.Bucket> b = h.buckets();
        boolean hasInf = !b.isEmpty() && b.getLast().le() == Double.POSITIVE_INFINITY;
        int n = b.size() + (hasInf ? 0 : 1);
        double[] le = new double[n];
        double[] c = new double[n];
        for (int i = 0; i < b.size(); i++) {
            le[i] = b.get(i).le();
            c[i] = Double.isNaN(b.get(i).count()) ? 0 : b.get(i).count();
        }
        if (!hasInf) {
            le[n - 1] = Double.POSITIVE_INFINITY;
            double total = h.total();
            c[n - 1] = Math.max(Double.isNaN(total) ? 0 : total, n > 1 ? c[n - 2] : 0);
        }
        return new double[][] {le, c};
    }

    private static double[] intersect(double[] a, double[] b) {
        double[] out = new double[Math.min(a.length, b.length)];
        int i = 0;
        int j = 0;
        int k = 0;
        while (i < a.length && j < b.length) {
            if (a[i] == b[j]) {
                out[k++] = a[i];
                i++;
                j++;
            } else if (a[i] < b[j]) i++;
            else j++;
        }
        return Arrays.copyOf(out, k);
    }

    private static List<HistogramPoint.Bucket> buckets(double[][] n) {
        List<HistogramPoint.Bucket> out = new ArrayList<>(n[0].length);
        for (int i = 0; i < n[0].length; i++) out.add(new HistogramPoint.Bucket(n[0][i], n[1][i]));
        return out;
    }
}
