package dev.llmlab.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FailuresTest {
    private static final long NOW = 1_000_000_000_000L;

    @Test
    void retryable_isWhatAnotherTryMayMend() {
        for (int s : new int[] {401, 403, 429, 500, 502, 503, 504, 529})
            assertThat(Failures.retryable(s)).as("%d", s).isTrue();
        for (int s : new int[] {400, 404, 413, 422, 501})
            assertThat(Failures.retryable(s)).as("%d", s).isFalse();
    }

    @Test
    void errorType_namesTheStatusClass() {
        assertThat(Failures.errorType(429)).isEqualTo("rate_limited");
        assertThat(Failures.errorType(401)).isEqualTo("upstream_auth");
        assertThat(Failures.errorType(403)).isEqualTo("upstream_auth");
        assertThat(Failures.errorType(503)).isEqualTo("upstream_5xx");
        assertThat(Failures.errorType(400)).isEqualTo("upstream_4xx");
    }

    @Test
    void verdict_withKeysCooling_isA429_withRetryAfterInWholeSecondsRoundedUp() {
        Failures.Verdict v = new Failures().verdict("chat", NOW + 2_100_000_000L, NOW);
        assertThat(v.status()).isEqualTo(429);
        assertThat(v.retryAfter()).isEqualTo(3);
        assertThat(v.errorType()).isEqualTo("keys_cooling");
        assertThat(v.message()).contains("route chat").contains("retry in 3 s");

        assertThat(new Failures().verdict("chat", NOW - 1, NOW).retryAfter()).isEqualTo(1);
    }

    @Test
    void verdict_withNothingTriedAndNoKeyCooling_isA503() {
        Failures.Verdict v = new Failures().verdict("chat", Long.MAX_VALUE, NOW);
        assertThat(v.status()).isEqualTo(503);
        assertThat(v.retryAfter()).isZero();
        assertThat(v.errorType()).isEqualTo("no_deployment");
        assertThat(v.type()).isEqualTo("upstream_unavailable");
    }

    @Test
    void hasAnswer_onceAFailedAnswerCameWhole() {
        Failures f = new Failures();
        assertThat(f.hasAnswer()).isFalse();
        f.answered(500, "{\"error\":1}xx".getBytes(), 11, "application/json", null);
        assertThat(f.hasAnswer()).isTrue();
    }
}
