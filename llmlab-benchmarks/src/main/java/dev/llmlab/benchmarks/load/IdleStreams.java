package dev.llmlab.benchmarks.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Opens {@code --count} streaming requests that the server answers with headers and then nothing for a long
 * time (run the server with a long TTFT, e.g. {@code --ttft 300s}), holds them, and closes them all.
 *
 * <pre>
 * java -cp benchmarks.jar dev.llmlab.benchmarks.load.IdleStreams --port 8000 --count 15000 --ramp 5s \
 *     --hold 120s --ready-file /tmp/ready --release-file /tmp/release
 * </pre>
 *
 * <p>A stream counts as open once its {@code 200 text/event-stream} head has arrived. When every stream is open
 * (or {@code --open-timeout} passed) the tool prints {@code OPEN n} and writes n to {@code --ready-file}; it then
 * holds the streams until {@code --release-file} exists or {@code --hold} elapsed, reports how many are still
 * open, closes everything and exits: 0 if all {@code count} streams were open at release, 1 otherwise.
 * Connects are paced over {@code --ramp} and at most {@code --max-connecting} are in flight at once.
 */
public final class IdleStreams {

    static final String USAGE = """
            usage: IdleStreams [--host 127.0.0.1] [--port 8000] [--model gpt-4o-mini] [--max-tokens 16]
                               [--count 15000] [--ramp 5s] [--max-connecting 256] [--open-timeout 60s]
                               [--hold 60s] [--ready-file PATH] [--release-file PATH] [--io-threads 1]
                               [--transport auto|epoll|nio]""";

    private final String host;
    private final int port;
    private final byte[] request;
    private final int count;
    private final long rampNanos;
    private final long openTimeoutNanos;
    private final long holdNanos;
    private final Path readyFile;
    private final Path releaseFile;
    private final int ioThreads;
    private final String transportName;
    private final Semaphore connecting;

    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final LongAdder connectFailures = new LongAdder();
    private final LongAdder badResponses = new LongAdder();
    private final LongAdder closedEarly = new LongAdder();
    private final LongAdder events = new LongAdder();
    private final LongAdder tokens = new LongAdder();
    private volatile boolean releasing;
    private ChannelGroup channels;

    private IdleStreams(Args a) {
        host = a.str("host", "127.0.0.1");
        port = a.integer("port", 8000);
        String model = a.str("model", "gpt-4o-mini");
        int maxTokens = a.integer("max-tokens", 16);
        count = a.integer("count", 15000);
        rampNanos = a.nanos("ramp", "5s");
        openTimeoutNanos = a.nanos("open-timeout", "60s");
        holdNanos = a.nanos("hold", "60s");
        readyFile = a.has("ready-file") ? Path.of(a.str("ready-file", null)) : null;
        releaseFile = a.has("release-file") ? Path.of(a.str("release-file", null)) : null;
        ioThreads = a.integer("io-threads", 1);
        transportName = a.str("transport", "auto");
        connecting = new Semaphore(a.integer("max-connecting", 256));
        a.checkAllUsed();
        if (count < 1) {
            throw new IllegalArgumentException("--count must be >= 1");
        }
        request = ClientSupport.chatRequest(host, port, model, maxTokens, "Hello!", true);
    }

