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

    @Test
    void aBudgetWhoseLedgerCannotBeRead_isUnavailableWhenClosed_andStartsFromZeroWhenOpen() {
        Rule day = new Rule(Meter.TOKENS, Period.DAY, 1_000);
        BudgetSeed down = (subject, rule, start) -> {
            throw new IllegalStateException("the spend ledger cannot be read now");
        };
        Admission closed = new LocalLimiter(down, false).admit(List.of(new Ask("key:a", day, 10)), T0);
        assertThat(closed)
                .isInstanceOfSatisfying(
                        Admission.Unavailable.class,
                        u -> assertThat(u.why()).isEqualTo("the spend ledger cannot be read now"));
        assertThat(new LocalLimiter(down, true).admit(List.of(new Ask("key:a", day, 10)), T0))
                .isInstanceOf(Admission.Granted.class);
        // a seed that answers: the budget starts from what it says
        LocalLimiter seeded = new LocalLimiter((subject, rule, start) -> 995, false);
        assertThat(seeded.admit(List.of(new Ask("key:a", day, 10)), T0)).isInstanceOf(Admission.Refused.class);
        assertThat(seeded.admit(List.of(new Ask("key:a", day, 5)), T0)).isInstanceOf(Admission.Granted.class);
    }
}
