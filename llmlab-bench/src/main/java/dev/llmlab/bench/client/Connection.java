package dev.llmlab.bench.client;

import dev.llmlab.bench.measure.Outcome;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.Arrays;

/**
 * One keep-alive connection and the request on it, if any: writes the request and reads its
 * answer ({@link ResponseParser}). Lives on its loop's thread.
 */
final class Connection extends ChannelInboundHandlerAdapter implements ResponseParser.Listener {
    private static final short CRLF = ('\r' << 8) | '\n';

    private final BenchClient client;
    private final BenchClient.Loop loop;
    private final Channel channel;
    private final ResponseParser parser = new ResponseParser(this);
    private Exchange current;
    /** Reused across requests: the bytes of a chunk on their way to the SSE parser, or a whole answer. */
    private byte[] buffer = new byte[0];

    private int buffered;
    private long answeredNanos;

    Connection(BenchClient client, BenchClient.Loop loop, Channel channel) {
        this.client = client;
        this.loop = loop;
        this.channel = channel;
    }

    boolean active() {
        return channel.isActive();
    }

    /** Writes the request: the prepared head, the body's length, and the body, in one buffer. */
    void begin(Exchange x) {
        current = x;
        x.loop = loop;
        byte[] body = x.body;
        ByteBuf buf = channel.alloc().directBuffer(client.head.length + 16 + body.length);
        buf.writeBytes(client.head);
        writeDigits(buf, body.length);
        buf.writeShort(CRLF).writeShort(CRLF).writeBytes(body);
        channel.writeAndFlush(buf, channel.voidPromise()); // a failed write reaches exceptionCaught
    }

    private static void writeDigits(ByteBuf buf, int n) {
        if (n >= 10) writeDigits(buf, n / 10);
        buf.writeByte('0' + n % 10);
    }

    boolean overdue(long now) {
        return current != null && now - current.sentNanos > client.timeoutNanos;
    }

    void timeOut(long now) {
        fail(now, Outcome.TIMEOUT);
    }

    /** Abandons the request in flight, if any: the run it belonged to has stopped. */
    void cancel(long now) {
        if (current != null) fail(now, Outcome.CONNECTION);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        loop.open.add(this); // only connected channels: channelInactive, which removes it, follows only those
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            if (current == null) { // bytes no request asked for: the connection cannot be trusted
                channel.close();
                return;
            }
            if (current.firstByteNanos < 0) current.firstByteNanos = System.nanoTime();
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
            fail(System.nanoTime(), Outcome.MALFORMED);
        } finally {
            in.release();
        }
    }

    /** The request being answered; bytes past its answer (a server that talks out of turn) are malformed. */
    private Exchange answering() {
        if (current == null) throw new ResponseParser.MalformedResponse("bytes past the answer, no request asked for");
        return current;
    }

    @Override
    public void head(int status, boolean keepAlive, boolean eventStream) {
        Exchange x = answering();
        x.status = status;
        x.keepAlive = keepAlive;
        x.streaming = eventStream;
        if (eventStream) x.startStream();
        buffered = 0;
    }

    @Override
    public void body(ByteBuf buf, int index, int n) {
        Exchange x = answering();
        int at = x.streaming ? 0 : buffered;
        if (buffer.length < at + n) buffer = Arrays.copyOf(buffer, Math.max(at + n, buffer.length * 2));
        buf.getBytes(index, buffer, at, n);
        if (x.streaming) x.feed(buffer, n);
        else buffered += n;
    }

    @Override
    public void end() {
        answering();
        answeredNanos = System.nanoTime(); // completed once the parser returns (see complete)
    }

    /**
     * The answer is complete: judge it, and deliver its record. The parser has returned, so a next
     * request started from the record's callback on this connection reads only its own answer.
     */
    private void complete(boolean reusable) {
        Exchange x = current;
        Outcome outcome = x.outcome(buffer, buffered);
        current = null;
        if (buffer.length > 65536) buffer = new byte[0]; // a large answer's buffer lives no longer than its request
        // Back in the pool before the record goes out: a closed loop sends its next request from the
        // callback, on this loop, and should find this connection rather than open another.
        boolean reuse = reusable && x.keepAlive && outcome != Outcome.MALFORMED && channel.isActive();
        if (reuse) loop.idle.push(this);
        x.finish(answeredNanos, outcome);
        if (!reuse) channel.close();
    }

    /** Ends the request on this connection, if any, as failed, and closes the connection. */
    private void fail(long now, Outcome outcome) {
        Exchange x = current;
        current = null;
        if (x != null) x.finish(now, outcome);
        channel.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        loop.open.remove(this);
        if (current != null && parser.closed()) { // a body delimited by the close ends well here
            complete(false);
            return;
        }
        Exchange x = current;
        current = null;
        if (x != null) x.finish(System.nanoTime(), Outcome.CONNECTION);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(System.nanoTime(), Outcome.CONNECTION);
    }
}
