package dev.llmlab.gateway.limits;

import java.util.ArrayList;
import java.util.List;

/**
 * One call of {@code reserve.lua}: a request's asks with their slots and keys, the script's
 * arguments, and its answer read as an {@link Admission}. The seeds of its budgets are filled in
 * when the script finds a budget missing ({@link RedisLimiter}).
 */
final class ReserveCall {
    final List<Ask> asks;
    final long now;
    final String id;
    final long[] slots;
    final String[] keys;
    /** Per ask, a budget's spend to start from when Redis lacks it; -1: ask the caller. */
    final long[] seeds;

    private final long leaseMillis;

    /** @param seeded whether a missing budget's spend comes from a ledger (else it starts from 0) */
    ReserveCall(List<Ask> asks, long now, String id, long leaseMillis, boolean seeded) {
        this.asks = asks;
        this.now = now;
        this.id = id;
        this.leaseMillis = leaseMillis;
        int n = asks.size();
        slots = new long[n];
        keys = new String[2 * n + 1];
        seeds = new long[n];
        for (int i = 0; i < n; i++) {
            slots[i] = RedisKeys.slot(asks.get(i).rule(), now);
            keys[2 * i] = RedisKeys.key(asks.get(i), slots[i]);
            keys[2 * i + 1] = keys[2 * i] + ":leases";
            seeds[i] = seeded ? -1 : 0;
        }
        keys[2 * n] = RedisKeys.PREFIX + "res:" + id;
    }

    /** @param mode {@code reserve}, {@code peek} or {@code allot} */
    String[] args(String mode) {
        int n = asks.size();
        String[] a = new String[5 + 5 * n];
        a[0] = mode;
        a[1] = Long.toString(now);
        a[2] = id;
        a[3] = Long.toString(now + leaseMillis);
        a[4] = Integer.toString(n);
        for (int i = 0; i < n; i++) {
            Ask ask = asks.get(i);
            Rule r = ask.rule();
            a[5 + 5 * i] = RedisKeys.kind(r);
            a[6 + 5 * i] = Long.toString(r.limit());
            a[7 + 5 * i] = Long.toString(ask.amount());
            a[8 + 5 * i] = r.budget() ? Long.toString(BudgetPeriod.end(r.period(), slots[i])) : "0";
            a[9 + 5 * i] = Long.toString(seeds[i]);
        }
        return a;
    }

    /** The answer of a reserve: granted or refused (not -1, a budget missing). */
    Admission admission(List<Object> reply) {
        if ((Long) reply.getFirst() == 0) {
            int i = (int) (long) (Long) reply.get(1) - 1;
            return new Admission.Refused(asks.get(i), (Long) reply.get(2), (Long) reply.get(3));
        }
        List<Standing> standings = new ArrayList<>(asks.size());
        for (int i = 0; i < asks.size(); i++)
            standings.add(new Standing(asks.get(i), (Long) reply.get(1 + 2 * i), (Long) reply.get(2 + 2 * i)));
        return new Admission.Granted(new Reservation(asks, slots, id), standings);
    }
}
