package dev.llmlab.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LocalLimiterTest extends LimiterContractTest {
    private final LocalLimiter limiter = new LocalLimiter();

    @Override
    Limiter limiter() {
        return limiter;
    }

    @Override
    long spent(String subject, Rule budget, long now) {
        return limiter.spent(subject, budget, now);
    }

    @Override
    long remaining(String subject, Rule rule, long now) {
        return limiter.remaining(subject, rule, now);
    }

    @Test
    void reserve_answersAtOnce_withNoHandOff() {
        assertThat(limiter.reserve(List.of(new Ask("key:a", TPM, 1)), T0).toCompletableFuture())
                .isCompleted();
    }
}
