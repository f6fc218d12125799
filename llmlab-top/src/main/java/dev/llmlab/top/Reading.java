package dev.llmlab.top;

import dev.llmlab.metrics.HistogramPoint;
import dev.llmlab.metrics.Labels;
import dev.llmlab.metrics.Point;
import dev.llmlab.metrics.Quantity;
import dev.llmlab.metrics.ServerReading;
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
 * <p>A model is one the page labels some shown series with; a page that labels none is one model,
 * {@code -}. For each model: which quantities the page exports at all, which of them are the
 * model's own ({@link ServerReading#owns}), and the own ones' series.
 */
record Reading(String kind, Map<String, Model> models) {
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

    /** One model's part of a page. */
    record Model(
            Set<Quantity> exported,
            Set<Quantity> owned,
            Map<Quantity, List<Point>> counters,
            Map<Quantity, Double> gauges,
            Map<Quantity, List<HistogramPoint>> histograms) {}

    static Reading of(ServerReading page) {
        Map<String, Model> models = new LinkedHashMap<>();
        if (page.models().isEmpty()) models.put("-", model(page));
        else
            for (String m : page.models()) {
                ServerReading own = page.forModel(m);
                // a model named only in families no row shows (an idle engine's own metrics) has no row
                if (SHOWN.stream().anyMatch(q -> own.owns(q) && labelled(own, q))) models.put(m, model(own));
            }
        return new Reading(page.kind().label(), models);
    }

    private static Model model(ServerReading r) {
        Set<Quantity> exported = EnumSet.noneOf(Quantity.class);
        Set<Quantity> owned = EnumSet.noneOf(Quantity.class);
        Map<Quantity, List<Point>> counters = new EnumMap<>(Quantity.class);
        Map<Quantity, Double> gauges = new EnumMap<>(Quantity.class);
        Map<Quantity, List<HistogramPoint>> histograms = new EnumMap<>(Quantity.class);
        for (Quantity q : SHOWN) {
            if (r.source(q).isEmpty()) continue;
            exported.add(q);
            if (!r.owns(q)) continue;
            owned.add(q);
            switch (q.shape()) {
                case COUNTER -> counters.put(q, List.copyOf(r.series(q)));
                case HISTOGRAM -> histograms.put(q, List.copyOf(r.histograms(q)));
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
