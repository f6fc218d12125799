package dev.llmlab.bench.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import dev.llmlab.bench.report.Reports;
import dev.llmlab.bench.result.BenchResult;
import dev.llmlab.bench.result.SloVerdict;
import dev.llmlab.bench.result.TargetSpec;
import dev.llmlab.bench.run.Delivery;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class TargetsTest {
    static final long MS = 1_000_000;

    /** A closed-loop result of {@code n} requests with TTFT 1..n ms and e2e 2x that, and {@code failed} failures. */
    static BenchResult result(Targets t, int n, int failed) {
        Recorder r = new Recorder(false, t.requestBounds());
        for (int i = 1; i <= n; i++) {
            long[] tok = {i * MS, i * MS + 5 * MS, i * MS + 10 * MS};
            r.record(new RequestRecord(0, 0, 0, i * MS, tok, 2 * i * MS, 3, -1, 10, Fate.OK, 200));
        }
        for (int i = 0; i < failed; i++) {
            r.record(new RequestRecord(0, 0, 0, -1, new long[0], MS, -1, -1, 10, Fate.HTTP_STATUS, 503));
        }
        var o = new Delivery(10, n + failed, (n + failed) / 10.0, new Histogram(3), true, null, 1);
        return Reports.result(null, null, r.summary(10), o, List.of());
    }

    static SloVerdict evaluate(Targets t, BenchResult r) {
        return t.evaluate(r.summary(), r.metrics());
    }

    @Test
    void percentileAndErrorTargets_areJudgedOnTheRun() {
        Targets t = Targets.parse("ttft_p95<=960ms, e2e_p50<=900ms, error_rate<=1%", null);
        SloVerdict slo = evaluate(t, result(t, 1000, 5));
        SloVerdict.Target ttft = slo.targets().get(0);
        assertThat(ttft.name()).isEqualTo("ttft_p95");
        assertThat(ttft.value()).isCloseTo(950, offset(1.0));
        assertThat(ttft.met()).isTrue();
        assertThat(ttft.samples()).isEqualTo(1000);
        assertThat(ttft.exceeding()).isBetween(39L, 41L); // 961..1000 ms
        assertThat(ttft.goodput()).isCloseTo(96, offset(0.1)); // 960 requests in 10 s
        SloVerdict.Target e2e = slo.targets().get(1);
        assertThat(e2e.value()).isCloseTo(1000, offset(1.0));
        assertThat(e2e.met()).isFalse();
        // 550 of 1000 above a bound that allows 500: surely failed
        assertThat(e2e.confidence()).isGreaterThan(0.99);
        SloVerdict.Target errors = slo.targets().get(2);
        assertThat(errors.value()).isCloseTo(5 / 1005.0, offset(1e-9));
        assertThat(errors.met()).isTrue();
        assertThat(errors.goodput()).isNull(); // not a latency target
        assertThat(slo.passed()).isFalse();
        assertThat(slo.grade().met()).isEqualTo(2);
        assertThat(slo.grade().name()).isEqualTo("Acceptable"); // 2 of 3
        assertThat(slo.goodput()).isCloseTo(45, offset(0.1)); // e2e <= 900 ms and TTFT <= 960: 450
    }

    @Test
    void confidence_growsWithSamples_andIsLowNearTheBound() {
        Targets t = Targets.parse("ttft_p90<=20ms", null);
        // 20 requests of 1..20 ms: 2 above 18 ms; p90 of 18 ms just meets a bound of 20 ms, on little evidence
        Targets tight = Targets.parse("ttft_p90<=18ms", null);
        SloVerdict near = evaluate(tight, result(tight, 20, 0));
        assertThat(near.passed()).isTrue();
        double few = near.confidence();
        double many = evaluate(t, result(t, 2000, 0)).confidence(); // p90 of 1800 ms: fails
        assertThat(few).isBetween(0.3, 0.8);
        assertThat(many).isGreaterThan(0.999);
        assertThat(evaluate(t, result(t, 2000, 0)).passed()).isFalse();
    }

    @Test
    void bareBound_isTheNinetiethPercentile_andGoodputBound() {
        Targets t = Targets.parse("ttft<=500ms", null);
        assertThat(t.requestBounds()).containsExactly(new Slo(Metric.TTFT, 500 * MS));
        assertThat(t.describe().get(0).name()).isEqualTo("ttft_p90");
    }

    @Test
    void describe_givesEachKindItsOwnFields() {
        List<TargetSpec> specs = Targets.parse(
                        "ttft_p95<=1s,e2e_mean<=2s,stream_tokens_per_s>=30,itl_spike_rate=5%..15%", null)
                .describe();
        assertThat(specs.get(0).percentile()).isEqualTo(95.0);
        assertThat(specs.get(0).bound()).isEqualTo(1000.0);
        assertThat(specs.get(1).kind()).isEqualTo(SloVerdict.Kind.MEAN);
        assertThat(specs.get(1).percentile()).isNull();
        assertThat(specs.get(2).bound()).isEqualTo(30.0); // a minimum's bound is its floor
        assertThat(specs.get(3).low()).isEqualTo(0.05);
        assertThat(specs.get(3).bound()).isEqualTo(0.15);
    }

    @Test
    void seedPreset_isGradedOnItsThreeTargets() {
        Targets t = Targets.parse(null, "seed");
        SloVerdict slo = evaluate(t, result(t, 100, 0));
        assertThat(slo.targets()).hasSize(3);
        // TPOT p50 = (e2e - ttft) / 2 = i/2 ms, median 25 ms: 40 tok/s per stream, over 30
        assertThat(slo.targets().get(0).value()).isCloseTo(40, offset(1.0));
        assertThat(slo.targets().get(0).met()).isTrue();
        assertThat(slo.targets().get(1).met()).isFalse(); // TTFT p50 of 50 ms is over 5 ms
    }

    @Test
    void absentSamples_areNotMet_andSayNaN() {
        Targets t = Targets.parse("ttst_p99<=1s", null);
        BenchResult r = result(Targets.parse(null, null), 0, 3);
        SloVerdict slo = evaluate(t, r);
        assertThat(slo.targets().get(0).value()).isNaN();
        assertThat(slo.targets().get(0).met()).isFalse();
    }

    @Test
    void aZeroErrorBound_hasNoConfidence_ratherThanZero() {
        Targets t = Targets.parse("error_rate<=0", null);
        SloVerdict.Target target = evaluate(t, result(t, 100, 0)).targets().get(0);
        assertThat(target.met()).isTrue();
        assertThat(target.confidence()).isNaN();
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
        assertThatThrownBy(() -> Targets.parse("error_rate<=150%", null)).hasMessageContaining("more than 100%");
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
