package dev.llmlab.http.client;

import dev.llmlab.http.client.ClientException.Kind;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.proxy.ProxyConnectException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * Turns what Netty and the JDK throw into a {@link ClientException} a person can read: the kind,
 * and a message naming the cause (the host, the proxy, what was wrong with a certificate), never a
 * Java class name. The JDK and OpenSSL engines report certificate problems through the same JDK
 * trust manager, so one walk down the cause chain reads both.
 */
final class Failures {
    private Failures() {}

    /** A failure before the connection was ready: connect, proxy tunnel or TLS handshake. */
    static ClientException connecting(Throwable cause, Proxies.Route route, long connectTimeoutMillis) {
        Origin o = route.origin();
        String where = route.proxy() == null ? o.authority() : route.proxy().address() + " (proxy for " + o + ")";
        // A name that does not resolve: the origin's, or the proxy's (through a proxy the client
        // resolves only the proxy's name; through a tunnel, the channel reports it without a message).
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException)
                return new ClientException(
                        Kind.CONNECT,
                        route.proxy() == null
                                ? "cannot resolve host " + o.host()
                                : "cannot resolve proxy host " + route.proxy().host() + " (proxy for " + o + ")");
        }
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SslHandshakeTimeoutException)
                return new ClientException(
                        Kind.CONNECT_TIMEOUT,
                        "TLS handshake with " + o.authority() + " timed out after " + connectTimeoutMillis + " ms");
            if (t instanceof ConnectTimeoutException)
                return new ClientException(
                        Kind.CONNECT_TIMEOUT,
                        "connect to " + where + " timed out after " + connectTimeoutMillis + " ms");
            if (t instanceof ProxyConnectException p) return proxy(p, route, connectTimeoutMillis);
        }
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SSLException || t instanceof java.security.cert.CertificateException) return tls(cause, o);
        }
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof NoRouteToHostException) return new ClientException(Kind.CONNECT, "no route to " + where);
            if (t instanceof ConnectException)
                return new ClientException(Kind.CONNECT, "connection to " + where + " refused");
        }
        if (cause instanceof ClosedChannelException)
            return new ClientException(
                    Kind.CONNECT, "the connection to " + where + " closed while it was being set up");
        return new ClientException(Kind.CONNECT, "cannot connect to " + where + ": " + text(cause));
    }

    private static ClientException proxy(ProxyConnectException p, Proxies.Route route, long timeoutMillis) {
        String m = p.getMessage() == null ? "" : p.getMessage();
        String proxy =
                route.proxy() == null ? "the proxy" : "proxy " + route.proxy().address();
        if (m.contains("timeout"))
            return new ClientException(
                    Kind.CONNECT_TIMEOUT,
                    proxy + " did not open a tunnel to " + route.origin().authority() + " within " + timeoutMillis
                            + " ms");
        int at = m.indexOf("status: ");
        if (at >= 0) {
            String status = m.substring(at + 8).strip();
            String hint = status.startsWith("407") ? " (give credentials as http://user:password@host:port)" : "";
            return new ClientException(
                    Kind.PROXY,
                    proxy + " refused the tunnel to " + route.origin().authority() + ": " + status + hint);
        }
        if (p.getCause() != null) return new ClientException(Kind.PROXY, proxy + " failed: " + text(p.getCause()));
        return new ClientException(Kind.PROXY, proxy + " failed: " + (m.isEmpty() ? "no reason given" : m));
    }

    /** A TLS handshake failure, named by its cause: unknown CA, expired, another host's certificate, ... */
    static ClientException tls(Throwable cause, Origin o) {
        String host = o.host();
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof CertificateExpiredException)
                return new ClientException(Kind.TLS, "the certificate of " + host + " has expired");
            if (t instanceof CertificateNotYetValidException)
                return new ClientException(Kind.TLS, "the certificate of " + host + " is not valid yet");
            if (t instanceof CertPathValidatorException v
                    && v.getReason() == CertPathValidatorException.BasicReason.EXPIRED)
                return new ClientException(Kind.TLS, "the certificate of " + host + " (or its issuer) has expired");
            if (t instanceof CertPathValidatorException v
                    && v.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID)
                return new ClientException(
                        Kind.TLS, "the certificate of " + host + " (or its issuer) is not valid yet");
        }
        for (Throwable t = cause; t != null; t = t.getCause()) {
            String m = t.getMessage() == null ? "" : t.getMessage();
            if (m.startsWith("No subject alternative") || m.startsWith("No name matching"))
                return new ClientException(
                        Kind.TLS, "the certificate of " + host + " is for another host (hostname mismatch): " + m);
            if (t instanceof CertPathBuilderException || m.contains("unable to find valid certification path"))
                return new ClientException(
                        Kind.TLS,
                        "the certificate of " + host
                                + " is not trusted: it is not issued by a known CA (unknown CA; give its CA with a CA file)");
        }
        String m = text(cause);
        String lower = m.toLowerCase(Locale.ROOT);
        if (lower.contains("protocol_version") || lower.contains("no appropriate protocol"))
            return new ClientException(Kind.TLS, "no TLS version in common with " + host + ": " + m);
        if (lower.contains("handshake_failure") || lower.contains("no cipher suites in common"))
            return new ClientException(Kind.TLS, "the TLS handshake with " + host + " failed (no common cipher): " + m);
        if (lower.contains("not an ssl/tls record")
                || lower.contains("unrecognized ssl message")
                || lower.contains("wrong_version_number"))
            return new ClientException(Kind.TLS, host + ":" + o.port() + " does not speak TLS (plain HTTP?)");
        return new ClientException(Kind.TLS, "the TLS handshake with " + host + " failed: " + m);
    }

    /** A failure of an established connection. */
    static ClientException closed(Throwable cause, Origin o) {
        if (cause == null)
            return new ClientException(
                    Kind.CLOSED, "the connection to " + o.authority() + " closed before the answer was complete");
        if (cause instanceof SSLException) return tls(cause, o);
        return new ClientException(
                Kind.CLOSED,
                "the connection to " + o.authority() + " failed before the answer was complete: " + text(cause));
    }

    /** The deepest message in the chain, without class names; "no reason given" if none has one. */
    static String text(Throwable t) {
        String found = null;
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) found = c.getMessage();
            if (c.getCause() == c) break;
        }
        if (found == null) return "no reason given";
        // Netty and the JDK prefix some messages with a class name ("javax.net.ssl.SSLHandshakeException: ...").
        return found.replaceAll("\\b(?:[a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:Exception|Error): ", "");
    }
}
