package dev.llmlab.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmlab.bench.measure.Targets;
import dev.llmlab.bench.result.BenchResult;
import dev.llmlab.bench.result.LoadAxis;
import dev.llmlab.bench.result.ResultJson;
import dev.llmlab.bench.result.Sweep.Point;
import dev.llmlab.sim.engine.Capacity;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Sweeps and searches on the simulator's engine in virtual time ({@link VirtualTarget}). */
class ScenarioTest {
    static final int PROMPT = 256;
    static final int OUTPUT = 64;
    static final double CAPACITY =
            Capacity.estimate(VirtualTarget.SPEC, PROMPT, OUTPUT).requestsPerSecond();

    @Test
    void sweep_runsSynchronousThroughputAndRatesBetween() {
        VirtualTarget target = new VirtualTarget(PROMPT, OUTPUT, 30, Targets.parse("ttft_p95<=200ms", null), 1);
        List<Point> seen = new ArrayList<>();
        var sweep = Sweep.run(
                target,
                4,
                64,
                Verdict.DEFAULT,
                Targets.parse("ttft_p95<=200ms", null).describe(),
                seen::add);
        List<Point> points = sweep.points();
        assertThat(points).hasSize(6);
        assertThat(seen).isEqualTo(points);
        assertThat(points.get(0).label()).isEqualTo("synchronous");
        assertThat(points.get(0).concurrency()).isEqualTo(1);
        assertThat(points.get(1).label()).isEqualTo("throughput");
        double sync = points.get(0).rateAchieved();
        double max = points.get(1).rateAchieved();
        // one request at a time: about 1 / (prefill + 64 decode steps); batching lifts the ceiling far above it
        assertThat(max).isGreaterThan(5 * sync);
        assertThat(max).isLessThan(1.1 * CAPACITY);
        double previous = sync;
        for (int i = 2; i < 6; i++) {
            Point p = points.get(i);
            double rate = p.rate();
            assertThat(rate).isGreaterThan(previous).isLessThan(max);
            assertThat(p.rateAchieved()).isBetween(0.8 * rate, 1.2 * rate);
            assertThat(p.metric("ttft").count()).isPositive();
            assertThat(p.slo().targets().get(0).name()).isEqualTo("ttft_p95");
            previous = rate;
        }
        // latency grows with load: the highest rate's TPOT is above the synchronous point's
        assertThat(points.get(5).metric("tpot").p50())
                .isGreaterThan(points.get(0).metric("tpot").p50());
        assertThat(sweep.slos().get(0).bound()).isEqualTo(200.0);
    }

    @Test
    void sweep_ofGivenRates_runsEachInItsOrder_withoutClosedLoopPoints() {
        VirtualTarget target = new VirtualTarget(PROMPT, OUTPUT, 30, Targets.parse(null, null), 1);
        double low = CAPACITY / 8;
        double high = CAPACITY / 2;
        double mid = CAPACITY / 4;
        var sweep =
                Sweep.run(target, Sweep.Plan.of(List.of(low, high, mid), null, null), Verdict.DEFAULT, List.of(), null);
        assertThat(target.probed).containsExactly(Load.rate(low), Load.rate(high), Load.rate(mid));
        assertThat(sweep.kind()).isEqualTo(dev.llmlab.bench.result.Sweep.Kind.SWEEP);
        assertThat(sweep.axis()).isEqualTo(LoadAxis.RATE);
        List<Point> points = sweep.points();
        assertThat(points).extracting(Point::rate).containsExactly(low, high, mid);
        assertThat(points).extracting(Point::concurrency).containsOnlyNulls();
        assertThat(points.get(0).label()).isEqualTo(Load.rate(low).label());
        for (Point p : points) {
            assertThat(p.rateAchieved()).isBetween(0.8 * p.rate(), 1.2 * p.rate());
            assertThat(p.sustained()).as(p.label()).isTrue();
        }
        // four times the load, a larger batch: each token waits longer
        assertThat(points.get(1).metric("tpot").mean())
                .isGreaterThan(points.get(0).metric("tpot").mean());
    }

