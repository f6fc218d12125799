package dev.llmlab.benchmarks.load;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * An incremental HTTP/1.1 response parser that understands just enough for SSE load testing: the status line,
 * the headers that frame the body ({@code content-length}, {@code transfer-encoding: chunked},
 * {@code connection}, {@code content-type}), chunked, fixed-length and close-delimited bodies, and SSE events
 * inside the body.
 *
 * <h2>Why hand-written</h2>
 * Netty's {@code HttpClientCodec} makes an {@code HttpContent} object and a buffer slice per chunk, i.e. per
 * token here. This parser walks the socket buffer in place and copies each line into one reusable array per
 * connection, so steady-state streaming allocates nothing per token.
 *
 * <h2>What counts as a token</h2>
 * An SSE event (terminated by a blank line) with a {@code data:} line whose JSON carries a non-empty string in
 * {@code "content":"..."} (chat) or {@code "text":"..."} (completions). The role chunk
 * ({@code "content":""}), the finish chunk ({@code "delta":{}}), usage chunks and {@code [DONE]} are events
 * but not tokens. The JSON is not parsed: the key is searched as bytes, which is exact for the compact JSON
 * that OpenAI-compatible servers send.
 *
 * <p>Not thread-safe: one per connection, used on its event loop. Parses responses back to back (keep-alive).
 */
final class SseResponseParser {

    /** What the parser reports; called on the thread that calls {@link #feed}. */
    interface Listener {
        /** The response head is complete. */
        void onHead(int status, boolean eventStream);

        /** One SSE event was dispatched; {@code token} if it carried non-empty content, {@code done} for [DONE]. */
        void onEvent(boolean token, boolean done);

        /** The response body is complete; {@code keepAlive} tells whether the connection may be reused. */
        void onEnd(boolean keepAlive);
    }

    private static final int STATUS = 0;
    private static final int HEADER = 1;
    private static final int CHUNK_SIZE = 2;
    private static final int CHUNK_DATA = 3;
    private static final int CHUNK_END = 4;
    private static final int TRAILER = 5;
    private static final int FIXED = 6;
    private static final int UNTIL_CLOSE = 7;
    private static final int FAILED = 8;

    private static final int MAX_LINE = 1 << 20;

    private static final byte[] CONTENT_LENGTH = ascii("content-length:");
    private static final byte[] TRANSFER_ENCODING = ascii("transfer-encoding:");
    private static final byte[] CONNECTION = ascii("connection:");
    private static final byte[] CONTENT_TYPE = ascii("content-type:");
    private static final byte[] CHUNKED = ascii("chunked");
    private static final byte[] CLOSE = ascii("close");
    private static final byte[] KEEP_ALIVE = ascii("keep-alive");
    private static final byte[] EVENT_STREAM = ascii("text/event-stream");
    private static final byte[] DATA = ascii("data:");
    private static final byte[] DONE = ascii("[DONE]");
    private static final byte[] CONTENT_KEY = ascii("\"content\":\"");
    private static final byte[] TEXT_KEY = ascii("\"text\":\"");

    private final Listener listener;

    private int state = STATUS;
    private byte[] httpLine = new byte[128];
    private int httpLen;
    private byte[] sseLine;
    private int sseLen;

    private int status;
    private boolean http10;
    private boolean chunked;
    private long contentLength;
    private boolean keepAlive;
    private boolean eventStream;
    private long remaining;

    private boolean eventHasData;
    private boolean eventToken;
    private boolean eventDone;

    private String error;

    SseResponseParser(Listener listener) {
        this.listener = listener;
    }

    /** Why parsing failed, or null. */
    String error() {
        return error;
    }

    /** True between the first byte of a response and its end. */
    boolean inResponse() {
        return state != STATUS || httpLen > 0;
    }

