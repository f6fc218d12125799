package dev.llmlab.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmlab.bench.measure.Targets;
import dev.llmlab.sim.engine.Capacity;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Sweeps and searches on the simulator's engine in virtual time ({@link VirtualTarget}). */
class ScenarioTest {
    static final int PROMPT = 256;
    static final int OUTPUT = 64;
    static final double CAPACITY =
            Capacity.estimate(VirtualTarget.SPEC, PROMPT, OUTPUT).requestsPerSecond();

    @Test
    void sweep_runsSynchronousThroughputAndRatesBetween() {
        VirtualTarget target = new VirtualTarget(PROMPT, OUTPUT, 30, Targets.parse("ttft_p95<=200ms", null), 1);
        List<ObjectNode> seen = new ArrayList<>();
        ObjectNode sweep = Sweep.run(
                target,
                4,
                64,
                Verdict.DEFAULT,
                Targets.parse("ttft_p95<=200ms", null).describe(),
                seen::add);
        JsonNode points = sweep.path("points");
        assertThat(points).hasSize(6);
        assertThat(seen).hasSize(6);
        assertThat(points.path(0).path("label").asString()).isEqualTo("synchronous");
        assertThat(points.path(0).path("concurrency").asInt()).isEqualTo(1);
        assertThat(points.path(1).path("label").asString()).isEqualTo("throughput");
        double sync = points.path(0).path("rate_achieved").asDouble();
        double max = points.path(1).path("rate_achieved").asDouble();
        // one request at a time: about 1 / (prefill + 64 decode steps); batching lifts the ceiling far above it
        assertThat(max).isGreaterThan(5 * sync);
        assertThat(max).isLessThan(1.1 * CAPACITY);
        double previous = sync;
        for (int i = 2; i < 6; i++) {
            JsonNode p = points.path(i);
            double rate = p.path("rate").asDouble();
            assertThat(rate).isGreaterThan(previous).isLessThan(max);
            assertThat(p.path("rate_achieved").asDouble()).isBetween(0.8 * rate, 1.2 * rate);
            assertThat(p.path("metrics").path("ttft").path("count").asLong()).isPositive();
            assertThat(p.path("slo").path("targets").path(0).path("name").asString())
                    .isEqualTo("ttft_p95");
            previous = rate;
        }
        // latency grows with load: the highest rate's TPOT is above the synchronous point's
        assertThat(points.path(5).path("metrics").path("tpot").path("p50").asDouble())
                .isGreaterThan(
                        points.path(0).path("metrics").path("tpot").path("p50").asDouble());
        assertThat(sweep.path("slos").path(0).path("bound").asDouble()).isEqualTo(200.0);
    }

    @Test
    void sloSearch_bracketsTheLargestPassingRate_andIsDeterministic() {
        Targets slo = Targets.parse("tpot_p95<=12ms,error_rate<=1%", null);
        LoadSearch.Options o = new LoadSearch.Options(Load.Axis.RATE, 0, 0, 0.05, 16, Verdict.DEFAULT);
        ObjectNode a = LoadSearch.sloSearch(new VirtualTarget(PROMPT, OUTPUT, 40, slo, 3), o, slo.describe(), null);
        ObjectNode b = LoadSearch.sloSearch(new VirtualTarget(PROMPT, OUTPUT, 40, slo, 3), o, slo.describe(), null);
        assertThat(a).isEqualTo(b);
        JsonNode answer = a.path("answer");
        double pass = answer.path("max_passing").asDouble();
        double fail = answer.path("first_failing").asDouble();
        assertThat(pass).isPositive().isLessThan(fail);
        assertThat(answer.path("resolution").asDouble()).isLessThanOrEqualTo(0.05);
        assertThat(fail).isLessThan(CAPACITY); // TPOT reaches 12 ms before the engine saturates
        assertThat(answer.path("failed_on").toString()).contains("tpot_p95");
        assertThat(answer.path("confidence").asDouble()).isBetween(0.0, 1.0);
        // every probe is reported, and the answer's levels are among them with the right verdicts
        boolean sawPass = false;
        boolean sawFail = false;
        for (JsonNode p : a.path("points")) {
            double level = p.path("rate").isNumber()
                    ? p.path("rate").asDouble()
                    : p.path("rate_achieved").asDouble();
            if (level == pass) sawPass = p.path("sustained").asBoolean();
            if (level == fail) sawFail = !p.path("sustained").asBoolean();
        }
        assertThat(sawPass).isTrue();
        assertThat(sawFail).isTrue();
        assertThat(answer.path("probes").asInt())
                .isEqualTo(a.path("points").size())
                .isLessThanOrEqualTo(16);
    }

    @Test
    void sloSearch_onConcurrency_endsOnAdjacentUsers() {
        Targets slo = Targets.parse("tpot_p95<=10ms", null);
        LoadSearch.Options o = new LoadSearch.Options(Load.Axis.CONCURRENCY, 0, 0, 0.05, 20, Verdict.DEFAULT);
        JsonNode answer = LoadSearch.sloSearch(new VirtualTarget(PROMPT, OUTPUT, 20, slo, 5), o, slo.describe(), null)
                .path("answer");
        int pass = answer.path("max_passing").asInt();
        int fail = answer.path("first_failing").asInt();
        assertThat(fail - pass).isEqualTo(1);
        assertThat(pass).isGreaterThanOrEqualTo(1);
    }

