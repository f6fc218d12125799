package dev.llmlab.bench.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmlab.bench.result.BenchResult;
import dev.llmlab.bench.result.Sweep;
import dev.llmlab.bench.scenario.Verdict;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScenarioRunTest {
    @Test
    void refuseLoadSettings_namesWhatTheScenarioSetsItself() {
        assertThatThrownBy(() -> ScenarioRun.refuseLoadSettings(
                        SessionOptions.builder().rate(5.0).build(), "sweep"))
                .hasMessage("sweep sets the load itself: drop --rate and --concurrency");
        assertThatThrownBy(() -> ScenarioRun.refuseLoadSettings(
                        SessionOptions.builder()
                                .dataset(Path.of("t.jsonl"))
                                .datasetFormat("trace")
                                .build(),
                        "slo-search"))
                .hasMessageStartingWith("slo-search cannot replay a trace");
        ScenarioRun.refuseLoadSettings(SessionOptions.builder().build(), "sweep"); // nothing to refuse
    }

    @Test
    void run_givesTheLastLevelsResult_withTheSweep_andTheSharedSettings() {
        SessionOptions o = SessionOptions.builder()
                .duration(Duration.ofSeconds(1))
                .maxTokens(4)
                .slo("ttft_p95<=5s")
                .quiet(true)
                .build();
        List<Sweep.Point> seen = new ArrayList<>();
        try (BenchSession s = new BenchSession(o, true, SimTargets.simulator().wiring())) {
            BenchResult r = ScenarioRun.run(
                    s,
                    (prober, slos, onPoint) ->
                            dev.llmlab.bench.scenario.Sweep.run(prober, 1, 2, Verdict.DEFAULT, slos, onPoint),
                    seen::add);
            assertThat(r.sweep().points()).hasSize(3).isEqualTo(seen);
            assertThat(r.sweep().slos()).extracting(t -> t.name()).containsExactly("ttft_p95");
            assertThat(r.config().scenario()).isEqualTo(Sweep.Kind.SWEEP);
            assertThat(r.config().secondsPerPoint()).isEqualTo(1.0);
            assertThat(r.config().outputTokens()).isEqualTo("4"); // --max-tokens, as calibrate reads it
            // the rest is the last level's run: an open loop at a rate between the first two
            assertThat(r.config().mode()).isEqualTo(dev.llmlab.bench.result.RunConfig.Mode.OPEN);
            assertThat(r.summary()).isEqualTo(seen.getLast().summary());
        }
    }
}