    public static void main(String[] argv) throws Exception {
        IdleStreams tool;
        try {
            tool = new IdleStreams(new Args(argv));
        } catch (IllegalArgumentException e) {
            System.err.println("IdleStreams: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        ClientSupport.configure();
        System.exit(tool.run());
    }

    private int run() throws Exception {
        ClientSupport.Transport t = ClientSupport.transport(transportName);
        EventLoopGroup group = ClientSupport.group(t, ioThreads, "idlestreams");
        channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        Bootstrap b = ClientSupport.bootstrap(group, t).handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new IdleConnection());
            }
        });
        System.out.printf(
                Locale.ROOT,
                "IdleStreams: opening %d streams to %s:%d over %.1f s (%s)%n",
                count,
                host,
                port,
                rampNanos / 1e9,
                t.name());
        long start = System.nanoTime();
        try {
            for (int i = 0; i < count; i++) {
                long at = start + rampNanos * i / count;
                long wait = at - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                if (!connecting.tryAcquire(
                        Math.max(1, start + openTimeoutNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    System.err.println("IdleStreams: open timeout while connecting; stopping at " + i);
                    failed.addAndGet(count - i);
                    break;
                }
                b.connect(host, port).addListener((ChannelFuture f) -> {
                    if (!f.isSuccess()) {
                        connecting.release();
                        connectFailures.increment();
                        failed.incrementAndGet();
                        if (connectFailures.sum() <= 3) {
                            System.err.println("connect failed: " + f.cause());
                        }
                    }
                });
            }
            long deadline = start + openTimeoutNanos;
            long lastPrint = System.nanoTime();
            while (open.get() + failed.get() < count && System.nanoTime() < deadline) {
                Thread.sleep(50);
                if (System.nanoTime() - lastPrint > 2_000_000_000L) {
                    lastPrint = System.nanoTime();
                    System.out.printf(Locale.ROOT, "  ... %d open, %d failed%n", open.get(), failed.get());
                }
            }
            int opened = open.get();
            System.out.printf(
                    Locale.ROOT,
                    "OPEN %d of %d in %.2f s (failed %d: connect %d, bad response %d, closed " + "early %d)%n",
                    opened,
                    count,
                    (System.nanoTime() - start) / 1e9,
                    failed.get(),
                    connectFailures.sum(),
                    badResponses.sum(),
                    closedEarly.sum());
            if (readyFile != null) {
                Path tmp = readyFile.resolveSibling(readyFile.getFileName() + ".tmp");
                Files.writeString(tmp, opened + "\n", StandardCharsets.US_ASCII);
                Files.move(tmp, readyFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }

            long holdUntil = System.nanoTime() + holdNanos;
            while (System.nanoTime() < holdUntil && (releaseFile == null || !Files.exists(releaseFile))) {
                Thread.sleep(100);
            }
            int atRelease = open.get();
            System.out.printf(
                    Locale.ROOT,
                    "HELD %d open at release (closed early %d, SSE events received %d, tokens %d)" + "%n",
                    atRelease,
                    closedEarly.sum(),
                    events.sum(),
                    tokens.sum());
            releasing = true;
            long closeStart = System.nanoTime();
            channels.close().await(30, TimeUnit.SECONDS);
            System.out.printf(
                    Locale.ROOT,
                    "CLOSED %d connections in %.2f s%n",
                    count - failed.get(),
                    (System.nanoTime() - closeStart) / 1e9);
            return atRelease == count ? 0 : 1;
        } finally {
            releasing = true;
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
        }
    }

    /** One idle stream: sends the request, waits for the head, then just listens. Confined to its event loop. */
    private final class IdleConnection extends ChannelInboundHandlerAdapter implements SseResponseParser.Listener {
        private final SseResponseParser parser = new SseResponseParser(this);
        /** 0 waiting for the head, 1 open, 2 failed (counted in {@code failed}). */
        private int state;

        private boolean permitHeld = true;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            channels.add(ctx.channel());
            ByteBuf req = ctx.alloc().directBuffer(request.length).writeBytes(request);
            ctx.writeAndFlush(req, ctx.voidPromise());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof ByteBuf buf && !parser.feed(buf)) {
                    System.err.println("parse error: " + parser.error());
                    ctx.close();
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void onHead(int status, boolean eventStream) {
            releasePermit();
            if (state != 0) {
                return;
            }
            if (status == 200 && eventStream) {
                state = 1;
                open.incrementAndGet();
            } else {
                state = 2;
                badResponses.increment();
                failed.incrementAndGet();
                if (badResponses.sum() <= 3) {
                    System.err.println("unexpected response: status " + status + ", event-stream " + eventStream);
                }
            }
        }

        @Override
        public void onEvent(boolean token, boolean done) {
            events.increment();
            if (token) {
                tokens.increment();
            }
        }

        @Override
        public void onEnd(boolean keepAlive) {
            // The stream ended while it should have been idle: the server's TTFT is shorter than the hold.
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            releasePermit();
            if (state == 1) {
                open.decrementAndGet();
                if (!releasing) {
                    closedEarly.increment();
                }
            } else if (state == 0 && !releasing) {
                failed.incrementAndGet();
                closedEarly.increment();
            }
            state = 2;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!releasing) {
                System.err.println("connection error: " + cause);
            }
            ctx.close();
        }

        private void releasePermit() {
            if (permitHeld) {
                permitHeld = false;
                connecting.release();
            }
        }
    }
}