    /**
     * Consumes all readable bytes of {@code in} (without releasing it). Returns false on a protocol error; see
     * {@link #error()}; the connection should then be closed.
     */
    boolean feed(ByteBuf in) {
        int i = in.readerIndex();
        int end = in.writerIndex();
        while (i < end) {
            switch (state) {
                case STATUS, HEADER, CHUNK_SIZE, CHUNK_END, TRAILER -> {
                    int nl = in.indexOf(i, end, (byte) '\n');
                    int stop = nl < 0 ? end : nl;
                    if (!appendHttp(in, i, stop - i)) {
                        return fail("response line longer than " + MAX_LINE + " bytes");
                    }
                    i = stop;
                    if (nl >= 0) {
                        i++;
                        int len = httpLen;
                        if (len > 0 && httpLine[len - 1] == '\r') {
                            len--;
                        }
                        httpLen = 0;
                        if (!httpLine(len)) {
                            in.readerIndex(end);
                            return false;
                        }
                    }
                }
                case CHUNK_DATA, FIXED -> {
                    int n = (int) Math.min(end - i, remaining);
                    if (!sse(in, i, n)) {
                        return false;
                    }
                    i += n;
                    remaining -= n;
                    if (remaining == 0) {
                        if (state == CHUNK_DATA) {
                            state = CHUNK_END;
                        } else {
                            responseEnd();
                        }
                    }
                }
                case UNTIL_CLOSE -> {
                    if (!sse(in, i, end - i)) {
                        return false;
                    }
                    i = end;
                }
                default -> {
                    in.readerIndex(end);
                    return false;
                }
            }
        }
        in.readerIndex(end);
        return true;
    }

    /**
     * The connection closed. Returns true if that ended a close-delimited response cleanly (reported through
     * {@link Listener#onEnd}), false if a response was cut short (or none was in progress).
     */
    boolean closed() {
        if (state == UNTIL_CLOSE) {
            dispatchEvent();
            state = STATUS;
            listener.onEnd(false);
            return true;
        }
        return false;
    }

    private boolean httpLine(int len) {
        byte[] l = httpLine;
        switch (state) {
            case STATUS -> {
                if (len == 0) {
                    return true; // tolerate stray CRLF between responses
                }
                // HTTP/1.1 200 OK
                if (len < 12 || l[0] != 'H' || l[1] != 'T' || l[2] != 'T' || l[3] != 'P' || l[4] != '/') {
                    return fail("bad status line: " + new String(l, 0, Math.min(len, 80)));
                }
                http10 = l[5] == '1' && l[7] == '0';
                int s = 0;
                for (int k = 9; k < 12; k++) {
                    int d = l[k] - '0';
                    if (d < 0 || d > 9) {
                        return fail("bad status code: " + new String(l, 0, Math.min(len, 80)));
                    }
                    s = s * 10 + d;
                }
                status = s;
                chunked = false;
                contentLength = -1;
                keepAlive = !http10;
                eventStream = false;
                state = HEADER;
            }
            case HEADER -> {
                if (len == 0) {
                    headEnd();
                } else if (startsWithIgnoreCase(l, len, CONTENT_LENGTH)) {
                    long v = 0;
                    for (int k = CONTENT_LENGTH.length; k < len; k++) {
                        byte b = l[k];
                        if (b >= '0' && b <= '9') {
                            v = v * 10 + (b - '0');
                        }
                    }
                    contentLength = v;
                } else if (startsWithIgnoreCase(l, len, TRANSFER_ENCODING)) {
                    chunked = containsIgnoreCase(l, len, CHUNKED);
                } else if (startsWithIgnoreCase(l, len, CONNECTION)) {
                    if (containsIgnoreCase(l, len, CLOSE)) {
                        keepAlive = false;
                    } else if (containsIgnoreCase(l, len, KEEP_ALIVE)) {
                        keepAlive = true;
                    }
                } else if (startsWithIgnoreCase(l, len, CONTENT_TYPE)) {
                    eventStream = containsIgnoreCase(l, len, EVENT_STREAM);
                }
            }
            case CHUNK_SIZE -> {
                long size = 0;
                int k = 0;
                for (; k < len; k++) {
                    int d = Character.digit(l[k], 16);
                    if (d < 0) {
                        break;
                    }
                    size = (size << 4) | d;
                }
                if (k == 0) {
                    return fail("bad chunk size line");
                }
                if (size == 0) {
                    state = TRAILER;
                } else {
                    remaining = size;
                    state = CHUNK_DATA;
                }
            }
            case CHUNK_END -> {
                if (len != 0) {
                    return fail("chunk data longer than its size");
                }
                state = CHUNK_SIZE;
            }
            case TRAILER -> {
                if (len == 0) {
                    responseEnd();
                }
            }
            default -> {
                return fail("internal parser state " + state);
            }
        }
        return true;
    }

    private void headEnd() {
        if (status >= 100 && status < 200) {
            state = STATUS; // 100 Continue and friends: the real head follows
            return;
        }
        listener.onHead(status, eventStream);
        if (state == FAILED) {
            return;
        }
        if (chunked) {
            state = CHUNK_SIZE;
        } else if (contentLength >= 0) {
            if (contentLength == 0) {
                responseEnd();
            } else {
                remaining = contentLength;
                state = FIXED;
            }
        } else {
            keepAlive = false;
            state = UNTIL_CLOSE;
        }
    }

