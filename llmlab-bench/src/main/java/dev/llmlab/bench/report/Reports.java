package dev.llmlab.bench.report;

import dev.llmlab.bench.measure.Recorder;
import dev.llmlab.bench.measure.Stats;
import dev.llmlab.bench.run.Runner;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A run's outputs: the console table and the versioned JSON result (docs/bench.md documents the
 * schema). Stateless.
 */
public final class Reports {
    /** Bumped whenever a field changes meaning or goes away; new fields do not bump it. */
    public static final int SCHEMA_VERSION = 1;

    static final JsonMapper JSON = JsonMapper.builder().build();

    private Reports() {}

    /** The metrics table and summary lines, for a terminal. */
    public static void console(PrintWriter out, Recorder.Summary s, Runner.Outcome o) {
        out.printf(
                Locale.ROOT,
                "%-22s %8s %10s %10s %10s %10s %10s %10s%n",
                "metric (ms)",
                "count",
                "mean",
                "p50",
                "p90",
                "p99",
                "p99.9",
                "max");
        for (Map.Entry<String, Stats> e : s.metrics().entrySet()) {
            Stats m = e.getValue();
            if (m.count() == 0) continue;
            out.printf(
                    Locale.ROOT,
                    "%-22s %8d %10.2f %10.2f %10.2f %10.2f %10.2f %10.2f%n",
                    e.getKey(),
                    m.count(),
                    m.mean(),
                    m.p50(),
                    m.p90(),
                    m.p99(),
                    m.p999(),
                    m.max());
        }
        out.printf(
                Locale.ROOT,
                "requests: %d completed, %d failed%s in %.2f s%n",
                s.requestsCompleted(),
                s.requestsFailed(),
                s.errors().isEmpty() ? "" : " " + s.errors(),
                s.durationSeconds());
        out.printf(
                Locale.ROOT,
                "throughput: %.2f req/s, %.1f output tok/s, %.1f total tok/s%s%n",
                s.requestThroughput(),
                s.outputTokenThroughput(),
                s.totalTokenThroughput(),
                Double.isNaN(s.goodput()) ? "" : String.format(Locale.ROOT, ", goodput %.2f req/s", s.goodput()));
        if (o.scheduleLag().getTotalCount() > 0) {
            out.printf(
                    Locale.ROOT,
                    "schedule lag: p50 %.3f ms, p99 %.3f ms, max %.3f ms; sent at %.2f req/s%n",
                    o.scheduleLag().getValueAtPercentile(50) / 1e6,
                    o.scheduleLag().getValueAtPercentile(99) / 1e6,
                    o.scheduleLag().getMaxValue() / 1e6,
                    o.achievedRate());
        }
        if (s.usageMismatches() > 0) {
            out.printf(
                    Locale.ROOT,
                    "note: %d of %d checked requests' usage differed from the client's token count%n",
                    s.usageMismatches(),
                    s.usageChecked());
        }
        if (o.stoppedEarly() != null) out.println("run: STOPPED EARLY (" + o.stoppedEarly() + ")");
        out.println(o.valid() ? "run: valid" : "run: INVALID (" + o.invalidReason() + ")");
    }

