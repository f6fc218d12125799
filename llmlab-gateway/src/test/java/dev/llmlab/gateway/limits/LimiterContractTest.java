package dev.llmlab.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Limiter} does, on a virtual clock: {@link LocalLimiterTest} and {@link
 * RedisLimiterTest} run these same scenarios, so that the limits of one gateway and of several
 * cannot drift apart.
 */
abstract class LimiterContractTest {
    static final Rule TPM = new Rule(Meter.TOKENS, Period.MINUTE, 100);
    static final Rule RPM = new Rule(Meter.REQUESTS, Period.MINUTE, 1000);
    static final Rule DAY_TOKENS = new Rule(Meter.TOKENS, Period.DAY, 1000);
    static final Rule MONTH_USD = new Rule(Meter.MICRO_USD, Period.MONTH, 50_000_000);
    static final Rule IN_FLIGHT = new Rule(Meter.IN_FLIGHT, Period.NOW, 2);
    static final long T0 = Instant.parse("2026-12-07T10:00:00Z").toEpochMilli();

    /** The limiter under test, fresh for each test. */
    abstract Limiter limiter();

    /** What {@code subject} has spent of a budget's current period. */
    abstract long spent(String subject, Rule budget, long now);

    /** What is left of a limit for {@code subject} now. */
    abstract long remaining(String subject, Rule rule, long now);

    /** Steps of the random overload: fewer where each costs a round trip. */
    int overloadSteps() {
        return 40_000;
    }

    /** Reservations per racing thread. */
    int racingRounds() {
        return 2000;
    }

