package dev.llmlab.top;

import dev.llmlab.metrics.HistogramPoint;
import dev.llmlab.metrics.Labels;
import dev.llmlab.metrics.Point;
import dev.llmlab.metrics.Quantity;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;

/**
 * A {@link Reading} as a recording's JSON, and back: all of it, so that a replayed reading gives
 * the figures the live one gave. Quantities are named by their lower-case enum name ({@code ttft},
 * {@code requests_succeeded}); a number that is not finite is a string ({@code "+Inf"}, {@code
 * "NaN"}), as Prometheus writes it; a series' {@code count}, {@code sum} and {@code created} are
 * left out when the page did not give them.
 */
final class ReadingJson {
    private ReadingJson() {}

    /** Writes the reading's properties ({@code kind}, {@code models}) into the object being written. */
    /**
     * Writes the reading's properties ({@code kind}, {@code models}, and for a GPU or gateway page
     * {@code infra} and {@code gpus}) into the object being written.
     */
    static void write(JsonGenerator g, Reading r) {
        g.writeStringProperty("kind", r.kind());
        g.writeObjectPropertyStart("models");
        for (Map.Entry<String, Reading.Model> e : r.models().entrySet()) {
            g.writeObjectPropertyStart(e.getKey());
            model(g, e.getValue());
            g.writeEndObject();
        }
        g.writeEndObject();
        if (r.infra() != null) {
            g.writeObjectPropertyStart("infra");
            model(g, r.infra());
            g.writeEndObject();
            g.writeNumberProperty("gpus", r.gpus());
        }
    }

