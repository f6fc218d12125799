package dev.llmlab.gateway.config;

import java.util.List;

/**
 * What {@code llmlab gateway --config FILE} reads: where to listen, who may call, and where each
 * model's requests go. Every part has defaults but the routes; docs/gateway.md is its reference.
 * The records validate what each can see on its own in their constructors (their messages name
 * the field, so that the loader can point at its line); {@link GatewayConfigs#load} checks what
 * needs the whole (names that must be unique, references between routes).
 *
 * @param server     where to listen
 * @param timeouts   the upstream calls' timeouts
 * @param clientKeys the keys clients must send; empty: no key is asked for
 * @param routes     the models clients may ask for, in the order they are matched
 * @param retry      retries and their budget
 * @param breaker    the circuit breaker of every deployment
 */
public record GatewayConfig(
        ServerConfig server,
        TimeoutConfig timeouts,
        List<ClientKey> clientKeys,
        List<RouteConfig> routes,
        RetryConfig retry,
        BreakerConfig breaker) {
    public GatewayConfig {
        if (server == null) server = new ServerConfig(null, null, null, null, null);
        if (timeouts == null) timeouts = new TimeoutConfig(null, null, null, null);
        clientKeys = clientKeys == null ? List.of() : List.copyOf(clientKeys);
        if (routes == null || routes.isEmpty())
            throw new IllegalArgumentException(
                    "routes is required: at least one route, such as"
                            + " {name: \"*\", deployments: [{provider: openai-compatible, base_url: http://127.0.0.1:8000/v1}]}");
        routes = List.copyOf(routes);
        if (retry == null) retry = new RetryConfig(null, null, null, null, null);
        if (breaker == null) breaker = new BreakerConfig(null, null, null, null, null, null);
    }
}
