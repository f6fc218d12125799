package dev.llmlab.gateway.config;

import dev.llmlab.gateway.observe.AccessLogConfig;
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
 * @param teams      the teams client keys belong to, with the limits their keys share
 * @param routes     the models clients may ask for, in the order they are matched
 * @param retry      retries and their budget
 * @param breaker    the circuit breaker of every deployment
 * @param accessLog  where the access log's JSON lines go: stdout (the default), a file, or off
 * @param prices     prices per million tokens that replace or add to the built-in table
 * @param state      where virtual keys, spend and shared counters live: an embedded file by default
 * @param admin      who may use the admin API; off by default
 * @param cache      the bounds of the local exact cache of the routes that have one
 */
public record GatewayConfig(
        ServerConfig server,
        TimeoutConfig timeouts,
        List<ClientKey> clientKeys,
        List<TeamConfig> teams,
        List<RouteConfig> routes,
        RetryConfig retry,
        BreakerConfig breaker,
        AccessLogConfig accessLog,
        List<PriceConfig> prices,
        StateConfig state,
        AdminConfig admin,
        CacheConfig cache) {
    public GatewayConfig {
        if (server == null) server = new ServerConfig(null, null, null, null, null);
        if (timeouts == null) timeouts = new TimeoutConfig(null, null, null, null);
        clientKeys = clientKeys == null ? List.of() : List.copyOf(clientKeys);
        teams = teams == null ? List.of() : List.copyOf(teams);
        if (routes == null || routes.isEmpty())
            throw new IllegalArgumentException(
                    "routes is required: at least one route, such as"
                            + " {name: \"*\", deployments: [{provider: openai-compatible, base_url: http://127.0.0.1:8000/v1}]}");
        routes = List.copyOf(routes);
        if (retry == null) retry = new RetryConfig(null, null, null, null, null);
        if (breaker == null) breaker = new BreakerConfig(null, null, null, null, null, null);
        if (accessLog == null) accessLog = AccessLogConfig.stdout();
        prices = prices == null ? List.of() : List.copyOf(prices);
        if (state == null) state = StateConfig.defaults();
        if (admin == null) admin = AdminConfig.off();
        if (cache == null) cache = CacheConfig.defaults();
    }

    /** The same config with other routes, client keys and the rest as they are. */
    public GatewayConfig withServer(ServerConfig server, TimeoutConfig timeouts) {
        return new GatewayConfig(
                server, timeouts, clientKeys, teams, routes, retry, breaker, accessLog, prices, state, admin, cache);
    }

    /** The same config with another access log. */
    public GatewayConfig withAccessLog(AccessLogConfig log) {
        return new GatewayConfig(
                server, timeouts, clientKeys, teams, routes, retry, breaker, log, prices, state, admin, cache);
    }

    /** The same config with another retry policy. */
    public GatewayConfig withRetry(RetryConfig r) {
        return new GatewayConfig(
                server, timeouts, clientKeys, teams, routes, r, breaker, accessLog, prices, state, admin, cache);
    }

    /** The same config with other state. */
    public GatewayConfig withState(StateConfig s) {
        return new GatewayConfig(
                server, timeouts, clientKeys, teams, routes, retry, breaker, accessLog, prices, s, admin, cache);
    }
}
