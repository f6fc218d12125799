package dev.llmlab.gateway.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.gateway.config.BreakerConfig;
import dev.llmlab.gateway.reliability.Breaker.State;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BreakerTest {
    private static final long S = 1_000_000_000L;

    /** A 10 s window, 4 requests at least, half failing, open 5 s, 2 probes. */
    private static Breaker breaker() {
        return new Breaker(new BreakerConfig(true, Duration.ofSeconds(10), 4, 0.5, Duration.ofSeconds(5), 2));
    }

    @Test
    void record_opensAtTheFailureRate_onlyWithEnoughRequests() {
        Breaker b = breaker();
        b.record(0, true);
        b.record(0, true);
        b.record(0, true);
        assertThat(b.state(0)).isEqualTo(State.CLOSED); // three are fewer than the minimum
        b.record(S, false);
        assertThat(b.state(S)).isEqualTo(State.OPEN); // 3 of 4 failed
        assertThat(b.tryAcquire(2 * S)).isFalse();
        assertThat(b.allows(2 * S)).isFalse();
    }

    @Test
    void halfOpen_letsItsProbesThrough_andClosesWhenAllSucceed() {
        Breaker b = breaker();
        for (int i = 0; i < 4; i++) b.record(0, true);
        assertThat(b.state(5 * S)).isEqualTo(State.HALF_OPEN);
        assertThat(b.tryAcquire(5 * S)).isTrue();
        assertThat(b.tryAcquire(5 * S)).isTrue();
        assertThat(b.tryAcquire(5 * S)).isFalse(); // two probes only
        b.record(6 * S, false);
        assertThat(b.state(6 * S)).isEqualTo(State.HALF_OPEN);
        b.record(6 * S, false);
        assertThat(b.state(6 * S)).isEqualTo(State.CLOSED);
        // closed with an empty window: one failure does not reopen it
        b.record(7 * S, true);
        assertThat(b.state(7 * S)).isEqualTo(State.CLOSED);
    }

    @Test
    void halfOpen_aFailedProbe_opensItAgainForTheWholeTime() {
        Breaker b = breaker();
        for (int i = 0; i < 4; i++) b.record(0, true);
        assertThat(b.tryAcquire(5 * S)).isTrue();
        b.record(5 * S, true);
        assertThat(b.state(9 * S)).isEqualTo(State.OPEN);
        assertThat(b.state(10 * S)).isEqualTo(State.HALF_OPEN);
    }

    @Test
    void release_givesAProbeSlotBack() {
        Breaker b = breaker();
        for (int i = 0; i < 4; i++) b.record(0, true);
        assertThat(b.tryAcquire(5 * S)).isTrue();
        assertThat(b.tryAcquire(5 * S)).isTrue();
        b.release();
        assertThat(b.tryAcquire(5 * S)).isTrue();
    }

    @Test
    void theWindowSlides_oldFailuresLeaveIt() {
        Breaker b = breaker();
        b.record(0, true);
        b.record(0, true);
        b.record(0, true);
        // 11 s later the three failures are out of the 10 s window
        b.record(11 * S, false);
        b.record(11 * S, true);
        b.record(11 * S, false);
        b.record(11 * S, false);
        assertThat(b.state(11 * S)).isEqualTo(State.CLOSED); // 1 of 4
    }

    @Test
    void disabled_alwaysLetsThrough() {
        Breaker b = new Breaker(new BreakerConfig(false, null, 1, null, null, null));
        for (int i = 0; i < 10; i++) b.record(0, true);
        assertThat(b.tryAcquire(0)).isTrue();
        assertThat(b.state(0)).isEqualTo(State.CLOSED);
    }

    @Test
    void budget_allowsAFractionOfRequests_plusAFloor() {
        RetryBudget budget = new RetryBudget(0.2);
        for (int i = 0; i < 1000; i++) budget.request(0);
        int allowed = 0;
        while (budget.tryRetry(S)) allowed++;
        assertThat(allowed).isEqualTo(300); // 100 of floor (10/s over 10 s) plus 0.2 x 1000
        assertThat(budget.tryRetry(5 * S)).isFalse();
        // ten seconds on, the window has forgotten both
        assertThat(budget.tryRetry(12 * S)).isTrue();
        RetryBudget none = new RetryBudget(0);
        none.request(0);
        assertThat(none.tryRetry(0)).isFalse();
    }
}
