package dev.llmlab.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ByteProcessor;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-connection state machine, last in the pipeline after {@code HttpServerCodec}: aggregates a request,
 * routes it, runs the handler, and keeps responses in request order.
 *
 * <h2>Why it is built this way</h2>
 * <ul>
 *   <li>Aggregation is done here instead of by {@code HttpObjectAggregator}: a body that arrives in one piece
 *       (the common case) is handed over as the decoder's slice without a copy or a composite buffer, and the
 *       size limit and {@code Expect} handling come for free in the same place.</li>
 *   <li>Ordering: at most one exchange is in flight per connection. Messages that arrive meanwhile (pipelining,
 *       or a client talking during a stream) wait in a backlog and reads pause until it is served. A client that
 *       waits for each response, as load generators with keep-alive do, never touches the backlog or
 *       {@code autoRead}, so the hot path pays nothing for pipelining support.</li>
 *   <li>Flushing: responses written while a read batch is in progress are flushed once in
 *       {@code channelReadComplete}, so a burst of requests costs one syscall, not one per response; anything
 *       written outside a read (timers, other threads) is flushed at once.</li>
 *   <li>Timeouts: one timer per connection, re-armed when it fires (or brought forward when a deadline starts
 *       that is earlier than its next firing), instead of {@code IdleStateHandler}, which adds a listener to
 *       every write and would not know that a silent SSE stream is still active. It enforces three rules, the
 *       earliest first: the idle timeout (silence), the head deadline and the body deadline (see
 *       {@link HttpServer.Builder#headTimeout} and {@link HttpServer.Builder#bodyTimeout}). The idle timeout
 *       alone is the slow-loris hole: a client that sends a byte every few seconds is never silent for
 *       long, so a head or body must also be complete by a deadline that its bytes do not move (or, for a
 *       body, move only as fast as a minimum rate). The clocks run only while it is the client's turn:
 *       not while an exchange is in flight or the server has paused reading, and they restart when the
 *       server hands the turn back, so the server's own slowness never counts against a client.</li>
 *   <li>Where a head is: the handler sees decoded messages, not bytes, so a read that decoded nothing while
 *       no request was in progress, and that held more than blank lines (which the codec skips between
 *       requests; {@link #bytesWatch()} looks at the bytes before the codec, after TLS), means the codec
 *       holds part of a head: its clock starts then. Blank lines or TLS records alone are not a head, so an
 *       idle client never gets an unsolicited 408. A read that ended one request and began the next is not
 *       seen as such; the next read starts that clock (and the idle timeout bounds the wait for it).</li>
 *   <li>Errors that leave unread input behind (413, 431, ...) half-close and keep draining input for a moment
 *       before closing, since closing a socket with unread data sends a reset that can destroy the error
 *       response before the client reads it.</li>
 * </ul>
 *
 * <p>Thread-safety: confined to the channel's event loop, except {@link #beginDrainLater()} and
 * {@link #forceClose()}, which hand over to it.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ConnectionHandler.class);

    /** How long a refused connection keeps reading (and dropping) so that its client reads the 503. */
    static final long REFUSAL_LINGER_MILLIS = 200;

    final ServerContext server;
    private ChannelHandlerContext ctx;

    // The request being received: headers seen, body not complete.
    private HttpRequest request;
    private ByteBuf body;
    private boolean bodyIsAccumulator;
    private long contentLengthHint;

    private HttpExchange inFlight;
    private ArrayDeque<Object> backlog;
    private boolean backlogDrainScheduled;
    private boolean drainingBacklog;
    private boolean pausedForBacklog;
    private boolean pausedForWrite;

    private boolean batching;
    private boolean flushPending;
    /** An answer that ends the connection is on its way: everything read from now on is dropped. */
    private boolean discarding;
    /** Graceful shutdown, or a rejected request: the current exchange is the last one. */
    private boolean closeAfterExchange;

    private boolean lingerOnClose;

    private long lastActivity;
    /** Part of a request head may have been read (or, on a new connection, the first head is awaited). */
    private boolean headPending;
    /** Bytes of the pending head were read, so it is a request that times out (a 408), not silence. */
    private boolean headBytes;

    private long headStart;
    private long bodyStart;
    /** The current read decoded a message: what it read was not only part of a head. */
    private boolean readMessage;
    /** The current read, between requests, held more than blank lines. */
    private boolean readHeadBytes;

    private ScheduledFuture<?> timer;
    /** When {@link #timer} fires; meaningless while it is null. */
    private long timerDue;

    private final Runnable timerCheck = this::onTimer;
    private final Runnable backlogDrain = this::drainBacklog;
    private final ChannelFutureListener lingerThenClose = this::lingerThenClose;

    ConnectionHandler(ServerContext server) {
        this.server = server;
    }

    Channel channel() {
        return ctx.channel();
    }

    // ---- lifecycle

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (server.full()) {
            refuse(ctx);
            return;
        }
        lastActivity = ticker();
        // As nginx's client_header_timeout, the first head's clock starts at the accept.
        headPending = true;
        headStart = lastActivity;
        armTimer();
        server.register(this);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        batching = false;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        dropPartialRequest();
        releaseBacklog();
        HttpExchange ex = inFlight;
        if (ex != null) {
            ex.closed();
        }
        server.unregister(this);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            log.debug("connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        } else if (cause.getCause() instanceof javax.net.ssl.SSLException tls) {
            // A client that refused the certificate, or spoke plain HTTP to TLS: its problem, one line.
            log.debug("TLS with {} failed: {}", ctx.channel().remoteAddress(), tls.getMessage());
        } else {
            log.warn("connection {} failed", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }

    // ---- reading

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        batching = true;
        readMessage = true;
        if (msg instanceof HttpRequest) {
            headPending = false;
        }
        if (discarding) {
            ReferenceCountUtil.release(msg);
        } else if (inFlight != null || (backlog != null && !backlog.isEmpty())) {
            if (closeAfterExchange && inFlight != null) {
                ReferenceCountUtil.release(msg); // nothing after the last exchange will be served
            } else {
                enqueue(msg);
            }
        } else {
            handle(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        batching = false;
        lastActivity = ticker();
        if (!readMessage && readHeadBytes && request == null && !discarding) {
            // Bytes that made no message, with no body in progress: the codec holds part of a head.
            if (!headPending) {
                headPending = true;
                headStart = lastActivity;
                armTimer();
            }
            headBytes = true;
        }
        readMessage = false;
        readHeadBytes = false;
        if (flushPending) {
            flushPending = false;
            ctx.flush();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            if (pausedForWrite) {
                pausedForWrite = false;
                updateAutoRead();
                clientsTurn();
            }
            if (inFlight != null) {
                inFlight.writable();
            }
        }
        ctx.fireChannelWritabilityChanged();
    }

    private void handle(Object msg) {
        if (msg instanceof HttpRequest req) {
            DecoderResult result = req.decoderResult();
            if (result.isFailure()) {
                ReferenceCountUtil.release(msg);
                rejectUndecodable(req, result.cause());
                return;
            }
            dropPartialRequest(); // a new head before the last one's end cannot come from the codec; never leak one
            if (!startRequest(req)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            if (!(msg instanceof HttpContent)) {
                return;
            }
        }
        if (msg instanceof HttpContent content) {
            appendContent(content);
        } else if (!(msg instanceof HttpRequest)) {
            ReferenceCountUtil.release(msg);
        }
    }

    /** Checks the head of a request; false if it was rejected. */
    private boolean startRequest(HttpRequest req) {
        long length = HttpUtil.getContentLength(req, -1L);
        if (length > server.maxContentLength) {
            reject(
                    req,
                    413,
                    "request body of " + length + " bytes exceeds the limit of " + server.maxContentLength + " bytes");
            return false;
        }
        String expect = req.headers().get(HttpHeaderNames.EXPECT);
        if (expect != null && req.protocolVersion().compareTo(HttpVersion.HTTP_1_1) >= 0) {
            if (!HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(expect)) {
                reject(req, 417, "unsupported expectation: " + expect);
                return false;
            }
            req.headers().remove(HttpHeaderNames.EXPECT);
            ctx.writeAndFlush(
                    new DefaultFullHttpResponse(
                            HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER),
                    ctx.voidPromise());
        }
        request = req;
        contentLengthHint = length;
        headBytes = false;
        bodyStart = ticker();
        armTimer();
        return true;
    }

    private void appendContent(HttpContent content) {
        if (request == null) {
            content.release(); // the rest of a rejected request
            return;
        }
        if (content.decoderResult().isFailure()) {
            HttpRequest req = request;
            Throwable cause = content.decoderResult().cause();
            content.release();
            dropPartialRequest();
            rejectUndecodable(req, cause);
            return;
        }
        ByteBuf data = content.content();
        int n = data.readableBytes();
        if (n == 0) {
            content.release();
        } else {
            long total = (body == null ? 0 : body.readableBytes()) + (long) n;
            if (total > server.maxContentLength) {
                HttpRequest req = request;
                content.release();
                dropPartialRequest();
                reject(req, 413, "request body exceeds the limit of " + server.maxContentLength + " bytes");
                return;
            }
            if (body == null) {
                body = data; // take over the decoder's slice: no copy for a body that came in one piece
                bodyIsAccumulator = false;
            } else {
                if (!bodyIsAccumulator) {
                    int initial = (int) Math.max(total, Math.min(contentLengthHint, server.maxContentLength));
                    ByteBuf acc = ctx.alloc().buffer(initial);
                    acc.writeBytes(body);
                    body.release();
                    body = acc;
                    bodyIsAccumulator = true;
                }
                body.writeBytes(data);
                content.release();
            }
        }
        if (content instanceof LastHttpContent) {
            dispatch();
        }
    }

    private void dispatch() {
        HttpRequest req = request;
        ByteBuf b = body == null ? Unpooled.EMPTY_BUFFER : body;
        request = null;
        body = null;
        long now = System.nanoTime();
        String path = HttpExchange.pathOf(req.uri());
        String method = req.method().name();
        Router.Match match = server.router.match(method, path);
        HttpExchange ex = new HttpExchange(this, req, method, path, match, now);
        begin(ex);
        if (match == null) {
            b.release();
            ex.sendError(404, "no route for " + method + " " + path);
        } else if (match.handler == null) {
            b.release();
            ex.responseHeaders().set(HttpHeaderNames.ALLOW, match.allow);
            ex.sendError(405, "method " + method + " is not allowed for " + path);
        } else {
            ex.body = b;
            try {
                match.handler.handle(ex);
            } catch (Throwable t) {
                ex.handlerFailed(t);
            } finally {
                ex.body = Unpooled.EMPTY_BUFFER;
                b.release();
            }
        }
    }

    private void begin(HttpExchange ex) {
        inFlight = ex;
        server.activeExchanges.increment();
    }

    /** Answers a request that cannot be served with an error, then closes once it is out. */
    private void reject(HttpRequest req, int status, String message) {
        closeAfterExchange = true;
        lingerOnClose = true;
        HttpExchange ex = new HttpExchange(
                this, req, req.method().name(), HttpExchange.pathOf(req.uri()), null, System.nanoTime());
        begin(ex);
        ex.sendError(status, message);
    }

    private void rejectUndecodable(HttpRequest req, Throwable cause) {
        if (cause instanceof PrematureChannelClosureException || !ctx.channel().isActive()) {
            ctx.close(); // the client left mid-request: nobody to answer
            return;
        }
        int status;
        String message;
        if (cause instanceof TooLongHttpLineException) {
            status = 414;
            message = "request line too long";
        } else if (cause instanceof TooLongHttpHeaderException) {
            status = 431;
            message = "request header fields too large";
        } else if (cause instanceof TooLongFrameException) {
            status = 413;
            message = "request too large";
        } else {
            status = 400;
            message = "bad request: " + cause.getMessage();
        }
        reject(req, status, message);
    }

    private void dropPartialRequest() {
        request = null;
        if (body != null) {
            body.release();
            body = null;
        }
    }

    // ---- writing (called by HttpExchange on the event loop)

    boolean keepAlive(HttpRequest req) {
        return !closeAfterExchange && !server.draining && HttpUtil.isKeepAlive(req);
    }

    void write(Object msg) {
        if (batching) {
            ctx.write(msg, ctx.voidPromise());
            flushPending = true;
        } else {
            ctx.writeAndFlush(msg, ctx.voidPromise());
        }
    }

    /** Writes the message that completes the exchange; if the connection is not reused, closes after it. */
    void writeFinal(Object msg, boolean keepAlive) {
        if (keepAlive) {
            write(msg);
            return;
        }
        discarding = true;
        releaseBacklog();
        ChannelFuture f = ctx.writeAndFlush(msg);
        flushPending = false;
        f.addListener(lingerOnClose ? lingerThenClose : ChannelFutureListener.CLOSE);
    }

    /**
     * A connection past the server's cap: a 503 before anything is read, then the close, lingering
     * {@link #REFUSAL_LINGER_MILLIS} so that the client reads the answer rather than a reset. It
     * never becomes a connection the server counts or serves.
     */
    private void refuse(ChannelHandlerContext ctx) {
        String message = "the server is at its cap of " + server.maxConnections + " connections; try again";
        // A short linger: in a flood, refused connections must give their descriptors back quickly.
        closeWithError(ctx, 503, message, "1").addListener((ChannelFuture f) -> {
            if (f.isSuccess() && f.channel() instanceof DuplexChannel duplex) duplex.shutdownOutput();
            f.channel()
                    .eventLoop()
                    .schedule((Runnable) f.channel()::close, REFUSAL_LINGER_MILLIS, TimeUnit.MILLISECONDS);
        });
        server.refused(ctx.executor());
    }

    /**
     * Writes an error that ends the connection, outside any exchange (nothing of a request was read), in
     * the error renderer's shape; from now on everything read is dropped. The caller closes.
     */
    private ChannelFuture closeWithError(ChannelHandlerContext ctx, int status, String message, String retryAfter) {
        discarding = true;
        ByteBuf body = server.errorRenderer.render(ctx.alloc(), status, message);
        DefaultFullHttpResponse r =
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), body);
        r.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, server.errorRenderer.contentType())
                .set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
                .set(HttpHeaderNames.DATE, DateHeader.now())
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        if (retryAfter != null) {
            r.headers().set(HttpHeaderNames.RETRY_AFTER, retryAfter);
        }
        return ctx.writeAndFlush(r);
    }

    private void lingerThenClose(ChannelFuture f) {
        Channel ch = f.channel();
        if (!f.isSuccess() || !ch.isActive() || !(ch instanceof DuplexChannel duplex)) {
            ch.close();
            return;
        }
        // Send FIN now, keep reading (and dropping) what the client still sends, close when it closes or soon.
        duplex.shutdownOutput();
        ch.eventLoop().schedule((Runnable) ch::close, server.lingerNanos, TimeUnit.NANOSECONDS);
    }

    void exchangeCompleted(HttpExchange ex) {
        if (inFlight != ex) {
            return;
        }
        inFlight = null;
        server.activeExchanges.decrement();
        lastActivity = ticker();
        Channel ch = ctx.channel();
        if (discarding || !ch.isActive()) {
            return;
        }
        clientsTurn();
        if (backlog != null && !backlog.isEmpty()) {
            // Not inline: the handler that just answered may still be on the stack.
            if (!drainingBacklog && !backlogDrainScheduled) {
                backlogDrainScheduled = true;
                ctx.executor().execute(backlogDrain);
            }
        } else if (!ch.isWritable() && !pausedForWrite) {
            // A client that sends but does not read must not make us queue responses without bound.
            pausedForWrite = true;
            updateAutoRead();
        }
    }

    // ---- backlog

    private void enqueue(Object msg) {
        if (backlog == null) {
            backlog = new ArrayDeque<>(4);
        }
        backlog.add(msg);
        if (!pausedForBacklog) {
            pausedForBacklog = true;
            updateAutoRead();
        }
    }

    private void drainBacklog() {
        backlogDrainScheduled = false;
        if (!ctx.channel().isActive()) {
            return;
        }
        drainingBacklog = true;
        batching = true;
        try {
            while (inFlight == null && !discarding && backlog != null && !backlog.isEmpty()) {
                handle(backlog.poll());
            }
            if (discarding) {
                releaseBacklog();
            }
        } finally {
            drainingBacklog = false;
            batching = false;
            if (flushPending) {
                flushPending = false;
                ctx.flush();
            }
        }
        if ((backlog == null || backlog.isEmpty()) && pausedForBacklog) {
            pausedForBacklog = false;
            updateAutoRead();
            clientsTurn();
        }
    }

    private void releaseBacklog() {
        if (backlog != null) {
            Object msg;
            while ((msg = backlog.poll()) != null) {
                ReferenceCountUtil.release(msg);
            }
        }
    }

    private void updateAutoRead() {
        // Re-enabling autoRead makes Netty issue a read, so pending input is picked up again.
        ctx.channel().config().setAutoRead(!pausedForBacklog && !pausedForWrite);
    }

    // ---- timeouts and shutdown

    /** What the codec skips between requests: control characters and white space (RFC 9112, section 2.2). */
    private static final ByteProcessor BLANK = b -> (b & 0xFF) <= ' ' || b == 0x7F;

    /** Goes before the codec: tells this handler whether a read between requests holds more than blank lines. */
    ChannelInboundHandlerAdapter bytesWatch() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext c, Object msg) {
                if (request == null && !readHeadBytes && msg instanceof ByteBuf b && b.forEachByte(BLANK) >= 0) {
                    readHeadBytes = true;
                }
                c.fireChannelRead(msg);
            }
        };
    }

    /**
     * The server has finished its part (a response, a pause in reading): deadlines of a head or body
     * in progress start again from now, so that the server's own time never counts against the client.
     */
    private void clientsTurn() {
        long now = ticker();
        headStart = now;
        bodyStart = now;
        armTimer();
    }

    /** Schedules the timer for the earliest deadline, unless it already fires by then. */
    private void armTimer() {
        long due = due();
        if (due == NEVER || (timer != null && timerDue <= due)) {
            return;
        }
        if (timer != null) {
            timer.cancel(false);
        }
        timerDue = due;
        timer = ctx.executor().schedule(timerCheck, Math.max(0, due - ticker()), TimeUnit.NANOSECONDS);
    }

    private static final long NEVER = Long.MAX_VALUE;

    /** When the connection next times out in its current state; {@link #NEVER} while an exchange is in flight. */
    private long due() {
        if (inFlight != null) {
            return NEVER; // an exchange or stream in progress is never cut, however quiet
        }
        long due = server.idleTimeoutNanos > 0 ? lastActivity + server.idleTimeoutNanos : NEVER;
        if (discarding || pausedForBacklog || pausedForWrite) {
            return due; // reading is not the client's turn (or is over): only silence counts
        }
        if (request != null) {
            if (server.bodyTimeoutNanos > 0) {
                due = Math.min(due, bodyDeadline());
            }
        } else if (headPending && server.headTimeoutNanos > 0) {
            due = Math.min(due, headStart + server.headTimeoutNanos);
        }
        return due;
    }

    /** The body's allowance plus a second for every {@link HttpServer#MIN_BODY_BYTES_PER_SECOND} bytes so far. */
    private long bodyDeadline() {
        long received = body == null ? 0 : body.readableBytes();
        return bodyStart + server.bodyTimeoutNanos + received * 1_000_000_000L / HttpServer.MIN_BODY_BYTES_PER_SECOND;
    }

    private void onTimer() {
        timer = null;
        if (!ctx.channel().isActive()) {
            return;
        }
        long now = ticker();
        long due = due();
        if (due == NEVER) {
            return; // re-armed when the turn is the client's again
        }
        if (now < due) {
            timerDue = due;
            timer = ctx.executor().schedule(timerCheck, due - now, TimeUnit.NANOSECONDS);
            return;
        }
        if (discarding || pausedForBacklog || pausedForWrite) {
            ctx.close();
        } else if (request != null) {
            bodyTimedOut(now);
        } else if (headPending && headBytes) {
            headTimedOut(now);
        } else {
            log.debug("closing idle connection {}", ctx.channel().remoteAddress());
            ctx.close();
        }
    }

    private void bodyTimedOut(long now) {
        HttpRequest req = request;
        long received = body == null ? 0 : body.readableBytes();
        String expected = contentLengthHint >= 0 ? " of " + contentLengthHint : "";
        String why = "request body not received in time: " + received + expected + " bytes in "
                + seconds(now - bodyStart)
                + (now - lastActivity >= server.idleTimeoutNanos && server.idleTimeoutNanos > 0
                        ? ", the last " + seconds(now - lastActivity) + " silent"
                        : "");
        dropPartialRequest();
        server.slowBody(ctx.executor(), why);
        reject(req, 408, why);
    }

    /**
     * A head begun and not finished: a 408 in the server's error shape (no request was read, so its
     * API is not known), then the close. Nothing more of the connection is read.
     */
    private void headTimedOut(long now) {
        String why = "request head not received in time: " + seconds(now - headStart)
                + (now - lastActivity >= server.idleTimeoutNanos && server.idleTimeoutNanos > 0
                        ? ", the last " + seconds(now - lastActivity) + " silent"
                        : "");
        headPending = false;
        server.slowHead(ctx.executor(), why);
        closeWithError(ctx, 408, why, null).addListener(lingerThenClose);
    }

    private static String seconds(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    void beginDrainLater() {
        ChannelHandlerContext c = ctx;
        if (c != null) {
            c.executor().execute(this::beginDrain);
        }
    }

    private void beginDrain() {
        if (!ctx.channel().isActive()) {
            return;
        }
        closeAfterExchange = true;
        if (inFlight == null && (request == null || discarding)) {
            ctx.close(); // idle keep-alive connection, or one only draining input after an error
        } else {
            releaseBacklog();
        }
    }

    void forceClose() {
        ChannelHandlerContext c = ctx;
        if (c != null) {
            c.channel().close();
        }
    }

    private long ticker() {
        return ctx.executor().ticker().nanoTime();
    }
}
