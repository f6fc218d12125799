package dev.llmlab.bench.report;

import static dev.llmlab.bench.report.Html.d;
import static dev.llmlab.bench.report.Html.esc;
import static dev.llmlab.bench.report.Html.num;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.JsonNode;

/** The page of one result: see {@link HtmlReport} for what it shows. One per page; not thread-safe. */
final class RunPage {
    /** Percentile curves drawn, each with the metrics it overlays (an open loop's intended-time variants). */
    static final List<List<String>> CDF_GROUPS =
            List.of(List.of("ttft", "ttft_intended"), List.of("itl"), List.of("tpot"), List.of("e2e", "e2e_intended"));

    static final Map<String, String> NAMES = Map.of(
            "ttft",
            "TTFT: time to first token",
            "itl",
            "ITL: inter-token latency",
            "tpot",
            "TPOT: time per output token",
            "e2e",
            "E2E: request latency",
            "ttft_intended",
            "TTFT from the intended send",
            "e2e_intended",
            "E2E from the intended send");

    private final JsonNode r;
    private final Charts charts = new Charts();
    private final List<String[]> nav = new ArrayList<>();

    RunPage(JsonNode result) {
        this.r = result;
    }

    String html() {
        StringBuilder main = new StringBuilder();
        main.append(section("summary", "Summary", summary()));
        main.append(section("slo", "Service level objectives", slo()));
        if (r.path("baseline").isObject()) main.append(section("baseline", "Against the baseline", baseline()));
        if (r.path("sweep").isObject())
            main.append(section("sweep", "Sweep", SweepHtml.section(r.path("sweep"), charts)));
        main.append(section("latency", r.path("sweep").isObject() ? "Latency (last point)" : "Latency", latency()));
        main.append(section("time", "Over time", TimeHtml.overTime(r, charts)));
        if (r.path("stress").isObject()) main.append(section("stress", "Stress", stress()));
        main.append(section("server", "Server metrics", TimeHtml.server(r, charts)));
        main.append(section("energy", "Energy", energy()));
        main.append(section("errors", "Errors and client", errors()));
        main.append("<div class=\"two\">\n")
                .append(section("environment", "Environment", keyValues(r.path("environment"))))
                .append(section("config", "Configuration", keyValues(r.path("config"))))
                .append("</div>\n");
        String body = header() + "<main class=\"wrap\">\n" + main + "</main>\n"
                + "<footer class=\"wrap note\">Written by llmlab bench from the result JSON (schema "
                + Html.num(r.path("schema_version"), "?")
                + "). Self-contained: it makes no network request.</footer>\n";
        return Html.page(title(), body, charts.json());
    }

    int chartCount() {
        return charts.count();
    }

    private String section(String id, String title, String body) {
        nav.add(new String[] {id, title});
        return Html.section(id, title, body);
    }

    private String title() {
        String model = text(r.path("config").path("model"), null);
        return "llmlab bench" + (model == null ? "" : ": " + model);
    }

    // ---- header ----

