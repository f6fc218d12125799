package dev.llmlab.bench.report;

import dev.llmlab.bench.measure.Recorder;
import dev.llmlab.bench.result.BenchResult;
import dev.llmlab.bench.result.Environment;
import dev.llmlab.bench.result.RunConfig;
import dev.llmlab.bench.result.Second;
import dev.llmlab.bench.result.Stats;
import dev.llmlab.bench.result.Summary;
import dev.llmlab.bench.run.Delivery;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * A run's outputs: its result (written as JSON by {@link dev.llmlab.bench.result.ResultJson}), the
 * console table and the CSV. Stateless.
 */
public final class Reports {
    private Reports() {}

    /**
     * A run's result, before any section (targets, scrape, energy, ...) is added.
     *
     * @param config      every flag, resolved
     * @param environment the machine, JDK, llmlab version and the target's model list
     * @param seconds     the per-second series
     */
    public static BenchResult result(
            RunConfig config, Environment environment, Recorder.Summary s, Delivery d, List<Second> seconds) {
        return BenchResult.run(config, environment, summary(s, d), s.metrics(), seconds);
    }

    /** The recorder's figures and the client's delivery as the result's summary. */
    private static Summary summary(Recorder.Summary s, Delivery d) {
        List<Double> each = new ArrayList<>();
        for (double g : s.goodputEach()) each.add(g);
        Histogram lag = d.scheduleLag();
        return new Summary(
                s.requestsCompleted(),
                s.requestsFailed(),
                d.abandoned(),
                s.durationSeconds(),
                s.requestThroughput(),
                s.outputTokenThroughput(),
                s.totalTokenThroughput(),
                s.goodput(),
                each,
                d.valid(),
                d.valid() ? null : d.invalidReason(),
                d.stoppedEarly(),
                s.usageChecked(),
                s.usageMismatches(),
                s.errors(),
                s.errorSamples(),
                new Summary.ScheduleLag(
                        lag.getTotalCount(),
                        lag.getValueAtPercentile(50) / 1e6,
                        lag.getValueAtPercentile(99) / 1e6,
                        lag.getMaxValue() / 1e6),
                d.achievedRate(),
                d.connections());
    }

    /** The metrics table and summary lines, for a terminal. */
    public static void console(PrintWriter out, BenchResult r) {
        Summary s = r.summary();
        out.printf(
                Locale.ROOT,
                "%-22s %8s %10s %10s %10s %10s %10s %10s %10s%n",
                "metric (ms)",
                "count",
                "mean",
                "p50",
                "p90",
                "p95",
                "p99",
                "p99.9",
                "max");
        for (Map.Entry<String, Stats> e : r.metrics().entrySet()) {
            Stats m = e.getValue();
            if (m.count() == 0) continue;
            out.printf(
                    Locale.ROOT,
                    "%-22s %8d %10.2f %10.2f %10.2f %10.2f %10.2f %10.2f %10.2f%n",
                    e.getKey(),
                    m.count(),
                    m.mean(),
                    m.p50(),
                    m.p90(),
                    m.p95(),
                    m.p99(),
                    m.p999(),
                    m.max());
        }
        out.printf(
                Locale.ROOT,
                "requests: %d completed, %d failed%s%s in %.2f s%n",
                s.requestsCompleted(),
                s.requestsFailed(),
                s.errors().isEmpty() ? "" : " " + s.errors(),
                s.requestsAbandoned() == 0
                        ? ""
                        : ", " + s.requestsAbandoned() + " abandoned after the drain (not measured: see --drain)",
                s.durationS());
        out.printf(
                Locale.ROOT,
                "throughput: %.2f req/s, %.1f output tok/s, %.1f total tok/s%s%n",
                s.requestThroughput(),
                s.outputTokenThroughput(),
                s.totalTokenThroughput(),
                Double.isNaN(s.goodput()) ? "" : String.format(Locale.ROOT, ", goodput %.2f req/s", s.goodput()));
        Summary.ScheduleLag lag = s.scheduleLag();
        if (lag.count() > 0) {
            out.printf(
                    Locale.ROOT,
                    "schedule lag: p50 %.3f ms, p99 %.3f ms, max %.3f ms; sent at %.2f req/s%n",
                    lag.p50(),
                    lag.p99(),
                    lag.max(),
                    s.sentRate());
        }
        if (s.usageMismatches() > 0) {
            out.printf(
                    Locale.ROOT,
                    "note: %d of %d checked requests' usage differed from the client's token count%n",
                    s.usageMismatches(),
                    s.usageChecked());
        }
        if (s.stoppedEarly() != null) out.println("run: STOPPED EARLY (" + s.stoppedEarly() + ")");
        else out.println(s.valid() ? "run: valid" : "run: INVALID (" + s.invalidReason() + ")");
    }

    /** {@code --csv}: one row per metric. */
    public static String csv(BenchResult r) {
        StringBuilder b = new StringBuilder("metric,unit,count,mean,stddev,min,max,p50,p90,p95,p99,p999,spike_rate\n");
        for (Map.Entry<String, Stats> e : r.metrics().entrySet()) {
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
