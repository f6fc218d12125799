package dev.llmlab.gateway;

import dev.llmlab.gateway.proxy.Upstream;
import dev.llmlab.gateway.route.Strategy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How to run a gateway in front of OpenAI-compatible upstreams ({@code llmlab gateway --upstream}).
 *
 * @param host           the address to listen on
 * @param port           the port to listen on; 0 for any free one
 * @param ioThreads      event loops, shared by the clients' connections and the upstream calls; 0 for one per core
 * @param upstreams      where requests go, all serving the same models
 * @param strategy       how one of them is picked per request
 * @param upstreamKey    the upstream's API key, sent as {@code Authorization: Bearer}; null to pass the
 *                       client's own on
 * @param connectTimeout how long an upstream connection may take to open
 * @param firstByte      how long the upstream may take to begin its answer
 * @param idle           how long an upstream stream may fall silent
 * @param total          how long a whole upstream call may take; {@link Duration#ZERO} for no limit
 * @param tlsCert        a PEM certificate chain to serve https with; null for plain http
 * @param tlsKey         its PEM private key; null for plain http
 */
public record GatewayOptions(
        String host,
        int port,
        int ioThreads,
        List<Upstream> upstreams,
        Strategy strategy,
        String upstreamKey,
        Duration connectTimeout,
        Duration firstByte,
        Duration idle,
        Duration total,
        Path tlsCert,
        Path tlsKey) {
    public GatewayOptions {
        Objects.requireNonNull(host, "host");
        upstreams = List.copyOf(upstreams);
        if (upstreams.isEmpty()) throw new IllegalArgumentException("a gateway needs at least one upstream");
        Objects.requireNonNull(strategy, "strategy");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("the port must be in 0..65535, got " + port);
        if (ioThreads < 0) throw new IllegalArgumentException("io threads must be >= 0, got " + ioThreads);
        if ((tlsCert == null) != (tlsKey == null))
            throw new IllegalArgumentException("https needs both a certificate chain and its key");
    }

    /** Defaults for everything but where to listen and where to go. */
    public static GatewayOptions of(String host, int port, Upstream upstream) {
        return new GatewayOptions(
                host,
                port,
                0,
                List.of(upstream),
                Strategy.LEAST_OUTSTANDING,
                null,
                Duration.ofSeconds(10),
                Duration.ofSeconds(600),
                Duration.ofSeconds(120),
                Duration.ZERO,
                null,
                null);
    }
}
