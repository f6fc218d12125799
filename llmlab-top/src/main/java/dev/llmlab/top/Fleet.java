package dev.llmlab.top;

import dev.llmlab.metrics.Counters;
import dev.llmlab.metrics.HistogramPoint;
import dev.llmlab.metrics.Histograms;
import dev.llmlab.metrics.Histograms.Estimate;
import dev.llmlab.metrics.Labels;
import dev.llmlab.metrics.Quantity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Builds a {@link Snapshot} from each target's readings at the ends of a window.
 *
 * <p>A replica is a target, or a target and one model when its page labels its series with several
 * ({@link Reading}). Over its window it gives counter increases (Prometheus' reset
 * rule: a counter that went down restarted, and counts its whole new value), gauges as last read,
 * and the window's histogram of each latency (the bucket deltas of its series, merged). A model's
 * row adds its replicas up: rates and gauges of requests summed, the KV cache's fraction averaged
 * (each replica's is of its own cache), latency histograms merged by summing buckets before any
 * percentile is taken, so that a model's p99 is the p99 of all its requests and not a mean of
 * replicas' p99s. This is what {@code histogram_quantile(0.99, sum by (le) (rate(x_bucket[w])))}
 * gives over the same window.
 */
final class Fleet {
    private Fleet() {}

    /** One replica over its window: increases (NaN: not exported), gauges, and latency histograms (null: not exported). */
    private record Partial(
            String model,
            String replica,
            String kind,
            double seconds,
            double succeeded,
            double failed,
            double prompt,
            double generation,
            double preemptions,
            double hits,
            double queries,
            double running,
            double waiting,
            double kv,
            HistogramPoint ttft,
            HistogramPoint itl,
            HistogramPoint e2e) {}

    static Snapshot build(History history, long windowNanos, long nowNanos, Instant at, String sourceError) {
        return build(history, windowNanos, nowNanos, at, sourceError, null);
    }

    /** @param cost null: no price, no cost column */
    static Snapshot build(
            History history, long windowNanos, long nowNanos, Instant at, String sourceError, TopConfig.Cost cost) {
        List<Partial> partials = new ArrayList<>();
        List<TargetState> states = new ArrayList<>();
        List<GpuRow> gpus = new ArrayList<>();
        List<GatewayRow> gateways = new ArrayList<>();
        for (Target t : history.targets()) {
            Scrape last = history.last(t);
            Scrape[] w = history.window(t, windowNanos);
            String kind = w == null ? "unknown" : w[1].reading().kind();
            states.add(new TargetState(
                    t.name(),
                    t.url().toString(),
                    kind,
                    last == null ? null : last.error(),
                    last == null ? -1 : Math.max(0, (nowNanos - last.atNanos()) / 1_000_000)));
            if (w == null) continue;
            double seconds = (w[1].atNanos() - w[0].atNanos()) / 1e9;
            if (!(seconds > 0)) continue;
            GpuRow gpu = Infra.gpu(t.name(), seconds, w[0].reading(), w[1].reading());
            if (gpu != null) gpus.add(gpu);
            GatewayRow gateway = Infra.gateway(t.name(), kind, seconds, w[0].reading(), w[1].reading());
            if (gateway != null) gateways.add(gateway);
            for (Map.Entry<String, Reading.Model> m : w[1].reading().models().entrySet()) {
                Reading.Model before = w[0].reading().models().get(m.getKey()); // null: a model new since
                partials.add(partial(m.getKey(), t.name(), kind, seconds, before, m.getValue()));
            }
        }
        Map<String, List<Partial>> byModel = new LinkedHashMap<>();
        for (Partial p : partials)
            byModel.computeIfAbsent(p.model(), k -> new ArrayList<>()).add(p);
        List<Row> models = new ArrayList<>();
        for (Map.Entry<String, List<Partial>> e : byModel.entrySet()) {
            List<Partial> ps = e.getValue();
            String kind = ps.stream().map(Partial::kind).distinct().count() == 1
                    ? ps.getFirst().kind()
                    : "mixed";
            models.add(new Row(e.getKey(), null, kind, ps.size(), figures(ps, cost)));
        }
        List<Row> replicas = new ArrayList<>();
        for (Partial p : partials)
            replicas.add(new Row(p.model(), p.replica(), p.kind(), 1, figures(List.of(p), cost)));
        return new Snapshot(
                at,
                windowNanos / 1e9,
                List.copyOf(models),
                List.copyOf(replicas),
                List.copyOf(states),
                sourceError,
                List.of(),
                null,
                gpus,
                gateways,
                joulesPerToken(gpus, models),
                null);
    }

    /** The GPUs' energy per second over the models' output tokens per second; NaN without both. */
    private static double joulesPerToken(List<GpuRow> gpus, List<Row> models) {
        double joules = 0;
        for (GpuRow g : gpus) {
            double perSecond = Double.isNaN(g.joulesPerSecond()) ? g.watts() : g.joulesPerSecond();
            if (Double.isNaN(perSecond)) return Double.NaN;
            joules += perSecond;
        }
        double tokens = 0;
        for (Row m : models)
            if (Double.isFinite(m.figures().outputTokensPerSecond()))
                tokens += m.figures().outputTokensPerSecond();
        return gpus.isEmpty() || !(tokens > 0) ? Double.NaN : joules / tokens;
    }

    private static Partial partial(
            String model, String replica, String kind, double seconds, Reading.Model before, Reading.Model after) {
        return new Partial(
                model,
                replica,
                kind,
                seconds,
                increase(before, after, Quantity.REQUESTS_SUCCEEDED),
                increase(before, after, Quantity.REQUESTS_FAILED),
                increase(before, after, Quantity.PROMPT_TOKENS),
                increase(before, after, Quantity.GENERATION_TOKENS),
                increase(before, after, Quantity.PREEMPTIONS),
                increase(before, after, Quantity.PREFIX_CACHE_HITS),
                increase(before, after, Quantity.PREFIX_CACHE_QUERIES),
                gauge(after, Quantity.RUNNING),
                gauge(after, Quantity.WAITING),
                gauge(after, Quantity.KV_CACHE_USAGE),
                window(before, after, Quantity.TTFT),
                window(before, after, Quantity.ITL),
                window(before, after, Quantity.E2E));
    }

    /*
     * A family the page has, with no series about this model: the model had none yet (a client
     * library adds a labelled series at its first observation), so 0 and an idle window; a family
     * the page lacks: not exported (NaN, null).
     */
    static double increase(Reading.Model before, Reading.Model after, Quantity q) {
        if (!after.owned().contains(q)) return after.exported().contains(q) ? 0 : Double.NaN;
        Reading.Counter earlier = before == null ? null : before.counters().get(q);
        return Counters.window(
                earlier == null ? List.of() : earlier.points(),
                after.counters().get(q).points());
    }

    private static double gauge(Reading.Model after, Quantity q) {
        Double v = after.gauges().get(q);
        return v == null ? Double.NaN : v;
    }

    static HistogramPoint window(Reading.Model before, Reading.Model after, Quantity q) {
        if (!after.owned().contains(q))
            return after.exported().contains(q) ? new HistogramPoint(Labels.EMPTY, List.of(), 0, 0, Double.NaN) : null;
        Reading.Histogram earlier = before == null ? null : before.histograms().get(q);
        return Histograms.window(
                        earlier == null ? List.of() : earlier.points(),
                        after.histograms().get(q).points())
                .histogram();
    }

    private static Figures figures(List<Partial> ps, TopConfig.Cost cost) {
        double succeeded = sum(ps, Partial::succeeded);
        double failed = sum(ps, Partial::failed);
        double ended = Double.isNaN(failed) ? succeeded : Double.isNaN(succeeded) ? failed : succeeded + failed;
        double hits = sum(ps, Partial::hits);
        double queries = sum(ps, Partial::queries);
        HistogramPoint ttft = merge(ps, Partial::ttft);
        HistogramPoint itl = merge(ps, Partial::itl);
        HistogramPoint e2e = merge(ps, Partial::e2e);
        double output = rate(ps, Partial::generation);
        double perMillion =
                cost == null || !(output > 0) ? Double.NaN : cost.perHour(ps.size()) / (output * 3600 / 1e6);
        return new Figures(
                ps.stream().mapToDouble(Partial::seconds).max().orElse(Double.NaN),
                rate(ps, p -> add(p.succeeded(), p.failed())),
                ended > 0 ? (Double.isNaN(failed) ? Double.NaN : failed / ended) : Double.NaN,
                sum(ps, Partial::running),
                sum(ps, Partial::waiting),
                mean(ps, Partial::kv),
                quantile(0.5, ttft),
                quantile(0.99, ttft),
                quantile(0.5, itl),
                quantile(0.99, itl),
                quantile(0.99, e2e),
                rate(ps, Partial::prompt),
                output,
                rate(ps, Partial::preemptions),
                queries > 0 ? hits / queries : Double.NaN,
                perMillion);
    }

    /** a + b, either NaN counting as absent; NaN when both are. */
    private static double add(double a, double b) {
        return Double.isNaN(a) ? b : Double.isNaN(b) ? a : a + b;
    }

    /** The sum over replicas of what they export; NaN when none does. */
    private static double sum(List<Partial> ps, ToDoubleFunction<Partial> f) {
        double s = Double.NaN;
        for (Partial p : ps) s = add(s, f.applyAsDouble(p));
        return s;
    }

    private static double rate(List<Partial> ps, ToDoubleFunction<Partial> f) {
        return sum(ps, p -> f.applyAsDouble(p) / p.seconds());
    }

    private static double mean(List<Partial> ps, ToDoubleFunction<Partial> f) {
        double s = 0;
        int n = 0;
        for (Partial p : ps) {
            double v = f.applyAsDouble(p);
            if (Double.isNaN(v)) continue;
            s += v;
            n++;
        }
        return n == 0 ? Double.NaN : s / n;
    }

    private static HistogramPoint merge(List<Partial> ps, java.util.function.Function<Partial, HistogramPoint> f) {
        List<HistogramPoint> hs = new ArrayList<>();
        for (Partial p : ps) {
            HistogramPoint h = f.apply(p);
            if (h != null) hs.add(h);
        }
        return hs.isEmpty() ? null : Histograms.merge(hs).histogram();
    }

    private static Estimate quantile(double q, HistogramPoint h) {
        return h == null ? null : Histograms.quantile(q, h);
    }
}
