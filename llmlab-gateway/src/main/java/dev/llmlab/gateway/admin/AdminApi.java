package dev.llmlab.gateway.admin;

import dev.llmlab.core.config.ConfigException;
import dev.llmlab.core.config.ConfigLoader;
import dev.llmlab.core.config.Secret;
import dev.llmlab.gateway.config.AdminConfig;
import dev.llmlab.gateway.proxy.ClientKeys;
import dev.llmlab.gateway.spend.SpendLog;
import dev.llmlab.gateway.spend.SpendTotals;
import dev.llmlab.gateway.tenants.AdminException;
import dev.llmlab.gateway.tenants.NewKey;
import dev.llmlab.gateway.tenants.NewTeam;
import dev.llmlab.gateway.tenants.TenantStore;
import dev.llmlab.gateway.tenants.VirtualKey;
import dev.llmlab.http.Exchange;
import dev.llmlab.http.Handler;
import dev.llmlab.http.Router;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import javax.sql.DataSource;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * The admin API. Every call needs an admin key ({@code Authorization: Bearer}, compared in
 * constant time); without one configured the API answers 403 and does nothing.
 *
 * <pre>
 * POST   /admin/keys                 {name, team?, limits?, models?, expires?}  201: the key, with its secret (shown once)
 * GET    /admin/keys[?revoked=true]  the keys, stored and configured, without secrets
 * POST   /admin/keys/{name}/rotate   {grace?: "1h"}  a new secret; the old one works for the grace
 * POST   /admin/keys/{name}/revoke   (or DELETE /admin/keys/{name})
 * GET    /admin/teams                POST /admin/teams {name, limits?, models?}
 * PUT    /admin/teams/{name}         {limits?, models?}   DELETE /admin/teams/{name}
 * GET    /admin/audit[?limit=100]    the latest admin actions, newest first
 * GET    /admin/spend[?period=day|month]  tokens and US dollars per key and team in the period
 * </pre>
 *
 * Errors are {@code {"error": {"message", "type"}}} with 400 (bad input, the field named), 401,
 * 403, 404, 409 (a name in use) or 503 (the database is down).
 *
 * <p>The database is never touched on an event loop: each call runs on {@code work} (virtual
 * threads) and its answer is written back on the connection's loop. After a change, {@code
 * changed} runs so that this gateway serves the change at once; others see it within their next
 * reload of the directory.
 */
