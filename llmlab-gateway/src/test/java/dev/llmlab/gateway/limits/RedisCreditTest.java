package dev.llmlab.gateway.limits;

import static dev.llmlab.gateway.limits.LimiterContractTest.T0;
import static dev.llmlab.gateway.limits.LimiterContractTest.await;
import static dev.llmlab.gateway.limits.LimiterContractTest.granted;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.gateway.state.RedisConnection;
import dev.llmlab.testkit.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Credit ({@link Credits}) against a real redis-server, on a virtual clock, its batches written by
 * hand: requests drawn without a round trip, and the counts in Redis the same in the end as if
 * each request had been reserved there.
 */
class RedisCreditTest {
    private static final Duration LEASE = Duration.ofMinutes(5);
    private static final RedisLimiter.OnFailure RATES_OPEN_BUDGETS_CLOSED = new RedisLimiter.OnFailure(true, false);
    private static final Rule DAY = new Rule(Meter.TOKENS, Period.DAY, 1_000_000);
    private static final Rule TPM = new Rule(Meter.TOKENS, Period.MINUTE, 1_000_000);
    private static final Rule IN_FLIGHT = new Rule(Meter.IN_FLIGHT, Period.NOW, 1000);

    private static RedisServer server;
    private static RedisConnection redis;

    private final RedisLimiterTest.Events events = new RedisLimiterTest.Events();
    private final List<RedisLimiter> gateways = new ArrayList<>();

    @BeforeAll
    static void startRedis() throws Exception {
        server = RedisServer.start();
        redis = RedisLimiterTest.connect(server);
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
        server.close();
    }

    @BeforeEach
    void empty() throws Exception {
        redis.strings().flushall().get(5, TimeUnit.SECONDS);
    }

    @AfterEach
    void noErrors() {
        assertThat(events.counts).isEmpty();
    }

    private RedisLimiter gateway(RedisConnection conn) {
        return gateway(conn, System::nanoTime);
    }

    private RedisLimiter gateway(RedisConnection conn, java.util.function.LongSupplier nanos) {
        RedisLimiter l = new RedisLimiter(
                conn,
                RATES_OPEN_BUDGETS_CLOSED,
                BudgetSeed.NONE,
                LEASE,
                events,
                nanos,
                Duration.ofSeconds(1),
                RedisLimiter.CreditMode.BY_HAND);
        gateways.add(l);
        return l;
    }

    private static Admission reserve(RedisLimiter l, long now, Ask... asks) {
        return await(l.reserve(List.of(asks), now));
    }

    private static void answered(RedisLimiter l) throws Exception {
        l.creditAnswered().get(10, TimeUnit.SECONDS);
    }

    private static void flush(RedisLimiter l, long now) throws Exception {
        l.flushCredit(now).get(10, TimeUnit.SECONDS);
    }

    @Test
    void requestsDrawOnCredit_andTheirUseReachesRedisInABatch_andWhatIsNotLentGoesBack() throws Exception {
        RedisLimiter l = gateway(redis);
        Ask ask = new Ask("team:t", DAY, 100); // a credit of 16 such: 1,600 tokens
        Reservation first = granted(reserve(l, T0, ask));
        assertThat(first.credits()).as("no credit yet: reserved in Redis").isNull();
        answered(l);
        assertThat(l.remaining("team:t", DAY, T0)).isEqualTo(1_000_000 - 100 - 1600);

        List<Reservation> drawn = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Admission.Granted g = (Admission.Granted) reserve(l, T0 + 1, ask);
            assertThat(g.reservation().credits()).as("drawn on credit").isNotNull();
            assertThat(g.standings().getFirst().remaining())
                    .isEqualTo(1_000_000 - 100 * (i + 1)); // the credit was granted before the first was reserved
            drawn.add(g.reservation());
        }
        assertThat(l.remaining("team:t", DAY, T0 + 1))
                .as("nothing went to Redis for them")
                .isEqualTo(1_000_000 - 1700);

        l.settle(first, new Actual(40, 0), T0 + 2);
        for (Reservation r : drawn) {
            l.settle(r, new Actual(40, 0), T0 + 2);
            l.settle(r, new Actual(40, 0), T0 + 2); // twice counts once
        }
        flush(l, T0 + 3);
        assertThat(l.spent("team:t", DAY, T0 + 3)).isEqualTo(13 * 40);
        assertThat(l.remaining("team:t", DAY, T0 + 3))
                .as("the credit holds what it has not lent: 400")
                .isEqualTo(1_000_000 - 520 - 400);

