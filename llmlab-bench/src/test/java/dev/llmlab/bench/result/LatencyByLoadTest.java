package dev.llmlab.bench.result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmlab.bench.load.Arrivals;
import dev.llmlab.bench.load.Schedule;
import org.junit.jupiter.api.Test;

class LatencyByLoadTest {
    @Test
    void of_aSweep_givesAPointPerLevel_andTheSharedShape() {
        BenchResult sweep = ResultJson.parse(ResultJsonTest.v1("sweep"));
        LatencyByLoad m = LatencyByLoad.of(sweep);
        assertThat(m.leftOut()).isEmpty();
        assertThat(m.points()).hasSize(sweep.sweep().points().size());
        assertThat(m.promptTokens()).isEqualTo(128);
        assertThat(m.outputTokens()).isEqualTo(4);
        assertThat(m.points()).allSatisfy(p -> assertThat(p.seconds()).isEqualTo(1.0));
        // a closed-loop level offers no rate: its completions per second, and its users
        Sweep.Point first = sweep.sweep().points().getFirst();
        assertThat(first.label()).isEqualTo("synchronous");
        assertThat(m.points().getFirst())
                .isEqualTo(new LatencyByLoad.Point(
                        first.rateAchieved(),
                        first.metric("ttft").mean(),
                        first.metric("tpot").mean(),
                        1.0,
                        null,
                        1));
        // the throughput point is a closed loop of several users: replayed as one, not as open arrivals
        Sweep.Point throughput = sweep.sweep().points().get(1);
        assertThat(throughput.label()).isEqualTo("throughput");
        assertThat(m.points().get(1).users())
                .isEqualTo(throughput.concurrency())
                .isGreaterThan(1);
        // an open-loop level is replayed at the rate it sent, not at the rate it completed
        Sweep.Point open = sweep.sweep().points().get(2);
        assertThat(open.rate()).isPositive();
        assertThat(open.summary().sentRate()).isNotEqualTo(open.rateAchieved());
        LatencyByLoad.Point replayed = m.points().get(2);
        assertThat(replayed.rate()).isEqualTo(open.summary().sentRate());
        assertThat(replayed.users()).isZero();
        assertThat(replayed.ttftMeanMs()).isEqualTo(open.metric("ttft").mean());
    }

    @Test
    void of_anOpenLevel_carriesTheVerySendTimesItsSettingsDraw_whenItsCountMatches() {
        String level = """
                {"config": {"input_tokens": 100, "output_tokens": 10, "mode": "open", "duration_s": 10,
                            "warmup_s": 2, "cooldown_s": 0, "arrival": "poisson", "burstiness": 1, "ramp": "none",
                            "ramp_s": 0, "seed": 7},
                 "sweep": {"points": [{"rate": 3, "rate_achieved": 2.9,
                                        "summary": {"sent_rate": 3.1, "requests_completed": %d, "requests_failed": 1},
                                        "metrics": {"ttft": {"mean": 5}, "tpot": {"mean": 1}}}]}}""";
        Schedule drawn = Schedule.open(3, Arrivals.poisson(), 10, 0, Schedule.Ramp.NONE, 0, 7);
        long measured = java.util.Arrays.stream(drawn.offsetsNanos())
                .filter(t -> t >= 2_000_000_000L)
                .count();
        LatencyByLoad.Point p = LatencyByLoad.of(ResultJson.parse(level.formatted(measured - 1)))
                .points()
                .getFirst();
        assertThat(p.arrivals()).isEqualTo(drawn);
        // a count that does not match what the settings draw: the level's times are not known
        assertThat(LatencyByLoad.of(ResultJson.parse(level.formatted(measured + 5)))
                        .points()
                        .getFirst()
                        .arrivals())
                .isNull();
    }

    @Test
    void of_aSaturatedOpenLoop_takesTheRateOffered_notTheCapacityItCompleted() {
        BenchResult r = ResultJson.parse("""
                {"config": {"input_tokens": 100, "output_tokens": 10, "mode": "open", "duration_s": 30},
                 "summary": {"request_throughput": 8, "sent_rate": 15, "duration_s": 30},
                 "metrics": {"ttft": {"mean": 3000}, "tpot": {"mean": 170}}}""");
        assertThat(LatencyByLoad.of(r).points()).containsExactly(new LatencyByLoad.Point(15, 3000, 170, 30));
        // a hand-written level that says only its rate_achieved keeps it
        BenchResult written = ResultJson.parse("""
                {"config": {"input_tokens": 100, "output_tokens": 10},
                 "sweep": {"points": [{"rate": 2, "rate_achieved": 1.9, "metrics": {"ttft": {"mean": 5}, "tpot": {"mean": 1}}}]}}""");
        assertThat(LatencyByLoad.of(written).points()).containsExactly(new LatencyByLoad.Point(1.9, 5, 1, Double.NaN));
    }