    private String header() {
        JsonNode c = r.path("config");
        JsonNode s = r.path("summary");
        StringBuilder b = new StringBuilder("<header class=\"top\"><div class=\"wrap\">\n")
                .append("<div class=\"brand\">llmlab bench report</div>\n");
        b.append("<h1>")
                .append(esc(text(c.path("model"), "model not recorded")))
                .append("</h1>\n");
        b.append("<p class=\"sub\">")
                .append(esc(target(c)))
                .append(" \u00b7 ")
                .append(esc(load(c)))
                .append("</p>\n");
        b.append("<div class=\"badges\">");
        boolean valid = s.path("valid").asBoolean(true);
        b.append(valid ? Html.badge("good", "valid run") : Html.badge("bad", "INVALID run"));
        JsonNode slo = r.path("slo");
        if (slo.isObject()) {
            b.append(
                    slo.path("passed").asBoolean(false)
                            ? Html.badge("good", "SLO passed")
                            : Html.badge("bad", "SLO failed"));
            b.append(grade(slo.path("grade")));
        } else if (!sweepSlos().isEmpty()) {
            b.append(Html.badge("neutral", "SLOs per sweep point"));
        } else {
            b.append(Html.badge("neutral", "no SLO"));
        }
        if (r.path("sweep").isObject()) {
            String kind = text(r.at("/sweep/kind"), "sweep");
            int n = r.at("/sweep/points").size();
            b.append(Html.badge("info", kind + " \u00b7 " + n + (n == 1 ? " point" : " points")));
        }
        if (r.path("stress").isObject()) b.append(Html.badge("info", "stress: " + text(r.at("/stress/pattern"), "?")));
        if (c.path("merged_shards").isNumber()) {
            b.append(Html.badge("info", "merged from " + c.path("merged_shards") + " shards"));
        } else if (c.path("shard").isString())
            b.append(Html.badge("info", "shard " + c.path("shard").asString()));
        b.append("</div>\n");
        if (!valid) {
            b.append("<div class=\"alert\"><strong>Invalid run:</strong> ")
                    .append(Html.str(s.path("invalid_reason"), "no reason recorded"))
                    .append("</div>\n");
        }
        b.append("<nav>");
        for (String[] n : nav)
            b.append("<a href=\"#").append(n[0]).append("\">").append(esc(n[1])).append("</a>");
        return b.append("</nav>\n</div></header>\n").toString();
    }

    static String grade(JsonNode g) {
        if (!g.isObject()) return "";
        String name = text(g.path("name"), "?");
        String kind = switch (name) {
            case "Excellent", "Good" -> "good";
            case "Acceptable" -> "warn";
            default -> "bad";
        };
        return Html.badge(
                kind,
                "grade: " + name + " (" + g.path("met").asLong(0) + "/"
                        + g.path("total").asLong(0) + ")");
    }

    static String target(JsonNode c) {
        if (c.path("embedded_sim").asBoolean(false)) {
            String args = text(c.path("sim_args"), null);
            return "embedded simulator" + (args == null || args.isBlank() ? "" : " (" + args + ")");
        }
        return text(c.path("url"), "target not recorded");
    }

    static String load(JsonNode c) {
        List<String> parts = new ArrayList<>();
        String mode = text(c.path("mode"), null);
        if ("open".equals(mode)) {
            parts.add("open loop at " + num(c.path("rate"), "?") + " req/s"
                    + (c.path("arrival").isString() ? ", " + c.path("arrival").asString() + " arrivals" : ""));
        } else if ("closed".equals(mode)) {
            parts.add("closed loop, " + num(c.path("concurrency"), "?") + " users");
        }
        if (d(c.path("requests")) > 0) parts.add(num(c.path("requests"), "") + " requests");
        if (d(c.path("duration_s")) > 0) parts.add(num(c.path("duration_s"), "") + " s");
        if (c.path("stream").isBoolean()) parts.add(c.path("stream").asBoolean() ? "streamed" : "not streamed");
        return parts.isEmpty() ? "load not recorded" : String.join(", ", parts);
    }

    // ---- sections ----

    private String summary() {
        JsonNode s = r.path("summary");
        StringBuilder b = new StringBuilder("<div class=\"cards\">\n");
        b.append(card(
                "requests completed",
                num(s.path("requests_completed"), Html.DASH),
                num(s.path("requests_failed"), "?") + " failed"));
        b.append(card("measured window", num(s.path("duration_s"), Html.DASH), "seconds"));
        b.append(card("request throughput", num(s.path("request_throughput"), Html.DASH), "req/s"));
        b.append(card("output tokens", num(s.path("output_token_throughput"), Html.DASH), "tok/s"));
        b.append(card("total tokens", num(s.path("total_token_throughput"), Html.DASH), "tok/s"));
        JsonNode goodput = r.at("/slo/goodput").isNumber() ? r.at("/slo/goodput") : s.path("goodput");
        b.append(
                goodput.isNumber()
                        ? card("goodput", num(goodput.asDouble()), "req/s meeting every SLO")
                        : card("goodput", "none", "no SLO given"));
        JsonNode e = r.path("energy");
        b.append(
                e.path("available").asBoolean(false)
                                && e.path("joules_per_output_token").isNumber()
                        ? card("energy", num(e.path("joules_per_output_token").asDouble()), "J per output token")
                        : card("energy", "unavailable", "see Energy"));
        b.append("</div>\n");
        if (r.path("sweep").isObject())
            b.append(Html.note("A sweep's summary and latency are those of its last point."));
        return b.toString();
    }