        flush(l, T0 + Credits.LIFE_MILLIS); // its second is over
        assertThat(l.remaining("team:t", DAY, T0 + Credits.LIFE_MILLIS)).isEqualTo(1_000_000 - 520);
        assertThat(redis.strings()
                        .hkeys(RedisKeys.key(ask, RedisKeys.slot(DAY, T0)))
                        .get())
                .containsExactlyInAnyOrder("spent", "reserved");
    }

    /**
     * Three gateways, random requests of several limits at once, random uses, batches written at
     * random: once every request settled and every credit went back, Redis counts exactly what was
     * used (rates and budgets) and nothing in flight, as if each had been reserved in Redis.
     */
    @Test
    void afterEverythingSettles_redisCountsExactlyWhatWasUsed() throws Exception {
        List<RedisLimiter> gs = List.of(gateway(redis), gateway(redis), gateway(redis));
        Random rnd = new Random(7);
        List<Reservation> open = new ArrayList<>();
        List<RedisLimiter> owners = new ArrayList<>();
        long used = 0;
        long drawnOnCredit = 0;
        long now = T0;
        for (int i = 0; i < 3000; i++) {
            now += rnd.nextInt(3);
            RedisLimiter g = gs.get(rnd.nextInt(3));
            long estimate = 20 + rnd.nextInt(80);
            Admission a = reserve(
                    g,
                    now,
                    new Ask("key:k", TPM, estimate),
                    new Ask("team:t", DAY, estimate),
                    new Ask("key:k", IN_FLIGHT, 1));
            Reservation r = granted(a);
            if (r.credits() != null) drawnOnCredit++;
            open.add(r);
            owners.add(g);
            if (rnd.nextInt(4) == 0) answered(g);
            if (rnd.nextInt(50) == 0) flush(g, now);
            while (open.size() > 40 || (!open.isEmpty() && rnd.nextInt(3) == 0)) {
                int k = rnd.nextInt(open.size());
                Reservation done = open.remove(k);
                long actual = rnd.nextLong(done.asks().getFirst().amount() + 1);
                owners.remove(k).settle(done, new Actual(actual, 0), now);
                used += actual;
            }
        }
        for (int k = 0; k < open.size(); k++) {
            owners.get(k).settle(open.get(k), new Actual(7, 0), now);
            used += 7;
        }
        for (RedisLimiter g : gs) answered(g);
        for (RedisLimiter g : gs) flush(g, now + Credits.LIFE_MILLIS);
        assertThat(drawnOnCredit).as("most requests were drawn on credit").isGreaterThan(2000);
        long end = now + Credits.LIFE_MILLIS;
        assertThat(gs.getFirst().spent("team:t", DAY, end)).isEqualTo(used);
        assertThat(gs.getFirst().remaining("team:t", DAY, end)).isEqualTo(DAY.limit() - used);
        assertThat(gs.getFirst().remaining("key:k", TPM, end)).isEqualTo(TPM.limit() - used);
        assertThat(gs.getFirst().remaining("key:k", IN_FLIGHT, end)).isEqualTo(IN_FLIGHT.limit());
    }

    /**
     * Three gateways, four threads each, race for a budget on credit: never more than it, and once
     * the credits go back, exactly what fits.
     */
    @Test
    void gatewaysRacingOnCredit_neverPassABudget_andGetExactlyWhatFits() throws Exception {
        Rule budget = new Rule(Meter.TOKENS, Period.DAY, 30_000); // credit of 16 x 10, under a 50th of it
        Ask ask = new Ask("team:t", budget, 10);
        List<RedisLimiter> gs = List.of(gateway(redis), gateway(redis), gateway(redis));
        long first = race(gs, ask, T0);
        assertThat(first * 10).isLessThanOrEqualTo(budget.limit()).isGreaterThan(budget.limit() * 9 / 10);
        for (RedisLimiter g : gs) answered(g);
        for (RedisLimiter g : gs) flush(g, T0 + Credits.LIFE_MILLIS); // unlent credit goes back
        long second = race(gs, ask, T0 + Credits.LIFE_MILLIS);
        assertThat((first + second) * 10).isEqualTo(budget.limit());
    }

    private static long race(List<RedisLimiter> gs, Ask ask, long now) throws Exception {
        java.util.concurrent.atomic.AtomicLong n = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(12);
        try {
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (RedisLimiter g : gs)
                for (int t = 0; t < 4; t++)
                    done.add(pool.submit(() -> {
                        for (int i = 0; i < 400; i++)
                            if (await(g.reserve(List.of(ask), now)) instanceof Admission.Granted) n.incrementAndGet();
                        return null;
                    }));
            for (java.util.concurrent.Future<?> f : done) f.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        return n.get();
    }

    /**
     * A rate under random overload from three gateways on credit: the tokens admitted in any 60
     * whole seconds (by the time each request was admitted) stay within the limit, the shift of
     * credit (counted in its second, drawn up to a second later) included.
     */
    @Test
    void aRateUnderOverload_fromThreeGatewaysOnCredit_holdsOverEverySixtySeconds() throws Exception {
        Rule tpm = new Rule(Meter.TOKENS, Period.MINUTE, 200_000);
        List<RedisLimiter> gs = List.of(gateway(redis), gateway(redis), gateway(redis));
        Random rnd = new Random(5);
        long[] perSecond = new long[200];
        long now = T0;
        long onCredit = 0;
        while (now < T0 + 190_000) {
            now += rnd.nextInt(8);
            RedisLimiter g = gs.get(rnd.nextInt(3));
            int amount = 50 + rnd.nextInt(50); // ~11,000 tokens a second wanted: 3x the limit
            Admission a = reserve(g, now, new Ask("team:t", tpm, amount));
            if (a instanceof Admission.Granted ok) {
                perSecond[(int) ((now - T0) / 1000)] += amount;
                g.settle(ok.reservation(), new Actual(amount, 0), now);
                if (ok.reservation().credits() != null) onCredit++;
            }
            if (rnd.nextInt(8) == 0) answered(g);
            if (rnd.nextInt(20) == 0) flush(g, now);
        }
        long most = 0;
        for (int s = 0; s + 60 <= 190; s++) {
            long sum = 0;
            for (int k = s; k < s + 60; k++) sum += perSecond[k];
            most = Math.max(most, sum);
        }
        assertThat(onCredit).as("some requests were drawn on credit").isPositive();
        assertThat(most).isLessThanOrEqualTo(tpm.limit()).isGreaterThan(tpm.limit() * 95 / 100);
    }

    /** A batch resent after a reconnect changes nothing; a credit Redis no longer holds is reported lost. */
    @Test
    void aBatchSentTwice_countsOnce_andACreditRedisLost_isReported() throws Exception {
        RedisLimiter l = gateway(redis);
        Credits.Store store = l.creditStore();
        Ask slice = new Ask("team:t", DAY, 1000);
        assertThat(store.allot(slice, 0, "c1", T0).get()).isNotNull();
        String key = RedisKeys.key(slice, RedisKeys.slot(DAY, T0));
        List<Credits.Op> ops = List.of(new Credits.Op(key, DAY, "c1", -1000, 700, null));
        assertThat(store.adjust("b1", ops, T0).get()).isEmpty();
        assertThat(store.adjust("b1", ops, T0).get()).isEmpty();
        assertThat(l.spent("team:t", DAY, T0)).isEqualTo(700);
        assertThat(l.remaining("team:t", DAY, T0)).isEqualTo(1_000_000 - 700);
        assertThat(store.adjust("b2", List.of(new Credits.Op(key, DAY, "c9", -5, 0, null)), T0)
                        .get())
                .containsExactly(0);
    }

    /**
     * Redis restarts: the credit this gateway held is dropped with it (the restarted Redis no
     * longer counts it, so drawing on it would spend it twice); the failure policy applies, then
     * requests are reserved in Redis and credit is asked for again.
     */
    @Test
    void aRedisRestart_dropsTheCredit() throws Exception {
        try (RedisServer own = RedisServer.start();
                RedisConnection conn = RedisLimiterTest.connect(own)) {
            java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong();
            RedisLimiter l = gateway(conn, nanos::get);
            Ask ask = new Ask("key:a", TPM, 100);
            granted(reserve(l, T0, ask));
            answered(l);
            assertThat(granted(reserve(l, T0 + 1, ask)).credits()).isNotNull();

            own.stop();
            for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); conn.up() && System.nanoTime() < end; )
                Thread.onSpinWait(); // Lettuce sees the connection close on its own thread
            assertThat(granted(reserve(l, T0 + 2, ask)).credits())
                    .as("rates open: counted here alone, not on the credit")
                    .isNull();
            own.startAgain();
            assertThat(conn.awaitUp(Duration.ofSeconds(30))).isTrue();
            nanos.addAndGet(TimeUnit.SECONDS.toNanos(2)); // the limiter tries Redis again a second after a failure
            Reservation again = granted(reserve(l, T0 + 3, ask));
            assertThat(again.credits()).as("the old credit was dropped").isNull();
            assertThat(again.asks()).hasSize(1);
            answered(l);
            assertThat(l.remaining("key:a", TPM, T0 + 3)).isEqualTo(TPM.limit() - 100 - 1600);
        }
        events.counts.clear(); // the outage's errors, expected
    }
}
