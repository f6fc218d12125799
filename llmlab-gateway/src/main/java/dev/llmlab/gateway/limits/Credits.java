package dev.llmlab.gateway.limits;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Credit: slices of the limits in Redis that one gateway holds ahead of its requests, so that most
 * requests are admitted here, without a round trip.
 *
 * <h2>The model</h2>
 * A check in Redis costs each request a round trip and a script run inside Redis, on the request's
 * path. With credit, a gateway asks Redis for a slice of each limit a request meets (about {@value
 * #REQUESTS_PER_CREDIT} requests' worth, at most a {@value #MAX_SHARE}th of the limit), reserved
 * there at once as one request would be ({@code reserve.lua}, mode {@code allot}): counted in the
 * current second of a rate, held of a budget or of the requests in flight under the credit's own
 * id and lease. Requests then draw on the slices here, under one lock; a request whose asks do not
 * all find enough credit is reserved in Redis on its own, exactly as without credit, and asks for
 * fresh credit on the way. A slice is asked for again when a quarter of it is left, so that under
 * steady load the requests find it ready.
 *
 * <p>Credit is granted only while a limit has a {@value #SPARE}th of itself to spare. Near a limit
 * every request is therefore reserved in Redis one by one, as exactly as before, and a credit
 * another gateway holds idle cannot starve this one's requests for long: a credit lives {@value
 * #LIFE_MILLIS} ms, after which what it did not lend goes back. A limit that refused a slice is not
 * asked for another for a quarter of that, so that near a limit a request costs one script, not
 * two. What requests used goes to Redis in
 * batches ({@code adjust.lua}, every {@value #FLUSH_MILLIS} ms from {@link RedisLimiter}): a
 * budget's spend, what each credit still holds, each rate second's correction (an estimate is an
 * upper bound of the use). A batch is applied once, even when it is resent after a reconnect.
 *
 * <p>This is escrow (O'Neil, "The Escrow Transactional Method", TODS 1986): a quantity split among
 * holders who each decide alone within their part; and the capacity leases of YouTube's Doorman,
 * with the lease (Gray and Cheriton, 1989) that frees a dead holder's part.
 *
 * <h2>What it keeps, and what it costs</h2>
 * <ul>
 *   <li>A budget: Redis counts every credit as reserved, so spent + reserved never passes the
 *       budget; a request drawn from a credit is inside it.
 *   <li>A rate: a credit counts in the second it was granted, while its requests may be sent up to
 *       a second later; that shift is only possible while a tenth of the limit is spare.
 *   <li>Requests in flight: a credit holds its slots; a request that ends gives its slot back to
 *       the credit.
 *   <li>Until a batch is written, what others see counts a credit's whole slice (more than was
 *       used, never less).
 *   <li>A gateway killed with {@code kill -9}: its credits' leases free what they held; spend not
 *       yet written to Redis (100 ms of it at most) reaches the ledger, not Redis's count: the
 *       same as a reservation that never settled.
 *   <li>The standings of a request drawn from a credit ({@code x-ratelimit-remaining}) are an
 *       estimate: what Redis had left when the credit was granted, less what this gateway drew on
 *       it since.
 * </ul>
 *
 * <p>Thread-safe: one lock, held for a few counter updates; nothing under it waits for Redis.
 */
final class Credits {
    static final long LIFE_MILLIS = 1000;
    static final long FLUSH_MILLIS = 100;
    static final int REQUESTS_PER_CREDIT = 16;
    static final int MAX_SHARE = 50;
    static final int SPARE = 10;
    static final int MAX_SCALE = 64;

    /** What credit needs of the store. Both answer on any thread, and never throw. */
    interface Store {
        /**
         * Reserves {@code amount} of {@code ask}'s limit less {@code spare}, for the credit {@code
         * id}; null when it does not fit, or the store failed.
         */
        CompletableFuture<Grant> allot(Ask ask, long spare, String id, long now);

        /** Applies {@code ops} once; answers the indexes of the ops whose credit the store no longer holds. */
        CompletableFuture<List<Integer>> adjust(String marker, List<Op> ops, long now);
    }

    /** A credit granted: where its limit stood after it. */
    record Grant(long remaining, long resetAt) {}

    /**
     * One change for the store.
     *
     * @param id     the credit's id; a rate's second for a rate
     * @param change of what the credit holds; a rate: of the second's use
     * @param spent  a budget's use to add
     * @param credit the credit it is of; null for a rate
     */
    record Op(String key, Rule rule, String id, long change, long spent, Credit credit) {}

    private record Id(String subject, Rule rule) {}

    private record RateSecond(String key, Rule rule, long second) {}

    /** One limit of one subject, and the credit this gateway holds of it now. */
    private static final class Book {
        final Ask ask;
        final long period;
        final String key;
        Credit current;
        boolean asking;
        /** How many times {@link #size} the next credit is: doubled while credits run out fast, halved while they idle. */
        long scale = 1;
        /** After a refusal (the limit has too little to spare), no credit is asked for before this: near a limit a request would otherwise cost two scripts. */
        long quietUntil = Long.MIN_VALUE;

        Book(Ask ask, long period, String key) {
            this.ask = ask;
            this.period = period;
            this.key = key;
        }
    }

    /** A slice of one limit. Its fields are guarded by the {@link Credits} that made it. */
    static final class Credit {
        final Book book;
        final String id;
        /** A rate's second; a budget's period; 0 for in flight. */
        final long slot;

        final long granted;
        final long grantedAt;
        final long expiresAt;
        /** What the limit has left, as far as this gateway knows, when nothing is drawn on the credit. */
        final long remaining;

        final long resetAt;
        long available;
        /** A budget's or in flight's: what Redis should hold for it (available + drawn by requests not ended). */
        long held;

        long written;
        long spent;
        boolean open = true;

        Credit(Book book, String id, long slot, long granted, long grantedAt, long remaining, long resetAt) {
            this.book = book;
            this.id = id;
            this.slot = slot;
            this.granted = granted;
            this.grantedAt = grantedAt;
            this.expiresAt = grantedAt + LIFE_MILLIS;
            this.remaining = remaining;
            this.resetAt = resetAt;
            this.available = granted;
            this.held = granted;
            this.written = granted;
        }
    }

    private final Store store;
    private final String idPrefix;
    private final Map<Id, Book> books = new HashMap<>();
    private final Set<Credit> dirty = new LinkedHashSet<>();
    private final Map<RateSecond, Long> rates = new LinkedHashMap<>();
    private long ids;
    /** Incremented by {@link #dropAll}: a grant asked for before it is given back at once. */
    private long generation;
    /** The batch sent and not yet known applied: sent again, as it is, before any other. */
    private Batch unsent;

    /** The batch on its way, or null. */
    private CompletableFuture<Void> sending;
    /** The asks for credit not yet answered (for tests, on a virtual clock). */
    private final Set<CompletableFuture<?>> asked = new LinkedHashSet<>();

    private record Batch(String marker, List<Op> ops) {}

    Credits(Store store, String idPrefix) {
        this.store = store;
        this.idPrefix = idPrefix;
    }

    /** How much credit to ask for an ask like {@code a}; 0 when its limit is too small for credit to help. */
    static long size(Ask a) {
        long max = a.rule().limit() / MAX_SHARE;
        long size = Math.min(max, Math.max(1, a.amount()) * REQUESTS_PER_CREDIT);
        return size < Math.max(1, 2 * a.amount()) ? 0 : size;
    }

    /**
     * Draws every ask on this gateway's credit; null when one of them finds too little (then none
     * is drawn, and credit is asked for those that lacked it).
     */
    synchronized Admission.Granted draw(List<Ask> asks, long now) {
        int n = asks.size();
        for (int i = 0; i < n; i++) if (size(asks.get(i)) == 0) return null;
        Credit[] drawn = new Credit[n];
        Book[] bs = new Book[n];
        boolean all = true;
        for (int i = 0; i < n; i++) {
            Ask a = asks.get(i);
            Book b = book(a, now);
            bs[i] = b;
            Credit c = b.current;
            if (c != null && now >= c.expiresAt) {
                expire(b);
                c = null;
            }
            if (c == null || c.available < a.amount()) {
                all = false;
                ask(b, a, now);
            } else drawn[i] = c;
        }
        if (!all) return null;
        long[] slots = new long[n];
        List<Standing> standings = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Ask a = asks.get(i);
            Credit c = drawn[i];
            c.available -= a.amount();
            slots[i] = c.slot;
            if (a.rule().period() == Period.MINUTE && now / 1000 != c.slot) {
                // drawn in a later second than the credit was counted in: counted where it was drawn
                slots[i] = now / 1000;
                correct(c.book, c.slot, -a.amount());
                correct(c.book, slots[i], a.amount());
            }
            standings.add(new Standing(a, Math.max(0, c.remaining - (c.granted - c.available)), c.resetAt));
            if (c.available * 4 < c.granted || now >= c.expiresAt - LIFE_MILLIS / 4) ask(bs[i], a, now);
        }
        return new Admission.Granted(new Reservation(asks, slots, null, drawn), standings);
    }

    private Book book(Ask a, long now) {
        Id id = new Id(a.subject(), a.rule());
        Book b = books.get(id);
        long period = a.rule().budget() ? RedisKeys.slot(a.rule(), now) : 0;
        if (b == null || b.period != period) {
            if (b != null && b.current != null) retire(b.current);
            b = new Book(a, period, RedisKeys.key(a, period));
            books.put(id, b);
        }
        return b;
    }

    /** Asks the store for a credit of {@code b}'s limit, sized for asks like {@code a}, unless one is on its way. */
    private void ask(Book b, Ask a, long now) {
        if (b.asking || now < b.quietUntil) return;
        b.asking = true;
        long size = Math.min(size(a) * b.scale, Math.max(size(a), a.rule().limit() / MAX_SHARE));
        Ask slice = new Ask(a.subject(), a.rule(), size);
        String id = idPrefix + "c" + (++ids);
        long gen = generation;
        long spare = a.rule().limit() / SPARE;
        CompletableFuture<?> f = store.allot(slice, spare, id, now);
        this.asked.add(f);
        f.whenComplete((g, e) -> granted(b, slice, id, gen, now, e == null ? (Grant) g : null));
    }

    private synchronized void granted(Book b, Ask slice, String id, long gen, long now, Grant g) {
        b.asking = false;
        this.asked.removeIf(CompletableFuture::isDone);
        if (g == null) {
            b.quietUntil = now + LIFE_MILLIS / 4;
            return;
        }
        // what others see left, plus this credit's slice, which is this gateway's to draw
        long remaining = g.remaining() + slice.rule().limit() / SPARE + slice.amount();
        Credit c = new Credit(b, id, RedisKeys.slot(slice.rule(), now), slice.amount(), now, remaining, g.resetAt());
        if (gen != generation || books.get(new Id(slice.subject(), slice.rule())) != b) {
            retire(c); // dropped meanwhile (the store failed), or the budget's period moved on
            return;
        }
        Credit old = b.current;
        if (old != null) {
            // lent most of it within a quarter of its life: the next one is twice as large
            if (old.available * 4 < old.granted && now - old.grantedAt < LIFE_MILLIS / 4 && b.scale < MAX_SCALE)
                b.scale *= 2;
            retire(old);
        }
        b.current = c;
    }

    /** Retires {@code b}'s credit, which lived its life: it was more than twice as large as needed, the next is half. */
    private void expire(Book b) {
        Credit c = b.current;
        if (c.available * 2 > c.granted && b.scale > 1) b.scale /= 2;
        retire(c);
        b.current = null;
    }

    /** Ends drawing on {@code c}; what it did not lend goes back with the next batch. */
    private void retire(Credit c) {
        if (!c.open) return;
        c.open = false;
        Rule r = c.book.ask.rule();
        if (r.period() == Period.MINUTE) correct(c.book, c.slot, -c.available);
        else {
            c.held -= c.available;
            dirty.add(c);
        }
        c.available = 0;
    }

    private void correct(Book b, long second, long change) {
        if (change != 0) rates.merge(new RateSecond(b.key, b.ask.rule(), second), change, Long::sum);
    }

    /** Settles a reservation drawn on credit: the use in place of the estimate, written with the next batch. */
    synchronized void settle(Reservation reservation, Actual actual) {
        Credit[] cs = reservation.credits();
        List<Ask> asks = reservation.asks();
        for (int i = 0; i < cs.length; i++) {
            Credit c = cs[i];
            Ask a = asks.get(i);
            long used = actual.of(a.rule().meter(), a.amount());
            switch (a.rule().period()) {
                case MINUTE -> correct(c.book, reservation.slot(i), used - a.amount());
                case NOW -> {
                    if (c.open) c.available += a.amount();
                    else {
                        c.held -= a.amount();
                        dirty.add(c);
                    }
                }
                case DAY, MONTH -> {
                    c.held -= a.amount();
                    c.spent += used;
                    dirty.add(c);
                }
            }
        }
    }

    /** Gives back every credit (the store failed, or the gateway stops); requests already drawn settle as usual. */
    synchronized void dropAll() {
        generation++;
        for (Book b : books.values()) {
            if (b.current != null) retire(b.current);
            b.current = null;
        }
    }

    /**
     * Retires the credits that expired and sends what changed since the last batch (or the last
     * batch again, if it was not answered). Sends nothing while a batch is on its way.
     *
     * @return the stage of the batch sent, or of the one on its way; completed at once when there
     *     was nothing to send
     */
    CompletableFuture<Void> flush(long now) {
        Batch batch;
        synchronized (this) {
            if (sending != null) return sending;
            for (Iterator<Book> it = books.values().iterator(); it.hasNext(); ) {
                Book b = it.next();
                if (b.current != null && now >= b.current.expiresAt) expire(b);
                if (b.current == null && !b.asking) it.remove();
            }
            if (unsent == null) unsent = batch(now);
            if (unsent == null) return CompletableFuture.completedFuture(null);
            batch = unsent;
            sending = new CompletableFuture<>();
        }
        CompletableFuture<Void> mine = sending;
        store.adjust(batch.marker(), batch.ops(), now).whenComplete((lost, e) -> {
            synchronized (this) {
                sending = null;
                if (e == null && lost != null) {
                    unsent = null; // else sent again, as it is, next time
                    for (int i : lost) {
                        Credit c = batch.ops().get(i).credit();
                        if (c != null && c.open) { // Redis no longer holds it: nothing more is drawn on it
                            c.held -= c.available;
                            c.available = 0;
                            c.open = false;
                        }
                    }
                }
            }
            mine.complete(null);
        });
        return mine;
    }

    private Batch batch(long now) {
        List<Op> ops = new ArrayList<>();
        for (Map.Entry<RateSecond, Long> e : rates.entrySet()) {
            RateSecond s = e.getKey();
            if (e.getValue() != 0) ops.add(new Op(s.key(), s.rule(), Long.toString(s.second()), e.getValue(), 0, null));
        }
        rates.clear();
        for (Credit c : dirty) {
            long change = c.held - c.written;
            if (change == 0 && c.spent == 0) continue;
            ops.add(new Op(c.book.key, c.book.ask.rule(), c.id, change, c.spent, c));
            c.written = c.held;
            c.spent = 0;
        }
        dirty.clear();
        return ops.isEmpty() ? null : new Batch(idPrefix + "b" + (++ids), List.copyOf(ops));
    }

    /** Completes when every ask for credit made so far has been answered (for tests). */
    synchronized CompletableFuture<Void> answered() {
        return CompletableFuture.allOf(asked.toArray(CompletableFuture[]::new)).handle((v, e) -> null);
    }

    /** Whether anything waits to be written (for tests and shutdown). */
    synchronized boolean pending() {
        return unsent != null || !rates.isEmpty() || !dirty.isEmpty();
    }
}
