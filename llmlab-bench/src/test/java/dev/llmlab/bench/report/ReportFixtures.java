package dev.llmlab.bench.report;

import dev.llmlab.bench.measure.Fate;
import dev.llmlab.bench.measure.Recorder;
import dev.llmlab.bench.measure.RequestRecord;
import dev.llmlab.bench.measure.TimeSeries;
import dev.llmlab.bench.result.BenchResult;
import dev.llmlab.bench.result.Energy;
import dev.llmlab.bench.result.Environment;
import dev.llmlab.bench.result.LoadAxis;
import dev.llmlab.bench.result.RunConfig;
import dev.llmlab.bench.result.Second;
import dev.llmlab.bench.result.Server;
import dev.llmlab.bench.result.SloVerdict;
import dev.llmlab.bench.result.Stress;
import dev.llmlab.bench.result.Sweep;
import dev.llmlab.bench.result.TargetSpec;
import dev.llmlab.bench.run.Delivery;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Realistic results for the HTML report's tests, built as a run builds them (seeded records through
 * {@link Recorder}, {@link TimeSeries} and {@link Reports#result}), with issue 6's optional sections
 * (slo, sweep, stress, server, energy, per-second e2e and target rate) added as a run adds them.
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

    static Environment environment() {
        ObjectNode models = JsonNodeFactory.instance.objectNode().put("object", "list");
        models.putArray("data").addObject().put("id", "meta-llama/Llama-3.1-8B-Instruct");
        return new Environment(
                "0.1.0-test", "Eclipse Adoptium 25", "Linux 6.8 amd64", 2, "Test CPU @ 3 GHz", 8L << 30, models);
    }

    /** An open-loop run's result as {@code llmlab bench --json} writes it, with per-second e2e and target rate. */
    static BenchResult run(long seed, int n, double seconds, double slowness) {
        Recorder rec = new Recorder(true, List.of());
        TimeSeries series = new TimeSeries(0);
        for (RequestRecord r : records(seed, n, seconds, slowness)) {
            rec.record(r);
            series.record(r);
        }
        Histogram lag = new Histogram(3);
        for (int i = 1; i <= 100; i++) lag.recordValue(i * 3_000L);
        Delivery o = new Delivery(seconds, n, n / seconds, lag, true, null, 12);
        RunConfig config = RunConfig.builder()
                .url("http://10.0.0.7:8000/v1")
                .embeddedSim(false)
                .api("openai")
                .model("meta-llama/Llama-3.1-8B-Instruct")
                .stream(true)
                .maxTokens(64)
                .mode(RunConfig.Mode.OPEN)
                .rate(n / seconds)
                .arrival("poisson")
                .requests(n)
                .durationS(0)
                .seed(seed)
                .build();
        List<Second> seconds_ = new ArrayList<>();
        for (Second p : series.seconds()) {
            seconds_.add(new Second(
                    p.second(),
                    p.requests(),
                    p.outputTokens(),
                    p.errors(),
                    p.ttftP50(),
                    p.ttftP99(),
                    p.ttftHistogram(),
                    p.ttftP50() * 6,
                    p.ttftP99() * 5,
                    p.e2eHistogram(),
                    Math.round(n / seconds),
                    p.tokenEvents()));
        }
        return Reports.result(config, environment(), rec.summary(seconds), o, seconds_);
    }

    static SloVerdict.Target target(
            String name,
            SloVerdict.Kind kind,
            String metric,
            Double percentile,
            double bound,
            String unit,
            double value,
            boolean met,
            Double goodput) {
        return new SloVerdict.Target(
                name, kind, metric, percentile, null, bound, unit, value, met, Double.NaN, null, null, goodput);
    }

    /** {@link #run} with an SLO verdict, scraped server metrics (one source read, one not), energy unavailable and bursts. */
    static BenchResult fullRun() {
        BenchResult root = run(7, 1500, 60, 1);
        List<SloVerdict.Target> targets = List.of(
                target(
                        "ttft_p95",
                        SloVerdict.Kind.PERCENTILE,
                        "ttft",
                        95.0,
                        500,
                        "ms",
                        root.metric("ttft").p95(),
                        true,
                        24.1),
                target(
                        "e2e_p99",
                        SloVerdict.Kind.PERCENTILE,
                        "e2e",
                        99.0,
                        1500,
                        "ms",
                        root.metric("e2e").p99(),
                        false,
                        22.0),
                target("error_rate", SloVerdict.Kind.ERROR_RATE, null, null, 0.001, "fraction", 0.006, false, null),
                target(
                        "throughput_per_stream",
                        SloVerdict.Kind.MINIMUM,
                        null,
                        null,
                        30,
                        "tok/s",
                        Double.NaN,
                        false,
                        null));
        SloVerdict slo = new SloVerdict(targets, false, 0.9, 21.5, new SloVerdict.Grade("Poor", 1, 4, 0.25));
        List<Server.Sample> samples = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            samples.add(new Server.Sample(
                    i * 0.5, 8 + i % 7, Math.max(0, i % 30 - 20), i == 40 ? Double.NaN : 0.2 + 0.5 * i / 120.0));
        }
        Server server = new Server(List.of(
                new Server.Source("http://10.0.0.7:8000/metrics", "vllm", null, samples),
                new Server.Source("http://10.0.0.8:9000/metrics", "unknown", "connection refused", List.of())));
        Map<String, Number> params = new LinkedHashMap<>();
        params.put("base_rate", 25L);
        params.put("peak_rate", 80L);
        params.put("period_s", 20L);
        params.put("width_s", 3L);
        Stress stress = new Stress(
                "spike",
                params,
                "ttft_p50",
                List.of(
                        new Stress.Burst(20, 23, 80, 80.0, 640.0, 2100.0, 3, 4.0),
                        new Stress.Burst(40, 43, 80, 85.0, 900.0, 3100.0, 9, Double.NaN)));
        return root.withSlo(slo)
                .withServer(server)
                .withEnergy(Energy.unavailable("no readable RAPL domain under /sys/class/powercap, no nvidia-smi"))
                .withStress(stress);
    }

    /** A {@code bench sweep}/{@code slo-search} result of {@code levels} open-loop points with SLOs and an answer. */
    static BenchResult sweep(int levels, Sweep.Kind kind, double slowness) {
        BenchResult root = null;
        List<Sweep.Point> points = new ArrayList<>();
        double maxPassing = Double.NaN;
        double firstFailing = Double.NaN;
        for (int i = 0; i < levels; i++) {
            double rate = 2 + 2 * i;
            // latency grows with load, steeply past the knee
            double load = slowness * (1 + Math.pow(rate / 22.0, 4));
            BenchResult point = run(100 + i, 300, 300 / rate, load);
            root = point;
            boolean passed = point.metric("ttft").p95() <= 500;
            if (passed && Double.isNaN(firstFailing)) maxPassing = rate;
            if (!passed && Double.isNaN(firstFailing)) firstFailing = rate;
            boolean last = i == levels - 1;
            points.add(new Sweep.Point(
                    i == 0 ? "synchronous" : "rate " + rate,
                    i == 0 ? Double.NaN : rate,
                    null,
                    point.summary().requestThroughput(),
                    !last,
                    last ? "schedule lag p99 12 ms > 10 ms" : null,
                    passed,
                    last ? "over-saturated: queue grew 40 s" : null,
                    passed,
                    passed ? List.of() : List.of("ttft_p95"),
                    point.summary(),
                    point.metrics(),
                    null));
        }
        List<TargetSpec> slos = List.of(
                new TargetSpec("ttft_p95", SloVerdict.Kind.PERCENTILE, "ttft", 95.0, null, 500, "ms"),
                new TargetSpec("e2e_p99", SloVerdict.Kind.PERCENTILE, "e2e", 99.0, null, 4000, "ms"));
        Sweep.Answer answer = kind == Sweep.Kind.SWEEP
                ? null
                : new Sweep.Answer(maxPassing, firstFailing, 0.95, Double.NaN, List.of("ttft_p95"), levels);
        return root.withSweep(new Sweep(kind, LoadAxis.RATE, points, slos, answer))
                .withConfig(root.config().toBuilder().secondsPerPoint(30.0).build());
    }
}
