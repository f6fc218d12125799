package dev.llmlab.bench.report;

import static dev.llmlab.bench.report.Html.esc;
import static dev.llmlab.bench.report.Html.num;

import dev.llmlab.bench.result.BenchResult;
import dev.llmlab.bench.result.LoadAxis;
import dev.llmlab.bench.result.SloVerdict;
import dev.llmlab.bench.result.Summary;
import dev.llmlab.bench.result.Sweep;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.HdrHistogram.Histogram;

/**
 * The page of several results: {@link Comparison}'s figures side by side with each change against
 * the first coloured better or worse, the latency distributions overlaid (one curve per result),
 * and, when every result is a sweep on the same axis, their curves against load overlaid. One per
 * page; not thread-safe.
 */
final class ComparisonPage {
    /** A change smaller than this (1%) is shown as neither better nor worse. */
    static final double NEUTRAL = 0.01;

    static final List<String> CDF_METRICS = List.of("ttft", "itl", "tpot", "e2e", "ttft_intended", "e2e_intended");
    /** Overlaid sweep charts: title, then metric and percentile, or a summary field. */
    static final List<String[]> SWEEP = List.of(
            new String[] {"TTFT p50 against load", "ttft", "p50"},
            new String[] {"TTFT p99 against load", "ttft", "p99"},
            new String[] {"TPOT p50 against load", "tpot", "p50"},
            new String[] {"E2E p99 against load", "e2e", "p99"},
            new String[] {"Output tokens per second against load", "output tokens", null});

    private final List<String> labels;
    private final List<BenchResult> results;
    private final Charts charts = new Charts();

    ComparisonPage(List<String> labels, List<BenchResult> results) {
        if (labels.size() != results.size() || results.isEmpty()) {
            throw new IllegalArgumentException("one label per result, and at least one result");
        }
        this.labels = labels;
        this.results = results;
    }

    String html() {
        String main = Html.section("results", "Results", results())
                + Html.section("figures", "Figures", figures())
                + Html.section("distributions", "Latency distributions", distributions())
                + sweeps();
        String header =
                "<header class=\"top\"><div class=\"wrap\">\n<div class=\"brand\">llmlab bench comparison</div>\n"
                        + "<h1>" + results.size()
                        + " results</h1>\n<p class=\"sub\">Changes are against the first, <strong>"
                        + esc(labels.get(0))
                        + "</strong>.</p>\n<nav><a href=\"#results\">Results</a><a href=\"#figures\">Figures</a>"
                        + "<a href=\"#distributions\">Latency distributions</a>"
                        + (allSweeps() ? "<a href=\"#sweeps\">Sweeps</a>" : "")
                        + "</nav>\n</div></header>\n";
        String body = header + "<main class=\"wrap\">\n" + main + "</main>\n"
                + "<footer class=\"wrap note\">Written by llmlab bench compare from the result files. Self-contained: it makes no "
                + "network request.</footer>\n";
        return Html.page("llmlab bench comparison", body, charts.json());
    }

    int chartCount() {
        return charts.count();
    }