    static Admission await(java.util.concurrent.CompletionStage<Admission> stage) {
        try {
            return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    Admission reserve(long now, Ask... asks) {
        return await(limiter().reserve(List.of(asks), now));
    }

    static Reservation granted(Admission a) {
        assertThat(a).isInstanceOf(Admission.Granted.class);
        return ((Admission.Granted) a).reservation();
    }

    @Test
    void reserve_isAllOrNothing_andARefusalNamesTheLimitThatDidNotFit() {
        granted(reserve(T0, new Ask("team:ml", DAY_TOKENS, 900)));
        Admission a = reserve(T0, new Ask("key:a", TPM, 50), new Ask("team:ml", DAY_TOKENS, 200));
        assertThat(a).isInstanceOf(Admission.Refused.class);
        Admission.Refused r = (Admission.Refused) a;
        assertThat(r.ask().subject()).isEqualTo("team:ml");
        assertThat(r.remaining()).isEqualTo(100);
        assertThat(r.retryAfterMillis())
                .isEqualTo(Instant.parse("2026-12-08T00:00:00Z").toEpochMilli() - T0);
        assertThat(remaining("key:a", TPM, T0)).isEqualTo(100); // the key's rate was not charged
    }

    @Test
    void minute_refusesUntilTheOldestSecondsLeave_andSettlingGivesBackTheUnused() {
        Reservation first = granted(reserve(T0, new Ask("key:a", TPM, 60)));
        granted(reserve(T0 + 5_000, new Ask("key:a", TPM, 30)));
        Admission.Refused r = (Admission.Refused) reserve(T0 + 10_000, new Ask("key:a", TPM, 50));
        assertThat(r.remaining()).isEqualTo(10);
        assertThat(r.retryAfterMillis()).isEqualTo(50_000); // the 60 of second 0 leave at 60 s
        limiter().settle(first, new Actual(20, 0), T0 + 11_000); // it used 20 of its 60
        assertThat(remaining("key:a", TPM, T0 + 11_000)).isEqualTo(50);
        granted(reserve(T0 + 11_000, new Ask("key:a", TPM, 50)));
        assertThat(((Admission.Refused) reserve(T0 + 12_000, new Ask("key:a", TPM, 1))).retryAfterMillis())
                .isEqualTo(48_000);
        assertThat(remaining("key:a", TPM, T0 + 60_000)).isEqualTo(20); // second 0's 20 left
    }

    @Test
    void minute_holdsTheLimitOverEverySixtyWholeSeconds_underRandomOverload() {
        Random rnd = new Random(11);
        long[] admittedPerSecond = new long[600];
        List<Reservation> open = new ArrayList<>();
        List<Integer> amounts = new ArrayList<>();
        long now = T0;
        for (int i = 0; i < overloadSteps(); i++) {
            now += rnd.nextInt(30);
            int amount = 1 + rnd.nextInt(20);
            Admission a = reserve(now, new Ask("key:a", TPM, amount));
            if (a instanceof Admission.Granted g) {
                open.add(g.reservation());
                amounts.add(amount);
                admittedPerSecond[(int) ((now - T0) / 1000)] += amount;
            }
            if (!open.isEmpty() && rnd.nextInt(3) == 0) { // settle one at its estimate
                int k = rnd.nextInt(open.size());
                limiter().settle(open.remove(k), new Actual(amounts.remove(k), 0), now);
            }
        }
        int seconds = (int) ((now - T0) / 1000);
        long total = 0;
        for (int s = 0; s + 60 <= seconds; s++) {
            long sum = 0;
            for (int k = s; k < s + 60; k++) sum += admittedPerSecond[k];
            assertThat(sum).as("seconds %d..%d", s, s + 59).isLessThanOrEqualTo(TPM.limit());
            total = Math.max(total, sum);
        }
        assertThat(total).isGreaterThan(TPM.limit() * 9 / 10); // it was overloaded, and admitted close to the limit
    }

    @Test
    void budget_countsSpentAndReserved_andANewDayStartsFromZero() {
        Reservation a = granted(reserve(T0, new Ask("key:a", DAY_TOKENS, 600)));
        assertThat(reserve(T0, new Ask("key:a", DAY_TOKENS, 500))).isInstanceOf(Admission.Refused.class);
        limiter().settle(a, new Actual(300, 0), T0 + 1);
        Reservation b = granted(reserve(T0 + 2, new Ask("key:a", DAY_TOKENS, 500)));
        assertThat(spent("key:a", DAY_TOKENS, T0 + 2)).isEqualTo(300);
        long midnight = Instant.parse("2026-12-08T00:00:00Z").toEpochMilli();
        assertThat(remaining("key:a", DAY_TOKENS, midnight)).isEqualTo(1000);
        limiter().settle(b, new Actual(500, 0), midnight + 5); // yesterday's request: not today's spend
        assertThat(spent("key:a", DAY_TOKENS, midnight + 5)).isZero();
        assertThat(remaining("key:a", DAY_TOKENS, midnight + 5)).isEqualTo(1000);
    }

    @Test
    void budget_aMonthEndsAtTheFirstOfTheNext_inUtc() {
        long late = Instant.parse("2026-12-31T23:00:00Z").toEpochMilli();
        granted(reserve(late, new Ask("team:x", MONTH_USD, 50_000_000)));
        Admission.Refused r = (Admission.Refused) reserve(late, new Ask("team:x", MONTH_USD, 1));
        assertThat(r.retryAfterMillis()).isEqualTo(TimeUnit.HOURS.toMillis(1));
        Admission.Granted g = (Admission.Granted) reserve(late + r.retryAfterMillis(), new Ask("team:x", MONTH_USD, 1));
        assertThat(g.standings().getFirst().resetAtMillis())
                .isEqualTo(Instant.parse("2027-02-01T00:00:00Z").toEpochMilli());
    }

    @Test
    void inFlight_isFreedBySettling_andAnAskLargerThanTheLimitNeverFits() {
        Reservation a = granted(reserve(T0, new Ask("key:a", IN_FLIGHT, 1)));
        granted(reserve(T0, new Ask("key:a", IN_FLIGHT, 1)));
        assertThat(((Admission.Refused) reserve(T0, new Ask("key:a", IN_FLIGHT, 1))).retryAfterMillis())
                .isEqualTo(InFlightCounter.RETRY_MILLIS);
        limiter().settle(a, Actual.NOTHING, T0);
        limiter().settle(a, Actual.NOTHING, T0); // twice counts once
        granted(reserve(T0, new Ask("key:a", IN_FLIGHT, 1)));
        assertThat(reserve(T0, new Ask("key:a", IN_FLIGHT, 1))).isInstanceOf(Admission.Refused.class);
        assertThat(((Admission.Refused) reserve(T0, new Ask("key:b", TPM, 101))).retryAfterMillis())
                .isEqualTo(-1);
    }

    @Test
    void standings_sayWhatIsLeftAndWhenItResets_forTheHeaders() {
        Admission.Granted g =
                (Admission.Granted) reserve(T0 + 500, new Ask("key:a", RPM, 1), new Ask("key:a", TPM, 40));
        assertThat(g.standings())
                .extracting(Standing::remaining, Standing::resetAtMillis)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(999L, T0 + 60_000),
                        org.assertj.core.groups.Tuple.tuple(60L, T0 + 60_000));
    }

    @Test
    void badAsks_areRefusedWithWhatIsWrong() {
        assertThatThrownBy(() -> reserve(T0, new Ask("key:a", TPM, 1), new Ask("key:a", TPM, 2)))
                .hasMessageContaining("same rule");
        assertThatThrownBy(() -> new Rule(Meter.TOKENS, Period.NOW, 5)).hasMessageContaining("in flight");
        assertThatThrownBy(() -> new Rule(Meter.TOKENS, Period.DAY, 0)).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> new Ask("key:a", TPM, -1)).hasMessageContaining(">= 0");
    }

    /** Many threads race for the last of a budget: no more is granted than it holds. */
    @Test
    void budget_racingRequests_neverOverspend() throws Exception {
        Rule budget = new Rule(Meter.MICRO_USD, Period.DAY, 100_000);
        int threads = 8;
        AtomicLong granted = new AtomicLong();
        AtomicLong excess = new AtomicLong();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long seed = t;
                done.add(pool.submit(() -> {
                    Random rnd = new Random(seed);
                    go.await();
                    for (int i = 0; i < racingRounds(); i++) {
                        long ask = 1 + rnd.nextInt(500);
                        if (await(limiter().reserve(List.of(new Ask("team:t", budget, ask)), T0))
                                instanceof Admission.Granted g) {
                            granted.addAndGet(ask);
                            // most use less than their estimate; one in ten more (an estimate that was low)
                            long used = rnd.nextInt(10) == 0 ? ask + rnd.nextInt(50) : rnd.nextLong(ask + 1);
                            excess.addAndGet(Math.max(0, used - ask));
                            limiter().settle(g.reservation(), new Actual(0, used), T0);
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) f.get(30, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        long spent = spent("team:t", budget, T0);
        assertThat(spent).isLessThanOrEqualTo(budget.limit() + excess.get());
        assertThat(remaining("team:t", budget, T0)).isLessThan(500); // it was used up
        assertThat(granted.get()).isGreaterThan(budget.limit()); // settling gave back what was not used
    }
}
