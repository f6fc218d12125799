package dev.llmlab.sim.serve;

import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Hands tokens from an engine replica's thread to the connections' event loops, one task per
 * loop per engine step instead of one per token: a step of 256 decoding sequences wakes each
 * other loop once. Work for the engine's own loop runs in place at the end of the step.
 *
 * <p>One outbox per engine thread (a thread local); used only on that thread.
 */
final class Outbox {
    private static final ThreadLocal<Outbox> CURRENT = ThreadLocal.withInitial(Outbox::new);

    private final Map<EventExecutor, ArrayList<Runnable>> byLoop = new IdentityHashMap<>();

    /** Queues {@code task} for {@code loop} until the current engine step ends. */
    static void post(EventExecutor loop, Runnable task) {
        CURRENT.get().byLoop.computeIfAbsent(loop, l -> new ArrayList<>()).add(task);
    }

    /** Sends what this thread's engine step produced: one task per other loop, this loop's work now. */
    static void flush() {
        Outbox o = CURRENT.get();
        for (var e : o.byLoop.entrySet()) {
            ArrayList<Runnable> tasks = e.getValue();
            if (tasks.isEmpty()) continue;
            EventExecutor loop = e.getKey();
            if (loop.inEventLoop()) {
                for (int i = 0; i < tasks.size(); i++) tasks.get(i).run();
            } else {
                Runnable[] batch = tasks.toArray(new Runnable[0]);
                try {
                    loop.execute(() -> {
                        for (Runnable r : batch) r.run();
                    });
                } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                    // the server is shutting down: its connections are closing, nobody is left to tell
                }
            }
            tasks.clear();
        }
    }
}
