package dev.llmlab.bench.report;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The charts of one page, as data for the page's script: each chart is a spec (an x array, series
 * of y arrays aligned with it, axis labels) that report.js hands to one uPlot instance, so the
 * number of charts drawn is {@link #count()}. Also the two reductions that keep the page small
 * whatever the run: percentile curves sampled at a fixed number of points from an HdrHistogram,
 * and series bucketed down to at most {@link #MAX_POINTS} points. Not thread-safe: one per page.
 */
final class Charts {
    /** Points of a percentile curve. */
    static final int CDF_POINTS = 200;
    /** Points of a series over time or load: an hour of seconds becomes 600 buckets of 6 s. */
    static final int MAX_POINTS = 600;
    /** Percentile curves go no further than 99.999%. */
    static final double MAX_NINES = 5;

    private final ArrayNode specs = JsonNodeFactory.instance.arrayNode();

    int count() {
        return specs.size();
    }

    String json() {
        return specs.toString();
    }

    /** Adds {@code spec} to the page; returns the figure that will hold it. */
    String card(String title, String noteHtml, Spec spec) {
        int i = specs.size();
        specs.add(spec.node);
        return "<figure class=\"card\"><figcaption><h3>" + Html.esc(title) + "</h3>"
                + (noteHtml == null ? "" : "<p>" + noteHtml + "</p>") + "</figcaption><div class=\"chart\" id=\"chart-"
                + i
                + "\"></div></figure>\n";
    }

    /** One chart: an x axis and series of values along it (NaN where a series has none). */
    static final class Spec {
        final ObjectNode node = JsonNodeFactory.instance.objectNode();
        private final ArrayNode series;
        private final int length;
        private int sloLines;

        /**
         * @param kind {@code cdf} (x in nines, see {@link #nines}), {@code time} (seconds) or {@code num}
         */
        Spec(String kind, String xLabel, double[] x, String yLabel) {
            node.put("kind", kind).put("xLabel", xLabel).put("yLabel", yLabel);
            node.set("x", array(x));
            series = node.putArray("series");
            length = x.length;
        }

        Spec y2(String label) {
            node.put("y2Label", label);
            return this;
        }

        Spec sync(String key) {
            node.put("sync", key);
            return this;
        }

        /** Marks the points and joins them across gaps: for a few measured levels, as in a sweep. */
        Spec points() {
            node.put("points", true).put("spanGaps", true);
            return this;
        }

        Spec xMax(double max) {
            node.put("xMax", round(max));
            return this;
        }

        /** Adds a series unless it holds no value at all. */
        Spec series(String label, String unit, double[] y, boolean rightAxis) {
            if (allNaN(y)) return this;
            ObjectNode s = series.addObject().put("label", label).put("unit", unit);
            if (rightAxis) s.put("axis", "y2");
            s.set("data", array(y));
            return this;
        }

        /** A horizontal dashed line at an SLO's bound. */
        Spec slo(String label, String unit, double bound) {
            double[] y = new double[length];
            java.util.Arrays.fill(y, bound);
            ObjectNode s =
                    series.addObject().put("label", label).put("unit", unit).put("slo", true);
            s.set("data", array(y));
            sloLines++;
            return this;
        }

        /** Whether it has no series but SLO lines, so is not worth drawing. */
        boolean empty() {
            return series.size() == sloLines || length == 0;
        }
    }

    // ---- percentile curves ----

    /** How far a curve of {@code count} samples goes, in nines: log10 of the count, between 1 and 5. */
    static double nines(long count) {
        return Math.max(1, Math.min(MAX_NINES, Math.log10(Math.max(1, count))));
    }

    /** The percentile at {@code nines} (0 is p0, 1 is p90, 2 is p99, 3 is p99.9). */
    static double percentile(double nines) {
        return 100 * (1 - Math.pow(10, -nines));
    }

    /** {@code points} evenly spaced positions from 0 to {@code maxNines}. */
    static double[] ninesGrid(double maxNines, int points) {
        double[] x = new double[points];
        for (int i = 0; i < points; i++) x[i] = maxNines * i / (points - 1);
        return x;
    }

    /**
     * The latency (ms) of {@code h} (ns) at each position of {@code grid}; NaN beyond what its sample
     * count resolves ({@link #nines(long)}), so a short run's curve stops rather than extrapolates.
     */
    static double[] percentileCurve(Histogram h, double[] grid) {
        double[] y = new double[grid.length];
        double limit = nines(h.getTotalCount()) + 1e-9;
        for (int i = 0; i < grid.length; i++) {
            y[i] = h.getTotalCount() == 0 || grid[i] > limit
                    ? Double.NaN
                    : h.getValueAtPercentile(Math.min(100, percentile(grid[i]))) / 1e6;
        }
        return y;
    }

    // ---- bucketing ----

    /** How a bucket's values become one: their mean, or the highest (for tail percentiles and peaks). */
    enum Agg {
        MEAN,
        MAX
    }

    /** Aligned columns after bucketing; {@code x} is each bucket's first x. */
    record Bucketed(int size, double[] x, List<double[]> columns) {}

    /**
     * Buckets of consecutive points, as few per bucket as keep at most {@code max} buckets; NaN values
     * are left out of their bucket, and a bucket of none is NaN.
     */
    static Bucketed bucket(double[] x, List<double[]> columns, List<Agg> aggs, int max) {
        int n = x.length;
        int size = Math.max(1, (n + max - 1) / max);
        int buckets = (n + size - 1) / size;
        double[] bx = new double[buckets];
        List<double[]> out = new ArrayList<>();
        for (int c = 0; c < columns.size(); c++) out.add(new double[buckets]);
        for (int b = 0; b < buckets; b++) {
            int from = b * size;
            int to = Math.min(n, from + size);
            bx[b] = x[from];
            for (int c = 0; c < columns.size(); c++) {
                double[] col = columns.get(c);
                double acc = aggs.get(c) == Agg.MAX ? Double.NEGATIVE_INFINITY : 0;
                int k = 0;
                for (int i = from; i < to; i++) {
                    if (Double.isNaN(col[i])) continue;
                    acc = aggs.get(c) == Agg.MAX ? Math.max(acc, col[i]) : acc + col[i];
                    k++;
                }
                out.get(c)[b] = k == 0 ? Double.NaN : aggs.get(c) == Agg.MAX ? acc : acc / k;
            }
        }
        return new Bucketed(size, bx, out);
    }

    // ---- values ----

    static ArrayNode array(double[] v) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (double d : v) {
            if (Double.isNaN(d) || Double.isInfinite(d)) a.addNull();
            else a.add(round(d));
        }
        return a;
    }

    /** Enough digits for a chart and its hover legend, not more: keeps an hour's run small. */
    static double round(double v) {
        if (v == Math.rint(v)) return v;
        double scale = Math.abs(v) >= 1 ? 1e3 : 1e6;
        return Math.round(v * scale) / scale;
    }

    static boolean allNaN(double[] v) {
        for (double d : v) if (!Double.isNaN(d)) return false;
        return true;
    }
}
