package dev.llmlab.bench.client;

import dev.llmlab.bench.measure.Outcome;
import dev.llmlab.bench.measure.RequestRecord;
import dev.llmlab.core.token.Tokenizer;
import dev.llmlab.http.ClientTransport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The load generator's HTTP client, built like wrk's: every connection belongs to one event loop,
 * and a request sent from a loop (a closed-loop user's next request, an open loop's timer) runs on
 * that loop's own connections, with no hand-off between threads. Keep-alive connections are reused
 * from the loop's pool, most recent first; a new one is opened only when none is idle. A request's
 * head is written from bytes prepared once, its body after it, in one write; answers are read as
 * they arrive, SSE incrementally, with {@link System#nanoTime()} taken at the actual send, the
 * first response byte, every token-bearing event and the end. One request at a time per
 * connection (HTTP/1.1, no pipelining), so concurrency is connections.
 *
 * <p>Output tokens: the server's {@code usage} is taken when it gives one. The client's own count
 * (the tokenizer, which costs more than the rest of a short request's handling) is made for every
 * answer without usage, and otherwise for the first {@value #CHECK_FIRST} answers of each loop and
 * one in {@value #CHECK_EVERY} after, so that a server whose usage is wrong shows it without the
 * check capping the client's rate.
 *
 * <p>Timeouts are checked by each loop a few times per timeout period (at least every 100 ms), not
 * with a timer per request.
 *
 * <p>Thread-safe: {@link #send} may be called from any thread; each request then lives on one
 * loop, and its record is delivered there.
 */
public final class BenchClient implements AutoCloseable {
    static final int CHECK_FIRST = 1000;
    static final int CHECK_EVERY = 100;

    final Target target;
    final long timeoutNanos;
    final Tokenizer tokenizer;
    /** The request head up to the Content-Length value, the same for every request. */
    final byte[] head;

    private final EventLoopGroup group;
    private final Loop[] loops;
    private final AtomicInteger nextLoop = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong warmedUp = new java.util.concurrent.atomic.AtomicLong();
    private final String transport;

    /**
     * @param ioThreads event loops; each owns its connections
     * @param tokenizer counts the output text, next to the server's {@code usage}
     */
    public BenchClient(Target target, int ioThreads, Duration timeout, Tokenizer tokenizer) {
        this.target = target;
        this.timeoutNanos = timeout.toNanos();
        this.tokenizer = tokenizer;
        this.head = head(target);
        ClientTransport t = ClientTransport.select();
        this.transport = t.name();
        this.group = t.group(ioThreads, "llmlab-bench");
        List<EventLoop> executors = new ArrayList<>();
        for (EventExecutor e : group) executors.add((EventLoop) e);
        this.loops = new Loop[executors.size()];
        Bootstrap base = t.bootstrap(group, (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis())))
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new Connection(BenchClient.this, loop(ch.eventLoop()), ch));
                    }
                });
        long sweep = Math.max(1_000_000, Math.min(100_000_000, timeoutNanos / 10));
        for (int i = 0; i < loops.length; i++) {
            Loop l = new Loop(executors.get(i), base.clone(executors.get(i)));
            loops[i] = l;
            l.executor.scheduleAtFixedRate(l::sweep, sweep, sweep, TimeUnit.NANOSECONDS);
        }
    }

    /** {@code POST path HTTP/1.1}, Host, Content-Type, the target's headers, and {@code Content-Length: }. */
    private static byte[] head(Target target) {
        StringBuilder h = new StringBuilder();
        h.append("POST ")
                .append(target.path())
                .append(" HTTP/1.1\r\n")
                .append("host: ")
                .append(target.host())
                .append(':')
                .append(target.port())
                .append("\r\n")
                .append("content-type: application/json\r\n");
        for (Map.Entry<String, String> e : target.headers().entrySet()) {
            h.append(e.getKey()).append(": ").append(e.getValue()).append("\r\n"); // Target checked them
        }
        h.append("content-length: ");
        return h.toString().getBytes(StandardCharsets.UTF_8);
    }

    public String transport() {
        return transport;
    }

    /** How many event loops the client runs. */
    public int loops() {
        return loops.length;
    }

    /**
     * Event loop {@code i}, for scheduling sends on it: a request sent from a loop's own thread uses
     * that loop's connections.
     */
    public ScheduledExecutorService loop(int i) {
        return loops[i].executor;
    }

    /** Connections opened so far, warm-up included. */
    public long connectionsOpened() {
        long n = warmedUp.get();
        for (Loop l : loops) n += l.connects;
        return n;
    }

    /**
     * Sends one request (its actual send time is now: a connection it must open first is part of
     * its latency); {@code done} receives its record on an event loop, exactly once, whatever
     * happens (a refused connection and a timeout are records too).
     *
     * @param intendedNanos when the schedule meant it to go
     * @param slotWaitNanos how long it waited for a concurrency slot before this call
     */
    public void send(
            byte[] body, int inputTokens, long intendedNanos, long slotWaitNanos, Consumer<RequestRecord> done) {
        Exchange x = new Exchange(this, body, inputTokens, intendedNanos, slotWaitNanos, done);
        for (Loop l : loops) {
            if (l.executor.inEventLoop()) {
                l.start(x);
                return;
            }
        }
        Loop l = loops[Math.floorMod(nextLoop.getAndIncrement(), loops.length)];
        l.executor.execute(() -> l.start(x));
    }

    /**
     * Opens up to {@code connections} connections, spread over the loops, into the pools and waits
     * (at most a few seconds) for them, so that a run starts with connections ready and its first
     * sends do not pay for handshakes and class loading.
     */
    public void warmUp(int connections) {
        List<ChannelFuture> pending = new ArrayList<>();
        warmedUp.addAndGet(connections);
        for (int i = 0; i < connections; i++) {
            Loop l = loops[i % loops.length];
            ChannelFuture f = l.bootstrap.connect(target.host(), target.port());
            f.addListener(done -> {
                if (done.isSuccess()) l.idle.push(f.channel().pipeline().get(Connection.class));
            });
            pending.add(f);
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        for (ChannelFuture f : pending) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !f.awaitUninterruptibly(left, TimeUnit.NANOSECONDS)) f.cancel(false);
        }
        // Listeners run on the loops right after their futures complete; a task queued now runs after them.
        for (Loop l : loops) l.executor.submit(() -> {}).awaitUninterruptibly(1, TimeUnit.SECONDS);
    }

    /**
     * Abandons every request in flight, closing its connection (its record says CONNECTION): for a
     * run stopped early, whose queued requests would otherwise hold the next one up.
     */
    public void cancelAll() {
        for (Loop l : loops) {
            l.executor
                    .submit(() -> {
                        long now = System.nanoTime();
                        for (Connection c : new ArrayList<>(l.open)) c.cancel(now);
                    })
                    .awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private Loop loop(EventLoop e) {
        for (Loop l : loops) if (l.executor == e) return l;
        throw new IllegalStateException("a channel on a foreign event loop");
    }

    /** One event loop's connections; touched only from that loop's thread. */
    final class Loop {
        final EventLoop executor;
        final Bootstrap bootstrap;
        final ArrayDeque<Connection> idle = new ArrayDeque<>();
        final Set<Connection> open = new HashSet<>();
        private long answersWithUsage;
        private volatile long connects;

        Loop(EventLoop executor, Bootstrap bootstrap) {
            this.executor = executor;
            this.bootstrap = bootstrap;
        }

        /**
         * Begins a request: its actual send time is now, whether a kept-alive connection takes it at
         * once or one must be opened first (so a connect, like a server's slow accept, is part of its
         * latency rather than of the client's schedule lag, as every HTTP client's user sees it).
         */
        void start(Exchange x) {
            x.sentNanos = System.nanoTime();
            for (Connection c = idle.pollFirst(); c != null; c = idle.pollFirst()) {
                if (c.active()) {
                    c.begin(x);
                    return;
                }
            }
            connects++;
            ChannelFuture f = bootstrap.connect(target.host(), target.port());
            f.addListener(done -> {
                if (done.isSuccess())
                    f.channel().pipeline().get(Connection.class).begin(x);
                else x.finish(System.nanoTime(), Outcome.CONNECTION);
            });
        }

        /** Whether an answer that came with usage should also be counted by the tokenizer. */
        boolean check() {
            boolean c = nextChecked();
            answersWithUsage++;
            return c;
        }

        /** What the next {@link #check} will say. */
        boolean nextChecked() {
            return answersWithUsage < CHECK_FIRST || answersWithUsage % CHECK_EVERY == 0;
        }

        private void sweep() {
            long now = System.nanoTime();
            List<Connection> late = null;
            for (Connection c : open) {
                if (c.overdue(now)) {
                    if (late == null) late = new ArrayList<>();
                    late.add(c);
                }
            }
            if (late != null) for (Connection c : late) c.timeOut(now);
        }
    }
}
