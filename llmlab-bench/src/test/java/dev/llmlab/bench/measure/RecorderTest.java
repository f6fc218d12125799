package dev.llmlab.bench.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.llmlab.bench.result.Stats;
import java.util.List;
import java.util.Random;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class RecorderTest {
    static final long MS = 1_000_000;

    static RequestRecord ok(long intended, long sent, long firstToken, long end, int out) {
        return new RequestRecord(
                intended, 0, sent, firstToken, new long[] {firstToken}, end, out, out, 100, Fate.OK, 200);
    }

    @Test
    void summary_countsThroughputErrorsAndBothOrigins() {
        Recorder r = new Recorder(true, List.of());
        r.record(MetricTest.STREAM);
        r.record(MetricTest.STREAM);
        r.record(new RequestRecord(0, 0, 0, -1, new long[0], 5 * MS, -1, 0, 10, Fate.HTTP_STATUS, 429));
        r.record(new RequestRecord(0, 0, 0, -1, new long[0], 5 * MS, -1, 0, 10, Fate.TIMEOUT, 0));
        Recorder.Summary s = r.summary(2.0);
        assertThat(s.requestsCompleted()).isEqualTo(2);
        assertThat(s.requestsFailed()).isEqualTo(2);
        assertThat(s.errors()).containsEntry("http_429", 1L).containsEntry("timeout", 1L);
        assertThat(s.requestThroughput()).isEqualTo(1.0);
        assertThat(s.outputTokenThroughput()).isEqualTo(4.0);
        assertThat(s.totalTokenThroughput()).isEqualTo(14.0);
        assertThat(s.goodput()).isNaN();
        assertThat(s.metrics().get("ttft").p50()).isCloseTo(100, offset(0.1));
        assertThat(s.metrics().get("ttft_intended").p50()).isCloseTo(102, offset(0.1));
        assertThat(s.metrics().get("itl").count()).isEqualTo(6);
        assertThat(s.metrics()).doesNotContainKey("tpot_intended"); // the same from either origin
    }

    @Test
    void closedLoop_reportsOneOrigin() {
        Recorder r = new Recorder(false, List.of());
        r.record(MetricTest.STREAM);
        assertThat(r.summary(1).metrics()).doesNotContainKey("ttft_intended").containsKey("ttft");
    }

    /**
     * A server that stalls for a second: the client, blocked meanwhile, sends the requests meant
     * for the stall when it ends, and each takes 5 ms from there. From the actual send nothing
     * looks wrong; from the intended send the stall is there.
     */
    @Test
    void coordinatedOmission_isCorrectedByTheIntendedOrigin() {
        Recorder r = new Recorder(true, List.of());
        for (int i = 0; i < 200; i++) {
            long intended = i * 10 * MS;
            long sent = intended >= 100 * MS && intended < 1100 * MS ? 1100 * MS : intended;
            r.record(ok(intended, sent, sent + 4 * MS, sent + 5 * MS, 1));
        }
        Recorder.Summary s = r.summary(2);
        assertThat(s.metrics().get("e2e").max()).isCloseTo(5, offset(0.01));
        // a quarter of the requests were meant for the stall: from their intended send they waited up to a second
        assertThat(s.metrics().get("e2e_intended").p50()).isCloseTo(5, offset(0.01));
        assertThat(s.metrics().get("e2e_intended").p90()).isGreaterThan(400);
        assertThat(s.metrics().get("e2e_intended").max()).isCloseTo(1005, offset(1.0));
    }

    @Test
    void goodput_countsRequestsMeetingEverySlo() {
        Recorder r = new Recorder(
                false, Targets.parse("ttft<=150ms,e2e<=200ms", null).requestBounds());
        r.record(ok(0, 0, 100 * MS, 150 * MS, 3)); // meets both
        r.record(ok(0, 0, 160 * MS, 170 * MS, 3)); // TTFT too slow
        r.record(ok(0, 0, 100 * MS, 250 * MS, 3)); // e2e too slow
        r.record(new RequestRecord(0, 0, 0, -1, new long[0], 1, -1, 0, 1, Fate.CONNECTION, 0)); // failed
        assertThat(r.summary(0.5).goodput()).isEqualTo(2.0); // one good request in half a second
        assertThat(r.summary(0.5).goodputEach()).containsExactly(4.0, 4.0); // two met each bound
    }

    @Test
    void spikeRate_isTheShareAboveMeanPlusThreeSigma_andNeverOverTenPercent() {
        Histogram h = Recorder.newHistogram();
        for (int i = 0; i < 999; i++) h.recordValue(10 * MS);
        h.recordValue(1000 * MS);
        assertThat(Stats.of(h).spikeRate()).isEqualTo(0.001);
        Random rnd = new Random(5);
        for (int trial = 0; trial < 200; trial++) {
            Histogram g = Recorder.newHistogram();
            int n = 10 + rnd.nextInt(500);
            double spread = Math.exp(rnd.nextGaussian() * 2);
            for (int i = 0; i < n; i++) {
                double v = MS * (1 + spread * Math.pow(rnd.nextDouble(), -rnd.nextDouble() * 3));
                g.recordValue((long) Math.min(v, 3.6e12));
            }
            assertThat(Stats.of(g).spikeRate()).isBetween(0.0, 0.1);
        }
    }

    @Test
    void stats_carryTheirHistogram_forExactMerging() {
        Recorder r = new Recorder(false, List.of());
        r.record(MetricTest.STREAM);
        Stats ttft = r.summary(1).metrics().get("ttft");
        Histogram back = Stats.decode(ttft.histogram());
        assertThat(back.getTotalCount()).isEqualTo(1);
        assertThat(back.getValueAtPercentile(50) / 1e6).isCloseTo(100, offset(0.1));
    }
}
