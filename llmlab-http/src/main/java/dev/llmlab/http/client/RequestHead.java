package dev.llmlab.http.client;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A request's line and headers, written out to bytes once: a load generator sending one request
 * shape a hundred thousand times a second prepares it once and reuses it; a caller whose headers
 * change per request (a gateway forwarding its clients') makes one per request. Each send adds
 * {@code Content-Length} for its body.
 *
 * <p>The client adds {@code Host} unless the headers have one. Through a plain HTTP proxy the request line takes the absolute
 * form ({@code POST http://host/path HTTP/1.1}) and a {@code Proxy-Authorization} header, as curl
 * sends them; that variant is made on first use and kept.
 *
 * <p>Immutable and thread-safe.
 */
public final class RequestHead {
    private final Origin origin;
    private final String method;
    private final String target;
    private final byte[] bytes;
    /** The request line's length in {@link #bytes}, CRLF included: the header lines follow it. */
    private final int lineLength;

    private final boolean head;
    /** The absolute-form variant, made once per proxy on first use: its proxy's authorisation, and the bytes. */
    private volatile Absolute absolute;

    record Absolute(String proxyAuthorization, byte[] bytes) {
        /** Never the proxy's credentials, nor the bytes that carry them. */
        @Override
        public String toString() {
            return "absolute-form head" + (proxyAuthorization != null ? " with proxy credentials" : "");
        }
    }

    private RequestHead(Origin origin, String method, String target, byte[] bytes, int lineLength) {
        this.origin = origin;
        this.method = method;
        this.target = target;
        this.bytes = bytes;
        this.lineLength = lineLength;
        this.head = method.equals("HEAD");
    }

    /**
     * @param target  the origin-form request target: an absolute path with its query, such as
     *                {@code /v1/chat/completions}
     * @param headers sent as given, in their order (names need not be lower case); {@code Host}
     *                replaces the origin's; {@code Content-Length} and {@code Transfer-Encoding} are
     *                the client's own
     * @throws IllegalArgumentException for a method or target that is not a token or path, or a
     *     header that cannot be sent: no name, a line break in it, or one of the client's own
     */
    public static RequestHead of(Origin origin, String method, String target, Map<String, String> headers) {
        if (method == null || method.isEmpty() || !visible(method, false))
            throw new IllegalArgumentException("'" + method + "' is not an HTTP method");
        if (target == null || !target.startsWith("/") || !visible(target, true))
            throw new IllegalArgumentException(
                    "the request target must be a path starting with '/', got '" + target + "'");
        boolean host = false;
        for (String name : headers.keySet()) host |= name != null && name.equalsIgnoreCase("host");
        String authority = host ? null : origin.authority();
        // a gateway makes a head per request it forwards: the bytes are written once, at their size
        int size = method.length() + 1 + target.length() + 11 + (host ? 0 : 8 + authority.length());
        boolean ascii = ascii(target) && (host || ascii(authority));
        for (Map.Entry<String, String> e : headers.entrySet()) {
            String value = e.getValue() == null ? "" : e.getValue();
            checkHeader(e.getKey(), value);
            size += e.getKey().length() + 2 + value.length() + 2;
            ascii &= ascii(value);
        }
        if (!ascii) return utf8(origin, method, target, authority, headers);
        byte[] b = new byte[size];
        int at = put(b, 0, method);
        b[at++] = ' ';
        at = put(b, at, target);
        at = put(b, at, " HTTP/1.1\r\n");
        int lineLength = at;
        if (!host) at = line(b, at, "host", authority);
        for (Map.Entry<String, String> e : headers.entrySet())
            at = line(b, at, e.getKey(), e.getValue() == null ? "" : e.getValue());
        return new RequestHead(origin, method, target, b, lineLength);
    }

    /** The same for a head with characters beyond ASCII: encoded as UTF-8. */
    private static RequestHead utf8(
            Origin origin, String method, String target, String authority, Map<String, String> headers) {
        StringBuilder h = new StringBuilder(256);
        h.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        int lineLength = h.toString().getBytes(StandardCharsets.UTF_8).length;
        if (authority != null) h.append("host: ").append(authority).append("\r\n");
        for (Map.Entry<String, String> e : headers.entrySet())
            h.append(e.getKey())
                    .append(": ")
                    .append(e.getValue() == null ? "" : e.getValue())
                    .append("\r\n");
        return new RequestHead(origin, method, target, h.toString().getBytes(StandardCharsets.UTF_8), lineLength);
    }

    private static int line(byte[] b, int at, String name, String value) {
        at = put(b, at, name);
        b[at++] = ':';
        b[at++] = ' ';
        at = put(b, at, value);
        b[at++] = '\r';
        b[at++] = '\n';
        return at;
    }

    /** Writes ASCII {@code s} at {@code at}; returns the offset past it. */
    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): exactly ASCII's low bytes, no encoder
    private static int put(byte[] b, int at, String s) {
        s.getBytes(0, s.length(), b, at);
        return at + s.length();
    }

    private static boolean ascii(String s) {
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) > 127) return false;
        return true;
    }

    /** Visible ASCII only; with {@code nonAscii}, characters past ASCII pass too (a target's UTF-8). */
    private static boolean visible(String s, boolean nonAscii) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c == 127 || (c > 127 && !nonAscii)) return false;
        }
        return true;
    }

    /**
     * The rule {@link #of} holds each header to, for a caller that takes headers from a person and
     * wants to refuse a bad one when it is given: the name a token of visible ASCII without a colon,
     * the value (null counts as empty) without a line break, and neither {@code Content-Length} nor
     * {@code Transfer-Encoding}, which are the client's own.
     *
     * @throws IllegalArgumentException naming the header and what is wrong with it
     */
    public static void checkHeader(String name, String value) {
        if (name == null || name.isEmpty() || !visible(name, false) || name.indexOf(':') >= 0)
            throw new IllegalArgumentException(
                    "header '" + name + "' cannot be sent: its name is not a token (visible ASCII, no blank or colon)");
        if (value != null && (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0))
            throw new IllegalArgumentException("header '" + name + "' cannot be sent: its value has a line break");
        if (name.equalsIgnoreCase("content-length") || name.equalsIgnoreCase("transfer-encoding"))
            throw new IllegalArgumentException("header '" + name + "' is the client's own to send");
    }

    public Origin origin() {
        return origin;
    }

    public String method() {
        return method;
    }

    public String target() {
        return target;
    }

    /** The line and headers, each ended by CRLF, without the blank line that ends the head. */
    byte[] bytes() {
        return bytes;
    }

    /** The same through a plain HTTP proxy: the absolute form, and the proxy's credentials if it has any. */
    byte[] absoluteBytes(String proxyAuthorization) {
        Absolute a = absolute;
        if (a != null && java.util.Objects.equals(a.proxyAuthorization, proxyAuthorization)) return a.bytes;
        byte[] line = (method + " " + origin + target + " HTTP/1.1\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] auth = proxyAuthorization == null
                ? new byte[0]
                : ("proxy-authorization: " + proxyAuthorization + "\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[line.length + bytes.length - lineLength + auth.length];
        System.arraycopy(line, 0, out, 0, line.length);
        System.arraycopy(bytes, lineLength, out, line.length, bytes.length - lineLength);
        System.arraycopy(auth, 0, out, out.length - auth.length, auth.length);
        a = new Absolute(proxyAuthorization, out);
        absolute = a;
        return a.bytes;
    }

    /** Whether the answer has no body whatever its head says. */
    boolean isHead() {
        return head;
    }

    @Override
    public String toString() {
        return method + " " + origin + target;
    }
}
