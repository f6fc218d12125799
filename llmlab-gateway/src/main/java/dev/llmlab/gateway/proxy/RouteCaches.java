package dev.llmlab.gateway.proxy;

import dev.llmlab.gateway.cache.ExactCache;
import dev.llmlab.gateway.config.RouteCacheConfig;
import dev.llmlab.gateway.config.RouteConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Which routes keep their answers in the exact cache, and who shares them: the config's part of
 * the cache, rebuilt on a reload, over the one {@link ExactCache} the gateway keeps for its life.
 *
 * <p>Immutable and thread-safe.
 */
public final class RouteCaches {
    private final ExactCache store;
    private final Map<String, RouteCacheConfig> byRoute;
    private final Function<String, String> teamOfKey;

    /**
     * @param store  the gateway's cache
     * @param routes the config's routes: those with a {@code cache} section keep answers
     * @param teamOf the team of a client key (the config's or a stored one) by its name, or null
     */
    public RouteCaches(ExactCache store, List<RouteConfig> routes, Function<String, String> teamOf) {
        Map<String, RouteCacheConfig> byRoute = new HashMap<>();
        for (RouteConfig r : routes) if (r.cache() != null) byRoute.put(r.name(), r.cache());
        this.store = store;
        this.byRoute = Map.copyOf(byRoute);
        this.teamOfKey = teamOf;
    }

    /** No route keeps answers. */
    public static RouteCaches none() {
        return new RouteCaches(null, List.of(), name -> null);
    }

    /** The cache of the route named {@code route}, or null when it has none. */
    RouteCacheConfig of(String route) {
        return store == null ? null : byRoute.get(route);
    }

    ExactCache store() {
        return store;
    }

    /**
     * Who shares the answers of a request: its key's team (scope {@code team}, when the key has
     * one) or its key. A gateway that asks for no key passes each client's own credential on to
     * the provider: there each credential is a tenant of its own (by its hash, never the
     * credential itself), and clients that send none share theirs.
     *
     * @param keyName    the configured name of the client's key, or null when none is asked for
     * @param credential the credential the client sent, or null (read when no key is asked for)
     */
    String tenant(RouteCacheConfig config, String keyName, String credential) {
        if (keyName == null) return credential == null ? "anonymous" : "credential:" + sha256(credential);
        String team = teamOfKey.apply(keyName);
        if (config.scopeKind() == RouteCacheConfig.Scope.TEAM && team != null) return "team:" + team;
        return "key:" + keyName;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
