package dev.llmlab.gateway.tenants;

import dev.llmlab.gateway.config.KeyLimits;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import javax.sql.DataSource;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * Virtual keys, teams and the audit log in the gateway's database.
 *
 * <p>Every change runs in one transaction that first locks the store's version row: changes are
 * serialised across every gateway that shares the database (two admins cannot make two live keys
 * of one name), the audit entry is written with the change or not at all, and the version is
 * bumped, which is how other gateways learn to reload ({@link #version}).
 *
 * <p>Names are checked against the config file's keys and teams too ({@code reserved}): a stored
 * key may not take a configured key's name, since limits are counted by name.
 *
 * <p>Thread-safe (one connection per call, from the pool).
 */
public final class TenantStore {
    private static final JsonMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .changeDefaultPropertyInclusion(
                    i -> i.withValueInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL))
            .build();

    private final DataSource db;
    private final Supplier<Set<String>> reservedKeys;
    private final Supplier<Set<String>> reservedTeams;

    public TenantStore(DataSource db, Set<String> reservedKeys, Set<String> reservedTeams) {
        this(db, () -> reservedKeys, () -> reservedTeams);
    }

    /**
     * @param reservedKeys  the config file's key names, which stored keys may not take (read at
     *                      each change: a reload may change them)
     * @param reservedTeams the config file's team names, likewise
     */
    public TenantStore(DataSource db, Supplier<Set<String>> reservedKeys, Supplier<Set<String>> reservedTeams) {
        this.db = db;
        this.reservedKeys = reservedKeys;
        this.reservedTeams = reservedTeams;
    }

    /** A new key and its secret, which is shown this once. */
    public record Created(VirtualKey key, String secret) {}

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T change(String actor, String action, String target, Object detail, Instant now, Work<T> work) {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement lock =
                        c.prepareStatement("select version from state_version where id = 1 for update")) {
                    lock.executeQuery().close();
                }
                T result = work.run(c);
                try (PreparedStatement a = c.prepareStatement(
                        "insert into audit (at, actor, action, target, detail) values (?, ?, ?, ?, ?)")) {
                    a.setTimestamp(1, Timestamp.from(now));
                    a.setString(2, actor.length() > 200 ? actor.substring(0, 200) : actor);
                    a.setString(3, action);
                    a.setString(4, target);
                    a.setString(5, detail == null ? null : JSON.writeValueAsString(detail));
                    a.executeUpdate();
                }
                try (PreparedStatement v =
                        c.prepareStatement("update state_version set version = version + 1 where id = 1")) {
                    v.executeUpdate();
                }
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private <T> T read(Work<T> work) {
        try (Connection c = db.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private static AdminException unavailable(SQLException e) {
        return new AdminException(503, "the gateway's database cannot be reached: " + e.getMessage());
    }

    // ---- keys

    public Created createKey(String actor, NewKey k, Instant now) {
        if (reservedKeys.get().contains(k.name()))
            throw AdminException.conflict("the config file has a client key named " + k.name());
        String secret = Secrets.generate();
        VirtualKey key = new VirtualKey(
                UUID.randomUUID().toString(),
                k.name(),
                k.team(),
                k.limits(),
                k.models(),
                k.expiresAt(),
                now,
                null,
                Secrets.prefixOf(secret));
        change(actor, "key.create", k.name(), describe(key), now, c -> {
            if (liveKey(c, k.name()) != null) throw AdminException.conflict("a key named " + k.name() + " exists");
            if (k.team() != null
                    && team(c, k.team()) == null
                    && !reservedTeams.get().contains(k.team()))
                throw AdminException.notFound("no team is named " + k.team());
            try (PreparedStatement p = c.prepareStatement(
                    "insert into virtual_keys (id, name, team, hash, prefix, limits, models, expires_at,"
                            + " created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                p.setString(1, key.id());
                p.setString(2, key.name());
                p.setString(3, key.team());
                p.setString(4, Secrets.hash(secret));
                p.setString(5, key.prefix());
                p.setString(6, json(key.limits()));
                p.setString(7, key.models().isEmpty() ? null : json(key.models()));
                p.setTimestamp(8, ts(key.expiresAt()));
                p.setTimestamp(9, ts(now));
                p.setTimestamp(10, ts(now));
                p.executeUpdate();
            }
            return null;
        });
        return new Created(key, secret);
    }

    /**
     * Gives a key a new secret; the old one works on for {@code grace} (0: stops at once), so that
     * clients can move over without an outage.
     */
    public Created rotateKey(String actor, String name, Duration grace, Instant now) {
        String secret = Secrets.generate();
        VirtualKey key = change(actor, "key.rotate", name, Map.of("grace_seconds", grace.toSeconds()), now, c -> {
            VirtualKey old = liveKey(c, name);
            if (old == null) throw AdminException.notFound("no key is named " + name);
            try (PreparedStatement p = c.prepareStatement("update virtual_keys set previous_hash = "
                    + (grace.isZero() ? "null" : "hash")
                    + ", previous_until = ?, hash = ?, prefix = ?, updated_at = ? where id = ?")) {
                p.setTimestamp(1, grace.isZero() ? null : ts(now.plus(grace)));
                p.setString(2, Secrets.hash(secret));
                p.setString(3, Secrets.prefixOf(secret));
                p.setTimestamp(4, ts(now));
                p.setString(5, old.id());
                p.executeUpdate();
            }
            return liveKey(c, name);
        });
        return new Created(key, secret);
    }

    /** Revokes a key: it stops working at once on this gateway, and within a reload on the others. */
    public VirtualKey revokeKey(String actor, String name, Instant now) {
        return change(actor, "key.revoke", name, null, now, c -> {
            VirtualKey old = liveKey(c, name);
            if (old == null) throw AdminException.notFound("no key is named " + name);
            try (PreparedStatement p =
                    c.prepareStatement("update virtual_keys set revoked_at = ?, updated_at = ? where id = ?")) {
                p.setTimestamp(1, ts(now));
                p.setTimestamp(2, ts(now));
                p.setString(3, old.id());
                p.executeUpdate();
            }
            return new VirtualKey(
                    old.id(),
                    old.name(),
                    old.team(),
                    old.limits(),
                    old.models(),
                    old.expiresAt(),
                    old.createdAt(),
                    now,
                    old.prefix());
        });
    }

    /** Every key, revoked ones last if asked for, in the order they were made. */
    public List<VirtualKey> keys(boolean withRevoked) {
        return read(c -> keys(c, withRevoked));
    }

    private static final String KEY_COLUMNS =
            "id, name, team, limits, models, expires_at, created_at, revoked_at, prefix";

    private static List<VirtualKey> keys(Connection c, boolean withRevoked) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("select " + KEY_COLUMNS + " from virtual_keys"
                + (withRevoked ? "" : " where revoked_at is null") + " order by created_at, name")) {
            return keyRows(p.executeQuery());
        }
    }

    private static VirtualKey liveKey(Connection c, String name) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "select " + KEY_COLUMNS + " from virtual_keys where name = ? and revoked_at is null")) {
            p.setString(1, name);
            List<VirtualKey> k = keyRows(p.executeQuery());
            return k.isEmpty() ? null : k.getFirst();
        }
    }

    private static List<VirtualKey> keyRows(ResultSet r) throws SQLException {
        List<VirtualKey> out = new ArrayList<>();
        try (r) {
            while (r.next()) out.add(keyRow(r));
        }
        return out;
    }

    /** A key from the current row's first columns ({@link #KEY_COLUMNS}). */
    private static VirtualKey keyRow(ResultSet r) throws SQLException {
        return new VirtualKey(
                r.getString(1),
                r.getString(2),
                r.getString(3),
                limits(r.getString(4)),
                models(r.getString(5)),
                instant(r.getTimestamp(6)),
                instant(r.getTimestamp(7)),
                instant(r.getTimestamp(8)),
                r.getString(9));
    }

    // ---- teams

    public Team createTeam(String actor, NewTeam t, Instant now) {
        if (reservedTeams.get().contains(t.name()))
            throw AdminException.conflict("the config file has a team named " + t.name());
        return change(actor, "team.create", t.name(), t, now, c -> {
            if (team(c, t.name()) != null) throw AdminException.conflict("a team named " + t.name() + " exists");
            try (PreparedStatement p = c.prepareStatement(
                    "insert into teams (name, limits, models, created_at, updated_at) values (?, ?, ?, ?, ?)")) {
                p.setString(1, t.name());
                p.setString(2, json(t.limits()));
                p.setString(3, t.models().isEmpty() ? null : json(t.models()));
                p.setTimestamp(4, ts(now));
                p.setTimestamp(5, ts(now));
                p.executeUpdate();
            }
            return team(c, t.name());
        });
    }

    /** Replaces a team's limits and models with {@code t}'s. */
    public Team updateTeam(String actor, NewTeam t, Instant now) {
        return change(actor, "team.update", t.name(), t, now, c -> {
            if (team(c, t.name()) == null) throw AdminException.notFound("no team is named " + t.name());
            try (PreparedStatement p =
                    c.prepareStatement("update teams set limits = ?, models = ?, updated_at = ? where name = ?")) {
                p.setString(1, json(t.limits()));
                p.setString(2, t.models().isEmpty() ? null : json(t.models()));
                p.setTimestamp(3, ts(now));
                p.setString(4, t.name());
                p.executeUpdate();
            }
            return team(c, t.name());
        });
    }

    /** Deletes a team that no working key belongs to. */
    public void deleteTeam(String actor, String name, Instant now) {
        change(actor, "team.delete", name, null, now, c -> {
            if (team(c, name) == null) throw AdminException.notFound("no team is named " + name);
            try (PreparedStatement p =
                    c.prepareStatement("select count(*) from virtual_keys where team = ? and revoked_at is null")) {
                p.setString(1, name);
                try (ResultSet r = p.executeQuery()) {
                    r.next();
                    if (r.getLong(1) > 0)
                        throw AdminException.conflict(
                                "the team " + name + " has " + r.getLong(1) + " keys: revoke them first");
                }
            }
            // Revoked keys keep their rows (the spend ledger names them) but let go of the team.
            try (PreparedStatement p = c.prepareStatement("update virtual_keys set team = null where team = ?")) {
                p.setString(1, name);
                p.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement("delete from teams where name = ?")) {
                p.setString(1, name);
                p.executeUpdate();
            }
            return null;
        });
    }

    public List<Team> teams() {
        return read(TenantStore::teams);
    }

    private static List<Team> teams(Connection c) throws SQLException {
        List<Team> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(
                        "select name, limits, models, created_at, updated_at from teams order by name");
                ResultSet r = p.executeQuery()) {
            while (r.next()) out.add(teamRow(r));
        }
        return out;
    }

    private static Team team(Connection c, String name) throws SQLException {
        try (PreparedStatement p =
                c.prepareStatement("select name, limits, models, created_at, updated_at from teams where name = ?")) {
            p.setString(1, name);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? teamRow(r) : null;
            }
        }
    }

    private static Team teamRow(ResultSet r) throws SQLException {
        return new Team(
                r.getString(1),
                limits(r.getString(2)),
                models(r.getString(3)),
                instant(r.getTimestamp(4)),
                instant(r.getTimestamp(5)));
    }

    // ---- what gateways read

    /** The store's change counter: a gateway reloads its {@link Directory} when it moves. */
    public long version() {
        return read(c -> {
            try (PreparedStatement p = c.prepareStatement("select version from state_version where id = 1");
                    ResultSet r = p.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        });
    }

    /** Every working key and team, and the hashes that find them, as one consistent read. */
    public Directory directory() {
        return read(c -> {
            c.setAutoCommit(false);
            try {
                long version;
                try (PreparedStatement p = c.prepareStatement("select version from state_version where id = 1");
                        ResultSet r = p.executeQuery()) {
                    r.next();
                    version = r.getLong(1);
                }
                // keys and the hashes that find them from one statement, so from one snapshot
                List<VirtualKey> keys = new ArrayList<>();
                Map<String, Directory.Holder> byHash = new HashMap<>();
                try (PreparedStatement p = c.prepareStatement("select " + KEY_COLUMNS
                                + ", hash, previous_hash, previous_until from virtual_keys where revoked_at is null"
                                + " order by created_at, name");
                        ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        VirtualKey k = keyRow(r);
                        keys.add(k);
                        byHash.put(r.getString(10), new Directory.Holder(k.name(), null));
                        if (r.getString(11) != null)
                            byHash.put(r.getString(11), new Directory.Holder(k.name(), instant(r.getTimestamp(12))));
                    }
                }
                List<Team> teams = teams(c);
                c.commit();
                return new Directory(version, keys, teams, byHash);
            } finally {
                c.rollback();
            }
        });
    }

    // ---- the audit log

    /** The latest {@code limit} admin actions, newest first. */
    public List<AuditEntry> audit(int limit) {
        return read(c -> {
            List<AuditEntry> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement(
                    "select id, at, actor, action, target, detail from audit order by id desc limit ?")) {
                p.setInt(1, limit);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next())
                        out.add(new AuditEntry(
                                r.getLong(1),
                                instant(r.getTimestamp(2)),
                                r.getString(3),
                                r.getString(4),
                                r.getString(5),
                                r.getString(6)));
                }
            }
            return out;
        });
    }

    // ---- columns

    private static Map<String, Object> describe(VirtualKey k) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("id", k.id());
        d.put("prefix", k.prefix());
        if (k.team() != null) d.put("team", k.team());
        if (k.limits() != null) d.put("limits", k.limits());
        if (!k.models().isEmpty()) d.put("models", k.models());
        if (k.expiresAt() != null) d.put("expires", k.expiresAt().toString());
        return d;
    }

    private static String json(Object o) {
        return o == null ? null : JSON.writeValueAsString(o);
    }

    private static KeyLimits limits(String s) {
        return s == null ? null : JSON.readValue(s, KeyLimits.class);
    }

    private static List<String> models(String s) {
        return s == null ? List.of() : JSON.readValue(s, new TypeReference<List<String>>() {});
    }

    private static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
