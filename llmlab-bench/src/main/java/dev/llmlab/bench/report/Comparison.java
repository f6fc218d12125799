package dev.llmlab.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Benchmark results side by side, figure by figure: the run's throughputs (higher is better) and
 * each latency metric's p50, p90 and p99 (lower is better), with each result's change against the
 * first. The same rows decide a regression gate: a figure is worse than its baseline by more than
 * the allowed fraction. A figure missing from a result, or with no samples in it, is left out
 * rather than compared with zero. Stateless.
 */
public final class Comparison {
    private static final String[] THROUGHPUTS = {
        "request_throughput", "output_token_throughput", "total_token_throughput", "goodput"
    };
    private static final String[] PERCENTILES = {"p50", "p90", "p99"};

    /** One figure in every result; NaN where a result lacks it. */
    public record Row(String name, boolean higherIsBetter, double[] values) {
        /** Relative change of result {@code i} against the first; NaN when either is missing or the first is 0. */
        public double change(int i) {
            double base = values[0];
            double v = values[i];
            if (Double.isNaN(base) || Double.isNaN(v) || base == 0) return Double.NaN;
            return (v - base) / base;
        }

        /** Whether result {@code i} is worse than the first by more than {@code maxWorse} (a fraction). */
        public boolean worse(int i, double maxWorse) {
            double c = change(i);
            if (Double.isNaN(c)) return false;
            return higherIsBetter ? -c > maxWorse : c > maxWorse;
        }
    }

    private Comparison() {}

    /**
     * Reads a result written by {@code llmlab bench --json}.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static JsonNode read(Path file) {
        JsonNode root;
        try {
            root = JsonMapper.builder().build().readTree(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        } catch (JacksonException e) {
            throw new IllegalArgumentException(file + " is not JSON: " + e.getOriginalMessage());
        }
        if (!root.path("schema_version").isNumber()
                || !root.path("summary").isObject()
                || !root.path("metrics").isObject()) {
            throw new IllegalArgumentException(
                    file + " is not an llmlab bench result (no schema_version, summary and metrics)");
        }
        return root;
    }

    /** Every figure of {@code results}, in a fixed order: throughputs, then metrics as the first result lists them. */
    public static List<Row> rows(List<JsonNode> results) {
        List<Row> rows = new ArrayList<>();
        for (String t : THROUGHPUTS) {
            double[] v = new double[results.size()];
            for (int i = 0; i < v.length; i++)
                v[i] = number(results.get(i).path("summary").path(t));
            rows.add(new Row(t, true, v));
        }
        Set<String> metrics = new LinkedHashSet<>();
        for (JsonNode r : results) {
            for (Iterator<String> it = r.path("metrics").propertyNames().iterator(); it.hasNext(); )
                metrics.add(it.next());
        }
        for (String m : metrics) {
            for (String p : PERCENTILES) {
                double[] v = new double[results.size()];
                for (int i = 0; i < v.length; i++) {
                    JsonNode metric = results.get(i).path("metrics").path(m);
                    v[i] = metric.path("count").asLong(0) > 0 ? number(metric.path(p)) : Double.NaN;
                }
                rows.add(new Row(m + " " + p, false, v));
            }
        }
        rows.removeIf(r -> allMissing(r.values()));
        return rows;
    }

    /** The figures of {@code current} worse than {@code baseline}'s by more than {@code maxWorse}. */
    public static List<Row> regressions(JsonNode baseline, JsonNode current, double maxWorse) {
        List<Row> worse = new ArrayList<>();
        for (Row r : rows(List.of(baseline, current))) if (r.worse(1, maxWorse)) worse.add(r);
        return worse;
    }

    /**
     * The {@code baseline} object of a result run with {@code --baseline}: every compared figure with
     * the baseline's value, this run's, the change and whether it is worse than allowed. The gate's
     * exit code and the HTML report both read it.
     */
    public static tools.jackson.databind.node.ObjectNode baseline(
            String file, JsonNode baseline, JsonNode current, double maxWorse) {
        var o = Reports.JSON.createObjectNode();
        o.put("file", file).put("max_regression", maxWorse);
        var figures = o.putArray("figures");
        int worse = 0;
        for (Row r : rows(List.of(baseline, current))) {
            var f = figures.addObject().put("name", r.name()).put("higher_is_better", r.higherIsBetter());
            putNumber(f, "baseline", r.values()[0]);
            putNumber(f, "value", r.values()[1]);
            putNumber(f, "change", r.change(1));
            boolean w = r.worse(1, maxWorse);
            f.put("worse", w);
            if (w) worse++;
        }
        o.put("regressed", worse);
        return o;
    }

    private static void putNumber(tools.jackson.databind.node.ObjectNode o, String key, double v) {
        if (Double.isNaN(v)) o.putNull(key);
        else o.put(key, v);
    }

    /** A text table: the figure, each result's value, and each later result's change against the first. */
    public static String table(List<String> labels, List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-28s", "figure (ms, or per second)"));
        for (String l : labels) sb.append(String.format(Locale.ROOT, " %14s", abbreviate(l)));
        for (int i = 1; i < labels.size(); i++) sb.append(String.format(Locale.ROOT, " %9s", "change"));
        sb.append('\n');
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "%-28s", r.name()));
            for (double v : r.values())
                sb.append(
                        Double.isNaN(v)
                                ? String.format(Locale.ROOT, " %14s", "-")
                                : String.format(Locale.ROOT, " %14.3f", v));
            for (int i = 1; i < labels.size(); i++) {
                double c = r.change(i);
                sb.append(
                        Double.isNaN(c)
                                ? String.format(Locale.ROOT, " %9s", "-")
                                : String.format(Locale.ROOT, " %+8.1f%%", 100 * c));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /**
     * Parses an allowed regression: {@code 10%} or {@code 0.1}.
     *
     * @throws IllegalArgumentException when it is not a non-negative fraction or percentage
     */
    public static double parseFraction(String s) {
        String t = s.strip();
        double v;
        try {
            v = t.endsWith("%")
                    ? Double.parseDouble(t.substring(0, t.length() - 1).strip()) / 100
                    : Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "must be a percentage such as 10% or a fraction such as 0.1, got '" + s + "'");
        }
        if (!(v >= 0) || Double.isInfinite(v)) throw new IllegalArgumentException("must be >= 0, got '" + s + "'");
        return v;
    }

    private static double number(JsonNode n) {
        return n.isNumber() ? n.asDouble() : Double.NaN;
    }

    private static boolean allMissing(double[] v) {
        for (double x : v) if (!Double.isNaN(x)) return false;
        return true;
    }

    private static String abbreviate(String label) {
        return label.length() <= 14 ? label : "..." + label.substring(label.length() - 11);
    }
}
