package dev.llmlab.sim.config;

import dev.llmlab.http.HttpServer;
import java.time.Duration;
import java.util.Set;

/**
 * Listener and connection settings. Null fields take the documented defaults. {@code tlsCert} and
 * {@code tlsKey} (PEM files, both or neither) make the listener serve TLS.
 */
public record ServerConfig(
        String host,
        Integer port,
        Integer maxBodyBytes,
        Integer maxHeaderBytes,
        Duration idleTimeout,
        Duration headerTimeout,
        Duration bodyTimeout,
        Duration drainTimeout,
        Integer ioThreads,
        String transport,
        String tlsCert,
        String tlsKey) {

    public static final ServerConfig DEFAULT = builder().build();
    private static final Set<String> TRANSPORTS = Set.of("auto", "nio", "epoll", "io_uring");

    public ServerConfig {
        if (port != null && (port < 0 || port > 65535)) {
            throw new IllegalArgumentException("port must be within 0..65535, got " + port);
        }
        if (maxBodyBytes != null && maxBodyBytes < 1024) {
            throw new IllegalArgumentException("max_body_bytes must be at least 1024, got " + maxBodyBytes);
        }
        if (maxHeaderBytes != null && maxHeaderBytes < 1024) {
            throw new IllegalArgumentException("max_header_bytes must be at least 1024, got " + maxHeaderBytes);
        }
        if (ioThreads != null && ioThreads < 0) {
            throw new IllegalArgumentException("io_threads must be >= 0 (0 = one per core), got " + ioThreads);
        }
        if (headerTimeout != null && headerTimeout.isNegative()) {
            throw new IllegalArgumentException("header_timeout must not be negative, got " + headerTimeout);
        }
        if (bodyTimeout != null && bodyTimeout.isNegative()) {
            throw new IllegalArgumentException("body_timeout must not be negative, got " + bodyTimeout);
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("tls_cert and tls_key go together: give both, or neither");
        }
        if (transport != null && !TRANSPORTS.contains(transport)) {
            throw new IllegalArgumentException(
                    "transport must be one of auto, nio, epoll, io_uring; got '" + transport + "'");
        }
    }

    public String hostOrDefault() {
        return host != null ? host : "0.0.0.0";
    }

    public int portOrDefault() {
        return port != null ? port : 8000;
    }

    public int maxBodyBytesOrDefault() {
        return maxBodyBytes != null ? maxBodyBytes : 4 * 1024 * 1024;
    }

    public int maxHeaderBytesOrDefault() {
        return maxHeaderBytes != null ? maxHeaderBytes : 16 * 1024;
    }

    public Duration idleTimeoutOrDefault() {
        return idleTimeout != null ? idleTimeout : Duration.ofSeconds(60);
    }

    /** The deadline for a whole request head: the HTTP server's default (30 s) unless set; 0 for none. */
    public Duration headerTimeoutOrDefault() {
        return headerTimeout != null ? headerTimeout : HttpServer.DEFAULT_HEAD_TIMEOUT;
    }

    /** The allowance for a request body, before the minimum-rate extension; 0 for none. */
    public Duration bodyTimeoutOrDefault() {
        return bodyTimeout != null ? bodyTimeout : HttpServer.DEFAULT_BODY_TIMEOUT;
    }

    public Duration drainTimeoutOrDefault() {
        return drainTimeout != null ? drainTimeout : Duration.ofSeconds(10);
    }

    public int ioThreadsOrDefault() {
        return ioThreads != null && ioThreads > 0
                ? ioThreads
                : Runtime.getRuntime().availableProcessors();
    }

    public String transportOrDefault() {
        return transport != null ? transport : "auto";
    }

    static ServerConfig overlay(ServerConfig base, ServerConfig top) {
        if (base == null) return top;
        if (top == null) return base;
        return new ServerConfig(
                top.host != null ? top.host : base.host,
                top.port != null ? top.port : base.port,
                top.maxBodyBytes != null ? top.maxBodyBytes : base.maxBodyBytes,
                top.maxHeaderBytes != null ? top.maxHeaderBytes : base.maxHeaderBytes,
                top.idleTimeout != null ? top.idleTimeout : base.idleTimeout,
                top.headerTimeout != null ? top.headerTimeout : base.headerTimeout,
                top.bodyTimeout != null ? top.bodyTimeout : base.bodyTimeout,
                top.drainTimeout != null ? top.drainTimeout : base.drainTimeout,
                top.ioThreads != null ? top.ioThreads : base.ioThreads,
                top.transport != null ? top.transport : base.transport,
                top.tlsCert != null ? top.tlsCert : base.tlsCert,
                top.tlsKey != null ? top.tlsKey : base.tlsKey);
    }

    /** A builder that names each field it sets; the others stay null (unset). */
    public static Builder builder() {
        return new Builder();
    }

    /** Listener and connection settings, field by field; {@link #build} validates as the constructor does. */
    public static final class Builder {
        private String host;
        private Integer port;
        private Integer maxBodyBytes;
        private Integer maxHeaderBytes;
        private Duration idleTimeout;
        private Duration headerTimeout;
        private Duration bodyTimeout;
        private Duration drainTimeout;
        private Integer ioThreads;
        private String transport;
        private String tlsCert;
        private String tlsKey;

        private Builder() {}

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder port(Integer port) {
            this.port = port;
            return this;
        }

        public Builder maxBodyBytes(Integer maxBodyBytes) {
            this.maxBodyBytes = maxBodyBytes;
            return this;
        }

        public Builder maxHeaderBytes(Integer maxHeaderBytes) {
            this.maxHeaderBytes = maxHeaderBytes;
            return this;
        }

        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = idleTimeout;
            return this;
        }

        public Builder headerTimeout(Duration headerTimeout) {
            this.headerTimeout = headerTimeout;
            return this;
        }

        public Builder bodyTimeout(Duration bodyTimeout) {
            this.bodyTimeout = bodyTimeout;
            return this;
        }

        public Builder drainTimeout(Duration drainTimeout) {
            this.drainTimeout = drainTimeout;
            return this;
        }

        public Builder ioThreads(Integer ioThreads) {
            this.ioThreads = ioThreads;
            return this;
        }

        public Builder transport(String transport) {
            this.transport = transport;
            return this;
        }

        /** Serve TLS with this PEM certificate chain and the key of {@link #tlsKey}. */
        public Builder tlsCert(String tlsCert) {
            this.tlsCert = tlsCert;
            return this;
        }

        public Builder tlsKey(String tlsKey) {
            this.tlsKey = tlsKey;
            return this;
        }

        public ServerConfig build() {
            return new ServerConfig(
                    host,
                    port,
                    maxBodyBytes,
                    maxHeaderBytes,
                    idleTimeout,
                    headerTimeout,
                    bodyTimeout,
                    drainTimeout,
                    ioThreads,
                    transport,
                    tlsCert,
                    tlsKey);
        }
    }
}
