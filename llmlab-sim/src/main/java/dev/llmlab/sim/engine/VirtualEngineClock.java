package dev.llmlab.sim.engine;

import java.util.PriorityQueue;

/**
 * Virtual model time for tests and offline runs: nothing happens until {@link #runUntil} or
 * {@link #runAll} is called, which then runs every task in order of due time (FIFO among equal
 * times) and moves the clock to each task's time as it runs. No threads, no sleeps, and the same
 * inputs always give the same timeline. Any number of replicas may share one virtual clock.
 *
 * <p>Not thread-safe: drive it from one thread.
 */
public final class VirtualEngineClock implements EngineClock {
    private record Task(long at, long order, Runnable run) {}

    private final PriorityQueue<Task> tasks =
            new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.order, b.order));
    private long now;
    private long order;

    @Override
    public long now() {
        return now;
    }

    @Override
    public void schedule(long atNanos, Runnable task) {
        tasks.add(new Task(Math.max(atNanos, now), order++, task));
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(new Task(now, order++, task));
    }

    /** Runs every task due at or before {@code atNanos}, then leaves the clock at {@code atNanos}. */
    public void runUntil(long atNanos) {
        while (!tasks.isEmpty() && tasks.peek().at <= atNanos) {
            Task t = tasks.poll();
            now = t.at;
            t.run.run();
        }
        now = Math.max(now, atNanos);
    }

    /** Runs tasks until none is left; returns the time of the last. */
    public long runAll() {
        while (!tasks.isEmpty()) {
            Task t = tasks.poll();
            now = t.at;
            t.run.run();
        }
        return now;
    }

    /** Runs the earliest task, if any; false when there was none. */
    public boolean runNext() {
        Task t = tasks.poll();
        if (t == null) return false;
        now = t.at;
        t.run.run();
        return true;
    }

    /** Tasks waiting to run. */
    public int pending() {
        return tasks.size();
    }
}
