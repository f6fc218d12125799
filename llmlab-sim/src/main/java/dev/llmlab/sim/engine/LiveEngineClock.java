package dev.llmlab.sim.engine;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * Model time over {@link System#nanoTime()}: {@code now = (wall - origin) / timeScale}. Tasks run
 * on one executor thread (a Netty event loop in the server), so the engine needs no locks. Due
 * times are absolute, so a late timer does not shift the steps after it: the engine starts its
 * next step at the modelled end of the last one, and lateness shows as an error, not as drift.
 *
 * <p>Time scale 0 (no delays) runs every task at once and moves model time to each task's due
 * time as it runs, so the engine's timeline stays consistent while wall time does not pass.
 */
final class LiveEngineClock implements EngineClock {
    private final ScheduledExecutorService executor;
    private final double timeScale;
    private final long origin = System.nanoTime();
    private final LongConsumer lateness;
    private volatile long instantNow; // model time when timeScale == 0

    LiveEngineClock(ScheduledExecutorService executor, double timeScale, LongConsumer lateness) {
        if (!(timeScale >= 0) || Double.isInfinite(timeScale)) {
            throw new IllegalArgumentException("the time scale must be a finite number >= 0, got " + timeScale);
        }
        this.executor = executor;
        this.timeScale = timeScale;
        this.lateness = lateness;
    }

    @Override
    public long now() {
        if (timeScale == 0) return instantNow;
        long wall = System.nanoTime() - origin;
        return timeScale == 1.0 ? wall : (long) (wall / timeScale);
    }

    @Override
    public void schedule(long atNanos, Runnable task) {
        if (timeScale == 0) {
            executor.execute(() -> {
                if (atNanos > instantNow) instantNow = atNanos;
                task.run();
            });
            return;
        }
        long delay = (long) ((atNanos - now()) * timeScale);
        Runnable timed = () -> {
            lateness.accept(Math.max(0, now() - atNanos));
            task.run();
        };
        if (delay <= 0) executor.execute(timed);
        else executor.schedule(timed, delay, TimeUnit.NANOSECONDS);
    }

    @Override
    public void execute(Runnable task) {
        executor.execute(task);
    }
}
