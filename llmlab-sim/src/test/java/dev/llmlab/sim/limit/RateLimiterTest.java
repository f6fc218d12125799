package dev.llmlab.sim.limit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.core.time.VirtualClock;
import dev.llmlab.sim.config.RateLimitConfig;
import dev.llmlab.sim.config.RateLimitConfig.Limit;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The limiter's memory stays bounded under many keys, and dropping budgets never tightens or loosens a limit. */
class RateLimiterTest {

    private static final RateLimitConfig TWO_PER_MINUTE = new RateLimitConfig(new Limit(2, null), Map.of());

    @Test
    void charge_manyDistinctKeys_keepsAtMostTheBound() {
        VirtualClock clock = new VirtualClock();
        RateLimiter limiter = new RateLimiter(TWO_PER_MINUTE, clock, 100);
        for (int i = 0; i < 5_000; i++) {
            assertThat(limiter.charge("key-" + i, "m", 1).allowed()).isTrue();
        }
        assertThat(limiter.keyBudgets()).isLessThanOrEqualTo(100);
    }

    @Test
    void charge_defaultBound_holdsUnderAFloodOfKeys() {
        VirtualClock clock = new VirtualClock();
        RateLimiter limiter = new RateLimiter(TWO_PER_MINUTE, clock);
        for (int i = 0; i < 3 * RateLimiter.MAX_KEYS; i++) {
            limiter.charge("key-" + i, "m", 1);
        }
        assertThat(limiter.keyBudgets()).isLessThanOrEqualTo(RateLimiter.MAX_KEYS);
    }

    @Test
    void charge_idleKeys_areDroppedAfterTheRefillPeriod() {
        VirtualClock clock = new VirtualClock();
        RateLimiter limiter = new RateLimiter(TWO_PER_MINUTE, clock);
        for (int i = 0; i < 50; i++) {
            limiter.charge("key-" + i, "m", 1);
        }
        assertThat(limiter.keyBudgets()).isEqualTo(50);
        clock.advance(Duration.ofSeconds(59));
        assertThat(limiter.keyBudgets()).as("still refilling").isEqualTo(50);
        clock.advance(Duration.ofSeconds(1));
        assertThat(limiter.keyBudgets()).as("full again, so dropped").isZero();
    }

    @Test
    void charge_exhaustedKey_getsOnlyWhatTheRefillGives() {
        VirtualClock clock = new VirtualClock();
        RateLimiter limiter = new RateLimiter(TWO_PER_MINUTE, clock);
        limiter.charge("k", "m", 1);
        limiter.charge("k", "m", 1);
        clock.advance(Duration.ofSeconds(59));
        // 59 s refill 1.97 requests: one, not a fresh budget of two
        assertThat(limiter.charge("k", "m", 1).allowed()).isTrue();
        assertThat(limiter.charge("k", "m", 1).allowed()).isFalse();
        // retrying every 20 s for two minutes gets the rate, 2 a minute, and keeps the budget held
        int admitted = 0;
        for (int i = 0; i < 6; i++) {
            clock.advance(Duration.ofSeconds(20));
            if (limiter.charge("k", "m", 1).allowed()) {
                admitted++;
            }
        }
        assertThat(admitted).isEqualTo(4);
        assertThat(limiter.keyBudgets()).isEqualTo(1);
    }

    @Test
    void charge_afterAMinuteIdle_givesWhatTheBudgetWouldHaveRefilledTo() {
        VirtualClock clock = new VirtualClock();
        RateLimiter limiter = new RateLimiter(TWO_PER_MINUTE, clock);
        limiter.charge("k", "m", 1);
        limiter.charge("k", "m", 1);
        assertThat(limiter.charge("k", "m", 1).allowed()).isFalse();
        clock.advance(Duration.ofSeconds(60));
        // dropped or not, a budget idle for a minute is full: 2 requests, then a refusal
        assertThat(limiter.charge("k", "m", 1).allowed()).isTrue();
        assertThat(limiter.charge("k", "m", 1).allowed()).isTrue();
        RateLimiter.Decision refused = limiter.charge("k", "m", 1);
        assertThat(refused.allowed()).isFalse();
        assertThat(Duration.ofNanos(refused.retryAfterNanos())).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void charge_floodOfOneOffKeys_leavesASteadyClientsBudgetAndTheModelBudgetAlone() {
        VirtualClock clock = new VirtualClock();
        // requests limited per key, tokens per model, so the report shows one of each
        RateLimitConfig config = new RateLimitConfig(new Limit(1_000, null), Map.of("m", new Limit(null, 20_500)));
        RateLimiter limiter = new RateLimiter(config, clock, 100);
        int steadyUsed = 0;
        for (int i = 0; i < 20_000; i++) {
            assertThat(limiter.charge("one-off-" + i, "m", 1).allowed()).isTrue();
            if (i % 50 == 0) {
                assertThat(limiter.charge("steady", "m", 1).allowed()).isTrue();
                steadyUsed++;
            }
        }
        RateLimiter.Decision steady = limiter.charge("steady", "m", 1);
        steadyUsed++;
        assertThat(steady.report().requestsLeft())
                .as("the steady key kept its budget through the flood")
                .isEqualTo(1_000 - steadyUsed);
        assertThat(steady.report().tokensLeft())
                .as("the model's budget counted every request, none forgotten")
                .isEqualTo(20_500 - 20_000 - steadyUsed);
        assertThat(limiter.keyBudgets()).isLessThanOrEqualTo(100);
    }

    @Test
    void charge_modelBudget_isSharedByAllKeysAndNeverDropped() {
        VirtualClock clock = new VirtualClock();
        RateLimitConfig config = new RateLimitConfig(null, Map.of("m", new Limit(5_000, null)));
        RateLimiter limiter = new RateLimiter(config, clock, 10);
        for (int i = 0; i < 4_999; i++) {
            assertThat(limiter.charge("key-" + i, "m", 1).allowed()).isTrue();
        }
        assertThat(limiter.charge("last", "m", 1).allowed()).isTrue();
        assertThat(limiter.charge("one-more", "m", 1).allowed())
                .as("5000 distinct keys spent the shared budget")
                .isFalse();
        assertThat(limiter.keyBudgets()).as("no per-key limit, no key budgets").isZero();
    }
}
