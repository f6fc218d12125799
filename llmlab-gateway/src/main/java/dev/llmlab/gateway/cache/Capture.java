package dev.llmlab.gateway.cache;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * The bytes of one answer as they go to its client, gathered to be kept; at most {@code cap} of
 * them: past it the capture gives up and lets go of what it held, so that a long answer costs no
 * more memory than the largest one the cache would keep. An answer is kept only once it is
 * {@linkplain #complete() complete}: a whole answer as it is handed on, a stream when it reached
 * its API's end (never one cut short, broken or cancelled).
 *
 * <p>Not thread-safe: one per try, fed on the request's event loop.
 */
public final class Capture {
    /** The content type of a stream's capture. */
    public static final String EVENT_STREAM = "text/event-stream";

    private final int cap;
    private String contentType;
    private byte[] bytes = new byte[0];
    private int length;
    private boolean over;
    private boolean complete;

    /** @param cap the most bytes kept */
    public Capture(long cap) {
        this.cap = (int) Math.min(cap, Integer.MAX_VALUE - 8);
    }

    /** Adds a frame's readable bytes, leaving its indexes as they are. */
    public void append(ByteBuf frame) {
        int n = frame.readableBytes();
        if (!room(n)) return;
        frame.getBytes(frame.readerIndex(), bytes, length, n);
        length += n;
    }

    /** Adds {@code n} bytes of {@code b} from {@code offset}. */
    public void append(byte[] b, int offset, int n) {
        if (!room(n)) return;
        System.arraycopy(b, offset, bytes, length, n);
        length += n;
    }

    private boolean room(int n) {
        if (over || complete) return false;
        if ((long) length + n > cap) {
            over = true;
            bytes = null;
            return false;
        }
        if (length + n > bytes.length)
            bytes = Arrays.copyOf(bytes, (int) Math.min(cap, Math.max(length + n, Math.max(1024, 2L * bytes.length))));
        return true;
    }

    /**
     * The answer reached its end as its client got it: nothing more is added.
     *
     * @param contentType the answer's, {@link #EVENT_STREAM} for a stream
     */
    public void end(String contentType) {
        if (complete) return;
        complete = true;
        this.contentType = contentType;
    }

    /** The answer's content type, once it ended. */
    public String contentType() {
        return contentType;
    }

    /** Whether it is a stream's events. */
    public boolean stream() {
        return EVENT_STREAM.equals(contentType);
    }

    /** Whether the answer is whole and within the cap: worth keeping. */
    public boolean complete() {
        return complete && !over;
    }

    /** The bytes gathered; call once {@link #complete()}. */
    public byte[] bytes() {
        if (over) throw new IllegalStateException("the answer was larger than the capture's cap");
        return length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
    }
}
