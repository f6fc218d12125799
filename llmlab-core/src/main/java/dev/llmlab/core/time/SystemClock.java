package dev.llmlab.core.time;

/** {@link Clock} over {@link System#nanoTime()}; stateless and thread-safe. */
enum SystemClock implements Clock {
    INSTANCE;

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public String toString() {
        return "Clock.system()";
    }
}
