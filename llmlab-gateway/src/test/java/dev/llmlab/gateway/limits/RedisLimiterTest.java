package dev.llmlab.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.core.config.Secret;
import dev.llmlab.gateway.config.StateConfig.RedisConfig;
import dev.llmlab.gateway.state.RedisConnection;
import dev.llmlab.testkit.RedisServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract against a real redis-server, then what only a shared store has: other gateways, leases, outages. */
class RedisLimiterTest extends LimiterContractTest {
    private static final Duration LEASE = Duration.ofMinutes(5);
    private static final RedisLimiter.OnFailure RATES_OPEN_BUDGETS_CLOSED = new RedisLimiter.OnFailure(true, false);

    private static RedisServer server;
    private static RedisConnection redis;

    private final Events events = new Events();
    private RedisLimiter limiter;

    /** What the limiter reported, for the metrics. */
    static final class Events implements LimitsEvents {
        final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
        volatile Boolean up;

        @Override
        public void storeError(String operation) {
            count("error:" + operation);
        }

        @Override
        public void storeUp(boolean up) {
            this.up = up;
        }

        @Override
        public void fallback(boolean open) {
            count(open ? "open" : "closed");
        }

        void count(String what) {
            counts.computeIfAbsent(what, k -> new LongAdder()).increment();
        }

        long of(String what) {
            LongAdder a = counts.get(what);
            return a == null ? 0 : a.sum();
        }
    }

    static RedisConnection connect(RedisServer s) {
        // generous: the machine the tests run on is shared
        return RedisConnection.open(new RedisConfig(Secret.of(s.uri()), Duration.ofSeconds(2)));
    }

    @BeforeAll
    static void startRedis() throws Exception {
        server = RedisServer.start();
        redis = connect(server);
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
        server.close();
    }

    @BeforeEach
    void empty() throws Exception {
        redis.strings().flushall().get(5, TimeUnit.SECONDS);
        limiter = new RedisLimiter(redis, RATES_OPEN_BUDGETS_CLOSED, BudgetSeed.NONE, LEASE, events);
    }

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

    @Override
    int overloadSteps() {
        return 6000;
    }

    @Override
    int racingRounds() {
        return 300;
    }

    /**
     * Two gateways, four threads each, race for the last of a budget (3 tokens a request, 1,500 a
     * day: 500 fit) and of a rate (300 requests a minute): exactly what fits is granted, not one
     * more.
     */
    @Test
    void twoGateways_racingForTheLastOfABudgetAndOfARate_grantExactlyWhatFits() throws Exception {
        RedisLimiter other = new RedisLimiter(redis, RATES_OPEN_BUDGETS_CLOSED, BudgetSeed.NONE, LEASE, events);
        Rule budget = new Rule(Meter.TOKENS, Period.DAY, 1500);
        Rule rpm = new Rule(Meter.REQUESTS, Period.MINUTE, 300);
        assertThat(race(List.of(limiter, other), new Ask("team:t", budget, 3))).isEqualTo(500);
        assertThat(race(List.of(limiter, other), new Ask("key:k", rpm, 1))).isEqualTo(300);
        assertThat(limiter.remaining("team:t", budget, T0)).isZero();
        assertThat(other.remaining("key:k", rpm, T0 + 59_999)).isZero();
        assertThat(events.of("error:reserve")).isZero();
    }

