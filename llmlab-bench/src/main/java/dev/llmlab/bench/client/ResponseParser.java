package dev.llmlab.bench.client;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * An incremental reader of HTTP/1.1 responses (RFC 9112) as a load generator needs them: the
 * status, whether the connection stays open, the content type, and the body as it arrives,
 * delimited by Content-Length, by chunked transfer coding, or by the connection's close. Interim
 * 1xx responses are skipped; 204 and 304 have no body. Only the headers the client uses are
 * looked at, and nothing is allocated per header: this runs for every response, and on a fast
 * target Netty's general decoder (a header map and three objects per response) was a tenth of the
 * client's time.
 *
 * <p>Bytes may arrive split anywhere. Not thread-safe: one per connection, reused across its
 * responses.
 */
final class ResponseParser {
    /** Told of one response's parts, in order. */
    interface Listener {
        void head(int status, boolean keepAlive, boolean eventStream);

        /** {@code length} body bytes at {@code index} of {@code buf} (not consumed; copy what you keep). */
        void body(ByteBuf buf, int index, int length);

        void end();
    }

    /** The bytes are not an HTTP/1.1 response the client can read. */
    static final class MalformedResponse extends RuntimeException {
        MalformedResponse(String message) {
            super(message, null, false, false);
        }
    }

    private static final int MAX_LINE = 16 * 1024;
    private static final int MAX_HEAD = 64 * 1024;

    private enum State {
        STATUS,
        HEADERS,
        FIXED,
        CHUNK_SIZE,
        CHUNK_DATA,
        CHUNK_END,
        TRAILERS,
        UNTIL_CLOSE
    }

    private final Listener listener;
    private State state = State.STATUS;
    private byte[] line = new byte[128];
    private int lineLength;
    private int headBytes;
    private int status;
    private boolean http10;
    private boolean keepAlive;
    private boolean eventStream;
    private boolean chunked;
    private long contentLength;
    private long remaining;
    private boolean ended;

    ResponseParser(Listener listener) {
        this.listener = listener;
    }

    /** Whether a response has begun and not ended. */
    boolean midResponse() {
        return state != State.STATUS || lineLength > 0;
    }

    /**
     * Reads from {@code in} up to the end of one response, or all of it: after a response ends, the
     * rest is left in {@code in}, for the caller to judge (a server may not answer what was not asked).
     *
     * @return whether a response ended
     * @throws MalformedResponse when it is not HTTP/1.1 as this reader understands it
     */
    boolean feed(ByteBuf in) {
        ended = false;
        while (in.isReadable() && !ended) {
            switch (state) {
                case FIXED, CHUNK_DATA -> {
                    int n = (int) Math.min(remaining, in.readableBytes());
                    listener.body(in, in.readerIndex(), n);
                    in.skipBytes(n);
                    remaining -= n;
                    if (remaining == 0) {
                        if (state == State.FIXED) end();
                        else state = State.CHUNK_END;
                    }
                }
                case UNTIL_CLOSE -> {
                    int n = in.readableBytes();
                    listener.body(in, in.readerIndex(), n);
                    in.skipBytes(n);
                }
                default -> {
                    if (!readLine(in)) return false;
                    onLine();
                }
            }
        }
        return ended;
    }

    /** The connection closed; a body delimited by the close ends here. @return whether a response ended */
    boolean closed() {
        if (state != State.UNTIL_CLOSE) return false;
        end();
        return true;
    }

    private boolean readLine(ByteBuf in) {
        int lf = in.bytesBefore((byte) '\n');
        int n = lf < 0 ? in.readableBytes() : lf + 1;
        if (lineLength + n > MAX_LINE)
            throw new MalformedResponse("a response line longer than " + MAX_LINE + " bytes");
        if (state == State.STATUS || state == State.HEADERS || state == State.TRAILERS) {
            headBytes += n;
            if (headBytes > MAX_HEAD) throw new MalformedResponse("a response head larger than " + MAX_HEAD + " bytes");
        }
        if (lineLength + n > line.length)
            line = java.util.Arrays.copyOf(line, Math.max(lineLength + n, line.length * 2));
        in.readBytes(line, lineLength, n);
        lineLength += n;
        if (lf < 0) return false;
        lineLength--; // the LF
        if (lineLength > 0 && line[lineLength - 1] == '\r') lineLength--;
        return true;
    }

    private void onLine() {
        int length = lineLength;
        lineLength = 0;
        switch (state) {
            case STATUS -> status(length);
            case HEADERS -> {
                if (length == 0) endOfHead();
                else header(length);
            }
            case CHUNK_SIZE -> {
                long size = chunkSize(length);
                if (size == 0) {
                    state = State.TRAILERS;
                } else {
                    remaining = size;
                    state = State.CHUNK_DATA;
                }
            }
            case CHUNK_END -> {
                if (length != 0) throw new MalformedResponse("a chunk not followed by CRLF");
                state = State.CHUNK_SIZE;
            }
            case TRAILERS -> {
                if (length == 0) end();
            }
            default -> throw new IllegalStateException(state.name());
        }
    }

