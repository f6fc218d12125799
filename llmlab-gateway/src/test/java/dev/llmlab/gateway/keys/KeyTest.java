package dev.llmlab.gateway.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.core.config.Secret;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyTest {
    private static final long S = 1_000_000_000L;

    @Test
    void availableAt_rpmFull_waitsForTheOldestRequestToLeaveTheMinute() {
        Key k = new Key("k", Secret.of("sk"), 2, 0);
        k.sent(10 * S, 0);
        k.sent(30 * S, 0);
        assertThat(k.availableAt(40 * S, 0)).isEqualTo(70 * S); // the request of second 10 leaves at 70
        assertThat(k.availableAt(70 * S, 0)).isEqualTo(70 * S);
    }

    @Test
    void availableAt_tpm_countsTokens_butLetsAnOversizedRequestGoIntoAnEmptyMinute() {
        Key k = new Key("k", Secret.of("sk"), 0, 1000);
        assertThat(k.availableAt(0, 5000)).isZero(); // bigger than the limit, and nothing used: it goes
        k.sent(0, 900);
        assertThat(k.availableAt(S, 200)).isEqualTo(60 * S);
        k.correctTokens(S, -500); // it turned out to take 400
        assertThat(k.availableAt(2 * S, 200)).isEqualTo(2 * S);
    }

    @Test
    void rateLimited_honoursRetryAfter_elseBacksOffDoublingUpToAMinute() {
        Key k = new Key("k", Secret.of("sk"), 0, 0);
        assertThat(k.rateLimited(0, 7 * S)).isEqualTo(7 * S);
        assertThat(k.availableAt(S, 0)).isEqualTo(7 * S);
        Key b = new Key("b", Secret.of("sk"), 0, 0);
        long t = 0;
        long[] waits = new long[8];
        for (int i = 0; i < 8; i++) {
            long until = b.rateLimited(t, -1);
            waits[i] = until - t;
            t = until;
        }
        assertThat(waits).containsExactly(S, 2 * S, 4 * S, 8 * S, 16 * S, 32 * S, 60 * S, 60 * S);
        b.succeeded();
        assertThat(b.rateLimited(t, -1) - t).isEqualTo(S);
    }

    @Test
    void remove_takesTheKeyOutForGood() {
        Key k = new Key("k", Secret.of("sk"), 0, 0);
        k.remove("the provider answered 401");
        assertThat(k.availableAt(0, 0)).isEqualTo(Long.MAX_VALUE);
        assertThat(k.removedBecause()).contains("401");
        assertThat(k.toString()).isEqualTo("k").doesNotContain("sk");
    }

    @Test
    void pool_takesKeysInTurn_andPassesOverOneThatCoolsDown() {
        Key a = new Key("a", Secret.of("1"), 0, 0);
        Key b = new Key("b", Secret.of("2"), 0, 0);
        Key c = new Key("c", Secret.of("3"), 0, 0);
        KeyPool pool = new KeyPool(List.of(a, b, c));
        assertThat(List.of(pool.pick(0, 0), pool.pick(0, 0), pool.pick(0, 0), pool.pick(0, 0)))
                .containsExactly(a, b, c, a);
        b.rateLimited(0, 10 * S);
        assertThat(List.of(pool.pick(S, 0), pool.pick(S, 0), pool.pick(S, 0))).doesNotContain(b);
        a.remove("401");
        c.rateLimited(S, 20 * S);
        assertThat(pool.pick(2 * S, 0)).isNull();
        assertThat(pool.availableAt(2 * S, 0)).isEqualTo(10 * S); // b is back first
    }

    @Test
    void headers_openAi_remainingZero_coolsUntilTheReset_andLimitsAreLearned() {
        Key k = new Key("k", Secret.of("sk"), 0, 0);
        Map<String, String> h = Map.of(
                "x-ratelimit-limit-requests", "3",
                "x-ratelimit-remaining-requests", "0",
                "x-ratelimit-reset-requests", "6m0s",
                "x-ratelimit-limit-tokens", "40000");
        RateLimitHeaders.apply(k, h::get, 0, 0);
        assertThat(k.availableAt(0, 0)).isEqualTo(360 * S);
        assertThat(k.rpm()).isEqualTo(3);
        assertThat(k.tpm()).isEqualTo(40000);
    }

    @Test
    void headers_anthropic_resetIsATime() {
        Key k = new Key("k", Secret.of("sk"), 0, 0);
        long now = java.time.Instant.parse("2026-12-07T10:00:00Z").toEpochMilli();
        Map<String, String> h = Map.of(
                "anthropic-ratelimit-tokens-remaining", "0",
                "anthropic-ratelimit-tokens-reset", "2026-12-07T10:00:12Z");
        RateLimitHeaders.apply(k, h::get, 5 * S, now);
        assertThat(k.availableAt(5 * S, 0)).isEqualTo(17 * S);
    }

    @Test
    void retryAfter_readsMillisecondsSecondsAndDates_andIgnoresNonsense() {
        long now = java.time.Instant.parse("2015-10-21T07:28:00Z").toEpochMilli();
        assertThat(RateLimitHeaders.retryAfterNanos(Map.of("retry-after-ms", "1500", "retry-after", "9")::get, now))
                .isEqualTo(1_500_000_000L);
        assertThat(RateLimitHeaders.retryAfterNanos(Map.of("retry-after", "2")::get, now))
                .isEqualTo(2 * S);
        assertThat(RateLimitHeaders.retryAfterNanos(Map.of("retry-after", "Wed, 21 Oct 2015 07:28:30 GMT")::get, now))
                .isEqualTo(30 * S);
        assertThat(RateLimitHeaders.retryAfterNanos(Map.of("retry-after", "soon")::get, now))
                .isEqualTo(-1);
        assertThat(RateLimitHeaders.retryAfterNanos(Map.<String, String>of()::get, now))
                .isEqualTo(-1);
    }

    @Test
    void goReset_readsGoDurations() {
        assertThat(RateLimitHeaders.goReset("1s")).isEqualTo(S);
        assertThat(RateLimitHeaders.goReset("6m0s")).isEqualTo(360 * S);
        assertThat(RateLimitHeaders.goReset("20ms")).isEqualTo(20_000_000L);
        assertThat(RateLimitHeaders.goReset("1h2m3.5s")).isEqualTo(3723 * S + S / 2);
        assertThat(RateLimitHeaders.goReset("soon")).isEqualTo(-1);
        assertThat(RateLimitHeaders.goReset("5x")).isEqualTo(-1);
    }
}
