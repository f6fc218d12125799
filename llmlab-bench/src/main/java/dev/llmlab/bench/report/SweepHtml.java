package dev.llmlab.bench.report;

import static dev.llmlab.bench.report.Html.esc;
import static dev.llmlab.bench.report.Html.num;

import dev.llmlab.bench.result.LoadAxis;
import dev.llmlab.bench.result.Stats;
import dev.llmlab.bench.result.Sweep;
import dev.llmlab.bench.result.TargetSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A sweep's part of the page: latency and throughput against load, one point per measured level,
 * with each SLO's bound as a dashed line; the answer of a search; the table of points. Stateless.
 */
final class SweepHtml {
    /** The latency charts against load: title, then metric and percentile pairs. */
    static final List<List<String>> LATENCY = List.of(
            List.of("TTFT against load", "ttft p50", "ttft p95", "ttft p99"),
            List.of("TPOT and ITL against load", "tpot p50", "tpot p99", "itl p50", "itl p99"),
            List.of("E2E latency against load", "e2e p50", "e2e p99"));

    private SweepHtml() {}

    static String section(Sweep sweep, Charts charts) {
        StringBuilder b = new StringBuilder();
        LoadAxis axis = axis(sweep);
        if (sweep.kind() != Sweep.Kind.SWEEP || sweep.answer() != null) b.append(answer(sweep.answer(), axis.unit()));
        List<Sweep.Point> all = sorted(sweep.points(), axis);
        if (all.isEmpty()) return b + Html.note("none: the sweep has no points.");
        List<Sweep.Point> points =
                all.stream().filter(p -> !Double.isNaN(p.load(axis))).toList();
        double[] x = new double[points.size()];
        for (int i = 0; i < x.length; i++) x[i] = points.get(i).load(axis);
        String xLabel = axis == LoadAxis.CONCURRENCY ? "concurrent users" : "offered rate (req/s)";
        StringBuilder grid = new StringBuilder();
        for (List<String> chart : LATENCY) {
            Charts.Spec spec = new Charts.Spec("num", xLabel, x, "ms").points();
            List<String> metrics = new ArrayList<>();
            for (String series : chart.subList(1, chart.size())) {
                String[] mp = series.split(" ");
                metrics.add(mp[0]);
                double[] y = new double[points.size()];
                for (int i = 0; i < y.length; i++) y[i] = percentile(points.get(i), mp[0], mp[1]);
                spec.series(series, "ms", y, false);
            }
            if (spec.empty()) continue;
            for (TargetSpec slo : sweep.slos()) {
                if (slo.metric() != null
                        && metrics.contains(slo.metric())
                        && !Double.isNaN(slo.bound())
                        && (slo.unit() == null || "ms".equals(slo.unit()))) {
                    spec.slo(
                            "SLO " + (slo.name() == null ? "?" : slo.name()) + " \u2264 " + num(slo.bound()) + " ms",
                            "ms",
                            slo.bound());
                }
            }
            grid.append(charts.card(chart.get(0), "Each point one measured level; dashed lines the SLO bounds.", spec));
        }
        double[] req = new double[points.size()];
        double[] tok = new double[points.size()];
        for (int i = 0; i < req.length; i++) {
            Sweep.Point p = points.get(i);
            req[i] = p.summary() == null ? Double.NaN : p.summary().requestThroughput();
            if (Double.isNaN(req[i])) req[i] = p.rateAchieved();
            tok[i] = p.summary() == null ? Double.NaN : p.summary().outputTokenThroughput();
        }
        Charts.Spec spec = new Charts.Spec("num", xLabel, x, "req/s")
                .y2("tok/s")
                .points()
                .series("request throughput", "req/s", req, false)
                .series("output tokens", "tok/s", tok, true);
        if (!spec.empty()) {
            grid.append(
                    charts.card("Throughput against load", "Completed requests and output tokens per second.", spec));
        }
        if (!grid.isEmpty()) b.append("<div class=\"grid\">\n").append(grid).append("</div>\n");
        return b + table(all);
    }

    static LoadAxis axis(Sweep sweep) {
        return sweep.axis() == null ? LoadAxis.RATE : sweep.axis();
    }

    static String answer(Sweep.Answer a, String unit) {
        if (a == null) return Html.note("No answer in this result.");
        return "<div class=\"cards\">\n" + RunPage.card("max passing load", num(a.maxPassing(), "none"), unit)
                + RunPage.card("first failing load", num(a.firstFailing(), "none"), unit)
                + RunPage.card(
                        "confidence", Double.isNaN(a.confidence()) ? "unavailable" : num(100 * a.confidence()), "%")
                + RunPage.card(
                        "failed on",
                        a.failedOn().isEmpty() ? "none" : String.join(", ", a.failedOn()),
                        "targets missed at the first failing load")
                + "</div>\n";
    }

    private static String table(List<Sweep.Point> points) {
        List<List<String>> rows = new ArrayList<>();
        for (Sweep.Point p : points) {
            String label = Html.str(p.label(), "?");
            if (p.stoppedEarly() != null) {
                label += "<br><span class=\"muted\">stopped early: " + esc(p.stoppedEarly()) + "</span>";
            }
            String offered = !Double.isNaN(p.rate())
                    ? num(p.rate()) + " req/s"
                    : p.concurrency() != null ? num(p.concurrency()) + " users" : Html.DASH;
            String valid = p.valid()
                    ? Html.badge("good", "valid")
                    : Html.badge("bad", "invalid") + " <span class=\"muted\">" + Html.str(p.invalidReason(), "")
                            + "</span>";
            String slo = p.passed() != null
                    ? (p.passed() ? Html.badge("good", "pass") : Html.badge("bad", "fail"))
                    : "<span class=\"muted\">no SLO</span>";
            rows.add(List.of(
                    label,
                    offered,
                    num(p.rateAchieved(), Html.DASH),
                    num(p.summary() == null ? Double.NaN : p.summary().outputTokenThroughput(), Html.DASH),
                    num(percentile(p, "ttft", "p50")),
                    num(percentile(p, "ttft", "p99")),
                    num(percentile(p, "tpot", "p50")),
                    num(percentile(p, "itl", "p99")),
                    num(percentile(p, "e2e", "p50")),
                    num(percentile(p, "e2e", "p99")),
                    valid,
                    slo));
        }
        return Html.table(
                        List.of(
                                "point",
                                "offered",
                                "achieved (req/s)",
                                "output (tok/s)",
                                "TTFT p50",
                                "TTFT p99",
                                "TPOT p50",
                                "ITL p99",
                                "E2E p50",
                                "E2E p99",
                                "run",
                                "SLO"),
                        new boolean[] {false, true, true, true, true, true, true, true, true, true, false, false},
                        rows)
                + Html.note("Latencies in ms.");
    }

    /** The points in order of load; those with no load on the axis last. */
    static List<Sweep.Point> sorted(List<Sweep.Point> points, LoadAxis axis) {
        List<Sweep.Point> out = new ArrayList<>(points);
        out.sort(Comparator.comparingDouble(p -> {
            double v = p.load(axis);
            return Double.isNaN(v) ? Double.MAX_VALUE : v;
        }));
        return out;
    }

    /** A point's percentile ({@code p50}, {@code p95}, ...) of a metric; NaN when it has no samples. */
    static double percentile(Sweep.Point point, String metric, String p) {
        Stats m = point.metric(metric);
        if (m == null || m.count() <= 0) return Double.NaN;
        return m.percentile(p.equals("p999") ? 99.9 : Double.parseDouble(p.substring(1)));
    }
}
