package dev.llmlab.top;

import com.github.benmanes.caffeine.cache.Interner;
import dev.llmlab.metrics.HistogramPoint;
import dev.llmlab.metrics.Labels;
import dev.llmlab.metrics.Point;
import dev.llmlab.metrics.Quantity;
import dev.llmlab.metrics.ServerReading;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one page said that a row shows, per model, and nothing else: the series of the quantities
 * top shows, read as the page's server kind. A page is parsed, read into this and dropped at once,
 * so that the readings kept for a minute's window of many targets hold a few histograms each and
 * not whole pages (a simulator's page of every catalog model is over 200 KB).
 *
 * <p>Readings are kept by the thousand (every target's last minute), so they are stored compactly:
 * each quantity's series as columns of primitive arrays rather than a list of records per bucket,
 * and the label sets, model names and bucket bounds, which are the same at every scrape, interned
 * (weakly: one copy while any reading holds it). A histogram series of 20 buckets is then two
 * arrays of doubles, not 20 bucket objects and a fresh copy of its labels. {@link Counter#points()}
 * and {@link Histogram#points()} give llmlab-metrics' records back when a snapshot is built.
 *
 * <p>A model is one the page labels some shown series with; a page that labels none is one model,
 * {@code -}. For each model: which quantities the page exports at all, which of them are the
 * model's own ({@link ServerReading#owns}), and the own ones' series.
 */
record Reading(String kind, Map<String, Model> models, Model infra, int gpus) {
    /** What GPU and gateway rows show, over a whole page (a DCGM exporter's, a gateway's). */
    static final List<Quantity> INFRA = List.of(
            Quantity.GPU_UTILIZATION,
            Quantity.GPU_MEMORY_USED,
            Quantity.GPU_POWER,
            Quantity.GPU_ENERGY,
            Quantity.GATEWAY_REQUESTS,
            Quantity.GATEWAY_COST,
            Quantity.GATEWAY_CACHE_HITS,
            Quantity.GATEWAY_TOKENS,
            Quantity.GATEWAY_RETRIES,
            Quantity.GATEWAY_OPEN_BREAKERS,
            Quantity.GATEWAY_KEY_COOLDOWNS);

    /** The quantities a row shows. */
    static final List<Quantity> SHOWN = List.of(
            Quantity.REQUESTS_SUCCEEDED,
            Quantity.REQUESTS_FAILED,
            Quantity.PROMPT_TOKENS,
            Quantity.GENERATION_TOKENS,
            Quantity.PREEMPTIONS,
            Quantity.PREFIX_CACHE_HITS,
            Quantity.PREFIX_CACHE_QUERIES,
            Quantity.RUNNING,
            Quantity.WAITING,
            Quantity.KV_CACHE_USAGE,
            Quantity.TTFT,
            Quantity.ITL,
            Quantity.E2E);

    /**
     * The metric names that carry a shown quantity on any server kind (family names, as the alias
     * tables write them), and the one that tells the simulator from a vLLM.
     */
    static final java.util.Set<String> NAMES = names();

    private static java.util.Set<String> names() {
        java.util.Set<String> n = new java.util.TreeSet<>();
        for (dev.llmlab.metrics.ServerKind k : dev.llmlab.metrics.ServerKind.values())
            for (Quantity q : SHOWN) n.addAll(k.names(q));
        for (dev.llmlab.metrics.ServerKind k : dev.llmlab.metrics.ServerKind.values())
            for (Quantity q : INFRA) n.addAll(k.names(q));
        n.add(dev.llmlab.metrics.LlmlabNames.ACTIVE_STREAMS);
        return java.util.Collections.unmodifiableSet(n);
    }

    private static final String[] SUFFIXES = {"_bucket", "_count", "_sum", "_total", "_created"};

    /** Whether a sample of this name can carry a shown quantity: the parser keeps only those. */
    static boolean wanted(String sample) {
        if (NAMES.contains(sample)) return true;
        for (String suffix : SUFFIXES)
            if (sample.endsWith(suffix) && NAMES.contains(sample.substring(0, sample.length() - suffix.length())))
                return true;
        return false;
    }

    private static final Interner<Labels> LABELS = Interner.newWeakInterner();
    private static final Interner<String> MODELS = Interner.newWeakInterner();
    private static final Interner<Bounds> BOUNDS = Interner.newWeakInterner();

    /** One model's part of a page. */
    record Model(
            Set<Quantity> exported,
            Set<Quantity> owned,
            Map<Quantity, Counter> counters,
            Map<Quantity, Double> gauges,
            Map<Quantity, Histogram> histograms) {}

    /** A counter's series, column by column. */
    record Counter(Labels[] labels, double[] values, double[] created) {
        static Counter of(List<Point> points) {
            int n = points.size();
            Counter c = new Counter(new Labels[n], new double[n], new double[n]);
            for (int i = 0; i < n; i++) {
                Point p = points.get(i);
                c.labels[i] = LABELS.intern(p.labels());
                c.values[i] = p.value();
                c.created[i] = p.created();
            }
            return c;
        }

        List<Point> points() {
            List<Point> out = new ArrayList<>(labels.length);
            for (int i = 0; i < labels.length; i++) out.add(new Point(labels[i], values[i], created[i]));
            return out;
        }
    }

    /** A histogram's series, column by column; each series' bucket bounds are shared with every reading's. */
    record Histogram(
            Labels[] labels, Bounds[] bounds, double[][] buckets, double[] count, double[] sum, double[] created) {
        static Histogram of(List<HistogramPoint> points) {
            int n = points.size();
            Histogram h = new Histogram(
                    new Labels[n], new Bounds[n], new double[n][], new double[n], new double[n], new double[n]);
            for (int i = 0; i < n; i++) {
                HistogramPoint p = points.get(i);
                List<HistogramPoint.Bucket> b = p.buckets();
                double[] le = new double[b.size()];
                double[] counts = new double[b.size()];
                for (int j = 0; j < le.length; j++) {
                    le[j] = b.get(j).le();
                    counts[j] = b.get(j).count();
                }
                h.labels[i] = LABELS.intern(p.labels());
                h.bounds[i] = BOUNDS.intern(new Bounds(le));
                h.buckets[i] = counts;
                h.count[i] = p.count();
                h.sum[i] = p.sum();
                h.created[i] = p.created();
            }
            return h;
        }

        List<HistogramPoint> points() {
            List<HistogramPoint> out = new ArrayList<>(labels.length);
            for (int i = 0; i < labels.length; i++) {
                double[] le = bounds[i].le();
                List<HistogramPoint.Bucket> b = new ArrayList<>(le.length);
                for (int j = 0; j < le.length; j++) b.add(new HistogramPoint.Bucket(le[j], buckets[i][j]));
                out.add(new HistogramPoint(labels[i], b, count[i], sum[i], created[i]));
            }
            return out;
        }
    }

    /** Bucket bounds, compared by value so that equal ones are interned to one array. */
    record Bounds(double[] le) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Bounds b && Arrays.equals(le, b.le);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(le);
        }

        @Override
        public String toString() {
            return Arrays.toString(le);
        }
    }

    static Reading of(ServerReading page) {
        Map<String, Model> models = new LinkedHashMap<>();
        if (page.models().isEmpty()) {
            // a page of no model is one model's, unless it exports nothing a model row shows (DCGM)
            Model whole = model(page, SHOWN);
            if (!whole.exported().isEmpty()) models.put("-", whole);
        } else {
            for (String m : page.models()) {
                ServerReading own = page.forModel(m);
                // a model named only in families no row shows (an idle engine's own metrics) has no row
                if (SHOWN.stream().anyMatch(q -> own.owns(q) && labelled(own, q)))
                    models.put(MODELS.intern(m), model(own, SHOWN));
            }
        }
        Model infra = model(page, INFRA);
        int gpus = page.source(Quantity.GPU_UTILIZATION).isPresent()
                ? page.series(Quantity.GPU_UTILIZATION).size()
                : page.source(Quantity.GPU_POWER).isPresent()
                        ? page.series(Quantity.GPU_POWER).size()
                        : 0;
        return new Reading(page.kind().label(), models, infra.exported().isEmpty() ? null : infra, gpus);
    }

    private static Model model(ServerReading r, List<Quantity> quantities) {
        Set<Quantity> exported = EnumSet.noneOf(Quantity.class);
        Set<Quantity> owned = EnumSet.noneOf(Quantity.class);
        Map<Quantity, Counter> counters = new EnumMap<>(Quantity.class);
        Map<Quantity, Double> gauges = new EnumMap<>(Quantity.class);
        Map<Quantity, Histogram> histograms = new EnumMap<>(Quantity.class);
        for (Quantity q : quantities) {
            if (r.source(q).isEmpty()) continue;
            exported.add(q);
            if (!r.owns(q)) continue;
            owned.add(q);
            switch (q.shape()) {
                case COUNTER -> counters.put(q, Counter.of(r.series(q)));
                case HISTOGRAM -> histograms.put(q, Histogram.of(r.histograms(q)));
                default -> {
                    Double v = r.value(q);
                    if (v != null) gauges.put(q, v);
                }
            }
        }
        return new Model(exported, owned, counters, gauges, histograms);
    }

    /** Whether some series of {@code q} in {@code r} is labelled with its model (not only engine-wide ones). */
    private static boolean labelled(ServerReading r, Quantity q) {
        List<Labels> labels = q.shape() == Quantity.Shape.HISTOGRAM
                ? r.histograms(q).stream().map(HistogramPoint::labels).toList()
                : r.series(q).stream().map(Point::labels).toList();
        for (Labels l : labels)
            for (String name : ServerReading.MODEL_LABELS) if (r.model().equals(l.get(name))) return true;
        return false;
    }
}