    private void status(int length) {
        if (length == 0 && headBytes <= 2) { // a stray CRLF between responses is tolerated (RFC 9112 2.2)
            headBytes = 0;
            return;
        }
        // HTTP/1.x SSS[ reason]
        if (length < 12 || !startsWith("HTTP/1.") || line[8] != ' ' || (length > 12 && line[12] != ' ')) {
            throw new MalformedResponse("not an HTTP/1.x status line: '" + text(0, Math.min(length, 80)) + "'");
        }
        int s = 0;
        for (int i = 9; i < 12; i++) {
            int d = line[i] - '0';
            if (d < 0 || d > 9) throw new MalformedResponse("a status code that is not 3 digits");
            s = s * 10 + d;
        }
        status = s;
        http10 = line[7] == '0';
        keepAlive = !http10;
        eventStream = false;
        chunked = false;
        contentLength = -1;
        state = State.HEADERS;
    }

    private void header(int length) {
        int colon = -1;
        for (int i = 0; i < length; i++) {
            if (line[i] == ':') {
                colon = i;
                break;
            }
        }
        if (colon <= 0) throw new MalformedResponse("a header line without a name and colon");
        int v = colon + 1;
        int end = length;
        while (v < end && (line[v] == ' ' || line[v] == '\t')) v++;
        while (end > v && (line[end - 1] == ' ' || line[end - 1] == '\t')) end--;
        if (nameIs("content-length", colon)) {
            long n = 0;
            if (v == end) throw new MalformedResponse("an empty Content-Length");
            for (int i = v; i < end; i++) {
                int d = line[i] - '0';
                if (d < 0 || d > 9 || n > Long.MAX_VALUE / 20) throw new MalformedResponse("a bad Content-Length");
                n = n * 10 + d;
            }
            if (contentLength >= 0 && contentLength != n)
                throw new MalformedResponse("conflicting Content-Length headers");
            contentLength = n;
        } else if (nameIs("transfer-encoding", colon)) {
            chunked = valueEndsWith("chunked", v, end);
            if (!chunked) throw new MalformedResponse("a transfer coding other than chunked");
        } else if (nameIs("connection", colon)) {
            if (valueContains("close", v, end)) keepAlive = false;
            else if (valueContains("keep-alive", v, end)) keepAlive = true;
        } else if (nameIs("content-type", colon)) {
            eventStream = end - v >= 17 && regionEquals("text/event-stream", v);
        }
    }

    private void endOfHead() {
        headBytes = 0;
        if (status >= 100 && status < 200) { // an interim answer; the real one follows
            state = State.STATUS;
            return;
        }
        boolean noBody = status == 204 || status == 304;
        if (!noBody && !chunked && contentLength < 0) keepAlive = false; // the body runs to the close
        listener.head(status, keepAlive, eventStream);
        if (noBody) {
            end();
        } else if (chunked) {
            state = State.CHUNK_SIZE;
        } else if (contentLength >= 0) {
            remaining = contentLength;
            if (remaining == 0) end();
            else state = State.FIXED;
        } else {
            state = State.UNTIL_CLOSE;
        }
    }

    private long chunkSize(int length) {
        long size = 0;
        int i = 0;
        for (; i < length; i++) {
            int c = line[i];
            int d = c >= '0' && c <= '9'
                    ? c - '0'
                    : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (d < 0) break;
            if (size > (Long.MAX_VALUE >> 5)) throw new MalformedResponse("a chunk size too large");
            size = size * 16 + d;
        }
        if (i == 0 || (i < length && line[i] != ';' && line[i] != ' ' && line[i] != '\t')) {
            throw new MalformedResponse("a bad chunk size line: '" + text(0, Math.min(length, 40)) + "'");
        }
        return size;
    }

    private void end() {
        state = State.STATUS;
        headBytes = 0;
        ended = true;
        listener.end();
    }

    private boolean startsWith(String s) {
        for (int i = 0; i < s.length(); i++) if (line[i] != s.charAt(i)) return false;
        return true;
    }

    /** Case-insensitive: header names are. */
    private boolean nameIs(String name, int length) {
        if (length != name.length()) return false;
        for (int i = 0; i < length; i++)
            if ((line[i] | 0x20) != name.charAt(i) && line[i] != name.charAt(i)) return false;
        return true;
    }

    private boolean regionEquals(String s, int at) {
        for (int i = 0; i < s.length(); i++)
            if ((line[at + i] | 0x20) != s.charAt(i) && line[at + i] != s.charAt(i)) return false;
        return true;
    }

    private boolean valueEndsWith(String s, int from, int to) {
        return to - from >= s.length() && regionEquals(s, to - s.length());
    }

    private boolean valueContains(String s, int from, int to) {
        for (int i = from; i + s.length() <= to; i++) if (regionEquals(s, i)) return true;
        return false;
    }

    private String text(int from, int to) {
        return new String(line, from, to - from, StandardCharsets.ISO_8859_1);
    }
}
