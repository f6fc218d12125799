package dev.llmlab.core.time;

/**
 * A source of monotonic time in nanoseconds, the one seam through which timing code (schedulers,
 * latency models, rate limiters) reads the time, so the same code runs live on
 * {@link #system()} and in tests on a {@link VirtualClock}.
 *
 * <p>Values are only meaningful as differences between two readings of the same clock; the
 * origin is arbitrary and the value may be negative, as with {@link System#nanoTime()}.
 *
 * <p>Thread-safety: implementations must be safe to read from any thread.
 */
public interface Clock {

    /** Current time in nanoseconds since an arbitrary, fixed origin; never decreases. */
    long nanoTime();

    /** The JVM's monotonic clock, {@link System#nanoTime()}. */
    static Clock system() {
        return SystemClock.INSTANCE;
    }
}
