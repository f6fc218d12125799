package dev.llmlab.http;

import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/**
 * Counts a condition that may happen thousands of times a second (a refused connection, a failed
 * accept, a slow client cut) and says when one warning about it is due: at the first, then at most
 * once every 10 s, with how many there were since the last. A flood must not flood the log; nor may
 * a burst shorter than 10 s be reported as its first event alone, so the first event held back after
 * a warning arranges a summary line for when the 10 s are up.
 *
 * <p>Thread-safety: {@link #count} may be called from any thread at once; one caller wins each
 * warning, one arranges each summary.
 */
final class OccasionalWarning {
    static final long EVERY_NANOS = 10_000_000_000L;

    private final LongAdder count = new LongAdder();
    private final AtomicLong last = new AtomicLong();
    private final AtomicBoolean summaryPending = new AtomicBoolean();
    private volatile boolean warned;

    /**
     * Counts one; returns how many since the last warning when a warning is due now, else -1. When
     * it holds one back and no summary is pending, it schedules {@code summary} on {@code loop} for
     * the end of the 10 s, with how many were held back by then (it is not called for none).
     */
    long count(EventExecutor loop, LongConsumer summary) {
        count.increment();
        long now = System.nanoTime();
        long then = last.get();
        boolean due = !warned || now - then >= EVERY_NANOS;
        if (due && last.compareAndSet(then, now)) {
            warned = true;
            return count.sumThenReset();
        }
        if (summaryPending.compareAndSet(false, true)) {
            long wait = Math.max(0, last.get() + EVERY_NANOS - now);
            loop.schedule(() -> summarise(summary), wait, TimeUnit.NANOSECONDS);
        }
        return -1;
    }

    private void summarise(LongConsumer summary) {
        summaryPending.set(false);
        last.set(System.nanoTime()); // the summary is a warning: the next is 10 s away
        long held = count.sumThenReset();
        if (held > 0) {
            summary.accept(held);
        }
    }
}