    private String results() {
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            BenchResult r = results.get(i);
            Summary s = r.summary();
            SloVerdict slo = r.slo();
            String model = r.config() == null ? null : r.config().model();
            String base = i == 0 ? " <span class=\"muted\">(baseline)</span>" : "";
            rows.add(List.of(
                    "<strong>" + esc(labels.get(i)) + "</strong>" + base,
                    esc(model == null ? "?" : model),
                    esc(RunPage.target(r.config())),
                    esc(RunPage.load(r.config())),
                    s == null || s.valid()
                            ? Html.badge("good", "valid")
                            : Html.badge("bad", "INVALID") + " <span class=\"muted\">" + Html.str(s.invalidReason(), "")
                                    + "</span>",
                    slo != null
                            ? (slo.passed() ? Html.badge("good", "passed") : Html.badge("bad", "failed"))
                                    + RunPage.grade(slo.grade())
                            : "<span class=\"muted\">none</span>",
                    s == null ? Html.DASH : num(s.requestsCompleted())));
        }
        return Html.table(
                List.of("result", "model", "target", "load", "run", "SLO", "requests"),
                new boolean[] {false, false, false, false, false, false, true},
                rows);
    }

    private String figures() {
        List<Comparison.Row> rows = Comparison.rows(results);
        if (rows.isEmpty()) return Html.note("none: the results share no figure.");
        List<String> heads = new ArrayList<>(List.of("figure"));
        heads.addAll(labels);
        for (int i = 1; i < labels.size(); i++) heads.add("change: " + labels.get(i));
        boolean[] numeric = new boolean[heads.size()];
        java.util.Arrays.fill(numeric, 1, numeric.length, true);
        List<List<String>> cells = new ArrayList<>();
        for (Comparison.Row r : rows) {
            List<String> row = new ArrayList<>();
            String unit = r.higherIsBetter()
                    ? (r.name().startsWith("output") || r.name().startsWith("total") ? "tok/s" : "req/s")
                    : "ms";
            row.add("<code>" + esc(r.name()) + "</code> <span class=\"muted\">" + unit
                    + (r.higherIsBetter() ? ", higher is better" : "") + "</span>");
            for (double v : r.values()) row.add(num(v));
            for (int i = 1; i < labels.size(); i++) row.add(change(r, i));
            cells.add(row);
        }
        return Html.table(heads, numeric, cells)
                + Html.note("Green is better than the first result, red worse; a change "
                        + "within 1% is left plain. A figure a result lacks shows as " + Html.DASH + ".");
    }

    static String change(Comparison.Row r, int i) {
        double c = r.change(i);
        if (Double.isNaN(c)) return Html.DASH;
        String text = String.format(Locale.ROOT, "%+.1f%%", 100 * c);
        if (Math.abs(c) < NEUTRAL) return "<span class=\"same\">" + text + "</span>";
        boolean better = r.higherIsBetter() ? c > 0 : c < 0;
        return "<span class=\"" + (better ? "better" : "worse") + "\">" + text + "</span>";
    }

    private String distributions() {
        StringBuilder grid = new StringBuilder();
        for (String m : CDF_METRICS) {
            List<Histogram> hs = new ArrayList<>();
            double max = 0;
            for (BenchResult r : results) {
                Histogram h = RunPage.histogram(r.metric(m));
                hs.add(h);
                if (h != null) max = Math.max(max, Charts.nines(h.getTotalCount()));
            }
            if (max == 0) continue;
            double[] x = Charts.ninesGrid(max, Charts.CDF_POINTS);
            Charts.Spec spec = new Charts.Spec("cdf", "percentile", x, "ms").xMax(max);
            for (int i = 0; i < hs.size(); i++) {
                if (hs.get(i) != null) spec.series(labels.get(i), "ms", Charts.percentileCurve(hs.get(i), x), false);
            }
            grid.append(charts.card(
                    RunPage.NAMES.getOrDefault(m, m), "Latency at each percentile, one curve per result.", spec));
        }
        return grid.isEmpty()
                ? Html.note("none: no result has a latency histogram.")
                : "<div class=\"grid\">\n" + grid + "</div>\n";
    }

    private boolean allSweeps() {
        LoadAxis axis = null;
        for (BenchResult r : results) {
            if (r.sweep() == null || r.sweep().points().isEmpty()) return false;
            LoadAxis a = SweepHtml.axis(r.sweep());
            if (axis != null && axis != a) return false;
            axis = a;
        }
        return true;
    }

    private String sweeps() {
        if (!allSweeps()) return "";
        LoadAxis axis = SweepHtml.axis(results.get(0).sweep());
        boolean concurrency = axis == LoadAxis.CONCURRENCY;
        TreeSet<Double> loads = new TreeSet<>();
        for (BenchResult r : results) {
            for (Sweep.Point p : r.sweep().points()) {
                double v = p.load(axis);
                if (!Double.isNaN(v)) loads.add(v);
            }
        }
        double[] x = loads.stream().mapToDouble(Double::doubleValue).toArray();
        StringBuilder grid = new StringBuilder();
        for (String[] chart : SWEEP) {
            boolean latency = chart[2] != null;
            Charts.Spec spec = new Charts.Spec(
                            "num",
                            concurrency ? "concurrent users" : "offered rate (req/s)",
                            x,
                            latency ? "ms" : "tok/s")
                    .points();
            for (int i = 0; i < results.size(); i++) {
                double[] y = new double[x.length];
                java.util.Arrays.fill(y, Double.NaN);
                for (Sweep.Point p : results.get(i).sweep().points()) {
                    int k = java.util.Arrays.binarySearch(x, p.load(axis));
                    if (k >= 0)
                        y[k] = latency
                                ? SweepHtml.percentile(p, chart[1], chart[2])
                                : p.summary() == null ? Double.NaN : p.summary().outputTokenThroughput();
                }
                spec.series(labels.get(i), latency ? "ms" : "tok/s", y, false);
            }
            if (!spec.empty()) grid.append(charts.card(chart[0], "One curve per result.", spec));
        }
        return Html.section(
                "sweeps",
                "Sweeps",
                grid.isEmpty()
                        ? Html.note("none: the sweeps share no figure.")
                        : "<div class=\"grid\">\n" + grid + "</div>\n");
    }
}
