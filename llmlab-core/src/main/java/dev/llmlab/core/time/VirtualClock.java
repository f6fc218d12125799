package dev.llmlab.core.time;

import java.time.Duration;

/**
 * A {@link Clock} that moves only when told to, so code written against {@code Clock} can be
 * tested on virtual time: deterministic, instantaneous, and without sleeps.
 *
 * <p>Thread-safety: safe for concurrent use. Reads are volatile, so a reader on another thread
 * sees every advance that happened-before it; concurrent advances add up and none is lost.
 */
public final class VirtualClock implements Clock {

    private volatile long now;

    /** A clock reading 0. */
    public VirtualClock() {
        this(0L);
    }

    /** A clock reading {@code startNanos}. */
    public VirtualClock(long startNanos) {
        this.now = startNanos;
    }

    @Override
    public long nanoTime() {
        return now;
    }

    /**
     * Moves the clock forward by {@code d}.
     *
     * @return the new time in nanoseconds
     * @throws IllegalArgumentException if {@code d} is negative, because a {@link Clock} never
     *     goes backwards
     */
    public long advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("cannot advance a clock by a negative duration: " + d);
        }
        return advanceNanos(d.toNanos());
    }

    /**
     * Moves the clock forward by {@code nanos}.
     *
     * @return the new time in nanoseconds
     * @throws IllegalArgumentException if {@code nanos} is negative
     */
    public synchronized long advanceNanos(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("cannot advance a clock by a negative amount: " + nanos + "ns");
        }
        // Writers serialise on the monitor so two concurrent advances both count; readers stay
        // lock-free on the volatile.
        long next = now + nanos;
        now = next;
        return next;
    }

    @Override
    public String toString() {
        return "VirtualClock[" + now + "ns]";
    }
}
