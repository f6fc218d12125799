package dev.llmlab.http.client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A response's status line and headers. The status and the few facts the client needed anyway
 * (keep-alive, event stream) are at hand; every other header is found in the head's bytes only
 * when asked for, so that a caller who looks at none (a load generator) pays nothing for them.
 *
 * <p>Lifetime: the instance given to {@link ResponseListener#onHead} is the connection's own and
 * reads the connection's buffer; it is valid until {@code onHead} returns. Keep {@link #copy()}
 * to look at it later. A copy is immutable and thread-safe; the connection's instance is confined
 * to its event loop.
 *
 * <p>Header values are decoded as ISO-8859-1 (RFC 9110 5.5) and trimmed; names compare
 * case-insensitively.
 */
public final class ResponseHead {
    private byte[] bytes;
    private int length;
    private int status;
    private boolean keepAlive;
    private boolean eventStream;

    ResponseHead() {}

    void set(byte[] bytes, int length, int status, boolean keepAlive, boolean eventStream) {
        this.bytes = bytes;
        this.length = length;
        this.status = status;
        this.keepAlive = keepAlive;
        this.eventStream = eventStream;
    }

    void clear() {
        bytes = null;
        length = 0;
    }

    /** The status code. */
    public int status() {
        return status;
    }

    /** Whether the connection stays open after this response (HTTP/1.1 unless {@code Connection: close}). */
    public boolean keepAlive() {
        return keepAlive;
    }

    /** Whether the body is a {@code text/event-stream}. */
    public boolean eventStream() {
        return eventStream;
    }

    /** The first value of header {@code name}, or null if the response has none. */
    public String header(String name) {
        String[] found = {null};
        scan(name, false, (n, v) -> {
            if (found[0] == null) found[0] = v;
        });
        return found[0];
    }

    /** Every value of header {@code name}, in order; empty if none. */
    public List<String> headers(String name) {
        List<String> out = new ArrayList<>(2);
        scan(name, false, (n, v) -> out.add(v));
        return out;
    }

    /**
     * The headers whose names start with {@code prefix} (lower case), by lower-case name, in order;
     * repeated names keep their first value. For example {@code "x-ratelimit-"} or
     * {@code "anthropic-ratelimit-"}.
     */
    public Map<String, String> headersStartingWith(String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        scan(prefix, true, out::putIfAbsent);
        return out;
    }

    /**
     * The headers a provider's rate limits speak through: {@code retry-after}, {@code retry-after-ms},
     * {@code x-ratelimit-*} (OpenAI and most others) and {@code anthropic-ratelimit-*}, in that
     * order, by lower-case name; a repeated name keeps its first value.
     */
    public Map<String, String> rateLimitHeaders() {
        // four passes that make strings of the matching headers only, rather than one that makes
        // strings of all of them: most answers have none of these, and a gateway asks every answer
        Map<String, String> out = new LinkedHashMap<>();
        scan("retry-after", false, out::putIfAbsent);
        scan("retry-after-ms", false, out::putIfAbsent);
        scan("x-ratelimit-", true, out::putIfAbsent);
        scan("anthropic-ratelimit-", true, out::putIfAbsent);
        return out;
    }

    /** Every header, in order, names in lower case. */
    public void forEach(BiConsumer<String, String> action) {
        scan("", true, action);
    }

    /** A detached, immutable copy that outlives the callback. */
    public ResponseHead copy() {
        ResponseHead c = new ResponseHead();
        c.set(
                java.util.Arrays.copyOf(bytes == null ? new byte[0] : bytes, length),
                length,
                status,
                keepAlive,
                eventStream);
        return c;
    }

    @Override
    public String toString() {
        return bytes == null ? "status " + status : new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
    }

    /** Calls {@code action(lower-case name, value)} for each header named {@code name} (or starting with it). */
    private void scan(String name, boolean prefix, BiConsumer<String, String> action) {
        if (bytes == null) return;
        String want = name.toLowerCase(Locale.ROOT);
        int at = 0;
        while (at < length && bytes[at] != '\n') at++; // the status line
        at++;
        while (at < length) {
            int end = at;
            while (end < length && bytes[end] != '\n') end++;
            int colon = at;
            while (colon < end && bytes[colon] != ':') colon++;
            int nameLength = colon - at;
            if (prefix
                    ? nameLength >= want.length() && matches(want, at)
                    : nameLength == want.length() && matches(want, at)) {
                int v = colon + 1;
                int e = end;
                while (v < e && (bytes[v] == ' ' || bytes[v] == '\t')) v++;
                while (e > v && (bytes[e - 1] == ' ' || bytes[e - 1] == '\t')) e--;
                String n = prefix && nameLength != want.length()
                        ? new String(bytes, at, nameLength, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT)
                        : want;
                action.accept(n, new String(bytes, v, e - v, StandardCharsets.ISO_8859_1));
            }
            at = end + 1;
        }
    }

    private boolean matches(String lower, int at) {
        for (int i = 0; i < lower.length(); i++) {
            byte b = bytes[at + i];
            if (b >= 'A' && b <= 'Z') b += 32;
            if (b != lower.charAt(i)) return false;
        }
        return true;
    }
}