    /**
     * The JSON result.
     *
     * @param config      every flag, resolved
     * @param environment the machine, JDK, llmlab version and the target's model list
     */
    public static String json(
            ObjectNode config,
            ObjectNode environment,
            Recorder.Summary s,
            Runner.Outcome o,
            java.util.List<dev.llmlab.bench.measure.TimeSeries.Second> seconds) {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result(config, environment, s, o, seconds));
    }

    /** The JSON result as a tree, for a caller that adds to it before writing. */
    public static ObjectNode result(
            ObjectNode config,
            ObjectNode environment,
            Recorder.Summary s,
            Runner.Outcome o,
            java.util.List<dev.llmlab.bench.measure.TimeSeries.Second> seconds) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schema_version", SCHEMA_VERSION);
        root.set("config", config);
        root.set("environment", environment);
        ObjectNode sum = root.putObject("summary");
        sum.put("requests_completed", s.requestsCompleted())
                .put("requests_failed", s.requestsFailed())
                .put("duration_s", s.durationSeconds())
                .put("request_throughput", s.requestThroughput())
                .put("output_token_throughput", s.outputTokenThroughput())
                .put("total_token_throughput", s.totalTokenThroughput());
        if (Double.isNaN(s.goodput())) sum.putNull("goodput");
        else sum.put("goodput", s.goodput());
        var each = sum.putArray("goodput_per_slo");
        for (double g : s.goodputEach()) each.add(g);
        sum.put("valid", o.valid());
        if (o.valid()) sum.putNull("invalid_reason");
        else sum.put("invalid_reason", o.invalidReason());
        if (o.stoppedEarly() == null) sum.putNull("stopped_early");
        else sum.put("stopped_early", o.stoppedEarly());
        sum.put("usage_checked", s.usageChecked());
        sum.put("usage_mismatches", s.usageMismatches());
        ObjectNode errors = sum.putObject("errors");
        s.errors().forEach(errors::put);
        ObjectNode lag = sum.putObject("schedule_lag");
        lag.put("unit", "ms")
                .put("count", o.scheduleLag().getTotalCount())
                .put("p50", o.scheduleLag().getValueAtPercentile(50) / 1e6)
                .put("p99", o.scheduleLag().getValueAtPercentile(99) / 1e6)
                .put("max", o.scheduleLag().getMaxValue() / 1e6);
        sum.put("sent_rate", o.achievedRate());
        sum.put("connections_opened", o.connections());
        ObjectNode metrics = root.putObject("metrics");
        for (Map.Entry<String, Stats> e : s.metrics().entrySet()) putStats(metrics.putObject(e.getKey()), e.getValue());
        root.set("timeseries", series(seconds));
        return root;
    }

    /** One metric's object: unit, count, moments, percentiles, spike rate and the encoded histogram. */
    static void putStats(ObjectNode o, Stats m) {
        o.put("unit", "ms")
                .put("count", m.count())
                .put("mean", m.mean())
                .put("stddev", m.stddev())
                .put("min", m.min())
                .put("max", m.max())
                .put("p50", m.p50())
                .put("p90", m.p90())
                .put("p95", m.p95())
                .put("p99", m.p99())
                .put("p999", m.p999())
                .put("spike_rate", m.spikeRate())
                .put("histogram", m.histogram());
    }

    /** The per-second series. */
    static tools.jackson.databind.node.ArrayNode series(
            java.util.List<dev.llmlab.bench.measure.TimeSeries.Second> seconds) {
        var series = JSON.createArrayNode();
        for (var sec : seconds) {
            ObjectNode p = series.addObject()
                    .put("second", sec.second())
                    .put("requests", sec.requests())
                    .put("output_tokens", sec.outputTokens())
                    .put("errors", sec.errors());
            if (Double.isNaN(sec.ttftP50()))
                p.putNull("ttft_p50").putNull("ttft_p99").putNull("ttft_histogram");
            else
                p.put("ttft_p50", sec.ttftP50())
                        .put("ttft_p99", sec.ttftP99())
                        .put("ttft_histogram", sec.ttftHistogram());
            if (Double.isNaN(sec.e2eP50()))
                p.putNull("e2e_p50").putNull("e2e_p99").putNull("e2e_histogram");
            else p.put("e2e_p50", sec.e2eP50()).put("e2e_p99", sec.e2eP99()).put("e2e_histogram", sec.e2eHistogram());
            if (sec.offered() >= 0) p.put("target_rate", sec.offered());
        }
        return series;
    }

    /** {@code --csv}: one row per metric. */
    public static String csv(Recorder.Summary s) {
        StringBuilder b = new StringBuilder("metric,unit,count,mean,stddev,min,max,p50,p90,p95,p99,p999,spike_rate\n");
        for (Map.Entry<String, Stats> e : s.metrics().entrySet()) {
            Stats m = e.getValue();
            b.append(String.format(
                    Locale.ROOT,
                    "%s,ms,%d,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.6f%n",
                    e.getKey(),
                    m.count(),
                    m.mean(),
                    m.stddev(),
                    m.min(),
                    m.max(),
                    m.p50(),
                    m.p90(),
                    m.p95(),
                    m.p99(),
                    m.p999(),
                    m.spikeRate()));
        }
        return b.toString();
    }
}
