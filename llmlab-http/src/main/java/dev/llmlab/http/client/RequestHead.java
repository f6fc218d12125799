package dev.llmlab.http.client;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
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
    private final String headerLines;
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

    private RequestHead(Origin origin, String method, String target, String headerLines) {
        this.origin = origin;
        this.method = method;
        this.target = target;
        this.headerLines = headerLines;
        this.head = method.equals("HEAD");
        this.bytes = (method + " " + target + " HTTP/1.1\r\n" + headerLines).getBytes(StandardCharsets.UTF_8);
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
        if (method == null || method.isEmpty() || !method.chars().allMatch(c -> c > ' ' && c < 127))
            throw new IllegalArgumentException("'" + method + "' is not an HTTP method");
        if (target == null || !target.startsWith("/") || target.chars().anyMatch(c -> c <= ' ' || c == 127))
            throw new IllegalArgumentException(
                    "the request target must be a path starting with '/', got '" + target + "'");
        StringBuilder h = new StringBuilder();
        if (headers.keySet().stream().noneMatch(n -> n != null && n.equalsIgnoreCase("host")))
            h.append("host: ").append(origin.authority()).append("\r\n");
        for (Map.Entry<String, String> e : headers.entrySet()) {
            String name = e.getKey();
            String value = e.getValue() == null ? "" : e.getValue();
            checkHeader(name, value);
            h.append(name).append(": ").append(value).append("\r\n");
        }
        return new RequestHead(origin, method, target, h.toString());
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
        if (name == null || name.isEmpty() || !name.chars().allMatch(c -> c > ' ' && c < 127 && c != ':'))
            throw new IllegalArgumentException(
                    "header '" + name + "' cannot be sent: its name is not a token (visible ASCII, no blank or colon)");
        if (value != null && (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0))
            throw new IllegalArgumentException("header '" + name + "' cannot be sent: its value has a line break");
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.equals("content-length") || lower.equals("transfer-encoding"))
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
        String s = method + " " + origin + target + " HTTP/1.1\r\n" + headerLines
                + (proxyAuthorization == null ? "" : "proxy-authorization: " + proxyAuthorization + "\r\n");
        a = new Absolute(proxyAuthorization, s.getBytes(StandardCharsets.UTF_8));
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
