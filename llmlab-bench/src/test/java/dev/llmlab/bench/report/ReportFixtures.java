package dev.llmlab.bench.report;

import dev.llmlab.bench.measure.Fate;
import dev.llmlab.bench.measure.Recorder;
import dev.llmlab.bench.measure.RequestRecord;
import dev.llmlab.bench.measure.TimeSeries;
import dev.llmlab.bench.run.Runner;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Realistic results for the HTML report's tests, built as a run builds them (seeded records through
 * {@link Recorder}, {@link TimeSeries} and {@link Reports#json}), with issue 6's optional fields
 * (slo, sweep, stress, server, energy, per-second e2e and target rate) added as the contract has them.
 */
final class ReportFixtures {
    static final long MS = 1_000_000;

    private ReportFixtures() {}

    /** {@code n} streamed requests over {@code seconds}, latency scaled by {@code slowness}; one in 150 times out. */
    static List<RequestRecord> records(long seed, int n, double seconds, double slowness) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<RequestRecord> out = new ArrayList<>();
        long gap = (long) (seconds * 1e9 / n);
        for (int i = 0; i < n; i++) {
            long intended = i * gap;
            long sent = intended + rng.nextInt(300_000);
            // a long-tailed TTFT: mostly 40-120 ms, now and then ten times that
            double ttft = (40 + rng.nextInt(80)) * (rng.nextInt(50) == 0 ? 10 : 1) * slowness;
            long first = sent + (long) (ttft * MS);
            int tokens = 4 + rng.nextInt(60);
            long[] at = new long[tokens];
            at[0] = first;
            for (int k = 1; k < tokens; k++) at[k] = at[k - 1] + (long) ((8 + rng.nextInt(25)) * slowness * MS);
            Fate o = rng.nextInt(150) == 0 ? Fate.TIMEOUT : Fate.OK;
            out.add(new RequestRecord(
                    intended, 0, sent, sent + MS, at, at[tokens - 1] + MS, tokens, tokens, 200, o, 200));
        }
        return out;
    }

    /** An open-loop run's result as {@code llmlab bench --json} writes it, plus per-second e2e and target rate. */
    static ObjectNode run(long seed, int n, double seconds, double slowness) {
        Recorder rec = new Recorder(true, List.of());
        TimeSeries series = new TimeSeries(0);
        for (RequestRecord r : records(seed, n, seconds, slowness)) {
            rec.record(r);
            series.record(r);
        }
        Histogram lag = new Histogram(3);
        for (int i = 1; i <= 100; i++) lag.recordValue(i * 3_000L);
        Runner.Outcome o = new Runner.Outcome(seconds, n, n / seconds, lag, true, null, 12);
        ObjectNode config = Reports.JSON
                .createObjectNode()
                .put("url", "http://10.0.0.7:8000/v1")
                .put("embedded_sim", false)
                .putNull("sim_args")
                .put("api", "openai")
                .put("model", "meta-llama/Llama-3.1-8B-Instruct")
                .put("stream", true)
                .put("max_tokens", 64)
                .put("mode", "open")
                .put("concurrency", 0)
                .put("rate", n / seconds)
                .put("arrival", "poisson")
                .put("requests", n)
                .put("duration_s", 0)
                .put("seed", seed);
        ObjectNode env = Reports.JSON
                .createObjectNode()
                .put("llmlab_version", "0.1.0-test")
                .put("jdk", "Eclipse Adoptium 25")
                .put("os", "Linux 6.8 amd64")
                .put("cores", 2)
                .put("cpu", "Test CPU @ 3 GHz")
                .put("memory_bytes", 8L << 30);
        env.putObject("target_models")
                .put("object", "list")
                .putArray("data")
                .addObject()
                .put("id", "meta-llama/Llama-3.1-8B-Instruct");
        ObjectNode root = (ObjectNode)
                Reports.JSON.readTree(Reports.json(config, env, rec.summary(seconds), o, series.seconds()));
        for (JsonNode s : root.path("timeseries")) {
            ObjectNode p = (ObjectNode) s;
            if (p.path("ttft_p50").isNumber()) {
                p.put("e2e_p50", p.path("ttft_p50").asDouble() * 6)
                        .put("e2e_p99", p.path("ttft_p99").asDouble() * 5);
            } else {
                p.putNull("e2e_p50").putNull("e2e_p99");
            }
            p.put("target_rate", n / seconds);
        }
        return root;
    }

    /** {@link #run} with an SLO verdict, scraped server metrics (one source read, one not), energy unavailable and bursts. */
    static ObjectNode fullRun() {
        ObjectNode root = run(7, 1500, 60, 1);
        ObjectNode slo = root.putObject("slo");
        ArrayNode targets = slo.putArray("targets");
        targets.addObject()
                .put("name", "ttft_p95")
                .put("kind", "percentile")
                .put("metric", "ttft")
                .put("percentile", 95)
                .put("bound", 500.0)
                .put("unit", "ms")
                .put("value", root.at("/metrics/ttft/p95").asDouble())
                .put("met", true)
                .put("goodput", 24.1);
        targets.addObject()
                .put("name", "e2e_p99")
                .put("kind", "percentile")
                .put("metric", "e2e")
                .put("percentile", 99)
                .put("bound", 1500.0)
                .put("unit", "ms")
                .put("value", root.at("/metrics/e2e/p99").asDouble())
                .put("met", false)
                .put("goodput", 22.0);
        targets.addObject()
                .put("name", "error_rate")
                .put("kind", "error_rate")
                .put("bound", 0.001)
                .put("unit", "fraction")
                .put("value", 0.006)
                .put("met", false);
        targets.addObject()
                .put("name", "throughput_per_stream")
                .put("kind", "minimum")
                .put("bound", 30)
                .put("unit", "tok/s")
                .putNull("value")
                .put("met", false);
        slo.put("passed", false).put("goodput", 21.5);
        slo.putObject("grade").put("name", "Poor").put("met", 1).put("total", 4).put("fraction", 0.25);
        ArrayNode sources = root.putObject("server").putArray("sources");
        ObjectNode vllm = sources.addObject()
                .put("url", "http://10.0.0.7:8000/metrics")
                .put("kind", "vllm")
                .putNull("error");
        ArrayNode samples = vllm.putArray("samples");
        for (int i = 0; i < 120; i++) {
            ObjectNode s = samples.addObject()
                    .put("second", i * 0.5)
                    .put("running", 8 + i % 7)
                    .put("waiting", Math.max(0, i % 30 - 20));
            if (i == 40) s.putNull("kv_cache_usage");
            else s.put("kv_cache_usage", 0.2 + 0.5 * i / 120.0);
        }
        sources.addObject()
                .put("url", "http://10.0.0.8:9000/metrics")
                .put("kind", "unknown")
                .put("error", "connection refused")
                .putArray("samples");
        root.putObject("energy")
                .put("available", false)
                .put("reason", "no readable RAPL domain under /sys/class/powercap, no nvidia-smi");
        ObjectNode stress = root.putObject("stress").put("pattern", "spike");
        stress.putObject("params")
                .put("base_rate", 25)
                .put("peak_rate", 80)
                .put("period_s", 20)
                .put("width_s", 3);
        ArrayNode bursts = stress.putArray("bursts");
        bursts.addObject()
                .put("start_s", 20)
                .put("end_s", 23)
                .put("rate", 80)
                .put("baseline_ttft_p50", 80.0)
                .put("peak_ttft_p50", 640.0)
                .put("peak_e2e_p50", 2100.0)
                .put("errors", 3)
                .put("recovered_after_s", 4.0);
        bursts.addObject()
                .put("start_s", 40)
                .put("end_s", 43)
                .put("rate", 80)
                .put("baseline_ttft_p50", 85.0)
                .put("peak_ttft_p50", 900.0)
                .put("peak_e2e_p50", 3100.0)
                .put("errors", 9)
                .putNull("recovered_after_s");
        return root;
    }

    /** A {@code bench sweep}/{@code slo-search} result of {@code levels} open-loop points with SLOs and an answer. */
    static ObjectNode sweep(int levels, String kind, double slowness) {
        ObjectNode root = null;
        ArrayNode points = Reports.JSON.createArrayNode();
        Double maxPassing = null;
        Double firstFailing = null;
        for (int i = 0; i < levels; i++) {
            double rate = 2 + 2 * i;
            // latency grows with load, steeply past the knee
            double load = slowness * (1 + Math.pow(rate / 22.0, 4));
            ObjectNode point = run(100 + i, 300, 300 / rate, load);
            root = point;
            boolean passed = point.at("/metrics/ttft/p95").asDouble() <= 500;
            if (passed && firstFailing == null) maxPassing = rate;
            if (!passed && firstFailing == null) firstFailing = rate;
            ObjectNode p = points.addObject().put("label", i == 0 ? "synchronous" : "rate " + rate);
            if (i == 0) p.putNull("rate");
            else p.put("rate", rate);
            p.putNull("concurrency")
                    .put(
                            "rate_achieved",
                            point.at("/summary/request_throughput").asDouble())
                    .put("valid", i < levels - 1)
                    .put("invalid_reason", i < levels - 1 ? null : "schedule lag p99 12 ms > 10 ms")
                    .put("passed", passed)
                    .put("stopped_early", i == levels - 1 ? "over-saturated: queue grew 40 s" : null);
            p.set("summary", point.path("summary"));
            p.set("metrics", point.path("metrics"));
        }
        ObjectNode sweep = root.putObject("sweep").put("kind", kind).put("axis", "rate");
        sweep.set("points", points);
        ArrayNode slos = sweep.putArray("slos");
        slos.addObject()
                .put("name", "ttft_p95")
                .put("metric", "ttft")
                .put("percentile", 95)
                .put("bound", 500.0)
                .put("unit", "ms");
        slos.addObject()
                .put("name", "e2e_p99")
                .put("metric", "e2e")
                .put("percentile", 99)
                .put("bound", 4000.0)
                .put("unit", "ms");
        if (!kind.equals("sweep")) {
            ObjectNode answer = sweep.putObject("answer");
            if (maxPassing == null) answer.putNull("max_passing");
            else answer.put("max_passing", maxPassing);
            if (firstFailing == null) answer.putNull("first_failing");
            else answer.put("first_failing", firstFailing);
            answer.put("confidence", 0.95).putArray("failed_on").add("ttft_p95");
        }
        root.withObject("config").put("seconds_per_point", 30);
        return root;
    }
}
