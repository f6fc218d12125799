package dev.llmlab.bench.report;

import static dev.llmlab.bench.report.Html.d;
import static dev.llmlab.bench.report.Html.esc;
import static dev.llmlab.bench.report.Html.num;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import tools.jackson.databind.JsonNode;

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

    static String section(JsonNode sweep, Charts charts) {
        StringBuilder b = new StringBuilder();
        String kind = RunPage.text(sweep.path("kind"), "sweep");
        boolean concurrency = "concurrency".equals(RunPage.text(sweep.path("axis"), "rate"));
        String unit = concurrency ? "users" : "req/s";
        if (!kind.equals("sweep") || sweep.path("answer").isObject()) b.append(answer(sweep.path("answer"), unit));
        List<JsonNode> all = sorted(sweep.path("points"), concurrency);
        if (all.isEmpty()) return b + Html.note("none: the sweep has no points.");
        List<JsonNode> points =
                all.stream().filter(p -> !Double.isNaN(load(p, concurrency))).toList();
        double[] x = new double[points.size()];
        for (int i = 0; i < x.length; i++) x[i] = load(points.get(i), concurrency);
        String xLabel = concurrency ? "concurrent users" : "offered rate (req/s)";
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
            for (JsonNode slo : sweep.path("slos")) {
                if (metrics.contains(RunPage.text(slo.path("metric"), ""))
                        && slo.path("bound").isNumber()
                        && "ms".equals(RunPage.text(slo.path("unit"), "ms"))) {
                    spec.slo(
                            "SLO " + RunPage.text(slo.path("name"), "?") + " \u2264 "
                                    + num(slo.path("bound").asDouble()) + " ms",
                            "ms",
                            slo.path("bound").asDouble());
                }
            }
            grid.append(charts.card(chart.get(0), "Each point one measured level; dashed lines the SLO bounds.", spec));
        }
        double[] req = new double[points.size()];
        double[] tok = new double[points.size()];
        for (int i = 0; i < req.length; i++) {
            req[i] = d(points.get(i).at("/summary/request_throughput"));
            if (Double.isNaN(req[i])) req[i] = d(points.get(i).path("rate_achieved"));
            tok[i] = d(points.get(i).at("/summary/output_token_throughput"));
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

    static String answer(JsonNode a, String unit) {
        if (!a.isObject()) return Html.note("No answer in this result.");
        List<String> failed = new ArrayList<>();
        for (JsonNode f : a.path("failed_on")) failed.add(RunPage.text(f, f.toString()));
        return "<div class=\"cards\">\n" + RunPage.card("max passing load", num(a.path("max_passing"), "none"), unit)
                + RunPage.card("first failing load", num(a.path("first_failing"), "none"), unit)
                + RunPage.card(
                        "confidence",
                        a.path("confidence").isNumber()
                                ? num(100 * a.path("confidence").asDouble())
                                : "unavailable",
                        "%")
                + RunPage.card(
                        "failed on",
                        failed.isEmpty() ? "none" : String.join(", ", failed),
                        "targets missed at the first failing load")
                + "</div>\n";
    }

    private static String table(List<JsonNode> points) {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode p : points) {
            String label = Html.str(p.path("label"), "?");
            if (p.path("stopped_early").isString()) {
                label += "<br><span class=\"muted\">stopped early: "
                        + esc(p.path("stopped_early").asString()) + "</span>";
            }
            String offered = p.path("rate").isNumber()
                    ? num(p.path("rate").asDouble()) + " req/s"
                    : p.path("concurrency").isNumber()
                            ? num(p.path("concurrency").asDouble()) + " users"
                            : Html.DASH;
            String valid = p.path("valid").asBoolean(true)
                    ? Html.badge("good", "valid")
                    : Html.badge("bad", "invalid") + " <span class=\"muted\">" + Html.str(p.path("invalid_reason"), "")
                            + "</span>";
            JsonNode passed = p.path("passed");
            String slo = passed.isBoolean()
                    ? (passed.asBoolean() ? Html.badge("good", "pass") : Html.badge("bad", "fail"))
                    : "<span class=\"muted\">no SLO</span>";
            rows.add(List.of(
                    label,
                    offered,
                    num(p.path("rate_achieved"), Html.DASH),
                    num(p.at("/summary/output_token_throughput"), Html.DASH),
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
    static List<JsonNode> sorted(JsonNode points, boolean concurrency) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode p : points) out.add(p);
        out.sort(Comparator.comparingDouble(p -> {
            double v = load(p, concurrency);
            return Double.isNaN(v) ? Double.MAX_VALUE : v;
        }));
        return out;
    }

    /**
     * A point's place on the axis: its users, or its offered rate, or for the points that offer no
     * rate (synchronous, throughput) the rate they achieved.
     */
    static double load(JsonNode p, boolean concurrency) {
        if (concurrency) return d(p.path("concurrency"));
        double rate = d(p.path("rate"));
        return Double.isNaN(rate) ? d(p.path("rate_achieved")) : rate;
    }

    static double percentile(JsonNode point, String metric, String p) {
        JsonNode m = point.path("metrics").path(metric);
        return m.path("count").asLong(1) > 0 ? d(m.path(p)) : Double.NaN; // a point may leave out the count
    }
}
