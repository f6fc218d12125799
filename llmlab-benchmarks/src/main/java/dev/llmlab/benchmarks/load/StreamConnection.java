package dev.llmlab.benchmarks.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * One client connection of {@link StreamLoad}: sends a streaming request, parses the response in place,
 * timestamps every token event, and on the end of a stream sends the next request on the same connection
 * (keep-alive) or opens a replacement connection, so the number of concurrent streams stays at the target.
 *
 * <p>Timestamps: {@link System#nanoTime()} is read once per {@code channelRead}, i.e. when the bytes were
 * handed to us by the transport; every token in that read gets that time. That is the arrival time as the
 * client can observe it; reading the clock per token would only add parse time to later tokens of a batch.
 *
 * <p>Confined to its channel's event loop.
 */
final class StreamConnection extends ChannelInboundHandlerAdapter implements SseResponseParser.Listener {

    private final StreamLoad load;
    private final SseResponseParser parser = new SseResponseParser(this);
    private ChannelHandlerContext ctx;
    private LoopStats stats;

    private int requests;
    private long now;
    private long sentAt;
    private long firstTokenAt;
    private long lastTokenAt;
    private int tokens;
    private boolean inStream;
    private boolean streamOk;
    private boolean sawDone;
    /** We are closing this connection on purpose: its close is not an error and needs no replacement. */
    private boolean closing;

    StreamConnection(StreamLoad load) {
        this.load = load;
    }

    /** True while a stream is in progress and has produced at least one token. */
    boolean producing() {
        return inStream && tokens > 0;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.stats = load.stats(ctx.channel().eventLoop());
        stats.connections.add(this);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        stats.connects++;
        if (!load.running()) {
            closing = true;
            ctx.close();
            return;
        }
        send();
    }

    private void send() {
        requests++;
        tokens = 0;
        inStream = true;
        streamOk = true;
        sawDone = false;
        stats.streamsStarted++;
        byte[] req = load.requestBytes();
        ByteBuf b = ctx.alloc().directBuffer(req.length).writeBytes(req);
        sentAt = System.nanoTime();
        ctx.writeAndFlush(b, ctx.voidPromise());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        now = System.nanoTime();
        try {
            if (msg instanceof ByteBuf buf && !closing) {
                if (!parser.feed(buf)) {
                    stats.parseErrors++;
                    if (stats.parseErrors <= 3) {
                        System.err.println("parse error: " + parser.error());
                    }
                    endStream(false);
                    closeAndReplace(true);
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void onHead(int status, boolean eventStream) {
        if (status != 200) {
            stats.status(status);
            streamOk = false;
        } else if (!eventStream) {
            stats.notEventStream++;
            streamOk = false;
        }
    }

    @Override
    public void onEvent(boolean token, boolean done) {
        if (done) {
            sawDone = true;
        }
        if (!token) {
            return;
        }
        long t = now;
        if (tokens == 0) {
            firstTokenAt = t;
            stats.ttft(t, t - sentAt, requests == 1);
        } else {
            stats.itl(t, t - lastTokenAt);
        }
        lastTokenAt = t;
        tokens++;
        stats.token(t);
    }

    @Override
    public void onEnd(boolean keepAlive) {
        boolean ok = streamOk;
        endStream(true);
        if (!load.running()) {
            closing = true;
            ctx.close();
        } else if (keepAlive && load.mayReuse(requests)) {
            if (ok) {
                send();
            } else {
                // An error answer: back off instead of hammering the server with failing requests.
                ctx.executor().schedule(this::sendIfRunning, StreamLoad.RETRY_DELAY_MS, TimeUnit.MILLISECONDS);
            }
        } else {
            closeAndReplace(!ok);
        }
    }

    private void sendIfRunning() {
        if (load.running() && !closing && ctx.channel().isActive()) {
            send();
        }
    }

    private void endStream(boolean complete) {
        if (!inStream) {
            return;
        }
        inStream = false;
        if (tokens > 0) {
            stats.active(firstTokenAt, lastTokenAt);
        }
        if (complete && streamOk) {
            stats.streamsCompleted++;
            if (!sawDone) {
                stats.streamsWithoutDone++;
            }
        }
    }

    private void closeAndReplace(boolean afterError) {
        closing = true;
        ctx.close();
        if (load.running()) {
            load.connectAfter(afterError ? StreamLoad.RETRY_DELAY_MS : 0);
        }
    }

    /** End of the test: counts a stream still producing as active to the end of the window, then closes. */
    void stop(long windowEnd) {
        if (inStream && tokens > 0) {
            stats.active(firstTokenAt, windowEnd);
            inStream = false;
        }
        closing = true;
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stats.connections.remove(this);
        if (parser.closed()) {
            return; // a close-delimited response ended; onEnd did the rest
        }
        if (!closing) {
            if (inStream) {
                stats.prematureCloses++;
                endStream(false);
            }
            if (load.running()) {
                load.connectAfter(StreamLoad.RETRY_DELAY_MS);
            }
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        stats.ioErrors++;
        if (stats.ioErrors <= 3) {
            System.err.println("connection error: " + cause);
        }
        ctx.close();
    }
}