    /** A headline figure; a word in place of a number (none, unavailable) is set smaller. */
    static String card(String label, String value, String unit) {
        boolean word = !value.isEmpty() && !Character.isDigit(value.charAt(0)) && value.charAt(0) != '-';
        return "<div class=\"kpi\"><div class=\"label\">" + esc(label) + "</div><div class=\"value"
                + (word ? " word" : "") + "\">" + esc(value) + "</div><div class=\"unit\">" + esc(unit)
                + "</div></div>\n";
    }

    private String slo() {
        JsonNode slo = r.path("slo");
        if (!slo.isObject() && !sweepSlos().isEmpty()) {
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode t : sweepSlos()) {
                rows.add(List.of(
                        "<strong>" + Html.str(t.path("name"), "?") + "</strong>",
                        Html.str(t.path("metric"), ""),
                        num(t.path("percentile"), Html.DASH),
                        "\u2264 " + withUnit(t.path("bound"), text(t.path("unit"), ""))));
            }
            return Html.note("Each sweep point is judged against these; see Sweep.")
                    + Html.table(
                            List.of("target", "metric", "percentile", "bound"),
                            new boolean[] {false, false, true, true},
                            rows);
        }
        if (!slo.isObject()) {
            String old = text(r.at("/config/slo"), null);
            return Html.note(
                    old == null
                            ? "none: the run was given no <code>--slo</code> or <code>--targets</code>."
                            : "Only a goodput bound was given (<code>--slo " + esc(old) + "</code>): goodput "
                                    + num(r.at("/summary/goodput"), "none") + " req/s.");
        }
        StringBuilder b = new StringBuilder("<p class=\"badges\">");
        b.append(
                        slo.path("passed").asBoolean(false)
                                ? Html.badge("good", "every target met")
                                : Html.badge("bad", "a target was missed"))
                .append(grade(slo.path("grade")));
        b.append(" <span class=\"muted\">goodput ")
                .append(num(slo.path("goodput"), "none"))
                .append(" req/s</span></p>\n");
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode t : slo.path("targets")) {
            String unit = text(t.path("unit"), "");
            JsonNode value = t.path("value");
            rows.add(List.of(
                    "<strong>" + Html.str(t.path("name"), "?") + "</strong>",
                    Html.str(t.path("kind"), ""),
                    t.path("kind").asString("").equals("range")
                            ? withUnit(t.path("low"), unit) + " \u2013 " + withUnit(t.path("bound"), unit)
                            : (t.path("kind").asString("").equals("minimum") ? "\u2265 " : "\u2264 ")
                                    + withUnit(t.path("bound"), unit),
                    value.isNumber() ? withUnit(value, unit) : "<span class=\"muted\">no sample</span>",
                    t.path("met").asBoolean(false) ? Html.badge("good", "met") : Html.badge("bad", "missed"),
                    t.path("confidence").isNumber() ? num(t.path("confidence").asDouble()) : Html.DASH,
                    t.path("goodput").isNumber() ? num(t.path("goodput").asDouble()) : Html.DASH));
        }
        return b
                + Html.table(
                        List.of("target", "kind", "bound", "value", "", "confidence", "goodput (req/s)"),
                        new boolean[] {false, false, true, true, false, true, true},
                        rows);
    }

    /** {@code --baseline}: every compared figure, the regressions marked, as the gate judged them. */
    private String baseline() {
        JsonNode bl = r.path("baseline");
        int worse = bl.path("regressed").asInt(0);
        StringBuilder b = new StringBuilder("<p class=\"badges\">");
        b.append(worse == 0 ? Html.badge("good", "no regression") : Html.badge("bad", worse + " figure(s) regressed"));
        b.append(" <span class=\"muted\">against ")
                .append(esc(text(bl.path("file"), "?")))
                .append(", allowed ")
                .append(num(100 * bl.path("max_regression").asDouble(0)))
                .append(" % worse</span></p>\n");
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode f : bl.path("figures")) {
            JsonNode c = f.path("change");
            rows.add(List.of(
                    Html.str(f.path("name"), "?"),
                    num(f.path("baseline"), Html.DASH),
                    num(f.path("value"), Html.DASH),
                    c.isNumber() ? (c.asDouble() >= 0 ? "+" : "") + num(100 * c.asDouble()) + " %" : Html.DASH,
                    f.path("worse").asBoolean(false) ? Html.badge("bad", "worse") : ""));
        }
        return b
                + Html.table(
                        List.of("figure", "baseline", "this run", "change", ""),
                        new boolean[] {false, true, true, true, false},
                        rows);
    }

    static String withUnit(JsonNode v, String unit) {
        if (!v.isNumber()) return Html.DASH;
        if (unit.equals("fraction")) return num(100 * v.asDouble()) + " %";
        return num(v.asDouble()) + (unit.isEmpty() ? "" : " " + esc(unit));
    }

    private List<JsonNode> sweepSlos() {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode t : r.at("/sweep/slos")) out.add(t);
        return out;
    }

    private String latency() {
        JsonNode metrics = r.path("metrics");
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : metrics.properties()) {
            JsonNode m = e.getValue();
            boolean any = m.path("count").asLong(0) > 0;
            List<String> row =
                    new ArrayList<>(List.of("<code>" + esc(e.getKey()) + "</code>", num(m.path("count"), "0")));
            for (String f : List.of("mean", "p50", "p90", "p95", "p99", "p999", "max")) {
                row.add(any ? num(m.path(f), Html.DASH) : Html.DASH);
            }
            rows.add(row);
        }
        if (rows.isEmpty()) return Html.note("none: the result has no metrics.");
        StringBuilder b = new StringBuilder(Html.table(
                List.of("metric (ms)", "count", "mean", "p50", "p90", "p95", "p99", "p99.9", "max"),
                new boolean[] {false, true, true, true, true, true, true, true, true},
                rows));
        StringBuilder grid = new StringBuilder();
        for (List<String> group : CDF_GROUPS) {
            List<String> names = new ArrayList<>();
            List<Histogram> hs = new ArrayList<>();
            for (String m : group) {
                Histogram h = histogram(metrics.path(m));
                if (h != null) {
                    names.add(m);
                    hs.add(h);
                }
            }
            if (hs.isEmpty()) continue;
            double max = 0;
            for (Histogram h : hs) max = Math.max(max, Charts.nines(h.getTotalCount()));
            double[] x = Charts.ninesGrid(max, Charts.CDF_POINTS);
            Charts.Spec spec = new Charts.Spec("cdf", "percentile", x, "ms").xMax(max);
            for (int i = 0; i < hs.size(); i++)
                spec.series(names.get(i), "ms", Charts.percentileCurve(hs.get(i), x), false);
            grid.append(charts.card(
                    NAMES.get(group.get(0)),
                    "Latency at each percentile"
                            + (names.size() > 1
                                    ? "; <code>_intended</code> counts from the scheduled send (no coordinated omission)"
                                    : "")
                            + ".",
                    spec));
        }
        if (!grid.isEmpty()) b.append("<div class=\"grid\">\n").append(grid).append("</div>\n");
        return b.toString();
    }

    /** The metric's histogram, or null when it has no samples or none was written. */
    static Histogram histogram(JsonNode metric) {
        if (metric.path("count").asLong(1) <= 0 || !metric.path("histogram").isString()) return null;
        try {
            Histogram h = dev.llmlab.bench.measure.Stats.decode(
                    metric.path("histogram").asString());
            return h.getTotalCount() > 0 ? h : null;
        } catch (RuntimeException e) {
            return null; // a damaged histogram costs its chart, not the report
        }
    }

    private String stress() {
        JsonNode st = r.path("stress");
        StringBuilder b = new StringBuilder("<p>Pattern <strong>")
                .append(Html.str(st.path("pattern"), "?"))
                .append("</strong></p>\n");
        if (st.path("params").isObject()) b.append(Html.keyValues(st.path("params")));
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode u : st.path("bursts")) {
            JsonNode rec = u.path("recovered_after_s");
            rows.add(List.of(
                    num(u.path("start_s"), Html.DASH),
                    num(u.path("end_s"), Html.DASH),
                    num(u.path("rate"), Html.DASH),
                    num(u.path("baseline_ttft_p50"), Html.DASH),
                    num(u.path("peak_ttft_p50"), Html.DASH),
                    num(u.path("peak_e2e_p50"), Html.DASH),
                    num(u.path("errors"), "0"),
                    rec.isNumber() ? num(rec.asDouble()) + " s" : Html.badge("bad", "never")));
        }
        if (rows.isEmpty()) return b + Html.note("none: no bursts in this run.");
        return b
                + Html.table(
                        List.of(
                                "start (s)",
                                "end (s)",
                                "rate (req/s)",
                                "baseline TTFT p50 (ms)",
                                "peak TTFT p50 (ms)",
                                "peak E2E p50 (ms)",
                                "errors",
                                "recovered after"),
                        new boolean[] {true, true, true, true, true, true, true, true},
                        rows);
    }

    private String energy() {
        JsonNode e = r.path("energy");
        if (!e.isObject()) return Html.note("unavailable: the result has no energy measurement.");
        if (!e.path("available").asBoolean(false)) {
            return "<p>" + Html.badge("neutral", "unavailable") + " " + Html.str(e.path("reason"), "no reason recorded")
                    + "</p>\n";
        }
        List<String> sources = new ArrayList<>();
        for (JsonNode s : e.path("sources")) sources.add(text(s, s.toString()));
        List<List<String>> rows = List.of(
                List.of("sources", esc(String.join(", ", sources))),
                List.of("energy (J)", num(e.path("joules"), "unavailable")),
                List.of("average power (W)", num(e.path("average_watts"), "unavailable")),
                List.of("per output token (J)", num(e.path("joules_per_output_token"), "unavailable")),
                List.of("over (s)", num(e.path("seconds"), "unavailable")));
        return Html.table(List.of("figure", "value"), new boolean[] {false, true}, rows);
    }

    private String errors() {
        JsonNode s = r.path("summary");
        StringBuilder b = new StringBuilder();
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : s.path("errors").properties()) {
            rows.add(List.of("<code>" + esc(e.getKey()) + "</code>", num(e.getValue(), Html.str(e.getValue(), ""))));
        }
        b.append(
                rows.isEmpty()
                        ? Html.note("Errors: none.")
                        : Html.table(List.of("error class", "requests"), new boolean[] {false, true}, rows));
        List<List<String>> client = new ArrayList<>();
        JsonNode lag = s.path("schedule_lag");
        if (lag.path("count").asLong(0) > 0) {
            client.add(List.of(
                    "schedule lag p50 / p99 / max (ms)",
                    num(lag.path("p50"), Html.DASH) + " / " + num(lag.path("p99"), Html.DASH) + " / "
                            + num(lag.path("max"), Html.DASH)));
        }
        for (String f : List.of("sent_rate", "connections_opened", "usage_checked", "usage_mismatches")) {
            if (s.has(f)) client.add(List.of("<code>" + f + "</code>", num(s.path(f), Html.value(s.path(f)))));
        }
        if (!client.isEmpty()) b.append(Html.table(List.of("client", "value"), new boolean[] {false, true}, client));
        return b.toString();
    }

    private static String keyValues(JsonNode obj) {
        return obj.isObject() && !obj.isEmpty() ? Html.keyValues(obj) : Html.note("none recorded.");
    }

    static String text(JsonNode n, String absent) {
        return n != null && n.isString() ? n.asString() : absent;
    }
}
