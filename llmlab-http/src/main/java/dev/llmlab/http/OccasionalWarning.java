package dev.llmlab.http;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts a condition that may happen thousands of times a second (a refused connection, a failed
 * accept) and says when one warning about it is due: at the first, then at most once every 10 s,
 * with how many there were since the last. A flood must not flood the log.
 *
 * <p>Thread-safety: {@link #count()} may be called from any thread at once; one caller wins each
 * warning.
 */
final class OccasionalWarning {
    static final long EVERY_NANOS = 10_000_000_000L;

    private final LongAdder count = new LongAdder();
    private final AtomicLong last = new AtomicLong();
    private volatile boolean warned;

    /** Counts one; returns how many since the last warning when a warning is due now, else -1. */
    long count() {
        count.increment();
        long now = System.nanoTime();
        long then = last.get();
        boolean due = !warned || now - then >= EVERY_NANOS;
        if (!due || !last.compareAndSet(then, now)) return -1;
        warned = true;
        return count.sumThenReset();
    }
}
