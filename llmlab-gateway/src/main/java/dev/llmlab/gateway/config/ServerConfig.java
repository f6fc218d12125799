package dev.llmlab.gateway.config;

import java.nio.file.Path;

/**
 * @param host      the address to listen on; 0.0.0.0 by default
 * @param port      4000 by default; 0 for any free port
 * @param ioThreads event loops, shared by clients' connections and upstream calls; 0 (the default)
 *                  for one per core
 * @param tlsCert   a PEM certificate chain to serve https with
 * @param tlsKey    its PEM private key
 */
public record ServerConfig(String host, Integer port, Integer ioThreads, Path tlsCert, Path tlsKey) {
    public ServerConfig {
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
