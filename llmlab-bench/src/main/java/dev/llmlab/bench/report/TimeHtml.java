package dev.llmlab.bench.report;

import static dev.llmlab.bench.report.Html.esc;

import dev.llmlab.bench.report.Charts.Agg;
import dev.llmlab.bench.result.BenchResult;
import dev.llmlab.bench.result.Second;
import dev.llmlab.bench.result.Server;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The charts along the run's seconds: the client's latency and throughput per second, and each
 * scraped server's queue, running requests and KV cache beside the client's latency. The charts
 * share a cursor, so hovering a second in one shows it in all. Stateless.
 */
final class TimeHtml {
    private TimeHtml() {}

    /** The per-second columns drawn, in the order the charts below take them. */
    private static final List<ToDoubleFunction<Second>> FIELDS = List.of(
            Second::requests,
            Second::outputTokens,
            Second::errors,
            Second::ttftP50,
            Second::ttftP99,
            Second::e2eP50,
            Second::e2eP99,
            s -> s.targetRate() == null ? Double.NaN : s.targetRate());

    static String overTime(BenchResult r, Charts charts) {
        List<Second> ts = r.timeseries();
        if (ts.isEmpty()) return Html.note("none: the result has no per-second series.");
        List<Agg> aggs = List.of(Agg.MEAN, Agg.MEAN, Agg.MEAN, Agg.MEAN, Agg.MAX, Agg.MEAN, Agg.MAX, Agg.MEAN);
        double[] x = new double[ts.size()];
        List<double[]> cols = new ArrayList<>();
        for (int f = 0; f < FIELDS.size(); f++) cols.add(new double[ts.size()]);
        for (int i = 0; i < ts.size(); i++) {
            Second p = ts.get(i);
            x[i] = p.second();
            for (int f = 0; f < FIELDS.size(); f++)
                cols.get(f)[i] = FIELDS.get(f).applyAsDouble(p);
        }
        Charts.Bucketed b = Charts.bucket(x, cols, aggs, Charts.MAX_POINTS);
        String per =
                b.size() == 1 ? "per second" : "per " + b.size() + " s bucket (p50 the mean, p99 the worst second)";
        List<double[]> c = b.columns();
        StringBuilder grid = new StringBuilder();
        grid.append(timeChart(
                charts,
                "TTFT over time",
                "Of requests ending in each second, " + per + ".",
                b.x(),
                "ms",
                new String[] {"ttft p50", "ttft p99"},
                c.get(3),
                c.get(4)));
        grid.append(timeChart(
                charts,
                "E2E latency over time",
                "Of requests ending in each second, " + per + ".",
                b.x(),
                "ms",
                new String[] {"e2e p50", "e2e p99"},
                c.get(5),
                c.get(6)));
        grid.append(timeChart(
                charts,
                "Requests per second",
                "Completed, failed and offered (the schedule's target), "
                        + (b.size() == 1 ? "per second." : "averaged per " + b.size() + " s."),
                b.x(),
                "req/s",
                new String[] {"completed", "errors", "target rate"},
                c.get(0),
                c.get(2),
                c.get(7)));
        grid.append(timeChart(
                charts,
                "Output tokens per second",
                "Tokens of the requests ending in each second"
                        + (b.size() == 1 ? "." : ", averaged per " + b.size() + " s."),
                b.x(),
                "tok/s",
                new String[] {"output tokens"},
                c.get(1)));
        return "<div class=\"grid\">\n" + grid + "</div>\n";
    }

    private static String timeChart(
            Charts charts, String title, String note, double[] x, String unit, String[] labels, double[]... ys) {
        Charts.Spec spec = new Charts.Spec("time", "second", x, unit).sync("time");
        for (int i = 0; i < ys.length; i++) spec.series(labels[i], unit, ys[i], false);
        return spec.empty() ? "" : charts.card(title, esc(note), spec);
    }