    private static void model(JsonGenerator g, Reading.Model m) {
        quantities(g, "exported", m.exported());
        quantities(g, "owned", m.owned());
        g.writeObjectPropertyStart("counters");
        for (Map.Entry<Quantity, Reading.Counter> c : m.counters().entrySet()) {
            g.writeArrayPropertyStart(name(c.getKey()));
            Reading.Counter k = c.getValue();
            for (int i = 0; i < k.labels().length; i++) {
                g.writeStartObject();
                labels(g, k.labels()[i]);
                g.writeName("value");
                number(g, k.values()[i]);
                optional(g, "created", k.created()[i]);
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeEndObject();
        g.writeObjectPropertyStart("gauges");
        for (Map.Entry<Quantity, Double> v : m.gauges().entrySet()) {
            g.writeName(name(v.getKey()));
            number(g, v.getValue());
        }
        g.writeEndObject();
        g.writeObjectPropertyStart("histograms");
        for (Map.Entry<Quantity, Reading.Histogram> h : m.histograms().entrySet()) {
            g.writeArrayPropertyStart(name(h.getKey()));
            Reading.Histogram k = h.getValue();
            for (int i = 0; i < k.labels().length; i++) {
                g.writeStartObject();
                labels(g, k.labels()[i]);
                g.writeArrayPropertyStart("le");
                for (double le : k.bounds()[i].le()) number(g, le);
                g.writeEndArray();
                g.writeArrayPropertyStart("buckets");
                for (double n : k.buckets()[i]) number(g, n);
                g.writeEndArray();
                optional(g, "count", k.count()[i]);
                optional(g, "sum", k.sum()[i]);
                optional(g, "created", k.created()[i]);
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    /**
     * The reading a scrape line holds.
     *
     * @throws IllegalArgumentException (or Jackson's exception) when it is not one
     */
    static Reading read(JsonNode line) {
        Map<String, Reading.Model> models = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : line.get("models").properties())
            models.put(e.getKey(), model(e.getValue()));
        JsonNode infra = line.get("infra");
        return new Reading(
                line.get("kind").stringValue(),
                models,
                infra == null ? null : model(infra),
                infra == null ? 0 : line.get("gpus").intValue());
    }

    private static Reading.Model model(JsonNode m) {
        Map<Quantity, Reading.Counter> counters = new EnumMap<>(Quantity.class);
        for (Map.Entry<String, JsonNode> c : m.get("counters").properties()) {
            List<Point> points = new ArrayList<>();
            for (JsonNode p : c.getValue().values())
                points.add(new Point(labels(p.get("labels")), number(p.get("value")), optional(p, "created")));
            counters.put(quantity(c.getKey()), Reading.Counter.of(points));
        }
        Map<Quantity, Double> gauges = new EnumMap<>(Quantity.class);
        for (Map.Entry<String, JsonNode> v : m.get("gauges").properties())
            gauges.put(quantity(v.getKey()), number(v.getValue()));
        Map<Quantity, Reading.Histogram> histograms = new EnumMap<>(Quantity.class);
        for (Map.Entry<String, JsonNode> h : m.get("histograms").properties()) {
            List<HistogramPoint> points = new ArrayList<>();
            for (JsonNode p : h.getValue().values()) {
                JsonNode le = p.get("le");
                JsonNode counts = p.get("buckets");
                if (le.size() != counts.size())
                    throw new IllegalArgumentException(
                            "a histogram has " + le.size() + " bounds and " + counts.size() + " buckets");
                List<HistogramPoint.Bucket> buckets = new ArrayList<>(le.size());
                for (int i = 0; i < le.size(); i++)
                    buckets.add(new HistogramPoint.Bucket(number(le.get(i)), number(counts.get(i))));
                points.add(new HistogramPoint(
                        labels(p.get("labels")),
                        buckets,
                        optional(p, "count"),
                        optional(p, "sum"),
                        optional(p, "created")));
            }
            histograms.put(quantity(h.getKey()), Reading.Histogram.of(points));
        }
        return new Reading.Model(
                quantities(m.get("exported")), quantities(m.get("owned")), counters, gauges, histograms);
    }

    private static String name(Quantity q) {
        return q.name().toLowerCase(Locale.ROOT);
    }

    private static Quantity quantity(String name) {
        try {
            return Quantity.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("no quantity is named '" + name + "'");
        }
    }

    private static void quantities(JsonGenerator g, String name, Set<Quantity> qs) {
        g.writeArrayPropertyStart(name);
        for (Quantity q : qs) g.writeString(name(q));
        g.writeEndArray();
    }

    private static Set<Quantity> quantities(JsonNode names) {
        Set<Quantity> out = EnumSet.noneOf(Quantity.class);
        for (JsonNode n : names.values()) out.add(quantity(n.stringValue()));
        return out;
    }

    private static void labels(JsonGenerator g, Labels l) {
        g.writeObjectPropertyStart("labels");
        for (Map.Entry<String, String> e : l.asMap().entrySet()) g.writeStringProperty(e.getKey(), e.getValue());
        g.writeEndObject();
    }

    private static Labels labels(JsonNode n) {
        if (n == null || n.isEmpty()) return Labels.EMPTY;
        List<String> pairs = new ArrayList<>(2 * n.size());
        for (Map.Entry<String, JsonNode> e : n.properties()) {
            pairs.add(e.getKey());
            pairs.add(e.getValue().stringValue());
        }
        return Labels.of(pairs.toArray(String[]::new));
    }

    /** A number, or Prometheus' spelling of one that is not finite. */
    private static void number(JsonGenerator g, double v) {
        if (Double.isFinite(v)) g.writeNumber(v);
        else g.writeString(Double.isNaN(v) ? "NaN" : v > 0 ? "+Inf" : "-Inf");
    }

    private static void optional(JsonGenerator g, String name, double v) {
        if (Double.isNaN(v)) return;
        g.writeName(name);
        number(g, v);
    }

    private static double optional(JsonNode object, String name) {
        JsonNode n = object.get(name);
        return n == null ? Double.NaN : number(n);
    }

    private static double number(JsonNode n) {
        if (n == null) throw new IllegalArgumentException("a number is missing");
        if (n.isNumber()) return n.doubleValue();
        return switch (n.isString() ? n.stringValue() : "") {
            case "NaN" -> Double.NaN;
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> throw new IllegalArgumentException("not a number: " + n);
        };
    }
}