public final class AdminApi {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AdminApi.class);
    static final JsonMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .changeDefaultPropertyInclusion(
                    i -> i.withValueInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL))
            .build();

    private final TenantStore store;
    private final Supplier<AdminConfig> config;
    /** The admin keys of the last config read, as digests: rebuilt when a reload changes them. */
    private volatile Keys admins;

    private record Keys(AdminConfig from, ClientKeys keys) {}

    private final ExecutorService work;
    private final Runnable changed;
    private final DataSource db;
    private final SpendLog spend;
    private final Supplier<List<ConfiguredKey>> configured;

    /** A key of the config file, as the list shows it. */
    public record ConfiguredKey(String name, String team) {}

    private AdminApi(
            TenantStore store,
            Supplier<AdminConfig> config,
            ExecutorService work,
            Runnable changed,
            DataSource db,
            SpendLog spend,
            Supplier<List<ConfiguredKey>> configured) {
        this.store = store;
        this.config = config;
        this.work = work;
        this.changed = changed;
        this.db = db;
        this.spend = spend;
        this.configured = configured;
    }

    /**
     * Adds the admin paths to {@code routes}.
     *
     * @param config     the admin section of the config in effect, read at each call (a reload may
     *                   change the admin keys: a removed one stops working at once)
     * @param configured the config file's client keys, read at each list (a reload changes them)
     * @param changed    runs after every change, on a worker thread
     */
    public static void addTo(
            Router.Builder routes,
            Supplier<AdminConfig> config,
            TenantStore store,
            DataSource db,
            SpendLog spend,
            ExecutorService work,
            Runnable changed,
            Supplier<List<ConfiguredKey>> configured) {
        AdminApi api = new AdminApi(store, config, work, changed, db, spend, configured);
        routes.add("POST", "/admin/keys", api.call(api::createKey));
        routes.add("GET", "/admin/keys", api.call(api::listKeys));
        routes.add("POST", "/admin/keys/{name}/rotate", api.call(api::rotateKey));
        routes.add("POST", "/admin/keys/{name}/revoke", api.call(api::revokeKey));
        routes.add("DELETE", "/admin/keys/{name}", api.call(api::revokeKey));
        routes.add("GET", "/admin/teams", api.call((ex, who, body) -> new Answer(200, Map.of("data", store.teams()))));
        routes.add("POST", "/admin/teams", api.call(api::createTeam));
        routes.add("PUT", "/admin/teams/{name}", api.call(api::updateTeam));
        routes.add("DELETE", "/admin/teams/{name}", api.call(api::deleteTeam));
        routes.add("GET", "/admin/audit", api.call(api::audit));
        routes.add("GET", "/admin/spend", api.call(api::spend));
    }

    private record Answer(int status, Object body) {}

    @FunctionalInterface
    private interface Call {
        Answer run(Exchange ex, String actor, String body) throws SQLException;
    }

    private ClientKeys admins() {
        AdminConfig now = config.get();
        Keys k = admins;
        if (k == null || k.from() != now) {
            Map<String, Secret> keys = new LinkedHashMap<>();
            for (AdminConfig.AdminKey a : now.keys()) keys.put(a.name(), a.key());
            k = new Keys(now, new ClientKeys(keys));
            admins = k;
        }
        return k.keys();
    }

    /** Serves a change made here at once; if that fails, the next reload of the directory does (within a second). */
    private void served() {
        try {
            changed.run();
        } catch (RuntimeException e) {
            LOG.warn(
                    "admin API: a change was made but could not be served at once ({}); it will be within a second",
                    e.getMessage());
        }
    }

    private Handler call(Call c) {
        return ex -> {
            ClientKeys admins = admins();
            String bearer = ex.requestHeaders().get("authorization");
            String presented = bearer != null && bearer.regionMatches(true, 0, "Bearer ", 0, 7)
                    ? bearer.substring(7).trim()
                    : null;
            if (!admins.required()) {
                respond(
                        ex,
                        403,
                        error(
                                "the admin API is off: give the gateway admin keys (admin.keys in its config)",
                                "permission_error"));
                return;
            }
            String admin = admins.check(presented);
            if (admin == null) {
                respond(ex, 401, error("an admin key is required: Authorization: Bearer KEY", "authentication_error"));
                return;
            }
            String actor = actor(admin, ex);
            String body = ex.body().toString(StandardCharsets.UTF_8);
            work.execute(() -> {
                Answer a;
                try {
                    a = c.run(ex, actor, body);
                } catch (AdminException e) {
                    a = new Answer(e.status(), error(e.getMessage(), type(e.status())));
                } catch (ConfigException | IllegalArgumentException e) {
                    a = new Answer(400, error(e.getMessage(), "invalid_request_error"));
                } catch (SQLException e) {
                    a = new Answer(
                            503, error("the gateway's database cannot be reached: " + e.getMessage(), "api_error"));
                }
                Answer done = a;
                ex.eventLoop().execute(() -> respond(ex, done.status(), done.body()));
            });
        };
    }

    /** Who the audit log names: the admin key's name, and what X-Forwarded-For said (unchecked: a proxy's word). */
    private static String actor(String admin, Exchange ex) {
        String f = ex.requestHeaders().get("x-forwarded-for");
        if (f == null || f.isBlank()) return admin;
        String first = f.split(",")[0].trim();
        if (first.length() > 64) first = first.substring(0, 64);
        return admin + " (x-forwarded-for " + first + ")";
    }

    private static String type(int status) {
        return switch (status) {
            case 404 -> "not_found_error";
            case 409 -> "conflict_error";
            case 503 -> "api_error";
            default -> "invalid_request_error";
        };
    }

    private static Map<String, Object> error(String message, String type) {
        return Map.of("error", Map.of("message", message, "type", type));
    }

    private static void respond(Exchange ex, int status, Object body) {
        if (!ex.isOpen()) return;
        byte[] json = JSON.writeValueAsBytes(body);
        ByteBuf buf = Unpooled.wrappedBuffer(json);
        ex.respond(status, "application/json", buf);
    }

    private static <T> T read(String body, Class<T> type) {
        return ConfigLoader.parse(body.isBlank() ? "{}" : body, "body", type);
    }

    // ---- keys

    private Answer createKey(Exchange ex, String actor, String body) {
        TenantStore.Created c = store.createKey(actor, read(body, NewKey.class), Instant.now());
        served();
        return new Answer(201, created(c));
    }

    private static Map<String, Object> created(TenantStore.Created c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", c.secret());
        m.put("note", "this is the only time the key is shown: it is stored as a hash");
        m.putAll(JSON.convertValue(c.key(), Map.class));
        return m;
    }

    private Answer listKeys(Exchange ex, String actor, String body) {
        boolean revoked = "true".equals(ex.queryParam("revoked"));
        List<VirtualKey> stored = store.keys(revoked);
        return new Answer(200, Map.of("data", stored, "configured", configured.get()));
    }

    /** {@code POST /admin/keys/{name}/rotate}'s body. */
    record Rotate(Duration grace) {
        Rotate {
            if (grace == null) grace = Duration.ZERO;
            if (grace.isNegative() || grace.compareTo(Duration.ofDays(30)) > 0)
                throw new IllegalArgumentException("grace must be 0 to 30 days, got " + grace);
        }
    }

    private Answer rotateKey(Exchange ex, String actor, String body) {
        Rotate r = read(body, Rotate.class);
        TenantStore.Created c = store.rotateKey(actor, ex.pathParam("name"), r.grace(), Instant.now());
        served();
        return new Answer(200, created(c));
    }

    private Answer revokeKey(Exchange ex, String actor, String body) {
        VirtualKey k = store.revokeKey(actor, ex.pathParam("name"), Instant.now());
        served();
        return new Answer(200, k);
    }

    // ---- teams

    private Answer createTeam(Exchange ex, String actor, String body) {
        var t = store.createTeam(actor, read(body, NewTeam.class), Instant.now());
        served();
        return new Answer(201, t);
    }

    /** {@code PUT /admin/teams/{name}}'s body: the name is the path's. */
    record TeamChange(dev.llmlab.gateway.config.KeyLimits limits, List<String> models) {}

    private Answer updateTeam(Exchange ex, String actor, String body) {
        TeamChange c = read(body, TeamChange.class);
        var t = store.updateTeam(actor, new NewTeam(ex.pathParam("name"), c.limits(), c.models()), Instant.now());
        served();
        return new Answer(200, t);
    }

    private Answer deleteTeam(Exchange ex, String actor, String body) {
        store.deleteTeam(actor, ex.pathParam("name"), Instant.now());
        served();
        return new Answer(200, Map.of("deleted", ex.pathParam("name")));
    }

    // ---- reading

    private Answer audit(Exchange ex, String actor, String body) {
        int limit = 100;
        String l = ex.queryParam("limit");
        if (l != null) {
            try {
                limit = Integer.parseInt(l);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > 10_000)
                throw new IllegalArgumentException("limit must be a number from 1 to 10000, got " + l);
        }
        return new Answer(200, Map.of("data", store.audit(limit)));
    }

    private Answer spend(Exchange ex, String actor, String body) throws SQLException {
        String period = ex.queryParam("period") == null ? "day" : ex.queryParam("period");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate from = switch (period) {
            case "day" -> today;
            case "month" -> today.withDayOfMonth(1);
            default -> throw new IllegalArgumentException("period must be day or month, got " + period);
        };
        SpendTotals t =
                SpendLog.totalsSince(db, from.atStartOfDay(ZoneOffset.UTC).toInstant());
        Map<String, Object> keys = new TreeMap<>(), teams = new TreeMap<>();
        t.tokens().forEach((subject, tokens) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("tokens", tokens);
            m.put("usd", t.microUsd().getOrDefault(subject, 0L) / 1e6);
            if (subject.startsWith("team:")) teams.put(subject.substring(5), m);
            else keys.put(subject.substring(4), m);
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("period", period);
        out.put("from", from.toString());
        out.put("keys", keys);
        out.put("teams", teams);
        // Rows still waiting for the database are not in these totals: say how many.
        out.put("rows_not_yet_written", spend == null ? 0 : spend.buffered());
        return new Answer(200, out);
    }
}
