package dev.llmlab.gateway.limits;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The limits of one gateway process, in memory: reserve before the call, settle after.
 *
 * <h2>The model</h2>
 * A request is held to several limits at once: its key's and its team's requests and tokens per
 * minute, requests in flight, and budgets in tokens or money per day or month. Before it is sent
 * its use is not known, so the gateway reserves an estimate: one request, the prompt's tokens plus
 * the most the answer may take ({@code max_tokens}, or the route's cap), and that estimate's price.
 * The reservation is all or nothing: if one limit refuses, none is charged, so a request refused
 * by its team's budget does not eat its key's rate. When the request ends, {@link #settle} puts
 * what it used in place of the estimate (a stream cut short pays for what was delivered) and
 * frees the rest. This is a card payment's authorisation hold and capture; among LLM gateways,
 * TensorZero reserves tokens only when a request states {@code max_tokens}, and LiteLLM counts
 * after the call, so concurrent requests all pass a limit that only one of them fits.
 *
 * <h2>What it guarantees</h2>
 * <ul>
 *   <li>A budget admits a request only if spent + reserved + its estimate fits, so the spend passes
 *       the budget only by what requests in flight use beyond their estimates: with estimates that
 *       bound the use (an answer cannot pass {@code max_tokens}), never.
 *   <li>A rate counts the last 60 one-second buckets: at most the limit over any 60 whole seconds
 *       ({@link MinuteCounter}).
 *   <li>Reserve and settle are atomic across a request's limits: one lock, held for a few counter
 *       updates. Settling twice counts once.
 * </ul>
 *
 * <p>The counters are keyed by subject and rule, both from the configuration or the key store
 * (never from what a client sends), so the map grows with the keys and teams that exist.
 *
 * <p>Thread-safe.
 */
public final class LocalLimiter implements Limiter {
    private record Id(String subject, Rule rule) {}

    private final Map<Id, Counter> counters = new HashMap<>();
    private final BudgetSeed seed;

    public LocalLimiter() {
        this(BudgetSeed.NONE);
    }

    /** @param seed what each budget's counter starts from when it is made */
    public LocalLimiter(BudgetSeed seed) {
        this(seed, false);
    }

    /**
     * @param seed            what each budget's counter starts from when it is made
     * @param budgetsFailOpen when the seed cannot be read: start the budget from 0 (true), or refuse
     *                        its requests as {@link Admission.Unavailable} until it can (false)
     */
    public LocalLimiter(BudgetSeed seed, boolean budgetsFailOpen) {
        this.seed = seed;
        this.budgetsFailOpen = budgetsFailOpen;
    }

    private final boolean budgetsFailOpen;

    /** A budget's counter could not be started: its seed could not be read. */
    private static final class Unseeded extends RuntimeException {
        Unseeded(RuntimeException cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    private Counter counter(Id id, long now) {
        Counter c = counters.get(id);
        if (c == null) {
            c = Counter.of(id.rule());
            if (c instanceof BudgetCounter b) {
                long spent;
                try {
                    spent = seed.spent(id.subject(), id.rule(), b.startMillis(now));
                } catch (RuntimeException e) {
                    if (!budgetsFailOpen) throw new Unseeded(e);
                    spent = 0;
                }
                b.seed(Math.max(0, spent), now);
            }
            counters.put(id, c);
        }
        return c;
    }

    @Override
    public CompletionStage<Admission> reserve(List<Ask> asks, long nowMillis) {
        return CompletableFuture.completedFuture(admit(asks, nowMillis));
    }

    /** {@link #reserve}, answered here and now. */
    public synchronized Admission admit(List<Ask> asks, long nowMillis) {
        Counter[] cs = new Counter[asks.size()];
        Set<Id> seen = new HashSet<>();
        for (int i = 0; i < cs.length; i++) {
            Ask a = asks.get(i);
            Id id = new Id(a.subject(), a.rule());
            if (!seen.add(id))
                throw new IllegalArgumentException("two asks of " + a.subject() + " for the same rule " + a.rule());
            try {
                cs[i] = counter(id, nowMillis);
            } catch (Unseeded e) {
                return new Admission.Unavailable(a, e.getMessage());
            }
            long wait = cs[i].waitMillis(a.amount(), nowMillis);
            if (wait != Counter.FITS) return new Admission.Refused(a, cs[i].remaining(nowMillis), wait);
        }
        long[] slots = new long[cs.length];
        List<Standing> standings = new ArrayList<>(cs.length);
        for (int i = 0; i < cs.length; i++) {
            Ask a = asks.get(i);
            slots[i] = cs[i].reserve(a.amount(), nowMillis);
            standings.add(new Standing(a, cs[i].remaining(nowMillis), cs[i].resetAtMillis(nowMillis)));
        }
        return new Admission.Granted(new Reservation(asks, slots), standings);
    }

    @Override
    public synchronized void settle(Reservation reservation, Actual actual, long nowMillis) {
        if (!reservation.settle()) return;
        List<Ask> asks = reservation.asks();
        for (int i = 0; i < asks.size(); i++) {
            Ask a = asks.get(i);
            Counter c = counters.get(new Id(a.subject(), a.rule()));
            if (c != null)
                c.settle(reservation.slot(i), a.amount(), actual.of(a.rule().meter(), a.amount()), nowMillis);
        }
    }

    /** What {@code subject} has spent of a budget's current period. */
    public synchronized long spent(String subject, Rule budget, long nowMillis) {
        if (!budget.budget()) throw new IllegalArgumentException(budget + " is not a budget");
        return ((BudgetCounter) counter(new Id(subject, budget), nowMillis)).spent(nowMillis);
    }

    /** What is left of a limit for {@code subject} now. */
    public synchronized long remaining(String subject, Rule rule, long nowMillis) {
        return counter(new Id(subject, rule), nowMillis).remaining(nowMillis);
    }
}
