package dev.llmlab.gateway.config;

import dev.llmlab.core.config.Secret;
import java.time.Duration;
import java.util.Locale;

/**
 * Where the gateway keeps what must outlast it (virtual keys, teams, the spend ledger, the audit
 * log) and what several gateways must share (rate windows, reservations, the cache). One gateway
 * needs nothing but the default: an embedded database file. Several gateways share a PostgreSQL
 * and a Redis. docs/gateway.md, "State", is the reference.
 *
 * @param store     {@code embedded} (the default: an H2 database in the file {@code path}),
 *                  {@code postgres} (the {@code postgres} section), or {@code memory} (kept in this
 *                  process only, lost when it stops: for trials and tests)
 * @param path      the embedded database's file, without its extension: {@code llmlab-gateway}
 *                  (H2 adds {@code .mv.db}), beside the config file; the spend journal is the
 *                  directory {@code PATH-journal} (with PostgreSQL too)
 * @param postgres  the PostgreSQL of {@code store: postgres}
 * @param redis     the Redis that several gateways share; none by default (limits are counted
 *                  in this process)
 * @param onFailure what a limit does when the store that counts it cannot be reached
 * @param spendBuffer how many spend rows may wait for a database that is down: 100,000 (about
 *                    15 MB); when they fill it, {@code on_failure.budgets} applies
 */
public record StateConfig(
        String store,
        String path,
        PostgresConfig postgres,
        RedisConfig redis,
        FailurePolicy onFailure,
        Integer spendBuffer) {
    public enum Store {
        EMBEDDED,
        POSTGRES,
        MEMORY
    }

    public StateConfig {
        if (store == null) store = "embedded";
        Store s = parse(store);
        if (path == null || path.isBlank()) path = "llmlab-gateway";
        if (s == Store.POSTGRES && postgres == null)
            throw new IllegalArgumentException(
                    "store: postgres needs a postgres section: {url: jdbc:postgresql://HOST:5432/DB, user: U, password: \"${PGPASSWORD}\"}");
        if (onFailure == null) onFailure = new FailurePolicy(null, null);
        if (spendBuffer == null) spendBuffer = 100_000;
        if (spendBuffer < 100 || spendBuffer > 10_000_000)
            throw new IllegalArgumentException("spend_buffer must be 100 to 10,000,000 rows, got " + spendBuffer);
    }

    public static StateConfig defaults() {
        return new StateConfig(null, null, null, null, null, null);
    }

    /** Nothing kept beyond this process: for trials and tests. */
    public static StateConfig memory() {
        return new StateConfig("memory", null, null, null, null, null);
    }

    public Store kind() {
        return parse(store);
    }

    private static Store parse(String s) {
        try {
            return Store.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("store must be embedded, postgres or memory, got " + s);
        }
    }

    /**
     * @param url      {@code jdbc:postgresql://HOST:PORT/DATABASE}
     * @param poolSize connections kept open: 4 by default
     */
    public record PostgresConfig(String url, String user, Secret password, Integer poolSize) {
        public PostgresConfig {
            if (url == null || !url.startsWith("jdbc:postgresql://"))
                throw new IllegalArgumentException("url must be jdbc:postgresql://HOST:PORT/DATABASE, got " + url);
            if (poolSize == null) poolSize = 4;
            if (poolSize < 1 || poolSize > 100)
                throw new IllegalArgumentException("pool_size must be 1 to 100, got " + poolSize);
        }
    }

    /**
     * @param url     {@code redis://HOST:PORT} (or {@code rediss://} for TLS, with a password as
     *                {@code redis://:PASSWORD@HOST:PORT})
     * @param timeout how long one call may take before the store counts as down: 100 ms
     */
    public record RedisConfig(Secret url, Duration timeout) {
        public RedisConfig {
            if (url == null) throw new IllegalArgumentException("url is required, such as redis://127.0.0.1:6379");
            String u = url.reveal();
            if (!u.startsWith("redis://") && !u.startsWith("rediss://"))
                throw new IllegalArgumentException("url must start with redis:// or rediss://");
            try {
                java.net.URI parsed = new java.net.URI(u);
                if (parsed.getHost() == null) throw new java.net.URISyntaxException(u, "no host");
            } catch (java.net.URISyntaxException e) {
                // the reason only: the URL may hold a password
                throw new IllegalArgumentException("url is not a URL such as redis://HOST:PORT (a password with"
                        + " reserved characters must be percent-encoded); not shown, as it may hold a password");
            }
            if (timeout == null) timeout = Duration.ofMillis(100);
            if (timeout.isNegative() || timeout.isZero())
                throw new IllegalArgumentException("timeout must be > 0, got " + timeout);
        }
    }

    /** What a limit does when its store cannot be reached: let requests through, or refuse them. */
    public enum Failure {
        OPEN,
        CLOSED;

        static Failure parse(String name, String s, Failure otherwise) {
            if (s == null) return otherwise;
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "open" -> OPEN;
                case "closed" -> CLOSED;
                default -> throw new IllegalArgumentException(name + " must be open or closed, got " + s);
            };
        }
    }

    /**
     * Per kind of limit: {@code open} lets requests through, counted in this process alone (so
     * each gateway holds the limit by itself), {@code closed} refuses them with a 503 until the
     * store is back.
     *
     * @param rates   requests and tokens per minute, and requests in flight: open by default
     *                (a short outage should not stop the traffic)
     * @param budgets budgets per day and month: closed by default (a budget is a promise about
     *                money)
     */
    public record FailurePolicy(String rates, String budgets) {
        public FailurePolicy {
            Failure.parse("rates", rates, Failure.OPEN);
            Failure.parse("budgets", budgets, Failure.CLOSED);
        }

        public Failure ratesPolicy() {
            return Failure.parse("rates", rates, Failure.OPEN);
        }

        public Failure budgetsPolicy() {
            return Failure.parse("budgets", budgets, Failure.CLOSED);
        }
    }
}