    static String server(BenchResult r, Charts charts) {
        List<Server.Source> sources =
                r.server() == null ? List.of() : r.server().sources();
        if (sources.isEmpty()) {
            return Html.note("none: the run scraped no server metrics (<code>--scrape URL</code>).");
        }
        StringBuilder notes = new StringBuilder();
        StringBuilder grid = new StringBuilder();
        for (Server.Source src : sources) {
            String url = src.url() == null ? "?" : src.url();
            String kind = src.kind() == null ? "unknown" : src.kind();
            List<Server.Sample> samples = src.samples();
            if (src.error() != null) {
                notes.append("<p class=\"note\"><code>")
                        .append(esc(url))
                        .append("</code>: ")
                        .append(esc(src.error()))
                        .append("</p>\n");
            }
            if (samples.isEmpty()) continue;
            double[] x = new double[samples.size()];
            List<double[]> cols = List.of(new double[x.length], new double[x.length], new double[x.length]);
            for (int i = 0; i < x.length; i++) {
                Server.Sample s = samples.get(i);
                x[i] = s.second();
                cols.get(0)[i] = s.waiting();
                cols.get(1)[i] = s.running();
                cols.get(2)[i] = 100 * s.kvCacheUsage();
            }
            Charts.Bucketed b = Charts.bucket(x, cols, List.of(Agg.MAX, Agg.MAX, Agg.MAX), Charts.MAX_POINTS);
            Charts.Spec spec = new Charts.Spec("time", "second", b.x(), "requests")
                    .y2("KV cache %")
                    .sync("time")
                    .series("waiting (queue)", "", b.columns().get(0), false)
                    .series("running", "", b.columns().get(1), false)
                    .series("KV cache usage", "%", b.columns().get(2), true);
            if (spec.empty()) {
                notes.append("<p class=\"note\"><code>")
                        .append(esc(url))
                        .append("</code>: no queue, running or KV cache figure.</p>\n");
                continue;
            }
            grid.append(charts.card(
                    kind + " server: " + url,
                    "Queue depth, running requests and KV cache usage"
                            + (src.model() != null ? " of model " + src.model() : "")
                            + (b.size() == 1 ? "" : " (the highest sample per " + b.size() + " samples)") + "."
                            + (src.model() == null && !src.models().isEmpty()
                                    ? " The page labels models (" + String.join(", ", src.models())
                                            + ") but not the benchmarked one: these figures are over all of them."
                                    : ""),
                    spec));
        }
        if (!grid.isEmpty()) {
            // the client's view beside the server's, on the same seconds (hovering one chart moves every cursor)
            grid.insert(0, clientLatency(r, charts));
        }
        return notes
                + (grid.isEmpty()
                        ? Html.note("none: no server sample was read.")
                        : "<div class=\"grid\">\n" + grid + "</div>\n");
    }

    private static String clientLatency(BenchResult r, Charts charts) {
        List<Second> ts = r.timeseries();
        if (ts.isEmpty()) return "";
        double[] x = new double[ts.size()];
        List<double[]> cols = List.of(new double[x.length], new double[x.length], new double[x.length]);
        for (int i = 0; i < x.length; i++) {
            x[i] = ts.get(i).second();
            cols.get(0)[i] = ts.get(i).ttftP99();
            cols.get(1)[i] = ts.get(i).e2eP99();
            cols.get(2)[i] = ts.get(i).requests();
        }
        Charts.Bucketed b = Charts.bucket(x, cols, List.of(Agg.MAX, Agg.MAX, Agg.MEAN), Charts.MAX_POINTS);
        Charts.Spec spec = new Charts.Spec("time", "second", b.x(), "ms")
                .y2("req/s")
                .sync("time")
                .series("ttft p99", "ms", b.columns().get(0), false)
                .series("e2e p99", "ms", b.columns().get(1), false)
                .series("completed", "req/s", b.columns().get(2), true);
        return spec.empty()
                ? ""
                : charts.card(
                        "Client latency", "The client's p99 latencies and completions, for the same seconds.", spec);
    }
}
