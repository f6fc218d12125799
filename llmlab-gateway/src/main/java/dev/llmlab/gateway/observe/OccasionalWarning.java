package dev.llmlab.gateway.observe;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Counts a condition that may happen thousands of times a second (a dropped log line) and says
 * when one warning about it is due: at the first, then at most once every 10 s, with how many
 * there were since the last. A flood must not flood the log. Thread-safe: one caller wins each
 * warning.
 */
final class OccasionalWarning {
    static final long EVERY_NANOS = 10_000_000_000L;

    private final LongAdder count = new LongAdder();
    private final AtomicLong last = new AtomicLong();
    private final LongSupplier nanoTime;
    private volatile boolean warned;

    OccasionalWarning(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** Counts one; returns how many since the last warning (this one included) when a warning is due now, else -1. */
    long count() {
        count.increment();
        long now = nanoTime.getAsLong();
        long then = last.get();
        boolean due = !warned || now - then >= EVERY_NANOS;
        if (!due || !last.compareAndSet(then, now)) return -1;
        warned = true;
        return count.sumThenReset();
    }
}
