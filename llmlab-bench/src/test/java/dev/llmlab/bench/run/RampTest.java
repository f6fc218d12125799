package dev.llmlab.bench.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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

    @Test
    void closedLoop_rampNoShorterThanTheRun_isRefused() {
        // the last of 100 users would join at 10 s of a 10 s run: it would never send
        assertThatThrownBy(() -> new LoadPlan(100, 0, null, 0, 10, 0, 0, 0, Schedule.Ramp.EXPONENTIAL, 10, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--ramp-time (10s) must be shorter than --duration (10s)");
        // a ramp without a duration (a count of requests) and an open loop's ramp are fine
        assertThat(new LoadPlan(100, 0, null, 0, 0, 500, 0, 0, Schedule.Ramp.LINEAR, 10, 1).rampSeconds())
                .isEqualTo(10);
        assertThat(new LoadPlan(0, 50, null, 0, 5, 0, 0, 0, Schedule.Ramp.LINEAR, 10, 1).openLoop())
                .isTrue();
    }
}
