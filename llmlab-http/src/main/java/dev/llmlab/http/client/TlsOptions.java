package dev.llmlab.http.client;

import dev.llmlab.http.Tls;
import java.nio.file.Path;

/**
 * How the client checks the servers it talks TLS to.
 *
 * <p>By default a server's certificate must chain to a CA of the JDK's trust store and name the
 * host the request was for (RFC 6125 via the JDK's {@code HTTPS} endpoint identification; an IP
 * literal must be among the certificate's IP addresses); SNI names the host. {@code caFile} adds the
 * CAs of a PEM file to the JDK's: one client serves several origins (a gateway calls public
 * providers and a private endpoint), so a private CA is trusted next to the public ones, not instead
 * of them (curl's {@code --cacert} replaces its bundle; this does not). {@code insecure} checks
 * nothing: any certificate, for any host, is accepted, and the client logs a warning when it is
 * built.
 *
 * @param caFile   a PEM file of CA certificates to trust as well, or null
 * @param insecure accept every certificate without checking it
 * @param engine   the TLS engine; null for {@link Tls#engine()} (OpenSSL where it loads)
 */
public record TlsOptions(Path caFile, boolean insecure, Tls.Engine engine) {
    public static final TlsOptions DEFAULT = new TlsOptions(null, false, null);

    /** The engine to use: the given one, or the process's choice. */
    Tls.Engine engineOrDefault() {
        return engine != null ? engine : Tls.engine();
    }
}
