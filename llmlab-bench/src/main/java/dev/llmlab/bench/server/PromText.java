package dev.llmlab.bench.server;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A reader of the Prometheus text exposition format (0.0.4) that also takes OpenMetrics text
 * ({@code # EOF}, exemplars after {@code " # "}, timestamps in seconds) and the quoted UTF-8 metric
 * names of Prometheus 3 ({@code {"my.metric",le="1"} 3}).
 *
 * <p>Why not a library: bench needs four gauges out of a foreign server's page, and that page may be
 * anything (an HTML login page, a half-written response, a server's own format quirks). Strict
 * parsers reject the whole page on one bad line; this one skips the line and keeps the rest, so a
 * quirk costs one series, not the sample. It never throws.
 *
 * <p>The {@code # TYPE} and {@code # HELP} lines are kept as family names: a gauge declared with no
 * series yet (a labelled gauge before its first child, as in the simulator before any request) is
 * a gauge over zero series, which matters for telling "0 running" from "not exported".
 *
 * <p>Timestamps are kept as written: milliseconds in the 0.0.4 format, seconds in OpenMetrics.
 */
final class PromText {
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

    private PromText() {}

    /** One line of a page: a series and its value; {@code timestamp} null when absent. */
    record Sample(String name, Map<String, String> labels, double value, Double timestamp) {}

    /** A parsed page: its samples in order, and the metric families its comments declare. */
    record Exposition(List<Sample> samples, Set<String> families, Set<String> names) {
        /** No sample and no declaration: not a Prometheus page. */
        boolean isEmpty() {
            return samples.isEmpty() && families.isEmpty();
        }

        /** Whether the page has series of this name or declares a family of this name. */
        boolean has(String name) {
            return names.contains(name) || families.contains(name);
        }

        boolean hasPrefix(String prefix) {
            for (String n : names) if (n.startsWith(prefix)) return true;
            for (String n : families) if (n.startsWith(prefix)) return true;
            return false;
        }
    }

    static Exposition parse(String text) {
        List<Sample> samples = new ArrayList<>();
        Set<String> families = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (String raw : text.split("\r?\n|\r")) {
            String line = raw.strip();
            if (line.isEmpty()) continue;
            if (line.charAt(0) == '#') {
                String family = declared(line);
                if (family != null) families.add(family);
                continue;
            }
            Sample s = sample(line);
            if (s != null) {
                samples.add(s);
                names.add(s.name());
            }
        }
        return new Exposition(List.copyOf(samples), Set.copyOf(families), Set.copyOf(names));
    }

    /** The family named by a {@code # TYPE} or {@code # HELP} line; null for other comments. */
    private static String declared(String line) {
        String[] t = line.substring(1).strip().split("[ \t]+", 3);
        if (t.length < 2 || !(t[0].equals("TYPE") || t[0].equals("HELP"))) return null;
        String name = t[1];
        if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\""))
            name = name.substring(1, name.length() - 1);
        return name.isEmpty() ? null : name;
    }

    /** One sample line, or null when it is malformed. */
    static Sample sample(String s) {
        int n = s.length();
        int i = skipSpace(s, 0);
        String name = null;
        if (i < n && s.charAt(i) != '{') {
            int start = i;
            while (i < n && isNameChar(s.charAt(i), i == start)) i++;
            if (i == start) return null;
            name = s.substring(start, i);
        }
        i = skipSpace(s, i);
        Map<String, String> labels = Map.of();
        if (i < n && s.charAt(i) == '{') {
            Map<String, String> l = new LinkedHashMap<>();
            i++;
            StringBuilder b = new StringBuilder();
            while (true) {
                i = skipSpace(s, i);
                if (i >= n) return null;
                if (s.charAt(i) == '}') {
                    i++;
                    break;
                }
                String key;
                boolean quoted = s.charAt(i) == '"';
                if (quoted) {
                    b.setLength(0);
                    i = quoted(s, i, b);
                    if (i < 0) return null;
                    key = b.toString();
                } else {
                    int start = i;
                    while (i < n && isLabelChar(s.charAt(i), i == start)) i++;
                    if (i == start) return null;
                    key = s.substring(start, i);
                }
                i = skipSpace(s, i);
                if (i < n && s.charAt(i) == '=') {
                    i = skipSpace(s, i + 1);
                    if (i >= n || s.charAt(i) != '"') return null;
                    b.setLength(0);
                    i = quoted(s, i, b);
                    if (i < 0) return null;
                    l.put(key, b.toString());
                } else if (quoted && name == null) {
                    name = key; // a UTF-8 metric name inside the braces
                } else {
                    return null;
                }
                i = skipSpace(s, i);
                if (i < n && s.charAt(i) == ',') i++;
                else if (i >= n || s.charAt(i) != '}') return null;
            }
            labels = l;
        }
        if (name == null || name.isEmpty()) return null;
        String rest = s.substring(i);
        int exemplar = rest.indexOf('#'); // nothing after the labels may contain '#' but an exemplar
        if (exemplar >= 0) rest = rest.substring(0, exemplar);
        rest = rest.strip();
        if (rest.isEmpty()) return null;
        String[] t = rest.split("[ \t]+");
        if (t.length > 2) return null;
        Double value = number(t[0]);
        Double timestamp = t.length == 2 ? number(t[1]) : null;
        if (value == null || (t.length == 2 && (timestamp == null || !Double.isFinite(timestamp)))) return null;
        return new Sample(name, labels, value, timestamp);
    }

    /** Reads a quoted string at {@code s[i] == '"'} into {@code out}; the index after it, or -1. */
    private static int quoted(String s, int i, StringBuilder out) {
        for (int j = i + 1; j < s.length(); j++) {
            char c = s.charAt(j);
            if (c == '"') return j + 1;
            if (c == '\\' && j + 1 < s.length()) {
                char e = s.charAt(++j);
                switch (e) {
                    case 'n' -> out.append('\n');
                    case '\\', '"' -> out.append(e);
                    default -> out.append('\\').append(e); // not an escape in the format: keep it as written
                }
            } else {
                out.append(c);
            }
        }
        return -1;
    }

    /** Go's ParseFloat spellings that exporters write: NaN, Inf, +Inf, -Inf, decimals, exponents. */
    static Double number(String t) {
        switch (t.toLowerCase(java.util.Locale.ROOT)) {
            case "nan", "+nan", "-nan" -> {
                return Double.NaN;
            }
            case "inf", "+inf", "infinity", "+infinity" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-inf", "-infinity" -> {
                return Double.NEGATIVE_INFINITY;
            }
            default -> {}
        }
        if (!NUMBER.matcher(t).matches()) return null;
        try {
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) i++;
        return i;
    }

    private static boolean isNameChar(char c, boolean first) {
        return c == ':' || isLabelChar(c, first);
    }

    private static boolean isLabelChar(char c, boolean first) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (!first && c >= '0' && c <= '9');
    }
}
