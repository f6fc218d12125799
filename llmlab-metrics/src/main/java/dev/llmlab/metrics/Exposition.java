package dev.llmlab.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A parsed page of Prometheus text (0.0.4) or OpenMetrics text (1.0): its samples as written and
 * its typed families. Immutable and thread-safe.
 *
 * <p>{@link #parse} never throws on page content: a line that does not parse is skipped and counted
 * ({@link #skippedLines}), and the rest of the page still counts, because a page is whatever a
 * foreign server (or the proxy in front of it) sent, and one quirk must not cost the whole sample.
 * What the parser accepts is written in full on {@code TextParser}; how samples become families
 * on {@link MetricFamily}.
 */
public final class Exposition {
    private final List<Sample> samples;
    private final List<MetricFamily> families;
    private final Map<String, MetricFamily> byName;
    private final int skippedLines;
    private final boolean openMetrics;

    Exposition(List<Sample> samples, List<MetricFamily> families, int skippedLines, boolean openMetrics) {
        this.samples = List.copyOf(samples);
        this.families = List.copyOf(families);
        this.skippedLines = skippedLines;
        this.openMetrics = openMetrics;
        Map<String, MetricFamily> m = new HashMap<>();
        for (MetricFamily f : this.families) m.putIfAbsent(f.name(), f);
        for (MetricFamily f : this.families) {
            if (f.type() == MetricType.COUNTER) m.putIfAbsent(f.name() + "_total", f);
            if (f.type() == MetricType.INFO) m.putIfAbsent(f.name() + "_info", f);
        }
        this.byName = m;
    }

    /** Parses a page; never throws for its content (null reads as an empty page). */
    public static Exposition parse(CharSequence text) {
        return TextParser.parse(text);
    }

    /**
     * Parses a page, keeping only the samples whose names {@code keep} accepts: a monitor that reads
     * a few families of a large page spares itself the rest. Every family's declaration is kept, so
     * {@link #has} and {@link #hasPrefix} still see the whole page's names.
     */
    public static Exposition parse(CharSequence text, java.util.function.Predicate<String> keep) {
        return TextParser.parse(text, keep);
    }

    /** Every sample the page wrote and the parser kept, in page order. */
    public List<Sample> samples() {
        return samples;
    }

    /** Every family, in the order the page first named it; families declared without a series are kept. */
    public List<MetricFamily> families() {
        return families;
    }

    /**
     * The family of this name: as {@link MetricFamily} names it, or as the page spelled it (a counter
     * also answers to its {@code _total} name, an info family to its {@code _info} name).
     */
    public Optional<MetricFamily> family(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /**
     * The value of the one sample of this name (as written, suffix included) whose labels are
     * exactly {@code labels}; NaN when the page has none. Meant for tests and tools that know the
     * series they want; monitors read families.
     */
    public double value(String sampleName, Labels labels) {
        for (Sample s : samples) if (s.name().equals(sampleName) && s.labels().equals(labels)) return s.value();
        return Double.NaN;
    }

    /** {@link #value(String, Labels)} with the labels as name, value pairs. */
    public double value(String sampleName, String... labelPairs) {
        return value(sampleName, Labels.of(labelPairs));
    }

    /** Whether the page has a family of this name, or samples of this name. */
    public boolean has(String name) {
        if (byName.containsKey(name)) return true;
        for (Sample s : samples) if (s.name().equals(name)) return true;
        return false;
    }

    /** Whether any family or sample name starts with {@code prefix}. */
    public boolean hasPrefix(String prefix) {
        for (MetricFamily f : families) if (f.name().startsWith(prefix)) return true;
        return false;
    }

    /** No sample and no family: not a Prometheus page (an HTML login page, a JSON error, nothing). */
    public boolean isEmpty() {
        return samples.isEmpty() && families.isEmpty();
    }

    /** Lines that were neither blank, comments nor samples the parser could read. */
    public int skippedLines() {
        return skippedLines;
    }

    /**
     * This page's samples grouped by their values of {@code keys}, one page per group, with those
     * labels taken off: what a federating Prometheus' page ({@code /federate}) holds of each of its
     * targets, grouped by {@code job} and {@code instance}. Each group is assembled into families as
     * a page of its own whose {@code # TYPE} lines are {@code types} (by family name, as Prometheus'
     * metadata API gives them); this page's own type lines are not used, because a federation page
     * declares every series {@code untyped}, a histogram's buckets included. A sample that has none
     * of the keys is left out.
     *
     * @return the groups, keyed by the key labels each had, in the order this page first names them
     */
    public Map<Labels, Exposition> split(List<String> keys, Map<String, MetricType> types) {
        record Group(FamilyAssembler families, List<Sample> samples, Set<String> typed, int[] skipped) {}
        Map<Labels, Group> groups = new LinkedHashMap<>();
        for (Sample s : samples) {
            List<String> key = new ArrayList<>(2 * keys.size());
            Labels rest = s.labels();
            for (String k : keys) {
                String v = s.labels().get(k);
                if (v == null) continue;
                key.add(k);
                key.add(v);
                rest = rest.without(k);
            }
            if (key.isEmpty()) continue;
            Group g = groups.computeIfAbsent(
                    Labels.of(key.toArray(String[]::new)),
                    k -> new Group(new FamilyAssembler(), new ArrayList<>(), new HashSet<>(), new int[1]));
            String family = familyOf(s.name(), types);
            if (family != null && g.typed().add(family)) g.families().type(family, types.get(family));
            Sample t = new Sample(s.name(), rest, s.value(), s.timestamp());
            if (g.families().add(t)) g.samples().add(t);
            else g.skipped()[0]++;
        }
        Map<Labels, Exposition> out = new LinkedHashMap<>();
        for (Map.Entry<Labels, Group> e : groups.entrySet()) {
            Group g = e.getValue();
            out.put(e.getKey(), new Exposition(g.samples(), g.families().build(), g.skipped()[0], openMetrics));
        }
        return out;
    }

    private static final String[] FAMILY_SUFFIXES = {"_bucket", "_count", "_sum", "_total", "_created"};

    /** The family in {@code types} a sample of this name belongs to: its own name, or its name less a suffix. */
    private static String familyOf(String name, Map<String, MetricType> types) {
        if (types.containsKey(name)) return name;
        for (String suffix : FAMILY_SUFFIXES) {
            if (!name.endsWith(suffix)) continue;
            String base = name.substring(0, name.length() - suffix.length());
            if (types.containsKey(base)) return base;
        }
        return null;
    }

    /** Whether the page ended with OpenMetrics' {@code # EOF}; its timestamps are then in seconds. */
    public boolean openMetrics() {
        return openMetrics;
    }
}