    @Test
    void sloSearch_whenOneUserAlreadyFails_hasNoAnswer() {
        Targets slo = Targets.parse("ttft_p50<=1ms", null); // a prefill alone takes longer
        LoadSearch.Options o = new LoadSearch.Options(Load.Axis.RATE, 0, 0, 0.05, 10, Verdict.DEFAULT);
        JsonNode s = LoadSearch.sloSearch(new VirtualTarget(PROMPT, OUTPUT, 10, slo, 1), o, slo.describe(), null);
        assertThat(s.path("answer").path("max_passing").isNull()).isTrue();
        assertThat(s.path("points")).hasSize(1);
        assertThat(s.path("answer").path("failed_on").toString()).contains("ttft_p50");
    }

    @Test
    void breakingPoint_raisesLoadUntilTheServerFallsBehind() {
        Targets none = Targets.parse(null, null);
        VirtualTarget target = new VirtualTarget(PROMPT, OUTPUT, 30, none, 2);
        LoadSearch.Options o = new LoadSearch.Options(Load.Axis.RATE, CAPACITY / 8, 0, 0.05, 20, Verdict.DEFAULT);
        JsonNode s = LoadSearch.breakingPoint(target, o, 1.5, none.describe(), null);
        JsonNode answer = s.path("answer");
        double pass = answer.path("max_passing").asDouble();
        double fail = answer.path("first_failing").asDouble();
        assertThat(fail / pass).isCloseTo(1.5, org.assertj.core.data.Offset.offset(1e-9));
        // it sustained up to near the engine's capacity, and failed above it by falling behind
        assertThat(pass).isLessThanOrEqualTo(1.05 * CAPACITY);
        assertThat(fail).isGreaterThan(0.7 * CAPACITY);
        assertThat(answer.path("failed_on").toString()).contains("fell behind");
        assertThat(s.path("kind").asString()).isEqualTo("breaking-point");
    }

    @Test
    void badOptions_areRefused() {
        assertThatThrownBy(() -> new LoadSearch.Options(Load.Axis.RATE, 0, 0, 0, 10, Verdict.DEFAULT))
                .hasMessageContaining("--tolerance");
        assertThatThrownBy(() -> new LoadSearch.Options(Load.Axis.RATE, 5, 2, 0.05, 10, Verdict.DEFAULT))
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
    static ObjectNode knee(Load load, double knee) {
        double rate = load.axis() == Load.Axis.RATE ? load.value() : 1.0;
        double ttft = rate <= knee ? 30 : 250;
        ObjectNode r = VirtualTarget.JSON.createObjectNode();
        r.putObject("summary")
                .put("valid", true)
                .put("requests_completed", 1000)
                .put("requests_failed", 0)
                .put("duration_s", 10)
                .put("request_throughput", rate)
                .put("sent_rate", rate);
        ObjectNode slo = r.putObject("slo").put("passed", ttft <= 200).put("confidence", 1.0);
        slo.putArray("targets")
                .addObject()
                .put("name", "ttft_p95")
                .put("kind", "percentile")
                .put("value", ttft)
                .put("bound", 200.0)
                .put("met", ttft <= 200);
        return r;
    }

    @Test
    void sloSearch_atAKnee_bisectsRatherThanCrawl() {
        LoadSearch.Options o = new LoadSearch.Options(Load.Axis.RATE, 0, 0, 0.05, 30, Verdict.DEFAULT);
        JsonNode s = LoadSearch.sloSearch(l -> knee(l, 10.2), o, null, null);
        JsonNode answer = s.path("answer");
        assertThat(answer.path("max_passing").asDouble()).isLessThanOrEqualTo(10.2);
        assertThat(answer.path("first_failing").asDouble()).isGreaterThan(10.2);
        assertThat(answer.path("resolution").asDouble()).isLessThanOrEqualTo(0.05);
        // one synchronous point, doubling 2, 4, 8, 16, then halving [8, 16] to within 5%: 4 more
        assertThat(answer.path("probes").asInt()).isLessThanOrEqualTo(10);
    }

    @Test
    void anInvalidLevel_runsOnceMore_beforeItFails() {
        LoadSearch.Options o = new LoadSearch.Options(Load.Axis.RATE, 4, 0, 0.05, 30, Verdict.DEFAULT);
        java.util.Set<Double> seen = new java.util.HashSet<>();
        Prober flaky = l -> {
            ObjectNode r = knee(l, 10.2);
            // the first run at 8 req/s has the client miss its schedule; the second does not
            if (l.value() == 8 && seen.add(l.value())) {
                ((ObjectNode) r.get("summary")).put("valid", false).put("invalid_reason", "client saturated");
            }
            return r;
        };
        JsonNode s = LoadSearch.sloSearch(flaky, o, null, null);
        assertThat(s.path("points").path(1).path("label").asString()).isEqualTo("rate 8.000");
        assertThat(s.path("points").path(1).path("sustained").asBoolean()).isFalse();
        assertThat(s.path("points").path(2).path("label").asString()).isEqualTo("rate 8.000 (again)");
        assertThat(s.path("answer").path("max_passing").asDouble()).isGreaterThanOrEqualTo(8.0);
    }

    /** An open-loop level's result: {@code n} requests sent at 10 req/s, e2e p50 {@code e2eS}, window {@code windowS}. */
    static ObjectNode level(int n, double e2eS, double windowS) {
        ObjectNode r = VirtualTarget.JSON.createObjectNode();
        r.putObject("summary")
                .put("valid", true)
                .put("requests_completed", n)
                .put("requests_failed", 0)
                .put("duration_s", windowS)
                .put("request_throughput", n / windowS)
                .put("sent_rate", 10.0);
        r.putObject("metrics").putObject("e2e_intended").put("count", n).put("p50", e2eS * 1000);
        return r;
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
