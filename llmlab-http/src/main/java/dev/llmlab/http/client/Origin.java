package dev.llmlab.http.client;

import java.net.URI;
import java.util.Locale;

/**
 * Where a request goes: scheme ({@code http} or {@code https}), host and port (RFC 6454). The
 * client keeps one pool of connections per origin on each event loop. Immutable.
 *
 * @param host a name or an IP literal, lower case, without brackets for IPv6
 */
public record Origin(String scheme, String host, int port) {

    /** @throws IllegalArgumentException for another scheme, an empty host or a port outside 1..65535 */
    public Origin {
        scheme = scheme == null ? "" : scheme.toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https"))
            throw new IllegalArgumentException("the scheme must be http or https, got '" + scheme + "'");
        if (host == null || host.isBlank()) throw new IllegalArgumentException("the URL has no host");
        host = host.toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        if (port < 1 || port > 65535) throw new IllegalArgumentException("the port must be in 1..65535, got " + port);
    }

    /**
     * The origin of an absolute {@code http://} or {@code https://} URL; its port defaults to 80 or
     * 443.
     *
     * @throws IllegalArgumentException for anything else, naming what is wrong
     */
    public static Origin of(URI url) {
        String scheme = url.getScheme();
        if (scheme == null || url.getHost() == null)
            throw new IllegalArgumentException("'" + url + "' is not an absolute http:// or https:// URL with a host");
        scheme = scheme.toLowerCase(Locale.ROOT);
        int port = url.getPort() >= 0 ? url.getPort() : defaultPort(scheme);
        return new Origin(scheme, url.getHost(), port);
    }

    /** @see #of(URI) */
    public static Origin of(String url) {
        URI u;
        try {
            u = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + url + "' is not a URL: " + e.getMessage());
        }
        return of(u);
    }

    private static int defaultPort(String scheme) {
        return switch (scheme) {
            case "http" -> 80;
            case "https" -> 443;
            default -> throw new IllegalArgumentException("the scheme must be http or https, got '" + scheme + "'");
        };
    }

    /** Whether requests go over TLS. */
    public boolean secure() {
        return scheme.equals("https");
    }

    /** {@code host[:port]} as the Host header and a CONNECT request name it: the port left out when it is the scheme's. */
    public String authority() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return port == defaultPort(scheme) ? h : h + ":" + port;
    }

    /** {@code scheme://authority}. */
    @Override
    public String toString() {
        return scheme + "://" + authority();
    }
}
