package dev.llmlab.bench.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmlab.bench.result.BenchResult;
import dev.llmlab.bench.result.RunConfig;
import dev.llmlab.bench.result.Second;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StressRunTest {
    @Test
    void refuseLoadSettings_namesWhatStressSetsItself() {
        assertThatThrownBy(() -> StressRun.refuseLoadSettings(
                        SessionOptions.builder().concurrency(2).build()))
                .hasMessage("stress is an open loop: drop --concurrency");
        assertThatThrownBy(() -> StressRun.refuseLoadSettings(
                        SessionOptions.builder().requests(9L).build()))
                .hasMessage("stress runs for --duration: drop --requests");
        assertThatThrownBy(() -> StressRun.refuseLoadSettings(
                        SessionOptions.builder().ramp("linear").build()))
                .hasMessageContaining("drop --ramp");
        assertThatThrownBy(() -> StressRun.refuseLoadSettings(SessionOptions.builder()
                        .dataset(Path.of("t.jsonl"))
                        .datasetFormat("trace")
                        .build()))
                .hasMessageContaining("a trace cannot be replayed in a shape");
    }

    @Test
    void plan_drawsTheShapesSchedule_overTheDuration() {
        SessionOptions o = SessionOptions.builder().arrival("constant").build();
        StressRun.Plan p = StressRun.plan(o, "STEADY", Map.of("rate", 2.0));
        assertThat(p.seconds()).isEqualTo(StressRun.DEFAULT_SECONDS);
        assertThat(p.schedule().size()).isEqualTo(120);
        assertThatThrownBy(() -> StressRun.plan(o, "wave", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("steady, ramp, spike or step");
        assertThatThrownBy(() -> StressRun.plan(o, "spike", Map.of("base_rate", 5.0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("peak_rate");
        // nothing between bursts, and the first burst after the end
        SessionOptions brief =
                SessionOptions.builder().duration(Duration.ofSeconds(1)).build();
        var quiet = Map.of("base_rate", 0.0, "peak_rate", 10.0, "period_s", 10.0, "width_s", 1.0);
        assertThatThrownBy(() -> StressRun.plan(brief, "spike", quiet))
                .isInstanceOf(BenchException.class)
                .hasMessage("stress: the shape offers no request in 1.0 s");
    }

    @Test
    void run_judgesEachBurst_onTheShapesClock() {
        SessionOptions o = SessionOptions.builder()
                .duration(Duration.ofSeconds(4))
                .arrival("constant")
                .maxTokens(4)
                .quiet(true)
                .build();
        StressRun.Plan p = StressRun.plan(
                o, "spike", Map.of("base_rate", 10.0, "peak_rate", 40.0, "period_s", 3.0, "width_s", 1.0));
        try (BenchSession s = new BenchSession(o, SimTargets.simulator().wiring())) {
            BenchResult r = StressRun.run(s, p).result();
            assertThat(r.stress().pattern()).isEqualTo("spike");
            assertThat(r.stress().params()).containsEntry("peak_rate", 40L);
            assertThat(r.stress().latency()).isEqualTo("ttft_p50");
            assertThat(r.stress().bursts()).singleElement().satisfies(b -> {
                assertThat(b.startS()).isEqualTo(3.0);
                assertThat(b.endS()).isEqualTo(4.0);
                assertThat(b.rate()).isEqualTo(40.0);
            });
            assertThat(r.config().mode()).isEqualTo(RunConfig.Mode.STRESS);
            assertThat(r.config().rate()).isEqualTo(p.schedule().size() / 4.0);
            // 10 req/s for 3 s and 40 for 1: every request offered shows in the series
            long offered = 0;
            for (Second sec : r.timeseries()) offered += sec.targetRate() == null ? 0 : sec.targetRate();
            assertThat(offered).isEqualTo(p.schedule().size()).isEqualTo(70);
        }
    }
}