    @Test
    void sweepPlan_refusesContradictoryFlags_andBadRates() {
        assertThat(Sweep.Plan.of(null, null, null))
                .isEqualTo(new Sweep.Plan(List.of(), Sweep.DEFAULT_POINTS, Sweep.DEFAULT_THROUGHPUT_USERS));
        assertThat(Sweep.Plan.of(List.of(2.0, 1.0), null, null).rates()).containsExactly(2.0, 1.0);
        assertThatThrownBy(() -> Sweep.Plan.of(List.of(1.0, 2.0), 5, null))
                .hasMessageContaining("--points")
                .hasMessageContaining("one or the other");
        assertThatThrownBy(() -> Sweep.Plan.of(List.of(1.0), null, 64))
                .hasMessageContaining("drop --throughput-concurrency");
        assertThatThrownBy(() -> Sweep.Plan.of(List.of(), null, null)).hasMessageContaining("at least one rate");
        assertThatThrownBy(() -> Sweep.Plan.of(List.of(1.0, 0.0), null, null))
                .hasMessageContaining("positive")
                .hasMessageContaining("0.0");
        assertThatThrownBy(() -> Sweep.Plan.of(List.of(Double.NaN), null, null)).hasMessageContaining("positive");
        assertThatThrownBy(() -> Sweep.Plan.of(List.of(Double.POSITIVE_INFINITY), null, null))
                .hasMessageContaining("positive");
        assertThatThrownBy(() -> Sweep.Plan.of(java.util.Collections.nCopies(101, 1.0), null, null))
                .hasMessageContaining("at most 100 rates");
        assertThatThrownBy(() -> Sweep.Plan.of(null, 101, null)).hasMessageContaining("--points");
        assertThatThrownBy(() -> Sweep.Plan.of(null, null, 1)).hasMessageContaining("--throughput-concurrency");
    }

    @Test
    void sloSearch_bracketsTheLargestPassingRate_andIsDeterministic() {
        Targets slo = Targets.parse("tpot_p95<=12ms,error_rate<=1%", null);
        LoadSearch.Options o = new LoadSearch.Options(LoadAxis.RATE, 0, 0, 0.05, 16, Verdict.DEFAULT);
        var a = LoadSearch.sloSearch(new VirtualTarget(PROMPT, OUTPUT, 40, slo, 3), o, slo.describe(), null);
        var b = LoadSearch.sloSearch(new VirtualTarget(PROMPT, OUTPUT, 40, slo, 3), o, slo.describe(), null);
        assertThat(ResultJson.tree(a)).isEqualTo(ResultJson.tree(b));
        var answer = a.answer();
        double pass = answer.maxPassing();
        double fail = answer.firstFailing();
        assertThat(pass).isPositive().isLessThan(fail);
        assertThat(answer.resolution()).isLessThanOrEqualTo(0.05);
        assertThat(fail).isLessThan(CAPACITY); // TPOT reaches 12 ms before the engine saturates
        assertThat(answer.failedOn()).contains("tpot_p95");
        assertThat(answer.confidence()).isBetween(0.0, 1.0);
        // every probe is reported, and the answer's levels are among them with the right verdicts
        boolean sawPass = false;
        boolean sawFail = false;
        for (Point p : a.points()) {
            double level = p.load(LoadAxis.RATE);
            if (level == pass) sawPass = p.sustained();
            if (level == fail) sawFail = !p.sustained();
        }
        assertThat(sawPass).isTrue();
        assertThat(sawFail).isTrue();
        assertThat(answer.probes()).isEqualTo(a.points().size()).isLessThanOrEqualTo(16);
    }

    @Test
    void sloSearch_onConcurrency_endsOnAdjacentUsers() {
        Targets slo = Targets.parse("tpot_p95<=10ms", null);
        LoadSearch.Options o = new LoadSearch.Options(LoadAxis.CONCURRENCY, 0, 0, 0.05, 20, Verdict.DEFAULT);
        var answer = LoadSearch.sloSearch(new VirtualTarget(PROMPT, OUTPUT, 20, slo, 5), o, slo.describe(), null)
                .answer();
        int pass = (int) answer.maxPassing();
        int fail = (int) answer.firstFailing();
        assertThat(fail - pass).isEqualTo(1);
        assertThat(pass).isGreaterThanOrEqualTo(1);
    }

    @Test
    void sloSearch_whenOneUserAlreadyFails_hasNoAnswer() {
        Targets slo = Targets.parse("ttft_p50<=1ms", null); // a prefill alone takes longer
        LoadSearch.Options o = new LoadSearch.Options(LoadAxis.RATE, 0, 0, 0.05, 10, Verdict.DEFAULT);
        var s = LoadSearch.sloSearch(new VirtualTarget(PROMPT, OUTPUT, 10, slo, 1), o, slo.describe(), null);
        assertThat(s.answer().maxPassing()).isNaN();
        assertThat(s.points()).hasSize(1);
        assertThat(s.answer().failedOn()).contains("ttft_p50");
    }

