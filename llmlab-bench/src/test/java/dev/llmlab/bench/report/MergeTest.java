package dev.llmlab.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.bench.measure.Fate;
import dev.llmlab.bench.measure.Recorder;
import dev.llmlab.bench.measure.RequestRecord;
import dev.llmlab.bench.measure.Targets;
import dev.llmlab.bench.measure.TimeSeries;
import dev.llmlab.bench.result.BenchResult;
import dev.llmlab.bench.result.Energy;
import dev.llmlab.bench.result.ResultJson;
import dev.llmlab.bench.result.RunConfig;
import dev.llmlab.bench.result.Second;
import dev.llmlab.bench.result.SloVerdict;
import dev.llmlab.bench.result.Stats;
import dev.llmlab.bench.run.Delivery;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** Shards merged equal the unsharded run on the same records: exactly, histogram for histogram. */
class MergeTest {
    static final long MS = 1_000_000;

    /** Seeded records of a streamed run over 5 s: request i belongs to shard i % n. */
    static List<RequestRecord> records() {
        SplittableRandom rng = new SplittableRandom(42);
        List<RequestRecord> out = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            long sent = i * 8 * MS;
            long first = sent + (20 + rng.nextInt(200)) * MS;
            int n = 2 + rng.nextInt(20);
            long[] tokens = new long[n];
            tokens[0] = first;
            for (int k = 1; k < n; k++) tokens[k] = tokens[k - 1] + (5 + rng.nextInt(30)) * MS;
            Fate o = rng.nextInt(50) == 0 ? Fate.TIMEOUT : Fate.OK;
            out.add(new RequestRecord(sent, 0, sent, sent + MS, tokens, tokens[n - 1] + MS, n, n, 100, o, 200));
        }
        return out;
    }

    static final String SLO = "ttft_p90<=60ms,e2e_p50<=90ms,error_rate<=5%";

    static BenchResult result(List<RequestRecord> records, String shard) {
        Targets targets = Targets.parse(SLO, null);
        Recorder rec = new Recorder(false, targets.requestBounds());
        TimeSeries series = new TimeSeries(0, true);
        for (RequestRecord r : records) {
            rec.record(r);
            series.record(r);
        }
        Delivery o = new Delivery(5, records.size(), records.size() / 5.0, new Histogram(3), true, null, 4);
        RunConfig config = RunConfig.builder().shard(shard).slo(SLO).build();
        BenchResult result = Reports.result(config, null, rec.summary(5), o, series.seconds());
        return result.withSlo(targets.evaluate(result.summary(), result.metrics()))
                .withEnergy(Energy.unavailable("no /sys/class/powercap"));
    }

    @Test
    void threeShardsMerged_equalTheWholeRun() {
        List<RequestRecord> all = records();
        List<BenchResult> shards = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            List<RequestRecord> mine = new ArrayList<>();
            for (int i = s; i < all.size(); i += 3) mine.add(all.get(i));
            shards.add(result(mine, s + "/3"));
        }
        BenchResult whole = result(all, null);
        // through the JSON and back, as `llmlab bench merge` reads and writes it
        BenchResult merged = ResultJson.parse(ResultJson.write(Merge.results(shards)));

        assertThat(merged.metrics().keySet())
                .containsExactlyElementsOf(whole.metrics().keySet());
        for (String m : whole.metrics().keySet()) {
            Stats a = whole.metric(m);
            Stats b = merged.metric(m);
            assertThat(b).as(m).isEqualTo(a); // every figure, the encoded histogram included
            assertThat(Stats.decode(b.histogram())).as(m).isEqualTo(Stats.decode(a.histogram()));
        }
        var ws = whole.summary();
        var ms = merged.summary();
        assertThat(ms.requestsCompleted()).isEqualTo(ws.requestsCompleted());
        assertThat(ms.requestsFailed()).isEqualTo(ws.requestsFailed());
        assertThat(ms.requestThroughput()).isEqualTo(ws.requestThroughput());
        assertThat(ms.outputTokenThroughput()).isEqualTo(ws.outputTokenThroughput());
        assertThat(ms.totalTokenThroughput()).isEqualTo(ws.totalTokenThroughput());
        assertThat(ms.usageChecked()).isEqualTo(ws.usageChecked());
        assertThat(ms.errors().get("timeout"))
                .isEqualTo(ws.errors().get("timeout"))
                .isPositive();
        assertThat(ms.connectionsOpened()).isEqualTo(12);
        // the targets judged on the merged figures are the whole run's, goodput per target included
        for (int t = 0; t < 3; t++) {
            SloVerdict.Target a = whole.slo().targets().get(t);
            SloVerdict.Target b = merged.slo().targets().get(t);
            assertThat(b.value()).as(t + " value").isEqualTo(a.value());
            assertThat(b.met()).as(t + " met").isEqualTo(a.met());
            assertThat(b.confidence()).as(t + " confidence").isEqualTo(a.confidence());
            assertThat(b.samples()).as(t + " samples").isEqualTo(a.samples());
            assertThat(b.exceeding()).as(t + " exceeding").isEqualTo(a.exceeding());
            // a rate summed over the shards' windows: the same up to rounding
            if (a.goodput() != null)
                assertThat(b.goodput()).isCloseTo(a.goodput(), org.assertj.core.data.Offset.offset(1e-9));
        }
        assertThat(merged.slo().grade()).isEqualTo(whole.slo().grade());
        assertThat(merged.slo().targets().get(0).goodput()).isPositive();
        assertThat(merged.energy().available()).isFalse();
        assertThat(merged.config().mergedFrom()).isEqualTo(3);
        assertThat(merged.config().mergedShards()).containsExactly("0/3", "1/3", "2/3");
        assertThat(merged.config().shard()).isNull();
        // the per-second series, TTFT percentiles included
        assertThat(merged.timeseries()).hasSameSizeAs(whole.timeseries());
        for (int s = 0; s < whole.timeseries().size(); s++) {
            Second a = whole.timeseries().get(s);
            Second b = merged.timeseries().get(s);
            assertThat(b.requests()).as("second " + s).isEqualTo(a.requests());
            assertThat(b.outputTokens()).as("second " + s).isEqualTo(a.outputTokens());
            assertThat(b.errors()).as("second " + s).isEqualTo(a.errors());
            assertThat(b.ttftP50()).as("second " + s).isEqualTo(a.ttftP50());
            assertThat(b.ttftP99()).as("second " + s).isEqualTo(a.ttftP99());
            assertThat(b.targetRate()).as("second " + s).isEqualTo(a.targetRate());
            assertThat(b.tokenEvents()).as("second " + s).isEqualTo(a.tokenEvents());
        }
        assertThat(merged.timeseries().stream().mapToLong(Second::tokenEvents).sum())
                .isEqualTo(all.stream().mapToLong(r -> r.tokenNanos().length).sum());
        // a shard written before the series counted token events leaves the merged count unknown
        BenchResult old = shards.get(0)
                .withTimeseries(shards.get(0).timeseries().stream()
                        .map(x -> new Second(
                                x.second(),
                                x.requests(),
                                x.outputTokens(),
                                x.errors(),
                                x.ttftP50(),
                                x.ttftP99(),
                                x.ttftHistogram(),
                                x.e2eP50(),
                                x.e2eP99(),
                                x.e2eHistogram(),
                                x.targetRate(),
                                null))
                        .toList());
        assertThat(Merge.results(List.of(old, shards.get(1)))
                        .timeseries()
                        .get(1)
                        .tokenEvents())
                .isNull();
    }

    @Test
    void shardsWithoutHistograms_leaveAMetricMissing_neverZeros() {
        List<RequestRecord> all = records();
        List<RequestRecord> even = new ArrayList<>();
        List<RequestRecord> odd = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) (i % 2 == 0 ? even : odd).add(all.get(i));
        BenchResult a = withoutHistograms(result(even, "0/2"));
        BenchResult b = withoutHistograms(result(odd, "1/2"));
        assertThat(a.metric("ttft").count()).isPositive();
        assertThat(a.metric("ttft").histogram()).isNull();

        BenchResult merged = Merge.results(List.of(a, b));
        // no exact union of two shards' percentiles: missing, not count 0 and zeros
        assertThat(merged.metrics()).doesNotContainKey("ttft").doesNotContainKey("e2e");
        // and a target on it is not judged met on zero samples of a made-up metric
        SloVerdict.Target ttft = merged.slo().targets().getFirst();
        assertThat(ttft.met()).isFalse();
        assertThat(ttft.value()).isNaN();
        // the counts still add up
        assertThat(merged.summary().requestsCompleted())
                .isEqualTo(a.summary().requestsCompleted() + b.summary().requestsCompleted());

        // a metric only one shard sampled is that shard's, as it is
        BenchResult alone = Merge.results(List.of(a, result(List.of(), "1/2")));
        assertThat(alone.metric("ttft")).isEqualTo(a.metric("ttft"));
    }

    /** {@code r} as a result that left its metrics' histograms out. */
    static BenchResult withoutHistograms(BenchResult r) {
        return ResultJson.parse(ResultJson.write(r).replaceAll(",\\s*\"histogram\"\\s*:\\s*\"[^\"]*\"", ""));
    }

    @Test
    void energy_isTheShardsSum_onlyWhenEveryShardMeasuredIt() {
        List<RequestRecord> all = records();
        BenchResult a = result(all.subList(0, 300), "0/2")
                .withEnergy(Energy.measured(List.of("rapl:package-0"), 100, 20, 0.1, 5));
        BenchResult b = result(all.subList(300, 600), "1/2")
                .withEnergy(Energy.measured(List.of("rapl:package-0", "nvidia-smi:0"), 50, 10, 0.05, 4));
        Energy both = Merge.results(List.of(a, b)).energy();
        assertThat(both.available()).isTrue();
        assertThat(both.joules()).isEqualTo(150.0);
        assertThat(both.seconds()).isEqualTo(5.0);
        assertThat(both.averageWatts()).isEqualTo(30.0);
        assertThat(both.sources()).containsExactly("rapl:package-0", "nvidia-smi:0");
        BenchResult none = result(all.subList(300, 600), "1/2");
        Energy partial = Merge.results(List.of(a, none)).energy();
        assertThat(partial.available()).isFalse();
        assertThat(partial.reason()).isEqualTo("not every shard measured energy: no /sys/class/powercap");
    }
}
