package dev.llmlab.http.client;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An incremental parser of a {@code text/event-stream} body, as the HTML standard defines it:
 * lines end in LF, CRLF or CR; a {@code data:} line adds to the event's data (joined by LF); an
 * {@code event:} line names it; lines starting with {@code :} are comments; a blank line
 * dispatches the event. Bytes may arrive in chunks of any size, split anywhere, including between
 * a CR and its LF. An event with no data is not dispatched, as the standard says.
 *
 * <p>Bounded: one event's data, and any one line, may hold at most {@link #MAX_EVENT_BYTES}; past
 * that, {@code feed} throws {@link MalformedBodyException} (from {@link ResponseListener#onBody}, the
 * client fails the request as malformed), so that a server streaming without line breaks cannot
 * grow the buffers without limit. The parser is unusable after it threw.
 *
 * <p>Not thread-safe: one per response, fed from one thread at a time (a client's callbacks for
 * one response come from its connection's event loop).
 */
public final class SseParser {
    /**
     * The most one event's data (its {@code data:} lines joined), or any one line, may hold: 16 MiB.
     * An LLM API's events are a few hundred bytes (a token's delta) to a few hundred kilobytes (a
     * whole answer, or an image, in one event); 16 MiB is far past any of them.
     */
    public static final int MAX_EVENT_BYTES = 16 * 1024 * 1024;

    /** Told of each complete event. */
    public interface Listener {
        /**
         * @param event  the {@code event:} name, or null for the default ("message")
         * @param data   the event's data, UTF-8, its lines joined by LF, in {@code data[0..length)}; the
         *               array is reused once this returns
         */
        void onEvent(String event, byte[] data, int length);
    }

    private final Listener listener;
    private byte[] line = new byte[256];
    private int lineLength;
    private boolean lastWasCr;
    private byte[] data = new byte[256];
    private int dataLength;
    private boolean hasData;
    private String event;
    private long events;
    /** Set once an event went past {@link #MAX_EVENT_BYTES}: every later feed is refused. */
    private boolean overflowed;

    /**
     * A thread's buffer for bytes of a direct {@link ByteBuf}, copied in bulk and parsed from an
     * array: faster than visiting the buffer byte by byte through Netty's (megamorphic) byte
     * visitor, and, shared by every parser on the thread (a client's event loop), allocated once
     * rather than once per response. {@code busy} guards a listener that feeds another parser from
     * its callback.
     */
    private static final class Scratch {
        final byte[] bytes = new byte[8192];
        boolean busy;
    }

    private static final FastThreadLocal<Scratch> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected Scratch initialValue() {
            return new Scratch();
        }
    };

    public SseParser(Listener listener) {
        this.listener = listener;
    }

    /** Feeds {@code length} bytes of the body from {@code bytes[offset]}. */
    public void feed(byte[] bytes, int offset, int length) {
        if (overflowed) throw tooLarge();
        for (int i = offset, end = offset + length; i < end; i++) accept(bytes[i]);
    }

    /** Feeds {@code length} bytes of {@code buf} from {@code index}, without consuming them. */
    public void feed(ByteBuf buf, int index, int length) {
        if (buf.hasArray()) {
            feed(buf.array(), buf.arrayOffset() + index, length);
            return;
        }
        Scratch s = SCRATCH.get();
        if (s.busy) { // fed from a listener's callback while the thread's buffer is in use
            byte[] own = new byte[length];
            buf.getBytes(index, own);
            feed(own, 0, length);
            return;
        }
        s.busy = true;
        try {
            for (int at = 0; at < length; ) {
                int n = Math.min(length - at, s.bytes.length);
                buf.getBytes(index + at, s.bytes, 0, n);
                feed(s.bytes, 0, n);
                at += n;
            }
        } finally {
            s.busy = false;
        }
    }

    private void accept(byte b) {
        if (b == '\n') {
            if (lastWasCr) {
                lastWasCr = false; // the LF of a CRLF: the line already ended at the CR
                return;
            }
            endLine();
        } else if (b == '\r') {
            lastWasCr = true;
            endLine();
        } else {
            lastWasCr = false;
            if (lineLength == line.length) line = grow(line, lineLength + 1);
            line[lineLength++] = b;
        }
    }

    /** Events dispatched so far. */
    public long events() {
        return events;
    }

    /** Whether the stream stopped in the middle of an event (data or a line not yet ended by a blank line). */
    public boolean midEvent() {
        return hasData || lineLength > 0 || event != null;
    }

    private void endLine() {
        if (lineLength == 0) {
            dispatch();
            return;
        }
        if (line[0] != ':') {
            int colon = -1;
            for (int i = 0; i < lineLength; i++) {
                if (line[i] == ':') {
                    colon = i;
                    break;
                }
            }
            int nameLength = colon < 0 ? lineLength : colon;
            int start = colon < 0 ? lineLength : colon + 1;
            if (start < lineLength && line[start] == ' ') start++;
            if (is("data", nameLength)) {
                int need = dataLength + (hasData ? 1 : 0) + lineLength - start;
                if (need > data.length) data = grow(data, need);
                if (hasData) data[dataLength++] = '\n';
                System.arraycopy(line, start, data, dataLength, lineLength - start);
                dataLength += lineLength - start;
                hasData = true;
            } else if (is("event", nameLength)) {
                event = new String(line, start, lineLength - start, StandardCharsets.UTF_8);
            } // id, retry and unknown fields do not matter to a benchmark
        }
        lineLength = 0;
    }

    /** {@code a} grown to hold {@code need} bytes (doubling, up to the limit). */
    private byte[] grow(byte[] a, int need) {
        if (need > MAX_EVENT_BYTES) {
            overflowed = true;
            line = data = new byte[0]; // what was gathered goes now, not with the parser
            lineLength = dataLength = 0;
            throw tooLarge();
        }
        return Arrays.copyOf(a, (int) Math.min(MAX_EVENT_BYTES, Math.max(need, a.length * 2L)));
    }

    private static MalformedBodyException tooLarge() {
        return new MalformedBodyException(
                "an event stream with an event (or a line) longer than " + MAX_EVENT_BYTES / (1024 * 1024) + " MiB");
    }

    private boolean is(String field, int nameLength) {
        if (nameLength != field.length()) return false;
        for (int i = 0; i < nameLength; i++) if (line[i] != field.charAt(i)) return false;
        return true;
    }

    private void dispatch() {
        if (hasData) {
            events++;
            listener.onEvent(event, data, dataLength);
        }
        dataLength = 0;
        hasData = false;
        event = null;
    }
}