    @Test
    void breakingPoint_raisesLoadUntilTheServerFallsBehind() {
        Targets none = Targets.parse(null, null);
        VirtualTarget target = new VirtualTarget(PROMPT, OUTPUT, 30, none, 2);
        LoadSearch.Options o = new LoadSearch.Options(LoadAxis.RATE, CAPACITY / 8, 0, 0.05, 20, Verdict.DEFAULT);
        var s = LoadSearch.breakingPoint(target, o, 1.5, none.describe(), null);
        var answer = s.answer();
        double pass = answer.maxPassing();
        double fail = answer.firstFailing();
        assertThat(fail / pass).isCloseTo(1.5, org.assertj.core.data.Offset.offset(1e-9));
        // it sustained up to near the engine's capacity, and failed above it by falling behind
        assertThat(pass).isLessThanOrEqualTo(1.05 * CAPACITY);
        assertThat(fail).isGreaterThan(0.7 * CAPACITY);
        assertThat(answer.failedOn().toString()).contains("fell behind");
        assertThat(s.kind()).isEqualTo(dev.llmlab.bench.result.Sweep.Kind.BREAKING_POINT);
    }

    @Test
    void badOptions_areRefused() {
        assertThatThrownBy(() -> new LoadSearch.Options(LoadAxis.RATE, 0, 0, 0, 10, Verdict.DEFAULT))
                .hasMessageContaining("--tolerance");
        assertThatThrownBy(() -> new LoadSearch.Options(LoadAxis.RATE, 5, 2, 0.05, 10, Verdict.DEFAULT))
                .hasMessageContaining("--start");
        assertThatThrownBy(() -> Sweep.run(l -> null, 0, 8, Verdict.DEFAULT, null, null))
                .hasMessageContaining("--points");
    }

    @Test
    void stress_spikeAboveCapacity_peaksThenRecovers_andIsNotStopped() {
        // half the capacity, with 4 s bursts at twice it every 30 s
        var shape = dev.llmlab.bench.load.LoadShape.spike(CAPACITY / 2, 2 * CAPACITY, 30, 4, 30);
        var schedule = shape.schedule(90, dev.llmlab.bench.load.Arrivals.poisson(), 7);
        VirtualTarget target = new VirtualTarget(PROMPT, OUTPUT, 90, Targets.parse(null, null), 7);
        VirtualTarget.Shaped run = target.shaped(schedule, null);
        var bursts = dev.llmlab.bench.measure.BurstRecovery.analyse(run.seconds(), shape.bursts(90));
        assertThat(bursts).hasSize(2);
        for (var b : bursts) {
            // the queue built in a burst makes TTFT climb far above its baseline, and drains within seconds
            assertThat(b.peakTtftMs()).isGreaterThan(3 * b.baselineMs());
            assertThat(b.recoveredAfterS()).isNotNull().isBetween(0.0, 15.0);
            assertThat(b.errors()).isZero();
        }
    }

    @Test
    void overSaturation_stopsARunAboveCapacity_andNotOneBelow() {
        var detector = new dev.llmlab.bench.measure.SaturationDetector();
        var over = dev.llmlab.bench.load.LoadShape.steady(1.5 * CAPACITY)
                .schedule(120, dev.llmlab.bench.load.Arrivals.poisson(), 3);
        VirtualTarget target = new VirtualTarget(PROMPT, OUTPUT, 120, Targets.parse(null, null), 3);
        VirtualTarget.Shaped stopped = target.shaped(over, detector);
        assertThat(stopped.stopped()).startsWith("over-saturated");
        assertThat(stopped.stoppedAt()).isBetween(10, 40); // not the 120 s it was scheduled for
        assertThat(stopped.sent()).isLessThan(over.size() / 2);
        var under = dev.llmlab.bench.load.LoadShape.steady(0.8 * CAPACITY)
                .schedule(120, dev.llmlab.bench.load.Arrivals.poisson(), 3);
        VirtualTarget.Shaped ran = target.shaped(under, new dev.llmlab.bench.measure.SaturationDetector());
        assertThat(ran.stopped()).isNull();
        assertThat(ran.sent()).isEqualTo(under.size());
    }

    @Test
    void overSaturation_stopsAServerThatAdmitsEverythingIntoOneBatch() {
        // max_num_seqs 4096: nothing waits, the batch grows, each step slows, and almost nothing
        // completes for a while (the real run that showed it: 2,500 in flight after 60 s at 5 times capacity)
        var wide = new dev.llmlab.sim.engine.EngineSpec(
                1,
                dev.llmlab.sim.engine.EngineSpec.Routing.ROUND_ROBIN,
                4096,
                8192,
                100_000,
                1_000_000,
                16,
                false,
                true,
                VirtualTarget.SPEC.cost());
        double capacity = Capacity.estimate(wide, PROMPT, OUTPUT).requestsPerSecond();
        var over = dev.llmlab.bench.load.LoadShape.steady(3 * capacity)
                .schedule(120, dev.llmlab.bench.load.Arrivals.poisson(), 5);
        VirtualTarget target = new VirtualTarget(wide, PROMPT, OUTPUT, 120, Targets.parse(null, null), 5);
        VirtualTarget.Shaped run = target.shaped(over, new dev.llmlab.bench.measure.SaturationDetector());
        assertThat(run.stopped()).startsWith("over-saturated");
        assertThat(run.stoppedAt()).isLessThan(40);
        // and the same server at 70% of its capacity runs out its clock
        var under = dev.llmlab.bench.load.LoadShape.steady(0.7 * capacity)
                .schedule(120, dev.llmlab.bench.load.Arrivals.poisson(), 5);
        assertThat(target.shaped(under, new dev.llmlab.bench.measure.SaturationDetector())
                        .stopped())
                .isNull();
    }

