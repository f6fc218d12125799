package dev.llmlab.sim.engine;

/**
 * The one clock that drives an engine replica: it tells model time and runs the replica's tasks,
 * one at a time, on the replica's thread.
 *
 * <p>Live, {@link #live} runs on a Netty event loop in real time, optionally sped up or slowed
 * down; tests and offline sweeps use {@link VirtualEngineClock}, which jumps from one scheduled
 * task to the next, so hours of model time take milliseconds and every run is deterministic.
 *
 * <p>Thread-safety: {@link #execute} may be called from any thread; {@link #now} may be read from
 * any thread; {@link #schedule} only from the clock's own thread (the engine schedules its own
 * step ends).
 */
public interface EngineClock {

    /** Model time in nanoseconds; arbitrary origin, never decreases. */
    long now();

    /** Runs {@code task} on the clock's thread once model time reaches {@code atNanos}. */
    void schedule(long atNanos, Runnable task);

    /** Runs {@code task} on the clock's thread after the tasks already due now. */
    void execute(Runnable task);

    /**
     * A clock on {@code executor} (one thread, such as a Netty event loop) in real time scaled by
     * {@code timeScale}: one second of model time takes {@code timeScale} seconds of wall time.
     *
     * @param lateness told, on the clock's thread, how late each scheduled task ran in model
     *                 nanoseconds; the engine's step timing error
     */
    static EngineClock live(
            java.util.concurrent.ScheduledExecutorService executor,
            double timeScale,
            java.util.function.LongConsumer lateness) {
        return new LiveEngineClock(executor, timeScale, lateness);
    }
}
