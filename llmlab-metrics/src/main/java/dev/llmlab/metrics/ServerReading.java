package dev.llmlab.metrics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One page read as a {@link ServerKind}: each {@link Quantity} from whichever alias the page has,
 * in the quantity's unit. Immutable and thread-safe; quantities are resolved when asked for.
 *
 * <p>Aggregation over a family's series (several engines, data-parallel ranks, models, GPUs): a
 * {@link Quantity.Shape#GAUGE_SUM} or {@link Quantity.Shape#COUNTER} quantity is summed, a
 * {@link Quantity.Shape#GAUGE_MEAN} quantity (a fraction of each series' own capacity) averaged,
 * which is the fraction of the whole when capacities are equal. Series whose value is NaN, or a
 * sentinel at or above 2^63 (DCGM writes {@code 9223372036854775794} and its neighbours for "blank"
 * or "not supported"), are left out. A family the page declares with no series is a sum of nothing,
 * 0, or a mean of nothing, unknown. A counter quantity carried by a histogram (TGI's and Dynamo's
 * token counts) is read from the histogram's {@code _sum}.
 *
 * <p>Models: a server of several models (the simulator with {@code --preset}, a vLLM or SGLang
 * router, Triton) labels each series with the model it is about. {@link #forModel} keeps the
 * series of one model and those that name none, so that a benchmark reads the model it loads
 * instead of an average over idle ones; a family with no series about that model is read whole
 * (Triton reports an ensemble's running requests and KV use on the backend model it calls).
 *
 * <p>The simulator always has its request gauges, but its Prometheus client leaves a labelled family
 * off the page until the family's first series: for {@link ServerKind#LLMLAB}, running and waiting
 * read 0 when absent.
 */
public final class ServerReading {
    /** DCGM's blank and not-supported sentinels sit just under 2^63 and print as about 9.22e18. */
    private static final double SENTINEL = 9.2e18;

    /**
     * The labels that name a series' model: {@code model_name} (vLLM, SGLang, the simulator),
     * {@code model} (Triton, Dynamo), {@code served_model_name}. Not DCGM's {@code modelName}, which
     * names the GPU.
     */
    public static final List<String> MODEL_LABELS = List.of("model_name", "model", "served_model_name");

    private final ServerKind kind;
    private final Exposition page;
    private final String model;

    ServerReading(ServerKind kind, Exposition page) {
        this(kind, page, null);
    }

    private ServerReading(ServerKind kind, Exposition page, String model) {
        this.kind = kind;
        this.page = page;
        this.model = model;
    }

    /** The models the page's series are labelled with ({@link #MODEL_LABELS}), sorted; empty when none is. */
    public SortedSet<String> models() {
        SortedSet<String> out = new TreeSet<>();
        for (MetricFamily f : page.families()) {
            switch (f) {
                case MetricFamily.Scalar x -> x.points().forEach(p -> addModel(out, p.labels()));
                case MetricFamily.Histogram x -> x.points().forEach(p -> addModel(out, p.labels()));
                case MetricFamily.Summary x -> x.points().forEach(p -> addModel(out, p.labels()));
            }
        }
        return out;
    }

    /**
     * This reading restricted to the series about {@code model} and those that name no model (an
     * engine-wide gauge); every quantity is then that model's.
     */
    public ServerReading forModel(String model) {
        return new ServerReading(kind, page, model);
    }

    /** The model this reading is restricted to; null when it reads every series. */
    public String model() {
        return model;
    }

    private static void addModel(SortedSet<String> out, Labels labels) {
        String m = modelOf(labels);
        if (m != null) out.add(m);
    }

    private static String modelOf(Labels labels) {
        for (String l : MODEL_LABELS) {
            String v = labels.get(l);
            if (v != null) return v;
        }
        return null;
    }

    /**
     * Whether a series of a family is read by this reading: every series when the reading is not
     * restricted, or when no series of the family is about its model (Triton's ensemble: its running
     * requests and KV use are reported by the backend model it calls); else the model's series and
     * those that name none.
     */
    private boolean kept(Labels labels, boolean restricted) {
        if (!restricted) return true;
        String m = modelOf(labels);
        return m == null || m.equals(model);
    }

    /** Whether {@code f}'s series are restricted to this reading's model: it has one and some series is about it. */
    private boolean restricted(MetricFamily f) {
        if (model == null) return false;
        for (Labels l : labels(f)) if (model.equals(modelOf(l))) return true;
        return false;
    }

    public ServerKind kind() {
        return kind;
    }

    public Exposition page() {
        return page;
    }

    /**
     * Whether {@code q}'s series on this page are this reading's own: some are about its model, or
     * none names a model (an engine-wide figure). False when {@code q} is not exported, or when its
     * series are all about other models: then {@link #value} and the others read the whole family
     * (Triton's ensemble reads its backend's), which a view of one model's own figures leaves out.
     * True for a reading of every model when {@code q} is exported.
     */
    public boolean owns(Quantity q) {
        Alias a = resolve(q);
        if (a == null) return false;
        if (model == null) return true;
        MetricFamily f = page.family(a.name()).orElseThrow();
        boolean named = false;
        for (Labels l : labels(f)) {
            String m = modelOf(l);
            if (model.equals(m)) return true;
            if (m != null) named = true;
        }
        return !named;
    }

    /** The metric name {@code q} was read from on this page; empty when the page does not export it. */
    public Optional<String> source(Quantity q) {
        Alias a = resolve(q);
        return a == null ? Optional.empty() : Optional.of(a.name());
    }

    /**
     * A gauge or counter quantity, aggregated over its series (see the class comment); null when the
     * page does not export it.
     *
     * @throws IllegalArgumentException for a histogram quantity: read those with {@link #histograms}
     */
    public Double value(Quantity q) {
        if (q.shape() == Quantity.Shape.HISTOGRAM) throw new IllegalArgumentException(q + " is a histogram");
        Alias a = resolve(q);
        if (a == null) {
            boolean simCount = kind == ServerKind.LLMLAB && (q == Quantity.RUNNING || q == Quantity.WAITING);
            return simCount ? 0.0 : null;
        }
        List<Point> raw = points(a, page.family(a.name()).orElseThrow());
        if (raw.isEmpty()) return q.shape() == Quantity.Shape.GAUGE_MEAN ? null : 0.0;
        double sum = 0;
        int n = 0;
        for (Point p : raw) {
            if (!usable(p.value())) continue;
            sum += p.value();
            n++;
        }
        if (n == 0) return null;
        return q.shape() == Quantity.Shape.GAUGE_MEAN ? sum / n : sum;
    }

    /** A gauge or counter quantity per series, in its unit, unusable series left out; empty when not exported. */
    public List<Point> series(Quantity q) {
        if (q.shape() == Quantity.Shape.HISTOGRAM) throw new IllegalArgumentException(q + " is a histogram");
        Alias a = resolve(q);
        if (a == null) return List.of();
        List<Point> out = new ArrayList<>();
        for (Point p : points(a, page.family(a.name()).orElseThrow())) if (usable(p.value())) out.add(p);
        return out;
    }

    /** A histogram quantity per series, bounds and sums in its unit; empty when not exported. */
    public List<HistogramPoint> histograms(Quantity q) {
        if (q.shape() != Quantity.Shape.HISTOGRAM) throw new IllegalArgumentException(q + " is not a histogram");
        Alias a = resolve(q);
        if (a == null || !(page.family(a.name()).orElseThrow() instanceof MetricFamily.Histogram h)) return List.of();
        List<HistogramPoint> out = new ArrayList<>(h.points().size());
        Set<String> scope = scope(a, h);
        boolean restricted = restricted(h);
        for (HistogramPoint p : h.points()) {
            if (!selects(a, scope, restricted, p.labels())) continue;
            if (a.scale() == 1) {
                out.add(p);
                continue;
            }
            List<HistogramPoint.Bucket> b = new ArrayList<>(p.buckets().size());
            for (HistogramPoint.Bucket x : p.buckets()) b.add(new HistogramPoint.Bucket(x.le() * a.scale(), x.count()));
            out.add(new HistogramPoint(p.labels(), b, p.count(), p.sum() * a.scale(), p.created()));
        }
        return out;
    }

    /** The first alias whose family is on the page with the right shape (and, if it selects by label, the label). */
    private Alias resolve(Quantity q) {
        for (Alias a : kind.aliases(q)) {
            MetricFamily f = page.family(a.name()).orElse(null);
            if (f == null) continue;
            boolean shapeFits = q.shape() == Quantity.Shape.HISTOGRAM
                    ? f instanceof MetricFamily.Histogram
                    : f instanceof MetricFamily.Scalar
                            || (q.shape() == Quantity.Shape.COUNTER && f instanceof MetricFamily.Histogram);
            if (!shapeFits) continue;
            if (a.label() != null && points(a, f).isEmpty()) continue;
            return a;
        }
        return null;
    }

    /**
     * The family's series the alias selects, scaled to the quantity's unit, a sentinel read as NaN
     * (checked before scaling: a sentinel in percent is still a sentinel); histograms give their sums.
     */
    private List<Point> points(Alias a, MetricFamily f) {
        Set<String> scope = scope(a, f);
        boolean restricted = restricted(f);
        List<Point> out = new ArrayList<>();
        if (f instanceof MetricFamily.Scalar s) {
            for (Point p : s.points())
                if (selects(a, scope, restricted, p.labels())) out.add(scaled(a, p.labels(), p.value(), p.created()));
        } else if (f instanceof MetricFamily.Histogram h) {
            for (HistogramPoint p : h.points())
                if (selects(a, scope, restricted, p.labels())) out.add(scaled(a, p.labels(), p.sum(), p.created()));
        }
        return out;
    }

    /** Whether a series is read: the alias selects it, it is about this reading's model, and it is in the scope. */
    private boolean selects(Alias a, Set<String> scope, boolean restricted, Labels labels) {
        return a.selects(labels)
                && kept(labels, restricted)
                && (scope == null || scope.contains(labels.get(a.label())));
    }

    /**
     * The values of {@code a}'s label that its scope family's series carry, when some series of
     * {@code f} this reading keeps has one of them; null (every series) otherwise, or when {@code a}
     * has no scope. (A reading of one model, the ensemble's, reads the ensemble's series.)
     */
    private Set<String> scope(Alias a, MetricFamily f) {
        if (a.scopeFamily() == null) return null;
        MetricFamily by = page.family(a.scopeFamily()).orElse(null);
        if (by == null) return null;
        Set<String> values = new HashSet<>();
        for (Labels l : labels(by)) {
            String v = l.get(a.label());
            if (v != null) values.add(v);
        }
        boolean restricted = restricted(f);
        for (Labels l : labels(f)) if (kept(l, restricted) && values.contains(l.get(a.label()))) return values;
        return null;
    }

    private static List<Labels> labels(MetricFamily f) {
        List<Labels> out = new ArrayList<>();
        if (f instanceof MetricFamily.Scalar s) for (Point p : s.points()) out.add(p.labels());
        else if (f instanceof MetricFamily.Histogram h) for (HistogramPoint p : h.points()) out.add(p.labels());
        return out;
    }

    private static Point scaled(Alias a, Labels labels, double raw, double created) {
        double v = Math.abs(raw) >= SENTINEL ? Double.NaN : raw * a.scale();
        return new Point(labels, v, created);
    }

    private static boolean usable(double v) {
        return !Double.isNaN(v);
    }
}
