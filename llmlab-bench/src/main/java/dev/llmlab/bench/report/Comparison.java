package dev.llmlab.bench.report;

import dev.llmlab.bench.result.Baseline;
import dev.llmlab.bench.result.BenchResult;
import dev.llmlab.bench.result.Stats;
import dev.llmlab.bench.result.Summary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * Benchmark results side by side, figure by figure: the run's throughputs (higher is better) and
 * each latency metric's p50, p90 and p99 (lower is better), with each result's change against the
 * first. The same rows decide a regression gate: a figure is worse than its baseline by more than
 * the allowed fraction. A figure missing from a result, or with no samples in it, is left out
 * rather than compared with zero. Stateless.
 */
public final class Comparison {
    private static final Map<String, ToDoubleFunction<Summary>> THROUGHPUTS = new LinkedHashMap<>();

    static {
        THROUGHPUTS.put("request_throughput", Summary::requestThroughput);
        THROUGHPUTS.put("output_token_throughput", Summary::outputTokenThroughput);
        THROUGHPUTS.put("total_token_throughput", Summary::totalTokenThroughput);
        THROUGHPUTS.put("goodput", Summary::goodput);
    }

    private static final double[] PERCENTILES = {50, 90, 99};

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

    /** Every figure of {@code results}, in a fixed order: throughputs, then metrics as the first result lists them. */
    public static List<Row> rows(List<BenchResult> results) {
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, ToDoubleFunction<Summary>> t : THROUGHPUTS.entrySet()) {
            double[] v = new double[results.size()];
            for (int i = 0; i < v.length; i++) {
                Summary s = results.get(i).summary();
                v[i] = s == null ? Double.NaN : t.getValue().applyAsDouble(s);
            }
            rows.add(new Row(t.getKey(), true, v));
        }
        Set<String> metrics = new LinkedHashSet<>();
        for (BenchResult r : results) metrics.addAll(r.metrics().keySet());
        for (String m : metrics) {
            for (double p : PERCENTILES) {
                double[] v = new double[results.size()];
                for (int i = 0; i < v.length; i++) {
                    Stats metric = results.get(i).metric(m);
                    v[i] = metric != null && metric.count() > 0 ? metric.percentile(p) : Double.NaN;
                }
                rows.add(new Row(m + " p" + (int) p, false, v));
            }
        }
        rows.removeIf(r -> allMissing(r.values()));
        return rows;
    }

    /** The figures of {@code current} worse than {@code baseline}'s by more than {@code maxWorse}. */
    public static List<Row> regressions(BenchResult baseline, BenchResult current, double maxWorse) {
        List<Row> worse = new ArrayList<>();
        for (Row r : rows(List.of(baseline, current))) if (r.worse(1, maxWorse)) worse.add(r);
        return worse;
    }

    /**
     * A run compared with {@code --baseline}: every compared figure with the baseline's value, this
     * run's, the change and whether it is worse than allowed. The gate's exit code and the HTML
     * report both read it.
     */
    /**
     * How two runs' workloads differ, setting by setting ({@code model: gpt-4o (baseline) vs
     * gpt-4o-mini}): the API, the model, the prompt and output lengths and the tokenizer that counted
     * them, the load (mode, rate,
     * concurrency) and streaming. Figures of different workloads are not a regression test; empty
     * when the workloads are alike, or when either result lacks its settings.
     */
    public static List<String> workloadDifferences(BenchResult baseline, BenchResult current) {
        List<String> out = new ArrayList<>();
        var a = baseline.config();
        var b = current.config();
        if (a == null || b == null) return out;
        differ(out, "api", a.api(), b.api());
        differ(out, "model", a.model(), b.model());
        differ(out, "input_tokens", a.inputTokens(), b.inputTokens());
        // A result written before config.tokenizer existed counted with the default.
        differ(out, "tokenizer", tokenizer(a), tokenizer(b));
        differ(out, "output_tokens", a.outputTokens(), b.outputTokens());
        differ(out, "max_tokens", a.maxTokens(), b.maxTokens());
        differ(out, "stream", a.stream(), b.stream());
        differ(out, "mode", a.mode(), b.mode());
        if (a.mode() == b.mode()) {
            differ(out, "rate", a.rate(), b.rate());
            differ(out, "concurrency", a.concurrency(), b.concurrency());
            differ(out, "max_concurrency", a.maxConcurrency(), b.maxConcurrency());
        }
        return out;
    }

    private static String tokenizer(dev.llmlab.bench.result.RunConfig c) {
        return c.tokenizer() != null ? c.tokenizer() : "o200k_base";
    }

    private static void differ(List<String> out, String name, Object baseline, Object current) {
        if (!java.util.Objects.equals(baseline, current)) out.add(name + ": " + baseline + " (baseline) vs " + current);
    }

    public static Baseline baseline(String file, BenchResult baseline, BenchResult current, double maxWorse) {
        List<Baseline.Figure> figures = new ArrayList<>();
        int worse = 0;
        for (Row r : rows(List.of(baseline, current))) {
            boolean w = r.worse(1, maxWorse);
            figures.add(
                    new Baseline.Figure(r.name(), r.higherIsBetter(), r.values()[0], r.values()[1], r.change(1), w));
            if (w) worse++;
        }
        return new Baseline(file, maxWorse, figures, worse);
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

    private static boolean allMissing(double[] v) {
        for (double x : v) if (!Double.isNaN(x)) return false;
        return true;
    }

    private static String abbreviate(String label) {
        return label.length() <= 14 ? label : "..." + label.substring(label.length() - 11);
    }
}
