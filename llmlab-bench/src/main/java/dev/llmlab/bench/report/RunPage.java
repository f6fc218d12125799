package dev.llmlab.bench.report;

import static dev.llmlab.bench.report.Html.esc;
import static dev.llmlab.bench.report.Html.num;

import dev.llmlab.bench.result.Baseline;
import dev.llmlab.bench.result.BenchResult;
import dev.llmlab.bench.result.Energy;
import dev.llmlab.bench.result.ErrorSample;
import dev.llmlab.bench.result.ResultJson;
import dev.llmlab.bench.result.RunConfig;
import dev.llmlab.bench.result.SloVerdict;
import dev.llmlab.bench.result.Stats;
import dev.llmlab.bench.result.Stress;
import dev.llmlab.bench.result.Summary;
import dev.llmlab.bench.result.TargetSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

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

    private final BenchResult r;
    private final Summary s;
    private final Charts charts = new Charts();
    private final List<String[]> nav = new ArrayList<>();

    /** @param result a whole result: one with a summary */
    RunPage(BenchResult result) {
        if (result.summary() == null) throw new IllegalArgumentException("a result without a summary has no page");
        this.r = result;
        this.s = result.summary();
    }

    String html() {
        StringBuilder main = new StringBuilder();
        main.append(section("summary", "Summary", summary()));
        main.append(section("slo", "Service level objectives", slo()));
        if (r.baseline() != null) main.append(section("baseline", "Against the baseline", baseline()));
        if (r.sweep() != null) main.append(section("sweep", "Sweep", SweepHtml.section(r.sweep(), charts)));
        main.append(section("latency", r.sweep() != null ? "Latency (last point)" : "Latency", latency()));
        main.append(section("time", "Over time", TimeHtml.overTime(r, charts)));
        if (r.stress() != null) main.append(section("stress", "Stress", stress()));
        main.append(section("server", "Server metrics", TimeHtml.server(r, charts)));
        main.append(section("energy", "Energy", energy()));
        main.append(section("errors", "Errors and client", errors()));
        main.append("<div class=\"two\">\n")
                .append(section("environment", "Environment", keyValues(r.environment())))
                .append(section("config", "Configuration", configuration(r.config())))
                .append("</div>\n");
        String body = header() + "<main class=\"wrap\">\n" + main + "</main>\n"
                + "<footer class=\"wrap note\">Written by llmlab bench from the result JSON (schema "
                + (r.schemaVersion() > 0 ? String.valueOf(r.schemaVersion()) : "?")
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
        String model = r.config() == null ? null : r.config().model();
        return "llmlab bench" + (model == null ? "" : ": " + model);
    }

    // ---- header ----

    private String header() {
        RunConfig c = r.config();
        StringBuilder b = new StringBuilder("<header class=\"top\"><div class=\"wrap\">\n")
                .append("<div class=\"brand\">llmlab bench report</div>\n");
        String model = c == null ? null : c.model();
        b.append("<h1>")
                .append(esc(model == null ? "model not recorded" : model))
                .append("</h1>\n");
        b.append("<p class=\"sub\">")
                .append(esc(target(c)))
                .append(" \u00b7 ")
                .append(esc(load(c)))
                .append("</p>\n");
        b.append("<div class=\"badges\">");
        if (s.stoppedEarly() != null) b.append(Html.badge("bad", "stopped early"));
        else b.append(s.valid() ? Html.badge("good", "valid run") : Html.badge("bad", "INVALID run"));
        SloVerdict slo = r.slo();
        if (slo != null) {
            b.append(slo.passed() ? Html.badge("good", "SLO passed") : Html.badge("bad", "SLO failed"));
            b.append(grade(slo.grade()));
        } else if (!sweepSlos().isEmpty()) {
            b.append(Html.badge("neutral", "SLOs per sweep point"));
        } else {
            b.append(Html.badge("neutral", "no SLO"));
        }
        if (r.sweep() != null) {
            String kind = r.sweep().kind() == null ? "sweep" : r.sweep().kind().label();
            int n = r.sweep().points().size();
            b.append(Html.badge("info", kind + " \u00b7 " + n + (n == 1 ? " point" : " points")));
        }
        if (r.stress() != null) {
            String pattern = r.stress().pattern();
            b.append(Html.badge("info", "stress: " + (pattern == null ? "?" : pattern)));
        }
        if (c != null && c.mergedFrom() != null) {
            b.append(Html.badge("info", "merged from " + c.mergedFrom() + " shards"));
        } else if (c != null && c.shard() != null) b.append(Html.badge("info", "shard " + c.shard()));
        b.append("</div>\n");
        if (s.stoppedEarly() != null) {
            b.append("<div class=\"alert\"><strong>Stopped early:</strong> ")
                    .append(esc(s.stoppedEarly()))
                    .append(". The figures cover what ended before the stop.</div>\n");
        }
        if (!s.valid()) {
            b.append("<div class=\"alert\"><strong>Invalid run:</strong> ")
                    .append(Html.str(s.invalidReason(), "no reason recorded"))
                    .append("</div>\n");
        }
        b.append("<nav>");
        for (String[] n : nav)
            b.append("<a href=\"#").append(n[0]).append("\">").append(esc(n[1])).append("</a>");
        return b.append("</nav>\n</div></header>\n").toString();
    }

    static String grade(SloVerdict.Grade g) {
        if (g == null) return "";
        String name = g.name() == null ? "?" : g.name();
        String kind = switch (name) {
            case "Excellent", "Good" -> "good";
            case "Acceptable" -> "warn";
            default -> "bad";
        };
        return Html.badge(kind, "grade: " + name + " (" + g.met() + "/" + g.total() + ")");
    }

    static String target(RunConfig c) {
        if (c == null) return "target not recorded";
        if (c.embeddedSim()) {
            String args = c.simArgs();
            return "embedded simulator" + (args == null || args.isBlank() ? "" : " (" + args + ")");
        }
        return c.url() == null ? "target not recorded" : c.url();
    }

    static String load(RunConfig c) {
        if (c == null) return "load not recorded";
        List<String> parts = new ArrayList<>();
        if (c.mode() == RunConfig.Mode.OPEN) {
            parts.add("open loop at " + num(c.rate(), "?") + " req/s"
                    + (c.arrival() != null ? ", " + c.arrival() + " arrivals" : ""));
        } else if (c.mode() == RunConfig.Mode.CLOSED) {
            parts.add("closed loop, " + num(c.concurrency()) + " users");
        }
        if (c.requests() > 0) parts.add(num(c.requests()) + " requests");
        if (c.durationS() > 0) parts.add(num(c.durationS()) + " s");
        parts.add(c.stream() ? "streamed" : "not streamed");
        return String.join(", ", parts);
    }

    // ---- sections ----

    private String summary() {
        StringBuilder b = new StringBuilder("<div class=\"cards\">\n");
        b.append(card("requests completed", num(s.requestsCompleted()), num(s.requestsFailed()) + " failed"));
        b.append(card("measured window", num(s.durationS(), Html.DASH), "seconds"));
        b.append(card("request throughput", num(s.requestThroughput(), Html.DASH), "req/s"));
        b.append(card("output tokens", num(s.outputTokenThroughput(), Html.DASH), "tok/s"));
        b.append(card("total tokens", num(s.totalTokenThroughput(), Html.DASH), "tok/s"));
        double goodput =
                r.slo() != null && !Double.isNaN(r.slo().goodput()) ? r.slo().goodput() : s.goodput();
        b.append(
                !Double.isNaN(goodput)
                        ? card("goodput", num(goodput), "req/s meeting every SLO")
                        : card("goodput", "none", "no SLO given"));
        Energy e = r.energy();
        b.append(
                e != null && e.available() && !Double.isNaN(e.joulesPerOutputToken())
                        ? card("energy", num(e.joulesPerOutputToken()), "J per output token")
                        : card("energy", "unavailable", "see Energy"));
        b.append("</div>\n");
        if (r.sweep() != null) b.append(Html.note("A sweep's summary and latency are those of its last point."));
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
        SloVerdict slo = r.slo();
        if (slo == null && !sweepSlos().isEmpty()) {
            List<List<String>> rows = new ArrayList<>();
            for (TargetSpec t : sweepSlos()) {
                rows.add(List.of(
                        "<strong>" + Html.str(t.name(), "?") + "</strong>",
                        Html.str(t.metric(), ""),
                        t.percentile() == null ? Html.DASH : num(t.percentile()),
                        "\u2264 " + withUnit(t.bound(), t.unit())));
            }
            return Html.note("Each sweep point is judged against these; see Sweep.")
                    + Html.table(
                            List.of("target", "metric", "percentile", "bound"),
                            new boolean[] {false, false, true, true},
                            rows);
        }
        if (slo == null) {
            String old = r.config() == null ? null : r.config().slo();
            return Html.note(
                    old == null
                            ? "none: the run was given no <code>--slo</code> or <code>--targets</code>."
                            : "Only a goodput bound was given (<code>--slo " + esc(old) + "</code>): goodput "
                                    + num(s.goodput(), "none") + " req/s.");
        }
        StringBuilder b = new StringBuilder("<p class=\"badges\">");
        b.append(slo.passed() ? Html.badge("good", "every target met") : Html.badge("bad", "a target was missed"))
                .append(grade(slo.grade()));
        b.append(" <span class=\"muted\">goodput ")
                .append(num(slo.goodput(), "none"))
                .append(" req/s</span></p>\n");
        List<List<String>> rows = new ArrayList<>();
        for (SloVerdict.Target t : slo.targets()) {
            SloVerdict.Kind kind = t.kind();
            rows.add(List.of(
                    "<strong>" + Html.str(t.name(), "?") + "</strong>",
                    kind == null ? "" : esc(kind.label()),
                    kind == SloVerdict.Kind.RANGE
                            ? withUnit(t.low() == null ? Double.NaN : t.low(), t.unit()) + " \u2013 "
                                    + withUnit(t.bound(), t.unit())
                            : (kind == SloVerdict.Kind.MINIMUM ? "\u2265 " : "\u2264 ") + withUnit(t.bound(), t.unit()),
                    Double.isNaN(t.value()) ? "<span class=\"muted\">no sample</span>" : withUnit(t.value(), t.unit()),
                    t.met() ? Html.badge("good", "met") : Html.badge("bad", "missed"),
                    num(t.confidence(), Html.DASH),
                    t.goodput() == null ? Html.DASH : num(t.goodput(), Html.DASH)));
        }
        return b
                + Html.table(
                        List.of("target", "kind", "bound", "value", "", "confidence", "goodput (req/s)"),
                        new boolean[] {false, false, true, true, false, true, true},
                        rows);
    }

    /** {@code --baseline}: every compared figure, the regressions marked, as the gate judged them. */
    private String baseline() {
        Baseline bl = r.baseline();
        int worse = bl.regressed();
        StringBuilder b = new StringBuilder("<p class=\"badges\">");
        b.append(worse == 0 ? Html.badge("good", "no regression") : Html.badge("bad", worse + " figure(s) regressed"));
        b.append(" <span class=\"muted\">against ")
                .append(esc(bl.file() == null ? "?" : bl.file()))
                .append(", allowed ")
                .append(num(100 * (Double.isNaN(bl.maxRegression()) ? 0 : bl.maxRegression())))
                .append(" % worse</span></p>\n");
        List<List<String>> rows = new ArrayList<>();
        for (Baseline.Figure f : bl.figures()) {
            double c = f.change();
            rows.add(List.of(
                    Html.str(f.name(), "?"),
                    num(f.baseline(), Html.DASH),
                    num(f.value(), Html.DASH),
                    Double.isNaN(c) ? Html.DASH : (c >= 0 ? "+" : "") + num(100 * c) + " %",
                    f.worse() ? Html.badge("bad", "worse") : ""));
        }
        return b
                + Html.table(
                        List.of("figure", "baseline", "this run", "change", ""),
                        new boolean[] {false, true, true, true, false},
                        rows);
    }

    static String withUnit(double v, String unit) {
        if (Double.isNaN(v)) return Html.DASH;
        if ("fraction".equals(unit)) return num(100 * v) + " %";
        return num(v) + (unit == null || unit.isEmpty() ? "" : " " + esc(unit));
    }

    private List<TargetSpec> sweepSlos() {
        return r.sweep() == null ? List.of() : r.sweep().slos();
    }

    private String latency() {
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<String, Stats> e : r.metrics().entrySet()) {
            Stats m = e.getValue();
            boolean any = m.count() > 0;
            List<String> row = new ArrayList<>(List.of("<code>" + esc(e.getKey()) + "</code>", num(m.count())));
            for (double v : new double[] {m.mean(), m.p50(), m.p90(), m.p95(), m.p99(), m.p999(), m.max()}) {
                row.add(any ? num(v, Html.DASH) : Html.DASH);
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
                Histogram h = histogram(r.metric(m));
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

    /** The metric's histogram, or null when it has no samples or none was written (or it is damaged). */
    static Histogram histogram(Stats metric) {
        if (metric == null || metric.count() <= 0) return null;
        Histogram h = metric.decoded();
        return h != null && h.getTotalCount() > 0 ? h : null;
    }

    private String stress() {
        Stress st = r.stress();
        StringBuilder b = new StringBuilder("<p>Pattern <strong>")
                .append(Html.str(st.pattern(), "?"))
                .append("</strong></p>\n");
        if (!st.params().isEmpty()) b.append(Html.keyValues(ResultJson.tree(st.params())));
        List<List<String>> rows = new ArrayList<>();
        for (Stress.Burst u : st.bursts()) {
            rows.add(List.of(
                    num(u.startS(), Html.DASH),
                    num(u.endS(), Html.DASH),
                    num(u.rate(), Html.DASH),
                    num(u.baselineTtftP50(), Html.DASH),
                    num(u.peakTtftP50(), Html.DASH),
                    num(u.peakE2eP50(), Html.DASH),
                    num(u.errors()),
                    u.recovered() ? num(u.recoveredAfterS()) + " s" : Html.badge("bad", "never")));
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
        Energy e = r.energy();
        if (e == null) return Html.note("unavailable: the result has no energy measurement.");
        if (!e.available()) {
            return "<p>" + Html.badge("neutral", "unavailable") + " " + Html.str(e.reason(), "no reason recorded")
                    + "</p>\n";
        }
        List<List<String>> rows = List.of(
                List.of("sources", esc(String.join(", ", e.sources()))),
                List.of("energy (J)", num(e.joules(), "unavailable")),
                List.of("average power (W)", num(e.averageWatts(), "unavailable")),
                List.of("per output token (J)", num(e.joulesPerOutputToken(), "unavailable")),
                List.of("over (s)", num(e.seconds(), "unavailable")));
        return Html.table(List.of("figure", "value"), new boolean[] {false, true}, rows);
    }

    private String errors() {
        StringBuilder b = new StringBuilder();
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<String, Long> e : s.errors().entrySet()) {
            rows.add(List.of("<code>" + esc(e.getKey()) + "</code>", num(e.getValue())));
        }
        b.append(
                rows.isEmpty()
                        ? Html.note("Errors: none.")
                        : Html.table(List.of("error class", "requests"), new boolean[] {false, true}, rows));
        List<List<String>> said = new ArrayList<>();
        for (ErrorSample e : s.errorSamples()) {
            said.add(List.of(
                    "<code>" + esc(e.kind()) + "</code>",
                    e.message() == null ? Html.DASH : esc(e.message()),
                    num(e.count())));
        }
        if (!said.isEmpty()) {
            b.append(Html.table(
                    List.of("error class", "what was said (the first few distinct)", "requests"),
                    new boolean[] {false, false, true},
                    said));
        }
        List<List<String>> client = new ArrayList<>();
        Summary.ScheduleLag lag = s.scheduleLag();
        if (lag.count() > 0) {
            client.add(List.of(
                    "schedule lag p50 / p99 / max (ms)",
                    num(lag.p50(), Html.DASH) + " / " + num(lag.p99(), Html.DASH) + " / " + num(lag.max(), Html.DASH)));
        }
        client.add(List.of("<code>sent_rate</code>", num(s.sentRate(), Html.DASH)));
        client.add(List.of("<code>connections_opened</code>", num(s.connectionsOpened())));
        client.add(List.of("<code>usage_checked</code>", num(s.usageChecked())));
        client.add(List.of("<code>usage_mismatches</code>", num(s.usageMismatches())));
        b.append(Html.table(List.of("client", "value"), new boolean[] {false, true}, client));
        return b.toString();
    }

    /**
     * The run's settings, where a setting that does not apply to this run says so instead of showing
     * the 0 the JSON holds for it: an open loop has no users, a closed loop no rate, a run bounded by
     * its requests no duration.
     */
    private static String configuration(RunConfig c) {
        if (c == null) return Html.note("none recorded.");
        var tree = (tools.jackson.databind.node.ObjectNode) ResultJson.tree(c);
        boolean open = c.mode() == RunConfig.Mode.OPEN;
        if (open && c.concurrency() == 0) tree.put("concurrency", "n/a (open loop)");
        if (!open && c.rate() == 0) {
            tree.put("rate", "n/a (closed loop)");
            tree.put("arrival", "n/a (closed loop)");
            tree.put("burstiness", "n/a (closed loop)");
        }
        if (c.maxConcurrency() == 0) tree.put("max_concurrency", open ? "none (no cap)" : "n/a (closed loop)");
        if (c.durationS() == 0) tree.put("duration_s", "n/a (bounded by requests)");
        if (c.requests() == 0) tree.put("requests", "n/a (bounded by duration)");
        return Html.keyValues(tree);
    }

    /** Every field of a part of the result, or a note that it has none. */
    private static String keyValues(Object part) {
        if (part == null) return Html.note("none recorded.");
        var tree = ResultJson.tree(part);
        return tree.isObject() && !tree.isEmpty() ? Html.keyValues(tree) : Html.note("none recorded.");
    }
}