    @Test
    void of_aRun_isOnePoint_withMaxTokensForItsOutput_andItsDuration() {
        BenchResult run = ResultJson.parse(ResultJsonTest.v1("run"));
        LatencyByLoad m = LatencyByLoad.of(run);
        assertThat(m.points()).hasSize(1);
        assertThat(run.config().mode()).isEqualTo(RunConfig.Mode.OPEN);
        assertThat(m.points().getFirst().rate()).isEqualTo(run.summary().sentRate()); // the rate it offered
        assertThat(m.promptTokens()).isEqualTo(128);
        assertThat(m.outputTokens()).isEqualTo(8); // no --output-tokens: --max-tokens
        assertThat(m.points().getFirst().seconds()).isEqualTo(3.0);
    }

    @Test
    void of_aLevel_saysWhichArrivalsWentUnmeasured_aLevelOfRequestsNoCooldown() {
        BenchResult timed = ResultJson.parse("""
                {"config": {"input_tokens": 100, "output_tokens": 10, "mode": "open", "duration_s": 20,
                            "warmup_s": 3, "cooldown_s": 1},
                 "sweep": {"points": [{"rate": 2, "rate_achieved": 1.9, "summary": {"sent_rate": 2, "duration_s": 16},
                                        "metrics": {"ttft": {"mean": 5}, "tpot": {"mean": 1}}}]}}""");
        LatencyByLoad m = LatencyByLoad.of(timed);
        assertThat(m.points()).containsExactly(new LatencyByLoad.Point(2, 5, 1, 20));
        assertThat(m.warmupSeconds()).isEqualTo(3.0);
        assertThat(m.cooldownSeconds()).isEqualTo(1.0);
        BenchResult counted = ResultJson.parse("""
                {"config": {"input_tokens": 100, "output_tokens": 10, "mode": "open", "requests": 50, "duration_s": 0,
                            "warmup_s": 3},
                 "summary": {"request_throughput": 2, "sent_rate": 2, "duration_s": 25},
                 "metrics": {"ttft": {"mean": 5}, "tpot": {"mean": 1}}}""");
        LatencyByLoad n = LatencyByLoad.of(counted);
        // its warm-up, unmeasured, then its measured window
        assertThat(n.points()).containsExactly(new LatencyByLoad.Point(2, 5, 1, 28));
        assertThat(n.warmupSeconds()).isEqualTo(3.0);
        assertThat(n.cooldownSeconds()).isZero();
    }

    @Test
    void of_aDistribution_takesTheMeasuredMeans() {
        BenchResult r = ResultJson.parse("""
                {"config": {"input_tokens": "uniform(min=100,max=300)", "output_tokens": "uniform(min=10,max=30)",
                            "requests": 64, "duration_s": 0},
                 "summary": {"request_throughput": 2, "output_token_throughput": 40, "total_token_throughput": 440,
                             "duration_s": 32},
                 "metrics": {"ttft": {"mean": 100}, "tpot": {"mean": 10}}}""");
        LatencyByLoad m = LatencyByLoad.of(r);
        assertThat(m.promptTokens()).isEqualTo(200); // (440 - 40) / 2
        assertThat(m.outputTokens()).isEqualTo(20);
        assertThat(m.points().getFirst().seconds()).isEqualTo(32.0); // a run of requests: its measured window
    }

    @Test
    void of_aSweepOfRequests_replaysEachLevelForItsOwnWindow_notTheLastLevels() {
        // Levels of 100 requests each: at 1 req/s the first took 100 s, at 4 req/s the last 25 s (the result's
        // own summary is the last level's).
        BenchResult r = ResultJson.parse("""
                {"config": {"input_tokens": 100, "output_tokens": 10, "mode": "open", "requests": 100, "duration_s": 0},
                 "summary": {"request_throughput": 4, "sent_rate": 4, "duration_s": 25},
                 "sweep": {"points": [
                   {"rate": 1, "rate_achieved": 1, "summary": {"sent_rate": 1, "duration_s": 100},
                    "metrics": {"ttft": {"mean": 50}, "tpot": {"mean": 5}}},
                   {"rate": 4, "rate_achieved": 4, "summary": {"sent_rate": 4, "duration_s": 25},
                    "metrics": {"ttft": {"mean": 80}, "tpot": {"mean": 6}}}]}}""");
        assertThat(LatencyByLoad.of(r).points())
                .containsExactly(new LatencyByLoad.Point(1, 50, 5, 100), new LatencyByLoad.Point(4, 80, 6, 25));
    }

    @Test
    void of_whatCannotBeFitted_namesTheField() {
        assertThatThrownBy(() -> LatencyByLoad.of(
                        ResultJson.parse("{\"config\": {\"input_tokens\": 100, \"output_tokens\": 10}}")))
                .hasMessage("no sweep.points and no summary");
        assertThatThrownBy(() -> LatencyByLoad.of(ResultJson.parse("""
                        {"config": {"input_tokens": 100, "output_tokens": 10},
                         "sweep": {"points": [{"rate_achieved": 1, "metrics": {"ttft": {"mean": 5}}}]}}""")))
                .hasMessage(
                        "sweep.points[0] needs numbers at rate_achieved, metrics.ttft.mean and metrics.tpot.mean (ms)");
        assertThatThrownBy(() -> LatencyByLoad.of(ResultJson.parse("{\"sweep\": {\"points\": []}}")))
                .hasMessageContaining("config.input_tokens must be a number >= 1");
    }
}
