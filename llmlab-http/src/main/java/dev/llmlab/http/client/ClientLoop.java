package dev.llmlab.http.client;

import io.netty.channel.EventLoop;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One of an {@link HttpClient}'s event loops, as a caller may use it: to run its own short work
 * there (an open loop's timers, a closed loop's first sends), so that the requests that work sends
 * go on this loop's connections with no hand-off between threads. Work run here must not block:
 * a blocked loop stalls every connection it serves. The loop itself stays the client's: nothing
 * here shuts it down or waits for it ({@link HttpClient#close()} does). Thread-safe.
 */
public final class ClientLoop implements Executor {
    private final EventLoop loop;

    ClientLoop(EventLoop loop) {
        this.loop = loop;
    }

    /** Runs {@code task} on the loop, after what is already queued there. */
    @Override
    public void execute(Runnable task) {
        loop.execute(task);
    }

    /** Runs {@code task} on the loop after {@code delay} (at once when it is not positive). */
    public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
        return loop.schedule(task, delay, unit);
    }

    /** Runs {@code task} on the loop from {@code initialDelay}, then every {@code period}, until cancelled. */
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, long initialDelay, long period, TimeUnit unit) {
        return loop.scheduleAtFixedRate(task, initialDelay, period, unit);
    }

    /** Whether the calling thread is this loop's. */
    public boolean inLoop() {
        return loop.inEventLoop();
    }
}
