package dev.llmlab.gateway.limits;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What one request holds against its limits between {@link Limiter#reserve} and {@link
 * Limiter#settle}: its asks, and for each where it was counted (the second of a rate, the period
 * of a budget), so that settling corrects the count it made and not a later one. Settled once;
 * later calls are ignored, so that a request ending twice (an error after a cancel) is counted
 * once.
 */
public final class Reservation {
    private final List<Ask> asks;
    private final long[] slots;
    /** Its name in a shared store; null when it is counted in this process. */
    private final String id;
    /** Per ask, the credit it was drawn from ({@link Credits}); null when it was reserved in the store or here. */
    private final Credits.Credit[] credits;

    private final AtomicBoolean settled = new AtomicBoolean();

    Reservation(List<Ask> asks, long[] slots) {
        this(asks, slots, null);
    }

    Reservation(List<Ask> asks, long[] slots, String id) {
        this(asks, slots, id, null);
    }

    Reservation(List<Ask> asks, long[] slots, String id, Credits.Credit[] credits) {
        this.asks = List.copyOf(asks);
        this.slots = slots;
        this.id = id;
        this.credits = credits;
    }

    Credits.Credit[] credits() {
        return credits;
    }

    String id() {
        return id;
    }

    public List<Ask> asks() {
        return asks;
    }

    long slot(int i) {
        return slots[i];
    }

    /** Marks it settled; false if it already was. */
    boolean settle() {
        return settled.compareAndSet(false, true);
    }

    public boolean settled() {
        return settled.get();
    }
}
