package dev.llmlab.gateway.config;

import java.time.Duration;
import java.util.Locale;

/**
 * A route's exact cache ({@code cache:} in a route): with it, an answer to a request the route
 * has answered before, byte for byte the same request from the same tenant, comes from the cache
 * instead of a provider. docs/gateway.md, "Exact cache", is the reference.
 *
 * @param ttl           how long an answer is kept, and the most a request's {@code
 *                      x-llmlab-cache-ttl} may ask for: 10 minutes by default
 * @param scope         who shares answers: {@code team} (the default: the keys of a team share
 *                      theirs; a key without a team has its own) or {@code key} (each client key
 *                      its own)
 * @param maxEntryBytes the largest answer kept, in bytes: 1 MiB by default; a larger answer is
 *                      passed on and not kept
 */
public record RouteCacheConfig(Duration ttl, String scope, Long maxEntryBytes) {
    public static final long DEFAULT_MAX_ENTRY_BYTES = 1L << 20;

    /** Who shares a route's cached answers. */
    public enum Scope {
        TEAM,
        KEY
    }

    public RouteCacheConfig {
        if (ttl == null) ttl = Duration.ofMinutes(10);
        if (ttl.toMillis() < 1) throw new IllegalArgumentException("ttl must be at least 1ms, got " + ttl);
        if (scope == null) scope = "team";
        scopeOf(scope);
        if (maxEntryBytes == null) maxEntryBytes = DEFAULT_MAX_ENTRY_BYTES;
        if (maxEntryBytes < 1) throw new IllegalArgumentException("max_entry_bytes must be >= 1, got " + maxEntryBytes);
    }

    public Scope scopeKind() {
        return scopeOf(scope);
    }

    private static Scope scopeOf(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "team" -> Scope.TEAM;
            case "key" -> Scope.KEY;
            default -> throw new IllegalArgumentException("scope must be team or key, got " + s);
        };
    }
}
