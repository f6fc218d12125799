package dev.llmlab.http.client;

import dev.llmlab.http.client.ClientException.Kind;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.proxy.ProxyConnectionEvent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.util.Arrays;
import javax.net.ssl.SSLSession;

/**
 * One keep-alive connection and the request on it, if any: waits until it is ready (TCP, then the
 * proxy's tunnel, then the TLS handshake, as the route needs), writes the request and reads its
 * answer ({@link ResponseParser}). One request at a time: HTTP/1.1 without pipelining. Lives on
 * its loop's thread; every method runs there.
 */
final class Connection extends ChannelInboundHandlerAdapter implements ResponseParser.Listener {
    private static final short CRLF = ('\r' << 8) | '\n';
    private static final byte[] CONTENT_LENGTH =
            "content-length: ".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] NONE = new byte[0];
    /** A whole answer's buffer larger than this is not kept for the next one. */
    private static final int KEEP_BUFFER = 64 * 1024;

    final Loop loop;
    final Pool pool;
    final Channel channel;
    private final ResponseParser parser = new ResponseParser(this);
    private final long connectStartNanos;
    /** TLS on this connection, once its handshake is done; null for plain HTTP. */
    TlsInfo tls;
    /** Since when it has been idle in its pool. */
    long idleSinceNanos;

    private boolean ready;
    private Call call;
    private ResponseListener.Body mode;
    private boolean keepAlive;
    private boolean answered;
    private long lastReadNanos;
    /** Whether its request paused reading ({@link Call#pause()}). */
    private boolean paused;
    /** Why the connection failed, as first seen (an exception, a handshake's outcome), for the request on it. */
    private Throwable cause;
    /** A whole answer's bytes, reused across answers. */
    private byte[] buffer = NONE;

    private int buffered;

    Connection(Loop loop, Pool pool, Channel channel, Call first, long connectStartNanos) {
        this.loop = loop;
        this.pool = pool;
        this.channel = channel;
        this.connectStartNanos = connectStartNanos;
        if (first != null) bind(first);
    }

    boolean active() {
        return channel.isActive();
    }

    boolean busy() {
        return call != null;
    }

    /** Whether it is connected, tunnelled and has shaken hands, as its route needs. */
    boolean isReady() {
        return ready;
    }

    // ---- life cycle

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        loop.open.add(this);
        pool.live++;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (loop.open.remove(this)) pool.live--;
        release();
        if (call != null) failBeforeOrAfterReady(null);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (pool.route.via() != Proxies.Via.TUNNEL && !pool.route.origin().secure()) becomeReady();
        ctx.fireChannelActive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent e) {
            if (e.isSuccess()) {
                SSLSession s = ctx.pipeline().get(SslHandler.class).engine().getSession();
                tls = new TlsInfo(loop.client.tlsEngineName(), s.getProtocol(), s.getCipherSuite());
                loop.client.sawTls(tls);
                becomeReady();
            } else {
                connectFailed(e.cause());
            }
        } else if (evt instanceof ProxyConnectionEvent && !pool.route.origin().secure()) {
            becomeReady();
        }
        ctx.fireUserEventTriggered(evt);
    }

    /** The connect itself failed (refused, unresolved, timed out): the future said so. */
    void connectFailed(Throwable t) {
        if (cause == null) cause = t;
        if (call != null) {
            Call c = call;
            call = null;
            c.fail(Failures.connecting(cause, pool.route, loop.client.connectTimeoutMillis));
        }
        channel.close();
    }

    /** Connected, tunnelled and shaken hands as the route needs: the waiting request goes, or the connection idles. */
    private void becomeReady() {
        if (ready) return;
        ready = true;
        if (call != null) {
            call.writtenNanos = System.nanoTime();
            write(call);
        } else {
            pool.release(this, System.nanoTime()); // a warm-up's
        }
    }

    // ---- requests

    private void bind(Call c) {
        call = c;
        c.connection = this;
    }

    /** Takes {@code c}: written now if the connection is ready (a kept-alive one), else once it is. */
    void begin(Call c) {
        bind(c);
        if (ready) {
            c.writtenNanos = c.sentNanos;
            write(c);
        }
    }

    /** Writes the request: the prepared head, the body's length, and the body, in one buffer. */
    private void write(Call c) {
        byte[] head = pool.route.via() == Proxies.Via.FORWARD
                ? c.request.absoluteBytes(pool.route.proxy().authorization())
                : c.request.bytes();
        byte[] body = c.body;
        answered = false;
        lastReadNanos = 0;
        parser.expectNoBody(c.request.isHead());
        ByteBuf buf = channel.alloc()
                .directBuffer(head.length + (body == null ? 4 : CONTENT_LENGTH.length + 16 + body.length));
        buf.writeBytes(head);
        if (body != null) {
            buf.writeBytes(CONTENT_LENGTH);
            writeDigits(buf, body.length);
            buf.writeShort(CRLF);
        }
        buf.writeShort(CRLF);
        if (body != null) buf.writeBytes(body);
        channel.writeAndFlush(buf, channel.voidPromise()); // a failed write reaches exceptionCaught
    }

    private static void writeDigits(ByteBuf buf, int n) {
        if (n >= 10) writeDigits(buf, n / 10);
        buf.writeByte('0' + n % 10);
    }

    /** The timeout the request on this connection has passed at {@code now}, or null. */
    ClientException overdue(long now) {
        Call c = call;
        if (c == null) return null;
        HttpClient client = loop.client;
        if (client.totalNanos > 0 && now - c.sentNanos > client.totalNanos)
            return new ClientException(
                    Kind.TOTAL_TIMEOUT,
                    "no complete answer from " + c.request.origin() + " within the total timeout ("
                            + HttpClient.text(client.totalNanos) + ")");
        if (!ready) {
            if (client.connectNanos > 0 && now - connectStartNanos > client.connectNanos)
                return new ClientException(
                        Kind.CONNECT_TIMEOUT,
                        "no connection to " + c.request.origin() + viaProxy() + " within the connect timeout ("
                                + HttpClient.text(client.connectNanos) + ")");
        } else if (c.firstByteNanos < 0) {
            if (client.firstByteNanos > 0 && now - c.writtenNanos > client.firstByteNanos)
                return new ClientException(
                        Kind.FIRST_BYTE_TIMEOUT,
                        "no answer from " + c.request.origin() + " within the first-byte timeout ("
                                + HttpClient.text(client.firstByteNanos) + ")");
        } else if (!paused && client.idleNanos > 0 && lastReadNanos > 0 && now - lastReadNanos > client.idleNanos) {
            return new ClientException(
                    Kind.IDLE_TIMEOUT,
                    "the answer from " + c.request.origin() + " stalled for longer than the idle timeout ("
                            + HttpClient.text(client.idleNanos) + ")");
        }
        return null;
    }

    private String viaProxy() {
        return pool.route.proxy() == null
                ? ""
                : " through proxy " + pool.route.proxy().address();
    }

    // ---- reading

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            Call c = call;
            if (c == null || !ready) { // bytes no request asked for: the connection cannot be trusted
                channel.close();
                return;
            }
            if (c.firstByteNanos < 0) {
                c.firstByteNanos = System.nanoTime();
                lastReadNanos = c.firstByteNanos;
            } else if (loop.client.idleNanos > 0) {
                lastReadNanos = System.nanoTime();
            }
            if (parser.feed(in)) {
                // Anything after the answer but line breaks was not asked for: the answer stands, the
                // connection does not go back to the pool.
                while (in.isReadable()
                        && (in.getByte(in.readerIndex()) == '\r' || in.getByte(in.readerIndex()) == '\n')) {
                    in.skipBytes(1);
                }
                complete(!in.isReadable());
            }
        } catch (ResponseParser.MalformedResponse e) {
            fail(
                    call,
                    new ClientException(
                            Kind.MALFORMED, "a malformed answer from " + pool.route.origin() + ": " + e.getMessage()));
        } catch (TooLarge e) {
            fail(
                    call,
                    new ClientException(
                            Kind.TOO_LARGE,
                            "the answer from " + pool.route.origin() + " is larger than " + loop.client.maxBodyBytes
                                    + " bytes"));
        } catch (ListenerFailed e) {
            fail(
                    call,
                    new ClientException(Kind.CLOSED, "the response listener failed: " + Failures.text(e.getCause())));
        } finally {
            in.release();
        }
    }

    /** The request being answered; bytes past its answer (a server that talks out of turn) are malformed. */
    private Call answering() {
        if (call == null) throw new ResponseParser.MalformedResponse("bytes past the answer, no request asked for");
        return call;
    }

    @Override
    public void head(ResponseHead head) {
        Call c = answering();
        keepAlive = head.keepAlive();
        buffered = 0;
        try {
            mode = c.listener.onHead(c, head);
        } catch (RuntimeException e) {
            throw new ListenerFailed(e);
        }
        if (mode == null) mode = ResponseListener.Body.STREAM;
    }

    @Override
    public void body(ByteBuf buf, int index, int n) {
        Call c = answering();
        if (mode == ResponseListener.Body.STREAM) {
            try {
                c.listener.onBody(c, buf, index, n);
            } catch (MalformedBodyException e) {
                throw new ResponseParser.MalformedResponse(e.getMessage());
            } catch (RuntimeException e) {
                throw new ListenerFailed(e);
            }
            return;
        }
        if ((long) buffered + n > loop.client.maxBodyBytes) throw new TooLarge();
        if (buffer.length < buffered + n)
            buffer = Arrays.copyOf(
                    buffer, (int) Math.min(loop.client.maxBodyBytes, Math.max(buffered + n, buffer.length * 2L)));
        buf.getBytes(index, buffer, buffered, n);
        buffered += n;
    }

    @Override
    public void end() {
        answering();
        answered = true; // completed once the parser returns (see complete)
    }

    /**
     * The answer is complete: the connection goes back to its pool (when it can be reused) before the
     * listener hears of it, so that a closed loop's next request, sent from the callback on this
     * loop, finds it rather than opening another. The parser has returned, so a next request on this
     * connection reads only its own answer.
     */
    private void complete(boolean reusable) {
        Call c = call;
        call = null;
        if (paused) unpause(); // the answer ended in bytes read before the pause: the next one must be read
        boolean reuse = reusable && keepAlive && channel.isActive();
        if (reuse) pool.release(this, System.nanoTime());
        byte[] whole = mode == ResponseListener.Body.WHOLE ? buffer : NONE;
        int length = mode == ResponseListener.Body.WHOLE ? buffered : 0;
        boolean fine = c.end(whole, length);
        if (buffer.length > KEEP_BUFFER && call == null)
            buffer = NONE; // a large answer's buffer lives no longer than it
        if (!reuse || !fine) channel.close();
    }

    void pause(Call c) {
        if (c != call || paused) return;
        paused = true;
        channel.config().setAutoRead(false);
    }

    void resume(Call c) {
        if (c != call || !paused) return;
        unpause();
    }

    /** Reads again; the idle timeout counts from now, not from before the pause. */
    private void unpause() {
        paused = false;
        lastReadNanos = System.nanoTime();
        channel.config().setAutoRead(true);
    }

    /** Ends {@code c}, if it is this connection's request, as failed, and closes the connection. */
    void fail(Call c, ClientException failure) {
        if (c == null || c != call) return;
        call = null;
        c.fail(failure);
        channel.close();
    }

    /** Cancels the request in flight, if any. */
    void cancel(ClientException why) {
        if (call != null) fail(call, why);
        else channel.close();
    }

    private void failBeforeOrAfterReady(Throwable t) {
        Call c = call;
        if (c == null) return;
        call = null;
        if (t != null && cause == null) cause = t;
        c.fail(
                ready
                        ? Failures.closed(cause, pool.route.origin())
                        : Failures.connecting(
                                cause != null ? cause : new java.nio.channels.ClosedChannelException(),
                                pool.route,
                                loop.client.connectTimeoutMillis));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (call != null && ready && !answered) {
            try {
                if (parser.closed()) { // a body delimited by the close ends here
                    complete(false);
                    return;
                }
            } catch (ListenerFailed e) {
                // the call is failed below
            }
        }
        failBeforeOrAfterReady(null);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable t) {
        if (cause == null) cause = t;
        failBeforeOrAfterReady(t);
        channel.close();
    }

    private void release() {
        buffer = NONE;
        buffered = 0;
    }

    /** A whole body over the client's limit; thrown out of the parser. */
    private static final class TooLarge extends RuntimeException {
        TooLarge() {
            super(null, null, false, false);
        }
    }

    /** A listener callback threw; thrown out of the parser. */
    private static final class ListenerFailed extends RuntimeException {
        ListenerFailed(RuntimeException cause) {
            super(null, cause, false, false);
        }
    }
}
