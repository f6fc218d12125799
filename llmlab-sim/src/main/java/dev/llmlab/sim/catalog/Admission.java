package dev.llmlab.sim.catalog;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A per-model concurrency gate: at most {@code maxConcurrency} requests generate at once, the rest
 * wait in FIFO order in a queue bounded by {@code maxQueue}; beyond that a request is refused, so
 * the queue (and memory) never grows without bound. {@code maxConcurrency == 0} means no gate.
 *
 * <p>Lock-free: a CAS on the running count admits, a concurrent queue holds the waiters, and a
 * finishing request hands its slot straight to the next waiter. Thread-safe.
 */
public final class Admission {
    /** What a waiter does when it gets its slot; it must run its start on its own event loop. */
    public interface Waiter {
        void admitted();
    }

    private final int maxConcurrency;
    private final int maxQueue;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger waiting = new AtomicInteger();
    private final ConcurrentLinkedQueue<Waiter> queue = new ConcurrentLinkedQueue<>();

    public Admission(int maxConcurrency, int maxQueue) {
        this.maxConcurrency = maxConcurrency;
        this.maxQueue = maxQueue;
    }

    /** Where {@link #acquire} placed a request: in a slot now, in the queue, or nowhere (the queue is full). */
    public enum Placement {
        ADMITTED,
        QUEUED,
        REJECTED
    }

    /** Tries to take a slot; queues {@code waiter} when none is free and the queue has room. */
    public Placement acquire(Waiter waiter) {
        if (maxConcurrency == 0) {
            running.incrementAndGet();
            return Placement.ADMITTED;
        }
        for (int r = running.get(); r < maxConcurrency; r = running.get()) {
            if (running.compareAndSet(r, r + 1)) return Placement.ADMITTED;
        }
        if (waiting.incrementAndGet() > maxQueue) {
            waiting.decrementAndGet();
            return Placement.REJECTED;
        }
        queue.add(waiter);
        // A slot may have been released between the failed CAS and the enqueue: re-check so the
        // waiter is not stranded.
        drain();
        return Placement.QUEUED;
    }

    /** Removes a waiter that gave up (its client went away) before it was admitted. */
    public boolean cancel(Waiter waiter) {
        if (queue.remove(waiter)) {
            waiting.decrementAndGet();
            return true;
        }
        return false;
    }

    /** Releases a slot taken by {@link #acquire} and admits the next waiter, if any. */
    public void release() {
        running.decrementAndGet();
        drain();
    }

    private void drain() {
        if (maxConcurrency == 0) return;
        while (!queue.isEmpty()) {
            int r = running.get();
            if (r >= maxConcurrency) return;
            if (!running.compareAndSet(r, r + 1)) continue;
            Waiter next = queue.poll();
            if (next == null) {
                running.decrementAndGet();
                continue;
            }
            waiting.decrementAndGet();
            next.admitted();
        }
    }

    public int running() {
        return running.get();
    }

    public int waiting() {
        return waiting.get();
    }
}
