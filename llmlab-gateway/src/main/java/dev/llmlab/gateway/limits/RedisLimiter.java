package dev.llmlab.gateway.limits;

import dev.llmlab.gateway.state.RedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The limits of several gateways, counted in one Redis that they share, with {@link
 * LocalLimiter}'s semantics: a request's asks reserved all at once or none, rates over the last 60
 * one-second buckets, budgets per UTC day or month as spent + reserved, requests in flight; a
 * settle puts the actual use in place of each estimate, once.
 *
 * <h2>In Redis</h2>
 * Each reserve and each settle is one Lua script ({@code reserve.lua}, {@code settle.lua} beside
 * this class), so that no other gateway's call runs between the checks and the counts: the
 * atomicity that {@link LocalLimiter} gets from its lock. The keys, under {@code llmlab:lim:}:
 * <ul>
 *   <li>a rate, {@code SUBJECT:METER:minute}: a hash of epoch second to use, 2 minutes to live;
 *   <li>a budget, {@code SUBJECT:METER:day:2026-12-07} (or {@code month:2026-12}): a hash of
 *       {@code spent}, {@code reserved} and what each reservation holds; it lives until a day after
 *       its period ends, and a new period is a new key;
 *   <li>in flight, {@code SUBJECT:in_flight}: the same without {@code spent};
 *   <li>beside each budget and in-flight count, {@code ...:leases}: the reservations' ids by the
 *       time their lease expires; and {@code res:ID}, one per reservation until it settles.
 * </ul>
 * A request's keys are of two subjects (its key's and its team's), so they cannot share one Redis
 * Cluster slot without one hash tag for everything: a single Redis (or a replicated primary) is
 * what this is for.
 *
 * <h2>Credit</h2>
 * With credit on (the gateway's default), a request whose limits all have room to spare is not
 * reserved in Redis on its own: it draws on slices of its limits that this gateway reserved in
 * Redis ahead of it, and its use goes back in batches ({@link Credits}). Near a limit, and for
 * limits too small to slice, every request is reserved here as above.
 *
 * <h2>Leases</h2>
 * A gateway killed with {@code kill -9} never settles what it reserved. Each reservation holds a
 * lease ({@code lease}, long enough for the longest request); a script that meets an expired one
 * frees what it held from the budget and the in-flight count (a rate needs no lease: its window
 * forgets by itself). A settle that comes after its lease expired still adds the use to the
 * budget's spend (it happened) and frees nothing twice; a settle resent after a reconnect counts
 * once. This is the lease of Gray and Cheriton (1989), applied to a card hold.
 *
 * <h2>When Redis loses its data</h2>
 * A budget whose key is missing (its period's first request, a restart, an eviction) is set from
 * the durable ledger ({@link BudgetSeed}), if no other gateway set it first, before anything is
 * reserved. Reservations made before the loss are forgotten with it: their use reaches the ledger,
 * and Redis's count at the next seed.
 *
 * <h2>When Redis does not answer</h2>
 * A call that fails (refused, timed out, rejected while Lettuce reconnects) makes the store count
 * as down for a second, during which requests do not wait for it; then the next request tries it
 * again. Meanwhile each request follows {@code onFailure} per kind of limit: a kind that fails
 * {@code closed} refuses ({@link Admission.Unavailable}); if none does, the request is admitted and
 * counted by a {@link LocalLimiter} in this process alone, so each gateway holds the limit by
 * itself (N gateways may admit N times it). Those counts are not merged back into Redis when it
 * answers again. One warning is logged per outage, and one line when it ends.
 *
 * <p>Thread-safe. Reserve never blocks its caller; the seed is read on a virtual thread.
 */
public final class RedisLimiter implements Limiter, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisLimiter.class);
    private static final RedisScript RESERVE = RedisScript.load("reserve.lua");
    private static final RedisScript SETTLE = RedisScript.load("settle.lua");
    private static final RedisScript ADJUST = RedisScript.load("adjust.lua");
    /** How long a batch's marker stays: longer than a batch can take to be resent after a reconnect. */
    private static final String MARKER_MILLIS = "120000";

    /** How many times a reserve sets missing budgets before it gives up (they keep vanishing: an evicting Redis). */
    private static final int SEED_ROUNDS = 3;

    /** What each kind of limit does while Redis does not answer: admit ({@code true}) or refuse. */
    public record OnFailure(boolean ratesOpen, boolean budgetsOpen) {}

    /** Whether requests draw on credit ({@link Credits}), and who writes its batches. */
    enum CreditMode {
        /** Every request is reserved in Redis. */
        OFF,
        /** Credit, written when {@link #flushCredit} is called (tests, on a virtual clock). */
        BY_HAND,
        /** Credit, written every {@value Credits#FLUSH_MILLIS} ms on a thread of its own. */
        SCHEDULED
    }

    private final RedisConnection redis;
    private final OnFailure onFailure;
    private final BudgetSeed seed;
    private final long leaseMillis;
    private final LimitsEvents events;
    private final LongSupplier nanoTime;
    private final long retryNanos;
    private final LocalLimiter fallback = new LocalLimiter();
    private final Executor seeder = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("llmlab-limits-seed-", 0).factory());
    /** The seeds being read, by budget key: concurrent requests wait for one read. Bounded by the budgets configured. */
    private final ConcurrentHashMap<String, CompletableFuture<Long>> seeding = new ConcurrentHashMap<>();

    private final String idPrefix = UUID.randomUUID().toString().substring(0, 13) + "-";
    private final AtomicLong ids = new AtomicLong();
    private final AtomicBoolean down = new AtomicBoolean();
    private volatile long retryAt;
    /** Null without credit. */
    private final Credits credits;

    private final ScheduledExecutorService flusher;

    /**
     * @param seed  where a missing budget's spend comes from; {@link BudgetSeed#NONE} for 0
     * @param lease how long a reservation holds without a settle: longer than any request lasts
     */
    public RedisLimiter(
            RedisConnection redis, OnFailure onFailure, BudgetSeed seed, Duration lease, LimitsEvents events) {
        this(redis, onFailure, seed, lease, events, false);
    }

    /**
     * @param credit whether requests draw on credit this gateway holds ({@link Credits}), written
     *               to Redis every {@value Credits#FLUSH_MILLIS} ms; else each is reserved in Redis
     */
    public RedisLimiter(
            RedisConnection redis,
            OnFailure onFailure,
            BudgetSeed seed,
            Duration lease,
            LimitsEvents events,
            boolean credit) {
        this(
                redis,
                onFailure,
                seed,
                lease,
                events,
                System::nanoTime,
                Duration.ofSeconds(1),
                credit ? CreditMode.SCHEDULED : CreditMode.OFF);
    }

    /** @param retry how long the store counts as down after a failure, on {@code nanoTime}'s clock */
    RedisLimiter(
            RedisConnection redis,
            OnFailure onFailure,
            BudgetSeed seed,
            Duration lease,
            LimitsEvents events,
            LongSupplier nanoTime,
            Duration retry,
            CreditMode credit) {
        if (lease.toMillis() < 1) throw new IllegalArgumentException("a lease must be at least 1 ms, got " + lease);
        this.redis = redis;
        this.onFailure = onFailure;
        this.seed = seed;
        this.leaseMillis = lease.toMillis();
        this.events = events;
        this.nanoTime = nanoTime;
        this.retryNanos = retry.toNanos();
        this.credits = credit == CreditMode.OFF ? null : new Credits(new CreditStore(), idPrefix);
        if (credit == CreditMode.SCHEDULED) {
            flusher = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "llmlab-limits-credit");
                t.setDaemon(true);
                return t;
            });
            flusher.scheduleWithFixedDelay(
                    () -> {
                        if (usable()) credits.flush(System.currentTimeMillis());
                    },
                    Credits.FLUSH_MILLIS,
                    Credits.FLUSH_MILLIS,
                    TimeUnit.MILLISECONDS);
        } else flusher = null;
        if (redis.up()) {
            events.storeUp(true);
            preload();
        } else markDown("not connected");
    }

    private void preload() {
        try {
            RESERVE.preload(redis.strings());
            SETTLE.preload(redis.strings());
            ADJUST.preload(redis.strings());
        } catch (RuntimeException e) { // not connected: the next call loads them
        }
    }

    @Override
    public CompletionStage<Admission> reserve(List<Ask> asks, long nowMillis) {
        Set<String> seen = new HashSet<>();
        for (Ask a : asks) {
            if (!seen.add(a.subject() + '\0' + a.rule()))
                throw new IllegalArgumentException("two asks of " + a.subject() + " for the same rule " + a.rule());
        }
        if (asks.isEmpty()) return CompletableFuture.completedFuture(fallback.admit(asks, nowMillis));
        if (!usable()) return CompletableFuture.completedFuture(unavailable(asks, nowMillis));
        if (credits != null) {
            Admission.Granted drawn = credits.draw(asks, nowMillis);
            if (drawn != null) {
                events.checked(true);
                return CompletableFuture.completedFuture(drawn);
            }
        }
        events.checked(false);
        return attempt(new ReserveCall(asks, nowMillis, idPrefix + ids.incrementAndGet(), leaseMillis, seeded()), 0);
    }

    private CompletableFuture<Admission> attempt(ReserveCall c, int round) {
        return call(RESERVE, c.keys, c.args("reserve"))
                .handle((reply, err) -> {
                    if (err != null) return CompletableFuture.completedFuture(failed("reserve", err, c));
                    if ((Long) reply.getFirst() == -1) {
                        if (round >= SEED_ROUNDS)
                            return CompletableFuture.completedFuture(
                                    failed("seed", new IllegalStateException("budget counts keep vanishing"), c));
                        return seed(c, reply)
                                .handle((v, e) -> e != null
                                        ? CompletableFuture.completedFuture(failed("seed", e, c))
                                        : attempt(c, round + 1))
                                .thenCompose(f -> f);
                    }
                    markUp();
                    return CompletableFuture.completedFuture(c.admission(reply));
                })
                .thenCompose(f -> f);
    }

    /** Reads the spend of each budget the script found missing, into the call's seeds. */
    private CompletableFuture<Void> seed(ReserveCall c, List<Object> missing) {
        List<CompletableFuture<Long>> reads = new ArrayList<>();
        for (int j = 1; j < missing.size(); j++) {
            int i = (int) (long) (Long) missing.get(j) - 1;
            Ask a = c.asks.get(i);
            String key = c.keys[2 * i];
            long start = BudgetPeriod.start(a.rule().period(), c.slots[i]);
            CompletableFuture<Long> mine = new CompletableFuture<>();
            CompletableFuture<Long> read = seeding.putIfAbsent(key, mine);
            if (read == null) {
                read = mine;
                seeder.execute(() -> {
                    try {
                        mine.complete(seed.spent(a.subject(), a.rule(), start));
                    } catch (Throwable t) {
                        mine.completeExceptionally(t);
                    } finally {
                        seeding.remove(key, mine);
                    }
                });
            }
            reads.add(read.thenApply(v -> c.seeds[i] = Math.max(0, v)));
        }
        return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new));
    }

    @Override
    public void settle(Reservation reservation, Actual actual, long nowMillis) {
        if (reservation.credits() != null) {
            if (reservation.settle()) credits.settle(reservation, actual);
            return;
        }
        if (reservation.id() == null) { // counted here while Redis was down
            fallback.settle(reservation, actual, nowMillis);
            return;
        }
        if (!reservation.settle()) return;
        List<Ask> asks = reservation.asks();
        String[] keys = new String[2 * asks.size() + 1];
        String[] args = new String[3 + 4 * asks.size()];
        args[0] = Long.toString(nowMillis);
        args[1] = reservation.id();
        args[2] = Integer.toString(asks.size());
        for (int i = 0; i < asks.size(); i++) {
            Ask a = asks.get(i);
            keys[2 * i] = RedisKeys.key(a, reservation.slot(i));
            keys[2 * i + 1] = keys[2 * i] + ":leases";
            args[3 + 4 * i] = RedisKeys.kind(a.rule());
            args[4 + 4 * i] = Long.toString(reservation.slot(i));
            args[5 + 4 * i] = Long.toString(a.amount());
            args[6 + 4 * i] = Long.toString(actual.of(a.rule().meter(), a.amount()));
        }
        keys[keys.length - 1] = RedisKeys.PREFIX + "res:" + reservation.id();
        call(SETTLE, keys, args).whenComplete((v, e) -> {
            // lost: the lease frees what it held; its use reaches the ledger, not this count
            if (e != null) {
                events.storeError("settle");
                markDown(e);
            } else markUp();
        });
    }

    /** What {@code subject} has spent of a budget's current period (0 if Redis has no count). Blocks: not for an event loop. */
    public long spent(String subject, Rule budget, long nowMillis) {
        if (!budget.budget()) throw new IllegalArgumentException(budget + " is not a budget");
        return peek(subject, budget, nowMillis)[1];
    }

    /** What is left of a limit for {@code subject} now. Blocks: not for an event loop. */
    public long remaining(String subject, Rule rule, long nowMillis) {
        return peek(subject, rule, nowMillis)[0];
    }

    private long[] peek(String subject, Rule rule, long nowMillis) {
        ReserveCall c = new ReserveCall(List.of(new Ask(subject, rule, 0)), nowMillis, "peek", leaseMillis, seeded());
        try {
            List<Object> r = call(RESERVE, c.keys, c.args("peek")).get(5, TimeUnit.SECONDS);
            return new long[] {(Long) r.get(1), (Long) r.get(2)};
        } catch (Exception e) {
            events.storeError("read");
            throw new IllegalStateException("the limits store did not answer: " + e.getMessage(), e);
        }
    }

    private CompletableFuture<List<Object>> call(RedisScript script, String[] keys, String[] args) {
        try {
            return script.run(redis.strings(), keys, args, this::preload);
        } catch (RuntimeException e) { // not connected yet
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Whether a budget Redis lacks is set from a ledger (else from 0). */
    private boolean seeded() {
        return seed != BudgetSeed.NONE;
    }

    private boolean usable() {
        if (!redis.up()) {
            markDown("not connected");
            return false;
        }
        return !down.get() || nanoTime.getAsLong() - retryAt >= 0;
    }

    private Admission failed(String operation, Throwable error, ReserveCall c) {
        events.storeError(operation);
        markDown(error);
        return unavailable(c.asks, c.now);
    }

    /** The failure policy: a closed kind refuses the whole request; else this process counts it alone. */
    private Admission unavailable(List<Ask> asks, long nowMillis) {
        for (Ask a : asks) {
            if (!(a.rule().budget() ? onFailure.budgetsOpen() : onFailure.ratesOpen())) {
                events.fallback(false);
                return new Admission.Unavailable(a);
            }
        }
        events.fallback(true);
        return fallback.admit(asks, nowMillis);
    }

    private void markDown(Object reason) {
        retryAt = nanoTime.getAsLong() + retryNanos;
        if (credits != null) credits.dropAll(); // Redis may have lost them: each gateway would spend its own again
        if (down.compareAndSet(false, true)) {
            String why =
                    reason instanceof Throwable t ? String.valueOf(unwrap(t).getMessage()) : reason.toString();
            log.warn(
                    "the limits store (Redis) does not answer ({}): until it does, rates {} and budgets {}",
                    why,
                    onFailure.ratesOpen() ? "are counted in this gateway alone" : "refuse requests (503)",
                    onFailure.budgetsOpen() ? "are counted in this gateway alone" : "refuse requests (503)");
            events.storeUp(false);
        }
    }

    private void markUp() {
        if (down.get() && down.compareAndSet(true, false)) {
            log.info("the limits store (Redis) answers again: limits are shared again");
            events.storeUp(true);
        }
    }

    private static Throwable unwrap(Throwable t) {
        while (t.getCause() != null && (t instanceof java.util.concurrent.CompletionException)) t = t.getCause();
        return t;
    }

    /** Writes what credit changed (tests, on a virtual clock); its stage completes when Redis answered. */
    CompletableFuture<Void> flushCredit(long nowMillis) {
        return credits.flush(nowMillis);
    }

    /** Completes when every ask for credit so far has been answered (tests). */
    CompletableFuture<Void> creditAnswered() {
        return credits.answered();
    }

    /** Credit's calls to Redis (tests send a batch twice). */
    Credits.Store creditStore() {
        return new CreditStore();
    }

    /**
     * Stops drawing on credit and gives it back to Redis, waiting a few seconds at most; requests
     * that end later settle through their leases. Call before closing the connection.
     */
    @Override
    public void close() {
        if (credits == null) return;
        if (flusher != null) flusher.shutdownNow();
        credits.dropAll();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (credits.pending() && System.nanoTime() < deadline && redis.up()) {
            try {
                credits.flush(System.currentTimeMillis()).get(1, TimeUnit.SECONDS);
            } catch (Exception e) {
                break;
            }
        }
    }

    /** Credit's calls: {@code reserve.lua} in mode {@code allot}, and {@code adjust.lua}. */
    private final class CreditStore implements Credits.Store {
        @Override
        public CompletableFuture<Credits.Grant> allot(Ask ask, long spare, String id, long now) {
            ReserveCall c = new ReserveCall(List.of(ask), now, id, leaseMillis, seeded());
            String[] args = c.args("allot");
            args[6] = Long.toString(ask.rule().limit() - spare);
            return call(RESERVE, c.keys, args).handle((reply, err) -> {
                if (err != null) {
                    events.storeError("reserve");
                    markDown(err);
                    return null;
                }
                markUp();
                return (Long) reply.getFirst() == 1
                        ? new Credits.Grant((Long) reply.get(1), (Long) reply.get(2))
                        : null;
            });
        }

        @Override
        public CompletableFuture<List<Integer>> adjust(String marker, List<Credits.Op> ops, long now) {
            String[] keys = new String[1 + 2 * ops.size()];
            String[] args = new String[3 + 4 * ops.size()];
            keys[0] = RedisKeys.PREFIX + "batch:" + marker;
            args[0] = Long.toString(now);
            args[1] = MARKER_MILLIS;
            args[2] = Integer.toString(ops.size());
            for (int i = 0; i < ops.size(); i++) {
                Credits.Op op = ops.get(i);
                keys[1 + 2 * i] = op.key();
                keys[2 + 2 * i] = op.key() + ":leases";
                args[3 + 4 * i] = RedisKeys.kind(op.rule());
                args[4 + 4 * i] = op.id();
                args[5 + 4 * i] = Long.toString(op.change());
                args[6 + 4 * i] = Long.toString(op.spent());
            }
            return call(ADJUST, keys, args).handle((reply, err) -> {
                if (err != null) {
                    events.storeError("settle");
                    markDown(err);
                    return null;
                }
                markUp();
                List<Integer> lost = new ArrayList<>(reply.size());
                for (Object o : reply) lost.add((int) (long) (Long) o - 1);
                return lost;
            });
        }
    }
}
