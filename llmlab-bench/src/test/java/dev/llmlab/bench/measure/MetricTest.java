package dev.llmlab.bench.measure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricTest {
    static final long MS = 1_000_000;

    /** Meant for 0, sent at 2 ms, tokens at 102, 122, 142, 162 ms, done at 165 ms; 4 output tokens. */
    static final RequestRecord STREAM = new RequestRecord(
            0,
            0,
            2 * MS,
            50 * MS,
            new long[] {102 * MS, 122 * MS, 142 * MS, 162 * MS},
            165 * MS,
            4,
            4,
            10,
            Fate.OK,
            200);

    static List<Long> values(Metric m, RequestRecord r, Origin o) {
        List<Long> out = new ArrayList<>();
        m.values(r, o, out::add);
        return out;
    }

    @Test
    void everyMetric_onAHandMadeStream() {
        assertThat(values(Metric.TTFT, STREAM, Origin.SENT)).containsExactly(100 * MS);
        assertThat(values(Metric.TTFT, STREAM, Origin.INTENDED)).containsExactly(102 * MS);
        assertThat(values(Metric.TTST, STREAM, Origin.SENT)).containsExactly(120 * MS);
        assertThat(values(Metric.TPOT, STREAM, Origin.SENT)).containsExactly(21 * MS); // (165 - 102) / 3
        assertThat(values(Metric.TPOT, STREAM, Origin.INTENDED)).containsExactly(21 * MS); // origin-free
        assertThat(values(Metric.ITL, STREAM, Origin.SENT)).containsExactly(20 * MS, 20 * MS, 20 * MS);
        assertThat(values(Metric.ITL_PER_REQUEST, STREAM, Origin.SENT)).containsExactly(20 * MS);
        assertThat(values(Metric.NTPOT, STREAM, Origin.SENT)).containsExactly(40_750_000L); // 163 / 4
        assertThat(values(Metric.NTPOT, STREAM, Origin.INTENDED)).containsExactly(41_250_000L); // 165 / 4
        assertThat(values(Metric.E2E, STREAM, Origin.SENT)).containsExactly(163 * MS);
        assertThat(values(Metric.E2E, STREAM, Origin.INTENDED)).containsExactly(165 * MS);
        assertThat(values(Metric.QUEUE_WAIT, STREAM, Origin.SENT)).containsExactly(0L);
    }

    /**
     * Events that carry several tokens each (a server batching its stream): the peers' definitions
     * part ways. vLLM's TPOT divides by tokens, vLLM's ITL pools event gaps, LLMPerf's inter-token
     * latency spreads e2e, TTFT included, over the tokens.
     */
    @Test
    void peersDefinitions_differWhenEventsCarrySeveralTokens() {
        RequestRecord chunky =
                new RequestRecord(0, 0, 0, 90 * MS, new long[] {100 * MS, 150 * MS}, 151 * MS, 6, 6, 10, Fate.OK, 200);
        // vLLM TPOT = (e2e - ttft) / (out - 1) = (151 - 100) / 5
        assertThat(values(Metric.TPOT, chunky, Origin.SENT)).containsExactly(10_200_000L);
        // vLLM ITL: the one gap between the two events
        assertThat(values(Metric.ITL, chunky, Origin.SENT)).containsExactly(50 * MS);
        assertThat(values(Metric.ITL_PER_REQUEST, chunky, Origin.SENT)).containsExactly(50 * MS);
        // LLMPerf inter-token latency = e2e / out
        assertThat(values(Metric.NTPOT, chunky, Origin.SENT)).containsExactly(151 * MS / 6);
    }

    @Test
    void undefinedMetrics_giveNoValue() {
        RequestRecord whole = new RequestRecord(0, 0, 0, 80 * MS, new long[0], 80 * MS, 1, 1, 10, Fate.OK, 200);
        assertThat(values(Metric.TTFT, whole, Origin.SENT)).isEmpty();
        assertThat(values(Metric.TPOT, whole, Origin.SENT)).isEmpty();
        assertThat(values(Metric.ITL_PER_REQUEST, whole, Origin.SENT)).isEmpty();
        assertThat(values(Metric.E2E, whole, Origin.SENT)).containsExactly(80 * MS);
        assertThat(values(Metric.NTPOT, whole, Origin.SENT)).containsExactly(80 * MS);
    }

    @Test
    void outputTokens_preferTheServersUsage() {
        RequestRecord noUsage = new RequestRecord(0, 0, 0, 1, new long[] {1}, 2, -1, 7, 1, Fate.OK, 200);
        assertThat(noUsage.outputTokens()).isEqualTo(7);
        assertThat(STREAM.outputTokens()).isEqualTo(4);
    }
}
