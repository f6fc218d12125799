package dev.llmlab.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.bench.measure.Fate;
import dev.llmlab.bench.measure.Recorder;
import dev.llmlab.bench.measure.RequestRecord;
import dev.llmlab.bench.measure.Stats;
import dev.llmlab.bench.measure.TimeSeries;
import dev.llmlab.bench.run.Runner;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

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

    static JsonNode result(List<RequestRecord> records, String shard) {
        Recorder rec = new Recorder(
                false, dev.llmlab.bench.measure.Targets.parse(SLO, null).requestBounds());
        TimeSeries series = new TimeSeries(0, true);
        for (RequestRecord r : records) {
            rec.record(r);
            series.record(r);
        }
        Runner.Outcome o = new Runner.Outcome(5, records.size(), records.size() / 5.0, new Histogram(3), true, null, 4);
        var config = Reports.JSON.createObjectNode().put("shard", shard).put("slo", SLO);
        var result = (tools.jackson.databind.node.ObjectNode) Reports.JSON.readTree(
                Reports.json(config, Reports.JSON.createObjectNode(), rec.summary(5), o, series.seconds()));
        result.set("slo", dev.llmlab.bench.measure.Targets.parse(SLO, null).evaluate(result));
        return result;
    }

    @Test
    void threeShardsMerged_equalTheWholeRun() {
        List<RequestRecord> all = records();
        List<JsonNode> shards = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            List<RequestRecord> mine = new ArrayList<>();
            for (int i = s; i < all.size(); i += 3) mine.add(all.get(i));
            shards.add(result(mine, s + "/3"));
        }
        JsonNode whole = result(all, null);
        JsonNode merged = JsonMapper.builder().build().readTree(Merge.results(shards));

        for (Iterator<String> it = whole.path("metrics").propertyNames().iterator(); it.hasNext(); ) {
            String m = it.next();
            JsonNode a = whole.path("metrics").path(m);
            JsonNode b = merged.path("metrics").path(m);
            for (String f : List.of(
                    "count", "mean", "stddev", "min", "max", "p50", "p90", "p95", "p99", "p999", "spike_rate")) {
                assertThat(b.path(f).asDouble())
                        .as(m + " " + f)
                        .isEqualTo(a.path(f).asDouble());
            }
            assertThat(Stats.decode(b.path("histogram").asString()))
                    .as(m)
                    .isEqualTo(Stats.decode(a.path("histogram").asString()));
        }
        for (String f : List.of(
                "requests_completed",
                "requests_failed",
                "request_throughput",
                "output_token_throughput",
                "total_token_throughput",
                "usage_checked")) {
            assertThat(merged.at("/summary/" + f).asDouble())
                    .as(f)
                    .isEqualTo(whole.at("/summary/" + f).asDouble());
        }
        assertThat(merged.at("/summary/errors/timeout").asLong())
                .isEqualTo(whole.at("/summary/errors/timeout").asLong())
                .isPositive();
        assertThat(merged.at("/summary/connections_opened").asLong()).isEqualTo(12);
        // the targets judged on the merged figures are the whole run's, goodput per target included
        for (int t = 0; t < 3; t++) {
            JsonNode a = whole.at("/slo/targets/" + t);
            JsonNode b = merged.at("/slo/targets/" + t);
            for (String f : List.of("value", "met", "confidence", "samples", "exceeding")) {
                assertThat(b.path(f).toString())
                        .as(t + " " + f)
                        .isEqualTo(a.path(f).toString());
            }
            // a rate summed over the shards' windows: the same up to rounding
            assertThat(b.path("goodput").asDouble())
                    .isCloseTo(a.path("goodput").asDouble(), org.assertj.core.data.Offset.offset(1e-9));
        }
        assertThat(merged.at("/slo/grade").toString())
                .isEqualTo(whole.at("/slo/grade").toString());
        assertThat(merged.at("/slo/targets/0/goodput").asDouble()).isPositive();
        assertThat(merged.at("/energy/available").asBoolean()).isFalse();
        assertThat(merged.at("/config/merged_from").asInt()).isEqualTo(3);
        assertThat(merged.at("/config/merged_shards").toString()).isEqualTo("[\"0/3\",\"1/3\",\"2/3\"]");
        // the per-second series, TTFT percentiles included
        assertThat(merged.path("timeseries").size())
                .isEqualTo(whole.path("timeseries").size());
        for (int s = 0; s < whole.path("timeseries").size(); s++) {
            JsonNode a = whole.path("timeseries").path(s);
            JsonNode b = merged.path("timeseries").path(s);
            for (String f : List.of("requests", "output_tokens", "errors", "ttft_p50", "ttft_p99")) {
                assertThat(b.path(f).asDouble())
                        .as("second " + s + " " + f)
                        .isEqualTo(a.path(f).asDouble());
            }
        }
    }
}