    private void responseEnd() {
        dispatchEvent();
        sseLen = 0;
        state = STATUS;
        listener.onEnd(keepAlive);
    }

    // ---- SSE

    private boolean sse(ByteBuf in, int from, int n) {
        int end = from + n;
        int i = from;
        while (i < end) {
            int nl = in.indexOf(i, end, (byte) '\n');
            int stop = nl < 0 ? end : nl;
            if (!appendSse(in, i, stop - i)) {
                return fail("SSE line longer than " + MAX_LINE + " bytes");
            }
            i = stop;
            if (nl < 0) {
                break;
            }
            i++;
            int len = sseLen;
            if (len > 0 && sseLine[len - 1] == '\r') {
                len--;
            }
            sseLen = 0;
            sseLine(len);
        }
        return true;
    }

    private void sseLine(int len) {
        if (len == 0) {
            dispatchEvent();
            return;
        }
        byte[] l = sseLine;
        if (!startsWith(l, len, DATA)) {
            return; // event:, id:, retry:, comments
        }
        eventHasData = true;
        int p = DATA.length;
        if (p < len && l[p] == ' ') {
            p++;
        }
        if (len - p == DONE.length && regionEquals(l, p, DONE)) {
            eventDone = true;
        } else if (!eventToken && (nonEmptyString(l, p, len, CONTENT_KEY) || nonEmptyString(l, p, len, TEXT_KEY))) {
            eventToken = true;
        }
    }

    private void dispatchEvent() {
        if (eventHasData) {
            boolean token = eventToken;
            boolean done = eventDone;
            eventHasData = false;
            eventToken = false;
            eventDone = false;
            listener.onEvent(token, done);
        }
    }

    /** True if {@code key} occurs in l[from, len) and is followed by a character other than the closing quote. */
    private static boolean nonEmptyString(byte[] l, int from, int len, byte[] key) {
        int last = len - key.length - 1;
        byte first = key[0];
        outer:
        for (int i = from; i <= last; i++) {
            if (l[i] != first) {
                continue;
            }
            for (int k = 1; k < key.length; k++) {
                if (l[i + k] != key[k]) {
                    continue outer;
                }
            }
            return l[i + key.length] != '"';
        }
        return false;
    }

    // ---- buffers and byte helpers

    private boolean appendHttp(ByteBuf in, int from, int n) {
        if (n == 0) {
            return true;
        }
        int need = httpLen + n;
        if (need > MAX_LINE) {
            return false;
        }
        if (need > httpLine.length) {
            httpLine = Arrays.copyOf(httpLine, Math.max(need, httpLine.length * 2));
        }
        in.getBytes(from, httpLine, httpLen, n);
        httpLen = need;
        return true;
    }

    private boolean appendSse(ByteBuf in, int from, int n) {
        if (n == 0) {
            return true;
        }
        int need = sseLen + n;
        if (need > MAX_LINE) {
            return false;
        }
        if (sseLine == null) {
            sseLine = new byte[Math.max(512, need)];
        } else if (need > sseLine.length) {
            sseLine = Arrays.copyOf(sseLine, Math.max(need, sseLine.length * 2));
        }
        in.getBytes(from, sseLine, sseLen, n);
        sseLen = need;
        return true;
    }

    private boolean fail(String why) {
        error = why;
        state = FAILED;
        return false;
    }

    private static boolean startsWith(byte[] l, int len, byte[] p) {
        return len >= p.length && regionEquals(l, 0, p);
    }

    private static boolean regionEquals(byte[] l, int off, byte[] p) {
        for (int k = 0; k < p.length; k++) {
            if (l[off + k] != p[k]) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWithIgnoreCase(byte[] l, int len, byte[] lowerPrefix) {
        if (len < lowerPrefix.length) {
            return false;
        }
        for (int k = 0; k < lowerPrefix.length; k++) {
            if (lower(l[k]) != lowerPrefix[k]) {
                return false;
            }
        }
        return true;
    }

    private static boolean containsIgnoreCase(byte[] l, int len, byte[] lowerNeedle) {
        outer:
        for (int i = 0; i <= len - lowerNeedle.length; i++) {
            for (int k = 0; k < lowerNeedle.length; k++) {
                if (lower(l[i + k]) != lowerNeedle[k]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static byte lower(byte b) {
        return b >= 'A' && b <= 'Z' ? (byte) (b + 32) : b;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
