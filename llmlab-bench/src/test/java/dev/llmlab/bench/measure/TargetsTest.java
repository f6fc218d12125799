package dev.llmlab.bench.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import dev.llmlab.bench.report.Reports;
import dev.llmlab.bench.run.Runner;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class TargetsTest {
    static final long MS = 1_000_000;
    static final JsonMapper JSON = JsonMapper.builder().build();

    /** A closed-loop result of {@code n} requests with TTFT 1..n ms and e2e 2x that, and {@code failed} failures. */
    static JsonNode result(Targets t, int n, int failed) {
        Recorder r = new Recorder(false, t.requestBounds());
        for (int i = 1; i <= n; i++) {
            long[] tok = {i * MS, i * MS + 5 * MS, i * MS + 10 * MS};
            r.record(new RequestRecord(0, 0, 0, i * MS, tok, 2 * i * MS, 3, -1, 10, Fate.OK, 200));
        }
        for (int i = 0; i < failed; i++) {
            r.record(new RequestRecord(0, 0, 0, -1, new long[0], MS, -1, -1, 10, Fate.HTTP_STATUS, 503));
        }
        var o = new Runner.Outcome(10, n + failed, (n + failed) / 10.0, new Histogram(3), true, null, 1);
        return JSON.readTree(
                Reports.json(JSON.createObjectNode(), JSON.createObjectNode(), r.summary(10), o, List.of()));
    }

    @Test
    void percentileAndErrorTargets_areJudgedOnTheRun() {
        Targets t = Targets.parse("ttft_p95<=960ms, e2e_p50<=900ms, error_rate<=1%", null);
        JsonNode slo = t.evaluate(result(t, 1000, 5));
        JsonNode ttft = slo.path("targets").path(0);
        assertThat(ttft.path("name").asString()).isEqualTo("ttft_p95");
        assertThat(ttft.path("value").asDouble()).isCloseTo(950, offset(1.0));
        assertThat(ttft.path("met").asBoolean()).isTrue();
        assertThat(ttft.path("samples").asLong()).isEqualTo(1000);
        assertThat(ttft.path("exceeding").asLong()).isBetween(39L, 41L); // 961..1000 ms
        assertThat(ttft.path("goodput").asDouble()).isCloseTo(96, offset(0.1)); // 960 requests in 10 s
        JsonNode e2e = slo.path("targets").path(1);
        assertThat(e2e.path("value").asDouble()).isCloseTo(1000, offset(1.0));
        assertThat(e2e.path("met").asBoolean()).isFalse();
        // 550 of 1000 above a bound that allows 500: surely failed
        assertThat(e2e.path("confidence").asDouble()).isGreaterThan(0.99);
        JsonNode errors = slo.path("targets").path(2);
        assertThat(errors.path("value").asDouble()).isCloseTo(5 / 1005.0, offset(1e-9));
        assertThat(errors.path("met").asBoolean()).isTrue();
        assertThat(slo.path("passed").asBoolean()).isFalse();
        assertThat(slo.path("grade").path("met").asInt()).isEqualTo(2);
        assertThat(slo.path("grade").path("name").asString()).isEqualTo("Acceptable"); // 2 of 3
        assertThat(slo.path("goodput").asDouble()).isCloseTo(45, offset(0.1)); // e2e <= 900 ms and TTFT <= 960: 450
    }

    @Test
    void confidence_growsWithSamples_andIsLowNearTheBound() {
        Targets t = Targets.parse("ttft_p90<=20ms", null);
        // 20 requests of 1..20 ms: 2 above 18 ms; p90 of 18 ms just meets a bound of 20 ms, on little evidence
        Targets tight = Targets.parse("ttft_p90<=18ms", null);
        JsonNode near = tight.evaluate(result(tight, 20, 0));
        assertThat(near.path("passed").asBoolean()).isTrue();
        double few = near.path("confidence").asDouble();
        double many = t.evaluate(result(t, 2000, 0)).path("confidence").asDouble(); // p90 of 1800 ms: fails
        assertThat(few).isBetween(0.3, 0.8);
        assertThat(many).isGreaterThan(0.999);
        assertThat(t.evaluate(result(t, 2000, 0)).path("passed").asBoolean()).isFalse();
    }

    @Test
    void bareBound_isTheNinetiethPercentile_andGoodputBound() {
        Targets t = Targets.parse("ttft<=500ms", null);
        assertThat(t.requestBounds()).containsExactly(new Slo(Metric.TTFT, 500 * MS));
        assertThat(t.describe().path(0).path("name").asString()).isEqualTo("ttft_p90");
    }

    @Test
    void seedPreset_isGradedOnItsThreeTargets() {
        Targets t = Targets.parse(null, "seed");
        JsonNode slo = t.evaluate(result(t, 100, 0));
        assertThat(slo.path("targets")).hasSize(3);
        // TPOT p50 = (e2e - ttft) / 2 = i/2 ms, median 25 ms: 40 tok/s per stream, over 30
        assertThat(slo.path("targets").path(0).path("value").asDouble()).isCloseTo(40, offset(1.0));
        assertThat(slo.path("targets").path(0).path("met").asBoolean()).isTrue();
        assertThat(slo.path("targets").path(1).path("met").asBoolean()).isFalse(); // TTFT p50 of 50 ms is over 5 ms
    }

    @Test
    void absentSamples_areNotMet_andSayNull() {
        Targets t = Targets.parse("ttst_p99<=1s", null);
        JsonNode r = result(Targets.parse(null, null), 0, 3);
        JsonNode slo = t.evaluate(r);
        assertThat(slo.path("targets").path(0).path("value").isNull()).isTrue();
        assertThat(slo.path("targets").path(0).path("met").asBoolean()).isFalse();
    }

    @Test
    void aZeroErrorBound_hasNoConfidence_ratherThanZero() {
        Targets t = Targets.parse("error_rate<=0", null);
        JsonNode target = t.evaluate(result(t, 100, 0)).path("targets").path(0);
        assertThat(target.path("met").asBoolean()).isTrue();
        assertThat(target.path("confidence").isNull()).isTrue();
    }

    @Test
    void grades() {
        assertThat(Targets.grade(0.9)).isEqualTo("Excellent");
        assertThat(Targets.grade(0.85)).isEqualTo("Good");
        assertThat(Targets.grade(0.6)).isEqualTo("Acceptable");
        assertThat(Targets.grade(0.59)).isEqualTo("Poor");
    }

    @Test
    void badSpecs_sayWhatIsWrong() {
        assertThatThrownBy(() -> Targets.parse("ttfb_p95<=1s", null)).hasMessageContaining("unknown metric 'ttfb'");
        assertThatThrownBy(() -> Targets.parse("ttft_p95<=fast", null)).hasMessageContaining("ttft_p95<=fast");
        assertThatThrownBy(() -> Targets.parse("itl_p50<=20ms", null)).hasMessageContaining("itl_per_request");
        assertThatThrownBy(() -> Targets.parse("500ms", null)).hasMessageContaining("NAME<=VALUE");
        assertThatThrownBy(() -> Targets.parse("error_rate<=150%", null)).hasMessageContaining("between 0 and 100%");
        assertThatThrownBy(() -> Targets.parse("ttft_p100<=1s", null)).hasMessageContaining("between 0 and 100");
        assertThatThrownBy(() -> Targets.parse("request_throughput<=5", null)).hasMessageContaining(">=");
        assertThatThrownBy(() -> Targets.parse(null, "gold")).hasMessageContaining("unknown preset 'gold'");
    }

    @Test
    void incompleteBeta_knownValues() {
        assertThat(Beta.regularized(1, 1, 0.3)).isCloseTo(0.3, offset(1e-12));
        assertThat(Beta.regularized(3, 1, 0.5)).isCloseTo(0.125, offset(1e-12));
        assertThat(Beta.regularized(2, 3, 0.3)).isCloseTo(0.3483, offset(1e-10));
        assertThat(Beta.regularized(50, 60, 0.9)).isCloseTo(1, offset(1e-12));
        assertThat(Beta.lnGamma(10)).isCloseTo(Math.log(362880), offset(1e-10));
    }
}
