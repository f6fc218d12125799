package dev.llmlab.sim.limit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.core.time.VirtualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
    @Test
    void refillsContinuously_atItsCapacityPerMinute() {
        VirtualClock clock = new VirtualClock();
        TokenBucket b = new TokenBucket(60, clock.nanoTime());
        for (int i = 0; i < 60; i++) assertThat(b.tryTake(1, clock.nanoTime())).isTrue();
        assertThat(b.tryTake(1, clock.nanoTime())).isFalse();
        assertThat(b.remaining(clock.nanoTime())).isZero();
        assertThat(Duration.ofNanos(b.nanosUntil(1, clock.nanoTime()))).isEqualTo(Duration.ofSeconds(1));
        assertThat(Duration.ofNanos(b.nanosUntilFull(clock.nanoTime()))).isEqualTo(Duration.ofMinutes(1));
        clock.advance(Duration.ofMillis(999));
        assertThat(b.tryTake(1, clock.nanoTime())).isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(b.tryTake(1, clock.nanoTime())).isTrue();
        clock.advance(Duration.ofHours(1));
        assertThat(b.remaining(clock.nanoTime())).as("never beyond capacity").isEqualTo(60);
    }

    @Test
    void aRequestLargerThanTheBudget_waitsForAFullBucketAtMost() {
        VirtualClock clock = new VirtualClock();
        TokenBucket b = new TokenBucket(1000, clock.nanoTime());
        assertThat(b.tryTake(1500, clock.nanoTime())).isFalse();
        assertThat(b.nanosUntil(1500, clock.nanoTime())).isZero();
        assertThat(b.tryTake(400, clock.nanoTime())).isTrue();
        b.giveBack(400, clock.nanoTime());
        assertThat(b.remaining(clock.nanoTime())).isEqualTo(1000);
    }

    @Test
    void limiter_refusesOnTheFirstFullBudget_andGivesBackWhatItTookFromTheOthers() {
        VirtualClock clock = new VirtualClock();
        var config = new dev.llmlab.sim.config.RateLimitConfig(
                new dev.llmlab.sim.config.RateLimitConfig.Limit(10, 1000),
                java.util.Map.of("m", new dev.llmlab.sim.config.RateLimitConfig.Limit(null, 500)));
        RateLimiter limiter = new RateLimiter(config, clock);
        RateLimiter.Decision ok = limiter.charge("k", "m", 400);
        assertThat(ok.allowed()).isTrue();
        assertThat(ok.report().requestsLeft()).isEqualTo(9);
        assertThat(ok.report().tokensLeft()).as("the tightest token budget").isEqualTo(100);
        RateLimiter.Decision refused = limiter.charge("k", "m", 200);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.byRequests()).isFalse();
        assertThat(refused.limit()).isEqualTo(500);
        assertThat(Duration.ofNanos(refused.retryAfterNanos())).isEqualTo(Duration.ofSeconds(12)); // 100 of 500/min
        assertThat(refused.report().requestsLeft())
                .as("the refused request took nothing")
                .isEqualTo(9);
        assertThat(limiter.charge("other", "m2", 10).report().requestsLeft())
                .as("budgets per key")
                .isEqualTo(9);
    }
}
