package dev.llmlab.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups a page's samples into typed families as the parser reads them.
 *
 * <p>A sample joins the family whose name and type account for its name: {@code x_bucket},
 * {@code x_count}, {@code x_sum} and {@code x_created} join histogram {@code x}; {@code x_total},
 * {@code x} and {@code x_created} join counter {@code x}; and so on. The family just declared or
 * just joined is tried first (both formats write a family's lines together), then the page's
 * families by name; a sample no family accounts for starts an untyped family of its own name, as
 * Prometheus reads it.
 *
 * <p>The 0.0.4 output of the Python client writes a counter's or histogram's creation time as a
 * separate gauge family, {@code # TYPE x_created gauge}; such a family is folded into {@code x}'s
 * series when {@code x} is a counter, histogram or summary on the same page, so that both formats
 * give the same families.
 */
final class FamilyAssembler {
    private final Map<String, Builder> byName = new HashMap<>();
    private final List<Builder> order = new ArrayList<>();
    private Builder current;

    void type(String name, MetricType type) {
        Builder b = declare(name);
        if (b.typed) return; // a second TYPE line for one family: the first stands
        b.typed = true;
        b.type = type;
        String normal = name;
        if (type == MetricType.COUNTER && name.endsWith("_total")) normal = name.substring(0, name.length() - 6);
        if (type == MetricType.INFO && name.endsWith("_info")) normal = name.substring(0, name.length() - 5);
        if (!normal.equals(b.name)) {
            b.name = normal;
            byName.putIfAbsent(normal, b);
        }
        current = b;
    }

    void help(String name, String help) {
        Builder b = declare(name);
        if (b.help.isEmpty()) b.help = help;
        current = b;
    }

    void unit(String name, String unit) {
        Builder b = declare(name);
        if (b.unit.isEmpty()) b.unit = unit;
        current = b;
    }

    private Builder declare(String name) {
        Builder b = byName.get(name);
        if (b == null) {
            b = new Builder(name);
            byName.put(name, b);
            order.add(b);
        }
        return b;
    }

    private static final String[] SUFFIXES = {
        "_bucket", "_count", "_sum", "_total", "_created", "_gcount", "_gsum", "_info"
    };

    // What a sample is to its family: the value itself, or the part a suffix names.
    private static final int S_VALUE = 0;
    private static final int S_TOTAL = 1;
    private static final int S_CREATED = 2;
    private static final int S_BUCKET = 3;
    private static final int S_COUNT = 4;
    private static final int S_SUM = 5;
    private static final int S_GCOUNT = 6;
    private static final int S_GSUM = 7;
    private static final int S_INFO = 8;
    private static final String[] SUFFIX_CODES = {
        "", "_total", "_created", "_bucket", "_count", "_sum", "_gcount", "_gsum", "_info"
    };

    /** Adds a sample to its family; false when it is malformed for that family (a bucket without {@code le}). */
    boolean add(Sample sample) {
        String name = sample.name();
        if (current != null && current.accepts(name)) return current.add(sample);
        Builder b = byName.get(name);
        if (b == null || !b.accepts(name)) {
            b = null;
            for (String suffix : SUFFIXES) {
                if (!name.endsWith(suffix)) continue;
                Builder base = byName.get(name.substring(0, name.length() - suffix.length()));
                if (base != null && base.accepts(name)) {
                    b = base;
                    break;
                }
            }
        }
        if (b == null) {
            b = new Builder(name + "\u0000untyped"); // a key no declared name can take
            b.name = name;
            byName.put(b.key, b);
            order.add(b);
        }
        current = b;
        return b.add(sample);
    }

    List<MetricFamily> build() {
        foldCreated();
        List<MetricFamily> out = new ArrayList<>(order.size());
        for (Builder b : order) if (!b.folded) out.add(b.build());
        return out;
    }

    private void foldCreated() {
        for (Builder g : order) {
            if (g.type != MetricType.GAUGE || !g.name.endsWith("_created")) continue;
            Builder target = byName.get(g.name.substring(0, g.name.length() - 8));
            if (target == null
                    || !(target.type == MetricType.COUNTER
                            || target.type == MetricType.HISTOGRAM
                            || target.type == MetricType.SUMMARY)) continue;
            for (Series s : g.series.values()) {
                Series t = target.series.get(s.labels);
                if (t != null) t.created = s.value;
            }
            g.folded = true;
        }
    }

    /** A family being assembled. */
    private static final class Builder {
        final String key;
        String name;
        MetricType type = MetricType.UNKNOWN;
        boolean typed;
        boolean folded;
        String help = "";
        String unit = "";
        final Map<Labels, Series> series = new LinkedHashMap<>();
        Series last;

        Builder(String key) {
            this.key = key;
            this.name = key;
        }

        /** Which part of this family a sample named {@code n} is: one of the {@code S_} codes, or -1. */
        int part(String n) {
            if (!n.startsWith(name)) return -1;
            int rest = n.length() - name.length();
            int p = rest == 0 ? S_VALUE : -1;
            if (p < 0) {
                for (int i = 1; i < SUFFIX_CODES.length; i++) {
                    String suffix = SUFFIX_CODES[i];
                    if (suffix.length() == rest && n.startsWith(suffix, name.length())) {
                        p = i;
                        break;
                    }
                }
            }
            if (p < 0) return -1;
            boolean ok = switch (type) {
                case COUNTER -> p == S_VALUE || p == S_TOTAL || p == S_CREATED;
                case GAUGE, UNKNOWN, STATESET -> p == S_VALUE;
                case INFO -> p == S_VALUE || p == S_INFO;
                case HISTOGRAM -> p == S_BUCKET || p == S_COUNT || p == S_SUM || p == S_CREATED;
                case GAUGE_HISTOGRAM ->
                    p == S_BUCKET || p == S_GCOUNT || p == S_GSUM || p == S_COUNT || p == S_SUM || p == S_CREATED;
                case SUMMARY -> p == S_VALUE || p == S_COUNT || p == S_SUM || p == S_CREATED;
            };
            return ok ? p : -1;
        }

        boolean accepts(String n) {
            return part(n) >= 0;
        }

        boolean add(Sample sample) {
            int p = part(sample.name());
            double v = sample.value();
            switch (type) {
                case HISTOGRAM, GAUGE_HISTOGRAM -> {
                    if (p == S_BUCKET) {
                        double le = bound(sample.labels().get("le"));
                        if (Double.isNaN(le)) return false;
                        series(sample.labels(), "le").bucket(le, v);
                    } else {
                        Series s = series(sample.labels(), null);
                        if (p == S_COUNT || p == S_GCOUNT) s.count = v;
                        else if (p == S_SUM || p == S_GSUM) s.sum = v;
                        else s.created = v;
                    }
                }
                case SUMMARY -> {
                    if (p == S_VALUE) {
                        double q = bound(sample.labels().get("quantile"));
                        if (Double.isNaN(q)) return false;
                        series(sample.labels(), "quantile").bucket(q, v);
                    } else {
                        Series s = series(sample.labels(), null);
                        if (p == S_COUNT) s.count = v;
                        else if (p == S_SUM) s.sum = v;
                        else s.created = v;
                    }
                }
                default -> {
                    Series s = series(sample.labels(), null);
                    if (p == S_CREATED) s.created = v;
                    else s.value = v;
                }
            }
            return true;
        }

        /** The series of these labels (less {@code ignored}), the previous line's when it is the same. */
        private Series series(Labels labels, String ignored) {
            if (last != null
                    && (ignored == null ? last.labels.equals(labels) : last.labels.equalsIgnoring(labels, ignored)))
                return last;
            Labels key = ignored == null ? labels : labels.without(ignored);
            Series s = series.get(key);
            if (s == null) {
                s = new Series(key);
                series.put(key, s);
            }
            return last = s;
        }

        MetricFamily build() {
            return switch (type) {
                case HISTOGRAM, GAUGE_HISTOGRAM -> {
                    List<HistogramPoint> points = new ArrayList<>(series.size());
                    for (Series s : series.values()) points.add(s.histogram());
                    yield new MetricFamily.Histogram(name, type, help, unit, points);
                }
                case SUMMARY -> {
                    List<SummaryPoint> points = new ArrayList<>(series.size());
                    for (Series s : series.values()) points.add(s.summary());
                    yield new MetricFamily.Summary(name, help, unit, points);
                }
                default -> {
                    List<Point> points = new ArrayList<>(series.size());
                    for (Series s : series.values()) points.add(new Point(s.labels, s.value, s.created));
                    yield new MetricFamily.Scalar(name, type, help, unit, points);
                }
            };
        }
    }

    /** The value of an {@code le} or {@code quantile} label; NaN when absent or not a number. */
    static double bound(String text) {
        return Numbers.parse(text);
    }

    /** One series being assembled: a value, or bounds and their counts. */
    private static final class Series {
        final Labels labels;
        double value = Double.NaN;
        double count = Double.NaN;
        double sum = Double.NaN;
        double created = Double.NaN;
        double[] bounds = new double[0];
        double[] counts = new double[0];
        int n;

        Series(Labels labels) {
            this.labels = labels;
        }

        void bucket(double bound, double count) {
            if (n == bounds.length) {
                bounds = Arrays.copyOf(bounds, Math.max(8, n * 2));
                counts = Arrays.copyOf(counts, bounds.length);
            }
            bounds[n] = bound;
            counts[n++] = count;
        }

        /** Sorted by bound; a bound given twice keeps its last count. */
        private int sort() {
            for (int i = 1; i < n; i++) {
                double b = bounds[i];
                double c = counts[i];
                int j = i - 1;
                while (j >= 0 && bounds[j] > b) {
                    bounds[j + 1] = bounds[j];
                    counts[j + 1] = counts[j];
                    j--;
                }
                bounds[j + 1] = b;
                counts[j + 1] = c;
            }
            int m = 0;
            for (int i = 0; i < n; i++) {
                if (m > 0 && bounds[m - 1] == bounds[i]) counts[m - 1] = counts[i];
                else {
                    bounds[m] = bounds[i];
                    counts[m++] = counts[i];
                }
            }
            return m;
        }

        HistogramPoint histogram() {
            int m = sort();
            List<HistogramPoint.Bucket> b = new ArrayList<>(m);
            for (int i = 0; i < m; i++) b.add(new HistogramPoint.Bucket(bounds[i], counts[i]));
            return new HistogramPoint(labels, b, count, sum, created);
        }

        SummaryPoint summary() {
            int m = sort();
            List<SummaryPoint.Quantile> q = new ArrayList<>(m);
            for (int i = 0; i < m; i++) q.add(new SummaryPoint.Quantile(bounds[i], counts[i]));
            return new SummaryPoint(labels, q, count, sum, created);
        }
    }
}
