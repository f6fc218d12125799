package dev.llmlab.gateway.config;

import dev.llmlab.http.HttpServer;
import java.nio.file.Path;
import java.time.Duration;

/**
 * @param host      the address to listen on; 0.0.0.0 by default
 * @param port      4000 by default; 0 for any free port
 * @param ioThreads event loops, shared by clients' connections and upstream calls; 0 (the default)
 *                  for one per core
 * @param tlsCert   a PEM certificate chain to serve https with
 * @param tlsKey    its PEM private key
 * @param headerTimeout a request head's deadline (30 s; 0 for none): a client that has not sent its
 *                      whole head by then gets a 408 and is closed (slow-loris clients)
 * @param bodyTimeout   a request body's deadline (60 s, plus a second per KiB received; 0 for none)
 */
public record ServerConfig(
        String host,
        Integer port,
        Integer ioThreads,
        Path tlsCert,
        Path tlsKey,
        Duration headerTimeout,
        Duration bodyTimeout) {
    /** Where to listen, the deadlines at their defaults. */
    public ServerConfig(String host, Integer port, Integer ioThreads, Path tlsCert, Path tlsKey) {
        this(host, port, ioThreads, tlsCert, tlsKey, null, null);
    }

    public ServerConfig {
        if (headerTimeout == null) headerTimeout = HttpServer.DEFAULT_HEAD_TIMEOUT;
        if (headerTimeout.isNegative())
            throw new IllegalArgumentException("header_timeout must be >= 0, got " + headerTimeout);
        if (bodyTimeout == null) bodyTimeout = HttpServer.DEFAULT_BODY_TIMEOUT;
        if (bodyTimeout.isNegative())
            throw new IllegalArgumentException("body_timeout must be >= 0, got " + bodyTimeout);
        if (host == null || host.isBlank()) host = "0.0.0.0";
        if (port == null) port = 4000;
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be in 0..65535, got " + port);
        if (ioThreads == null) ioThreads = 0;
        if (ioThreads < 0) throw new IllegalArgumentException("io_threads must be >= 0, got " + ioThreads);
        if ((tlsCert == null) != (tlsKey == null))
            throw new IllegalArgumentException(
                    (tlsCert == null ? "tls_cert" : "tls_key") + " is required with the other: https needs both");
    }
}
