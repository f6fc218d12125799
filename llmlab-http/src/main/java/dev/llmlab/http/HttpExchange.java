package dev.llmlab.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.AsciiString;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request/response, and its SSE stream if it becomes one. A new, small object per request: reusing one per
 * connection would let a stale reference held by an asynchronous producer answer the next request.
 *
 * <p>Thread-safety: {@link #phase} is written only on the event loop and is volatile so {@link #isOpen()} can be
 * read anywhere. Who answers is decided by one CAS on {@code answered}, so a double answer is detected on any
 * thread. Every other mutation runs on the event loop; calls from elsewhere are re-submitted there.
 */
final class HttpExchange implements Exchange, SseStream {

    private static final Logger log = LoggerFactory.getLogger(HttpExchange.class);

    static final int PENDING = 0;
    static final int STREAMING = 1;
    static final int DONE = 2;
    static final int CLOSED = 3;

    /** Status reported to the listener when the client left before a non-streaming response. */
    static final int CLIENT_CLOSED = 499;

    private static final AsciiString TEXT_EVENT_STREAM = AsciiString.cached("text/event-stream");
    private static final AsciiString TEXT_PLAIN = AsciiString.cached("text/plain; charset=utf-8");
    private static final DefaultHttpHeadersFactory HEADERS = DefaultHttpHeadersFactory.headersFactory();

    private static final VarHandle ANSWERED;

    static {
        try {
            ANSWERED = MethodHandles.lookup().findVarHandle(HttpExchange.class, "answered", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ConnectionHandler conn;
    private final HttpRequest request;
    private final String method;
    private final String path;
    private final Router.Match match;
    private final long receivedNanos;

    ByteBuf body = Unpooled.EMPTY_BUFFER;
    private HttpHeaders responseHeaders;

    @SuppressWarnings("unused") // via ANSWERED
    private volatile int answered;

    private volatile int phase = PENDING;
    private boolean keepAliveHead;
    private Runnable writableTask;
    /** Null, one Runnable, or a List of them: most streams register exactly one. */
    private Object closeCallbacks;

    HttpExchange(
            ConnectionHandler conn,
            HttpRequest request,
            String method,
            String path,
            Router.Match match,
            long receivedNanos) {
        this.conn = conn;
        this.request = request;
        this.method = method;
        this.path = path;
        this.match = match;
        this.receivedNanos = receivedNanos;
    }

    // ---- request side

    @Override
    public String method() {
        return method;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String routePattern() {
        return match == null ? Router.UNMATCHED : match.pattern;
    }

    @Override
    public String pathParam(String name) {
        return match == null ? null : match.pathParam(path, name);
    }

    @Override
    public String queryParam(String name) {
        String uri = request.uri();
        int q = uri.indexOf('?');
        if (q < 0) {
            return null;
        }
        int end = uri.indexOf('#', q);
        if (end < 0) {
            end = uri.length();
        }
        int i = q + 1;
        while (i <= end) {
            int amp = uri.indexOf('&', i);
            if (amp < 0 || amp > end) {
                amp = end;
            }
            int eq = uri.indexOf('=', i);
            int keyEnd = eq >= 0 && eq < amp ? eq : amp;
            if (keyEnd > i && decodeForm(uri, i, keyEnd).equals(name)) {
                return keyEnd == amp ? "" : decodeForm(uri, keyEnd + 1, amp);
            }
            i = amp + 1;
        }
        return null;
    }

    private static String decodeForm(String s, int from, int to) {
        return QueryStringDecoder.decodeComponent(s.substring(from, to), StandardCharsets.UTF_8);
    }

    @Override
    public HttpHeaders requestHeaders() {
        return request.headers();
    }

    @Override
    public ByteBuf body() {
        return body;
    }

    @Override
    public long receivedNanos() {
        return receivedNanos;
    }

    @Override
    public HttpHeaders responseHeaders() {
        HttpHeaders h = responseHeaders;
        if (h == null) {
            h = HEADERS.newHeaders();
            responseHeaders = h;
        }
        return h;
    }

    @Override
    public EventLoop eventLoop() {
        return conn.channel().eventLoop();
    }

    @Override
    public ByteBufAllocator alloc() {
        return conn.channel().alloc();
    }

    @Override
    public boolean isOpen() {
        int p = phase;
        return (p == PENDING || p == STREAMING) && conn.channel().isActive();
    }

    // ---- full responses

    @Override
    public void respond(int status, CharSequence contentType, ByteBuf body) {
        Objects.requireNonNull(body, "body");
        if (!claim()) {
            body.release();
            throw new IllegalStateException("exchange " + method + " " + path + " was already answered");
        }
        EventLoop loop = eventLoop();
        if (loop.inEventLoop()) {
            respondClaimed(status, contentType, body);
        } else {
            submit(loop, () -> respondClaimed(status, contentType, body), body);
        }
    }

    /** Answers with an error rendered by the server's {@link ErrorRenderer}; used for errors the server makes. */
    void sendError(int status, String message) {
        if (claim()) {
            respondError(status, message);
        }
    }

    private void respondError(int status, String message) {
        ByteBuf b;
        CharSequence type;
        try {
            b = conn.server.errorRenderer.render(alloc(), status, message, this);
            type = conn.server.errorRenderer.contentType();
        } catch (Throwable t) {
            log.warn("ErrorRenderer failed for status {}; sending plain text", status, t);
            b = ByteBufUtil.writeUtf8(alloc(), message);
            type = TEXT_PLAIN;
        }
        respondClaimed(status, type, b);
    }

    private boolean claim() {
        return ANSWERED.compareAndSet(this, 0, 1);
    }

    private void respondClaimed(int status, CharSequence contentType, ByteBuf body) {
        if (phase != PENDING) {
            body.release(); // the client went away meanwhile
            return;
        }
        phase = DONE;
        HttpVersion version = version();
        boolean keepAlive = conn.keepAlive(request);
        HttpHeaders h = responseHeaders();
        if (contentType != null) {
            h.set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        h.setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        h.set(HttpHeaderNames.DATE, DateHeader.now());
        connectionHeader(h, version, keepAlive);
        conn.writeFinal(
                new DefaultFullHttpResponse(
                        version, HttpResponseStatus.valueOf(status), body, h, EmptyHttpHeaders.INSTANCE),
                keepAlive);
        completed(status);
    }

    /** Called when the handler threw: a 500 if nothing was answered yet, else close a started stream. */
    void handlerFailed(Throwable t) {
        log.error("handler for {} {} failed", method, routePattern(), t);
        if (claim()) {
            respondError(500, "internal server error");
        } else if (phase == STREAMING) {
            abort();
        }
    }

    // ---- SSE

    @Override
    public SseStream startSse() {
        if (!claim()) {
            throw new IllegalStateException("exchange " + method + " " + path + " was already answered");
        }
        EventLoop loop = eventLoop();
        if (loop.inEventLoop()) {
            startSseClaimed();
        } else {
            submit(loop, this::startSseClaimed, null);
        }
        return this;
    }

    private void startSseClaimed() {
        if (phase != PENDING) {
            return; // the client went away meanwhile; the stream reads as closed
        }
        phase = STREAMING;
        HttpVersion version = version();
        // HTTP/1.0 has no chunking: the stream's end is then signalled by closing the connection.
        boolean chunked = version != HttpVersion.HTTP_1_0;
        keepAliveHead = chunked && conn.keepAlive(request);
        HttpHeaders h = responseHeaders();
        h.set(HttpHeaderNames.CONTENT_TYPE, TEXT_EVENT_STREAM);
        h.set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
        h.set(HttpHeaderNames.DATE, DateHeader.now());
        h.remove(HttpHeaderNames.CONTENT_LENGTH);
        if (chunked) {
            h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        connectionHeader(h, version, keepAliveHead);
        conn.server.fireStreamOpened();
        conn.write(new DefaultHttpResponse(version, HttpResponseStatus.OK, h));
    }

    @Override
    public boolean isWritable() {
        return phase == STREAMING && conn.channel().isWritable();
    }

    @Override
    public void send(ByteBuf frame) {
        Objects.requireNonNull(frame, "frame");
        EventLoop loop = eventLoop();
        if (!loop.inEventLoop()) {
            submit(loop, () -> send(frame), frame);
            return;
        }
        if (phase != STREAMING || !conn.channel().isActive()) {
            frame.release();
            return;
        }
        conn.write(frame);
    }

    @Override
    public void whenWritable(Runnable task) {
        Objects.requireNonNull(task, "task");
        EventLoop loop = eventLoop();
        if (!loop.inEventLoop()) {
            submit(loop, () -> whenWritable(task), null);
            return;
        }
        if (phase != STREAMING) {
            return;
        }
        if (conn.channel().isWritable()) {
            runCallback(task);
        } else {
            Runnable pending = writableTask;
            writableTask = pending == null
                    ? task
                    : () -> {
                        pending.run();
                        task.run();
                    };
        }
    }

    /** The channel became writable again. */
    void writable() {
        Runnable task = writableTask;
        if (task != null && phase == STREAMING) {
            writableTask = null;
            runCallback(task);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public void onClose(Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        EventLoop loop = eventLoop();
        if (!loop.inEventLoop()) {
            submit(loop, () -> onClose(callback), null);
            return;
        }
        int p = phase;
        if (p == CLOSED) {
            runCallback(callback);
        } else if (p != DONE) {
            Object cbs = closeCallbacks;
            if (cbs == null) {
                closeCallbacks = callback;
            } else if (cbs instanceof List<?> list) {
                ((List<Runnable>) list).add(callback);
            } else {
                List<Runnable> list = new ArrayList<>(2);
                list.add((Runnable) cbs);
                list.add(callback);
                closeCallbacks = list;
            }
        }
    }

    @Override
    public void end() {
        EventLoop loop = eventLoop();
        if (!loop.inEventLoop()) {
            submit(loop, this::end, null);
            return;
        }
        if (phase != STREAMING) {
            return;
        }
        phase = DONE;
        writableTask = null;
        closeCallbacks = null;
        boolean keepAlive = keepAliveHead && conn.keepAlive(request);
        conn.writeFinal(LastHttpContent.EMPTY_LAST_CONTENT, keepAlive);
        conn.server.fireStreamClosed();
        completed(200);
    }

    @Override
    public void abort() {
        EventLoop loop = eventLoop();
        if (!loop.inEventLoop()) {
            submit(loop, this::abort, null);
            return;
        }
        int p = phase;
        if (p == DONE || p == CLOSED) {
            return;
        }
        // Mark closed before the channel's inactive event (which Netty delivers later) so the producer's
        // onClose runs now and its next send is dropped here rather than failing in the transport.
        closed();
        // What was written before the abort goes out first: inside a read batch, writes wait for the
        // batch's end to be flushed, and a close now would discard them (a stream dropped after its
        // third token must deliver three tokens, however fast they were made).
        conn.channel().flush();
        conn.channel().close();
    }

    /** The connection closed (client gone, abort, forced shutdown) before the exchange completed. */
    void closed() {
        int p = phase;
        if (p == DONE || p == CLOSED) {
            return;
        }
        phase = CLOSED;
        writableTask = null;
        Object cbs = closeCallbacks;
        closeCallbacks = null;
        if (cbs instanceof List<?> list) {
            for (Object cb : list) {
                runCallback((Runnable) cb);
            }
        } else if (cbs != null) {
            runCallback((Runnable) cbs);
        }
        if (p == STREAMING) {
            conn.server.fireStreamClosed();
            completed(200);
        } else {
            completed(CLIENT_CLOSED);
        }
    }

    private void completed(int status) {
        conn.server.fireComplete(routePattern(), method, status, System.nanoTime() - receivedNanos);
        conn.exchangeCompleted(this);
    }

    // ---- helpers

    private HttpVersion version() {
        // Answer an HTTP/1.0 client in its own version, everyone else in 1.1.
        HttpVersion v = request.protocolVersion();
        return v.majorVersion() == 1 && v.minorVersion() == 0 ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1;
    }

    private static void connectionHeader(HttpHeaders h, HttpVersion version, boolean keepAlive) {
        if (!keepAlive) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (version == HttpVersion.HTTP_1_0) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        } else {
            h.remove(HttpHeaderNames.CONNECTION);
        }
    }

    private static void runCallback(Runnable r) {
        try {
            r.run();
        } catch (Throwable t) {
            log.warn("SSE callback failed", t);
        }
    }

    /** Hands a call made off the event loop to it; if the loop is gone, releases what would have leaked. */
    private static void submit(EventLoop loop, Runnable task, ByteBuf owned) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            if (owned != null) {
                owned.release();
            }
        }
    }

    /** The path part of a request target: origin-form as is, absolute-form stripped of scheme and authority. */
    static String pathOf(String uri) {
        int start = 0;
        if (!uri.isEmpty() && uri.charAt(0) != '/') {
            int scheme = uri.indexOf("://");
            if (scheme > 0) {
                int slash = uri.indexOf('/', scheme + 3);
                if (slash < 0) {
                    return "/";
                }
                start = slash;
            }
        }
        int end = uri.indexOf('?', start);
        if (end < 0) {
            end = uri.length();
        }
        return start == 0 && end == uri.length() ? uri : uri.substring(start, end);
    }
}
