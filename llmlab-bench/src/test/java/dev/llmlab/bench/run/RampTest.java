package dev.llmlab.bench.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.llmlab.bench.load.Schedule;
import org.junit.jupiter.api.Test;

class RampTest {
    static LoadPlan plan(Schedule.Ramp ramp) {
        return new LoadPlan(100, 0, null, 0, 60, 0, 0, 0, ramp, 10, 1);
    }

    @Test
    void closedLoopUsers_joinOverTheRamp() {
        assertThat(Runner.rampOffset(0, plan(Schedule.Ramp.NONE))).isZero();
        assertThat(Runner.rampOffset(99, plan(Schedule.Ramp.NONE))).isZero();
        assertThat(Runner.rampOffset(0, plan(Schedule.Ramp.LINEAR))).isZero();
        assertThat(Runner.rampOffset(50, plan(Schedule.Ramp.LINEAR))).isEqualTo(5.0);
        // exponential: 1 user at the start, 10 at half the ramp, all 100 at its end
        assertThat(Runner.rampOffset(0, plan(Schedule.Ramp.EXPONENTIAL))).isCloseTo(0.0, offset(1e-9));
        assertThat(Runner.rampOffset(9, plan(Schedule.Ramp.EXPONENTIAL))).isCloseTo(5.0, offset(1e-9));
        assertThat(Runner.rampOffset(99, plan(Schedule.Ramp.EXPONENTIAL))).isCloseTo(10.0, offset(1e-9));
    }
}