    /** How many of 4 threads per limiter x 200 tries each were granted {@code ask}, all at T0 and none settled. */
    private static long race(List<RedisLimiter> gateways, Ask ask) throws Exception {
        AtomicLong granted = new AtomicLong();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(4 * gateways.size());
        try {
            List<Future<?>> done = new ArrayList<>();
            for (RedisLimiter g : gateways) {
                for (int t = 0; t < 4; t++) {
                    done.add(pool.submit(() -> {
                        go.await();
                        for (int i = 0; i < 200; i++) {
                            if (await(g.reserve(List.of(ask), T0)) instanceof Admission.Granted)
                                granted.incrementAndGet();
                        }
                        return null;
                    }));
                }
            }
            go.countDown();
            for (Future<?> f : done) f.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        return granted.get();
    }

    /**
     * A gateway that died holding a request in flight and part of a budget: when the lease ends,
     * another gateway gets both back. A settle that comes after its lease still counts its use,
     * once, however often it is sent.
     */
    @Test
    void anExpiredLease_freesInFlightAndBudget_andALateSettleCountsOnce() {
        RedisLimiter crashed =
                new RedisLimiter(redis, RATES_OPEN_BUDGETS_CLOSED, BudgetSeed.NONE, Duration.ofMinutes(1), events);
        Rule inFlight = new Rule(Meter.IN_FLIGHT, Period.NOW, 1);
        Ask[] asks = {new Ask("key:a", inFlight, 1), new Ask("key:a", DAY_TOKENS, 800)};
        Reservation held = granted(await(crashed.reserve(List.of(asks), T0)));

        Admission.Refused r = (Admission.Refused) reserve(T0 + 59_000, asks);
        assertThat(r.ask().rule()).isEqualTo(inFlight);
        Reservation next = granted(reserve(T0 + 60_000, asks)); // the lease ended at T0 + 60 s
        assertThat(limiter.remaining("key:a", inFlight, T0 + 60_000)).isZero();

        crashed.settle(held, new Actual(500, 0), T0 + 70_000); // it was not dead, only slow
        Reservation resent = new Reservation(held.asks(), new long[] {0, held.slot(1)}, held.id());
        crashed.settle(resent, new Actual(500, 0), T0 + 70_001); // the same settle, sent again
        assertThat(limiter.spent("key:a", DAY_TOKENS, T0 + 70_002)).isEqualTo(500);
        assertThat(limiter.remaining("key:a", inFlight, T0 + 70_002)).isZero(); // freed nothing of the next one's
        assertThat(limiter.remaining("key:a", DAY_TOKENS, T0 + 70_002)).isZero(); // 500 spent, 800 held

        limiter.settle(next, new Actual(100, 0), T0 + 80_000);
        assertThat(limiter.spent("key:a", DAY_TOKENS, T0 + 80_001)).isEqualTo(600);
        assertThat(limiter.remaining("key:a", inFlight, T0 + 80_001)).isEqualTo(1);
    }

    /** Every key is under llmlab:lim: and will expire: a rate in 2 minutes, a budget a day after its period. */
    @Test
    void everyKey_isNamespaced_andExpires() throws Exception {
        Rule inFlight = new Rule(Meter.IN_FLIGHT, Period.NOW, 5);
        long now = System.currentTimeMillis(); // Redis's own clock judges the absolute expiries
        granted(reserve(
                now,
                new Ask("key:a", TPM, 10),
                new Ask("key:a", inFlight, 1),
                new Ask("team:t", DAY_TOKENS, 10),
                new Ask("team:t", MONTH_USD, 10)));
        List<String> keys = redis.strings().keys("*").get(5, TimeUnit.SECONDS);
        assertThat(keys).isNotEmpty().allMatch(k -> k.startsWith("llmlab:lim:"));
        assertThat(keys)
                .contains(
                        "llmlab:lim:key:a:tokens:minute",
                        "llmlab:lim:key:a:in_flight",
                        "llmlab:lim:team:t:tokens:day:"
                                + Instant.ofEpochMilli(now).toString().substring(0, 10));
        for (String k : keys) {
            long ttl = redis.strings().pttl(k).get(5, TimeUnit.SECONDS);
            assertThat(ttl).as(k).isPositive();
            if (k.endsWith(":minute")) assertThat(ttl).as(k).isLessThanOrEqualTo(120_000);
            if (k.contains(":day:")) assertThat(ttl).as(k).isLessThanOrEqualTo(2 * 86_400_000L);
            if (k.contains(":month:")) assertThat(ttl).as(k).isLessThanOrEqualTo(32 * 86_400_000L);
        }
    }

    /**
     * Redis restarts mid-way: while it is down, rates are admitted and counted in this process
     * (open), budgets refused (closed); once it answers, the limiter counts in Redis again, and a
     * budget Redis lost is set from the ledger before anything is reserved.
     */
    @Test
    void aRedisRestart_followsThePolicy_thenCountsInRedisAgain_withBudgetsSeeded() throws Exception {
        try (RedisServer own = RedisServer.start();
                RedisConnection conn = connect(own)) {
            List<String> seeded = new ArrayList<>();
            BudgetSeed ledger = (subject, rule, start) -> {
                synchronized (seeded) {
                    seeded.add(subject + " " + rule.period() + " " + Instant.ofEpochMilli(start));
                }
                return 900;
            };
            AtomicLong nanos = new AtomicLong();
            RedisLimiter l = new RedisLimiter(
                    conn,
                    RATES_OPEN_BUDGETS_CLOSED,
                    ledger,
                    LEASE,
                    events,
                    nanos::get,
                    Duration.ofSeconds(1),
                    RedisLimiter.CreditMode.OFF);
            Rule rpm = new Rule(Meter.REQUESTS, Period.MINUTE, 2);
            Reservation before = granted(await(l.reserve(List.of(new Ask("key:a", DAY_TOKENS, 50)), T0)));
            assertThat(seeded).containsExactly("key:a DAY 2026-12-07T00:00:00Z");
            l.settle(before, new Actual(50, 0), T0);
            granted(await(l.reserve(List.of(new Ask("key:a", rpm, 1)), T0)));

            own.stop();
            // rates open: counted here alone, from zero, and still held to the limit in this gateway
            Reservation local = granted(await(l.reserve(List.of(new Ask("key:a", rpm, 1)), T0 + 1)));
            granted(await(l.reserve(List.of(new Ask("key:a", rpm, 1)), T0 + 2)));
            assertThat(await(l.reserve(List.of(new Ask("key:a", rpm, 1)), T0 + 3)))
                    .isInstanceOf(Admission.Refused.class);
            // budgets closed: refused, and so is a request with a rate and a budget
            assertThat(await(l.reserve(List.of(new Ask("key:b", TPM, 1), new Ask("key:a", DAY_TOKENS, 1)), T0 + 4)))
                    .isEqualTo(new Admission.Unavailable(new Ask("key:a", DAY_TOKENS, 1)));
            assertThat(events.up).isFalse();
            assertThat(events.of("open")).isEqualTo(3);
            assertThat(events.of("closed")).isEqualTo(1);
            l.settle(local, Actual.NOTHING, T0 + 5); // to the process that counted it

            own.startAgain(); // empty: what Redis counted is gone
            assertThat(conn.awaitUp(Duration.ofSeconds(30))).isTrue();
            assertThat(await(l.reserve(List.of(new Ask("key:a", DAY_TOKENS, 1)), T0 + 6)))
                    .as("within a second of the failure the store is not tried again")
                    .isInstanceOf(Admission.Unavailable.class);
            nanos.addAndGet(TimeUnit.SECONDS.toNanos(2));
            Admission.Refused overBudget =
                    (Admission.Refused) await(l.reserve(List.of(new Ask("key:a", DAY_TOKENS, 101)), T0 + 7));
            assertThat(overBudget.remaining()).isEqualTo(100); // 900 from the ledger
            assertThat(events.up).isTrue();
            granted(await(l.reserve(List.of(new Ask("key:a", DAY_TOKENS, 100)), T0 + 8)));
            assertThat(seeded).hasSize(2).last().isEqualTo("key:a DAY 2026-12-07T00:00:00Z");
            // the rate is Redis's again: the restart forgot the one it counted, the fallback's are not merged
            granted(await(l.reserve(List.of(new Ask("key:a", rpm, 1)), T0 + 9)));
            granted(await(l.reserve(List.of(new Ask("key:a", rpm, 1)), T0 + 10)));
            assertThat(l.remaining("key:a", rpm, T0 + 11)).isZero();
        }
    }
}
