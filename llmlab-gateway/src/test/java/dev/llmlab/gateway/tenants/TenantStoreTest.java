package dev.llmlab.gateway.tenants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmlab.gateway.config.KeyLimits;
import dev.llmlab.gateway.servers.Databases;
import dev.llmlab.gateway.state.Database;
import dev.llmlab.testkit.PostgresServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The same behaviour on the embedded database and on a real PostgreSQL, each migrated from empty. */
class TenantStoreTest {
    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    private static PostgresServer pg;

    @BeforeAll
    static void startPostgres() throws Exception {
        pg = PostgresServer.start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        pg.close();
    }

    private static Database open(String store) throws Exception {
        return store.equals("postgres") ? Databases.postgres(pg) : Databases.memory();
    }

    private static TenantStore store(Database db) {
        return new TenantStore(db.dataSource(), Set.of("configured"), Set.of("config-team"));
    }

    private static final KeyLimits RPM_10 = new KeyLimits(10L, null, null, null, null, null, 5.0);

    @ParameterizedTest
    @ValueSource(strings = {"memory", "postgres"})
    void createKey_storesAHashAndShowsTheSecretOnce(String kind) throws Exception {
        try (Database db = open(kind)) {
            TenantStore s = store(db);
            s.createTeam("admin", new NewTeam("ml", null, List.of("gpt-*")), T0);
            TenantStore.Created c =
                    s.createKey("admin", new NewKey("alice", "ml", RPM_10, List.of("gpt-4o"), "2027-01-01"), T0);

            assertThat(c.secret()).startsWith("sk-llmlab-").hasSize(10 + 43);
            assertThat(c.key().prefix()).isEqualTo(c.secret().substring(0, 14));
            List<VirtualKey> keys = s.keys(false);
            assertThat(keys).singleElement().satisfies(k -> {
                assertThat(k.name()).isEqualTo("alice");
                assertThat(k.team()).isEqualTo("ml");
                assertThat(k.limits()).isEqualTo(RPM_10);
                assertThat(k.models()).containsExactly("gpt-4o");
                assertThat(k.expiresAt()).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
                assertThat(k.createdAt()).isEqualTo(T0);
            });
            // The secret itself is nowhere in the database: only its hash finds the key.
            try (var conn = db.connection();
                    var r = conn.createStatement()
                            .executeQuery("select count(*) from virtual_keys where hash = '" + Secrets.hash(c.secret())
                                    + "' and prefix = '" + c.key().prefix() + "'")) {
                r.next();
                assertThat(r.getInt(1)).isEqualTo(1);
            }
            try (var conn = db.connection();
                    var r = conn.createStatement()
                            .executeQuery("select count(*) from virtual_keys where hash like '%"
                                    + c.secret().substring(10) + "%' or limits like '%"
                                    + c.secret().substring(10) + "%'")) {
                r.next();
                assertThat(r.getInt(1)).isZero();
            }
            Directory d = s.directory();
            assertThat(d.find(Secrets.hash(c.secret()), T0)).isEqualTo("alice");
            assertThat(d.find(Secrets.hash("sk-llmlab-guess"), T0)).isNull();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "postgres"})
    void names_areUniqueAmongWorkingKeysAndTheConfigs(String kind) throws Exception {
        try (Database db = open(kind)) {
            TenantStore s = store(db);
            s.createKey("admin", new NewKey("bob", null, null, null, null), T0);
            assertThatThrownBy(() -> s.createKey("admin", new NewKey("bob", null, null, null, null), T0))
                    .isInstanceOfSatisfying(
                            AdminException.class, e -> assertThat(e.status()).isEqualTo(409))
                    .hasMessage("a key named bob exists");
            assertThatThrownBy(() -> s.createKey("admin", new NewKey("configured", null, null, null, null), T0))
                    .hasMessage("the config file has a client key named configured");
            assertThatThrownBy(() -> s.createKey("admin", new NewKey("carol", "nope", null, null, null), T0))
                    .isInstanceOfSatisfying(
                            AdminException.class, e -> assertThat(e.status()).isEqualTo(404))
                    .hasMessage("no team is named nope");
            // A key may belong to a team of the config file.
            s.createKey("admin", new NewKey("dave", "config-team", null, null, null), T0);
            // Once revoked, the name is free again.
            s.revokeKey("admin", "bob", T0.plusSeconds(1));
            s.createKey("admin", new NewKey("bob", null, null, null, null), T0.plusSeconds(2));
            assertThat(s.keys(false)).extracting(VirtualKey::name).containsExactly("dave", "bob");
            assertThat(s.keys(true)).hasSize(3);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "postgres"})
    void rotate_oldSecretWorksForItsGraceOnly_andRevokeStopsBoth(String kind) throws Exception {
        try (Database db = open(kind)) {
            TenantStore s = store(db);
            String first = s.createKey("admin", new NewKey("k", null, null, null, null), T0)
                    .secret();
            String second = s.rotateKey("admin", "k", Duration.ofMinutes(10), T0.plusSeconds(5))
                    .secret();
            assertThat(second).isNotEqualTo(first);
            Directory d = s.directory();
            assertThat(d.find(Secrets.hash(second), T0.plusSeconds(6))).isEqualTo("k");
            assertThat(d.find(Secrets.hash(first), T0.plusSeconds(6))).isEqualTo("k");
            assertThat(d.find(Secrets.hash(first), T0.plusSeconds(5 + 600))).isNull();
            String third =
                    s.rotateKey("admin", "k", Duration.ZERO, T0.plusSeconds(10)).secret();
            d = s.directory();
            assertThat(d.find(Secrets.hash(second), T0.plusSeconds(11))).isNull();
            assertThat(d.find(Secrets.hash(third), T0.plusSeconds(11))).isEqualTo("k");
            s.revokeKey("admin", "k", T0.plusSeconds(20));
            assertThat(s.directory().find(Secrets.hash(third), T0.plusSeconds(21)))
                    .isNull();
            assertThatThrownBy(() -> s.revokeKey("admin", "k", T0.plusSeconds(30)))
                    .hasMessage("no key is named k");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "postgres"})
    void everyChange_isAudited_andBumpsTheVersion(String kind) throws Exception {
        try (Database db = open(kind)) {
            TenantStore s = store(db);
            long v0 = s.version();
            s.createTeam("root@127.0.0.1", new NewTeam("ml", RPM_10, null), T0);
            String secret = s.createKey("root@127.0.0.1", new NewKey("a", "ml", null, null, null), T0)
                    .secret();
            s.rotateKey("root@127.0.0.1", "a", Duration.ZERO, T0);
            s.updateTeam("root@127.0.0.1", new NewTeam("ml", null, List.of("claude-*")), T0);
            s.revokeKey("root@127.0.0.1", "a", T0);
            s.deleteTeam("root@127.0.0.1", "ml", T0);
            assertThat(s.version()).isEqualTo(v0 + 6);
            List<AuditEntry> log = s.audit(100);
            assertThat(log)
                    .extracting(AuditEntry::action)
                    .containsExactly(
                            "team.delete", "key.revoke", "team.update", "key.rotate", "key.create", "team.create");
            assertThat(log).allSatisfy(e -> assertThat(e.actor()).isEqualTo("root@127.0.0.1"));
            assertThat(log.get(4).detail()).contains("\"team\":\"ml\"").doesNotContain(secret.substring(10));
            // A refused change leaves no trace.
            assertThatThrownBy(() -> s.deleteTeam("x", "ml", T0)).hasMessage("no team is named ml");
            assertThat(s.audit(100)).hasSize(6);
            assertThat(s.version()).isEqualTo(v0 + 6);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "postgres"})
    void deleteTeam_refusedWhileWorkingKeysBelongToIt(String kind) throws Exception {
        try (Database db = open(kind)) {
            TenantStore s = store(db);
            s.createTeam("admin", new NewTeam("ml", null, null), T0);
            s.createKey("admin", new NewKey("a", "ml", null, null, null), T0);
            assertThatThrownBy(() -> s.deleteTeam("admin", "ml", T0))
                    .isInstanceOfSatisfying(
                            AdminException.class, e -> assertThat(e.status()).isEqualTo(409))
                    .hasMessage("the team ml has 1 keys: revoke them first");
            assertThatThrownBy(() -> s.createTeam("admin", new NewTeam("ml", null, null), T0))
                    .hasMessage("a team named ml exists");
            assertThatThrownBy(() -> s.createTeam("admin", new NewTeam("config-team", null, null), T0))
                    .hasMessage("the config file has a team named config-team");
            s.revokeKey("admin", "a", T0);
            s.deleteTeam("admin", "ml", T0);
            assertThat(s.teams()).isEmpty();
        }
    }
}