    /** A server whose TTFT p95 is flat at 30 ms up to {@code knee} req/s and 250 ms beyond: a saturation knee. */
    static BenchResult knee(Load load, double knee) {
        return knee(load, knee, true);
    }

    static BenchResult knee(Load load, double knee, boolean valid) {
        double rate = load.axis() == LoadAxis.RATE ? load.value() : 1.0;
        double ttft = rate <= knee ? 30 : 250;
        return ResultJson.parse(String.format(
                Locale.ROOT,
                """
                {"summary": {"valid": %b, "invalid_reason": %s, "requests_completed": 1000, "requests_failed": 0,
                             "duration_s": 10, "request_throughput": %s, "sent_rate": %s},
                 "slo": {"passed": %b, "confidence": 1.0,
                         "targets": [{"name": "ttft_p95", "kind": "percentile", "value": %s, "bound": 200.0, "met": %b}]}}
                """,
                valid,
                valid ? "null" : "\"client saturated\"",
                rate,
                rate,
                ttft <= 200,
                ttft,
                ttft <= 200));
    }

    @Test
    void sloSearch_atAKnee_bisectsRatherThanCrawl() {
        LoadSearch.Options o = new LoadSearch.Options(LoadAxis.RATE, 0, 0, 0.05, 30, Verdict.DEFAULT);
        var answer = LoadSearch.sloSearch(l -> knee(l, 10.2), o, null, null).answer();
        assertThat(answer.maxPassing()).isLessThanOrEqualTo(10.2);
        assertThat(answer.firstFailing()).isGreaterThan(10.2);
        assertThat(answer.resolution()).isLessThanOrEqualTo(0.05);
        // one synchronous point, doubling 2, 4, 8, 16, then halving [8, 16] to within 5%: 4 more
        assertThat(answer.probes()).isLessThanOrEqualTo(10);
    }

    @Test
    void anInvalidLevel_runsOnceMore_beforeItFails() {
        LoadSearch.Options o = new LoadSearch.Options(LoadAxis.RATE, 4, 0, 0.05, 30, Verdict.DEFAULT);
        java.util.Set<Double> seen = new java.util.HashSet<>();
        // the first run at 8 req/s has the client miss its schedule; the second does not
        Prober flaky = l -> knee(l, 10.2, !(l.value() == 8 && seen.add(l.value())));
        var s = LoadSearch.sloSearch(flaky, o, null, null);
        assertThat(s.points().get(1).label()).isEqualTo("rate 8.000");
        assertThat(s.points().get(1).sustained()).isFalse();
        assertThat(s.points().get(2).label()).isEqualTo("rate 8.000 (again)");
        assertThat(s.answer().maxPassing()).isGreaterThanOrEqualTo(8.0);
    }

    /** An open-loop level's result: {@code n} requests sent at 10 req/s, e2e p50 {@code e2eS}, window {@code windowS}. */
    static BenchResult level(int n, double e2eS, double windowS) {
        return ResultJson.parse(String.format(Locale.ROOT, """
                {"summary": {"valid": true, "requests_completed": %d, "requests_failed": 0, "duration_s": %s,
                             "request_throughput": %s, "sent_rate": 10.0},
                 "metrics": {"e2e_intended": {"count": %d, "p50": %s}}}
                """, n, windowS, n / windowS, n, e2eS * 1000));
    }

    @Test
    void keepingUp_isJudgedByTheDrainAfterTheLastSend_notByLongRequests() {
        Load ten = Load.rate(10);
        // 30 s of sends; answers of 3.5 s: the last ends 3.5 s after the last send (89% "per second", yet keeping up)
        assertThat(Verdict.DEFAULT.reasons(ten, level(301, 3.5, 33.6))).isEmpty();
        // the same sends, but the last answer came 15 s after the last send: a backlog had grown
        assertThat(Verdict.DEFAULT.reasons(ten, level(301, 3.5, 45)).toString()).contains("fell behind");
    }
}
