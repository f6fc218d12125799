package dev.llmlab.http.client;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An incremental reader of HTTP/1.1 responses (RFC 9112) as a fast client needs them: the status,
 * whether the connection stays open, the content type, and the body as it arrives, delimited by
 * Content-Length, by chunked transfer coding, or by the connection's close. Interim 1xx responses
 * are skipped; 204, 304 and the answer to a HEAD have no body.
 *
 * <p>Only the headers the reader itself needs (Content-Length, Transfer-Encoding, Connection,
 * Content-Type) are looked at as the lines go by, and nothing is allocated per header: this runs
 * for every response, and on a fast target Netty's general decoder (a header map and three objects
 * per response) was a tenth of a load generator's time. The head's lines are kept in the reader's
 * own buffer, one after the other, so that a caller who wants another header ({@link ResponseHead})
 * can find it there later, and one who does not pays nothing for it.
 *
 * <p>Bytes may arrive split anywhere. Not thread-safe: one per connection, reused across its
 * responses.
 */
final class ResponseParser {
    /** Told of one response's parts, in order. */
    interface Listener {
        /** The head: its lines are in {@code head} until this returns. */
        void head(ResponseHead head);

        /** {@code length} body bytes at {@code index} of {@code buf} (not consumed; copy what you keep). */
        void body(ByteBuf buf, int index, int length);

        void end();
    }

    /** The bytes are not an HTTP/1.1 response this reader understands. */
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
    private final ResponseHead head = new ResponseHead();
    private State state = State.STATUS;
    /** The head's lines so far, each ended by LF, then the line being read; other lines from 0. */
    private byte[] line = new byte[256];
    /** Where the line being read starts in {@link #line}. */
    private int lineStart;
    /** Bytes of the line being read, from {@link #lineStart}. */
    private int lineLength;

    private int headBytes;
    private int status;
    private boolean keepAlive;
    private boolean eventStream;
    private boolean chunked;
    private boolean noBody;
    private long contentLength;
    private long remaining;
    private boolean ended;

    ResponseParser(Listener listener) {
        this.listener = listener;
    }

    /** Whether the next response answers a HEAD request (and so has no body, whatever its head says). */
    void expectNoBody(boolean headRequest) {
        this.noBody = headRequest;
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

    private boolean inHead() {
        return state == State.STATUS || state == State.HEADERS;
    }

    private boolean readLine(ByteBuf in) {
        int lf = in.bytesBefore((byte) '\n');
        int n = lf < 0 ? in.readableBytes() : lf + 1;
        if (lineLength + n > MAX_LINE)
            throw new MalformedResponse("a response line longer than " + MAX_LINE + " bytes");
        if (inHead() || state == State.TRAILERS) {
            headBytes += n;
            if (headBytes > MAX_HEAD) throw new MalformedResponse("a response head larger than " + MAX_HEAD + " bytes");
        }
        int end = lineStart + lineLength + n;
        if (end > line.length) line = Arrays.copyOf(line, Math.max(end, line.length * 2));
        in.readBytes(line, lineStart + lineLength, n);
        lineLength += n;
        if (lf < 0) return false;
        lineLength--; // the LF
        if (lineLength > 0 && line[lineStart + lineLength - 1] == '\r') lineLength--;
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

    /** Keeps the head line just read: ended by LF, the next one after it. */
    private void keepLine(int length) {
        line[lineStart + length] = '\n';
        lineStart += length + 1;
    }

    private void status(int length) {
        if (length == 0 && headBytes <= 2) { // a stray CRLF between responses is tolerated (RFC 9112 2.2)
            headBytes = 0;
            return;
        }
        // HTTP/1.x SSS[ reason]
        int s0 = lineStart;
        if (length < 12 || !startsWith("HTTP/1.", s0) || line[s0 + 8] != ' ' || (length > 12 && line[s0 + 12] != ' ')) {
            throw new MalformedResponse("not an HTTP/1.x status line: '" + text(s0, s0 + Math.min(length, 80)) + "'");
        }
        int s = 0;
        for (int i = 9; i < 12; i++) {
            int d = line[s0 + i] - '0';
            if (d < 0 || d > 9) throw new MalformedResponse("a status code that is not 3 digits");
            s = s * 10 + d;
        }
        status = s;
        keepAlive = line[s0 + 7] != '0'; // HTTP/1.0 closes unless it says otherwise
        eventStream = false;
        chunked = false;
        contentLength = -1;
        state = State.HEADERS;
        keepLine(length);
    }

    private void header(int length) {
        int at = lineStart;
        int colon = -1;
        for (int i = 0; i < length; i++) {
            if (line[at + i] == ':') {
                colon = i;
                break;
            }
        }
        if (colon <= 0) throw new MalformedResponse("a header line without a name and colon");
        int v = at + colon + 1;
        int end = at + length;
        while (v < end && (line[v] == ' ' || line[v] == '\t')) v++;
        while (end > v && (line[end - 1] == ' ' || line[end - 1] == '\t')) end--;
        if (nameIs("content-length", at, colon)) {
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
        } else if (nameIs("transfer-encoding", at, colon)) {
            chunked = valueEndsWith("chunked", v, end);
            if (!chunked) throw new MalformedResponse("a transfer coding other than chunked");
        } else if (nameIs("connection", at, colon)) {
            if (valueContains("close", v, end)) keepAlive = false;
            else if (valueContains("keep-alive", v, end)) keepAlive = true;
        } else if (nameIs("content-type", at, colon)) {
            eventStream = end - v >= 17 && regionEquals("text/event-stream", v);
        }
        keepLine(length);
    }

    private void endOfHead() {
        int headLength = lineStart;
        lineStart = 0;
        headBytes = 0;
        if (status >= 100 && status < 200) { // an interim answer; the real one follows
            if (status == 101) throw new MalformedResponse("a protocol upgrade, which this client does not ask for");
            state = State.STATUS;
            return;
        }
        boolean none = noBody || status == 204 || status == 304;
        if (!none && !chunked && contentLength < 0) keepAlive = false; // the body runs to the close
        head.set(line, headLength, status, keepAlive, eventStream);
        listener.head(head);
        head.clear(); // its lines are overwritten from here on
        if (none) {
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
        lineStart = 0;
        ended = true;
        listener.end();
    }

    private boolean startsWith(String s, int at) {
        for (int i = 0; i < s.length(); i++) if (line[at + i] != s.charAt(i)) return false;
        return true;
    }

    /** Case-insensitive: header names are. */
    private boolean nameIs(String name, int at, int length) {
        return length == name.length() && regionEquals(name, at);
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
