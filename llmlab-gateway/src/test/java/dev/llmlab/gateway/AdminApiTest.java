package dev.llmlab.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.sim.Simulator;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Virtual keys and teams through the admin API of a real gateway, in front of the simulator. */
class AdminApiTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ADMIN = "admin-key-0123456789";
    private static final Map<String, String> ENV = Map.of("ADMIN", ADMIN, "C", "configured-key");

    @TempDir
    Path dir;

    private SimHarness h;
    private Simulator sim;

    @AfterEach
    void close() throws Exception {
        if (h != null) h.close();
    }

    private String config(String state) {
        return """
                admin: {keys: [{name: ops, key: "${ADMIN}"}]}
                client_keys: [{name: configured, key: "${C}"}]
                %s
                routes:
                  - name: "*"
                    deployments:
                      - {provider: openai-compatible, base_url: "http://127.0.0.1:%d/v1", model: "*"}
                """.formatted(state, sim.port());
    }

    private Gateway start(String state) throws Exception {
        if (h == null) {
            h = new SimHarness(dir);
            sim = h.simulator("", 0);
        }
        return h.gateway(config(state), ENV);
    }

    private HttpResponse<String> admin(Gateway g, String method, String path, String body) throws Exception {
        return h.send(
                g.port(), method, path, body, "authorization", "Bearer " + ADMIN, "content-type", "application/json");
    }

    private HttpResponse<String> chat(Gateway g, String key) throws Exception {
        return h.post(
                g.port(),
                "/v1/chat/completions",
                SimHarness.chat("gpt-4o-mini", false, 10),
                "authorization",
                "Bearer " + key);
    }

    private static JsonNode json(HttpResponse<String> r) {
        return JSON.readTree(r.body());
    }

    @Test
    void keysLifecycle_createUseRotateRevoke_allAudited() throws Exception {
        Gateway g = start("");
        assertThat(admin(g, "POST", "/admin/teams", "{\"name\":\"ml\",\"limits\":{\"rpm\":100}}")
                        .statusCode())
                .isEqualTo(201);
        HttpResponse<String> made = admin(
                g,
                "POST",
                "/admin/keys",
                "{\"name\":\"alice\",\"team\":\"ml\",\"limits\":{\"rpm\":2},\"models\":[\"gpt-4o*\"]}");
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        String key = json(made).get("key").asString();
        assertThat(key).startsWith("sk-llmlab-");

        // The key works at once, with its limits and models.
        assertThat(chat(g, key).statusCode()).isEqualTo(200);
        assertThat(chat(g, key).statusCode()).isEqualTo(200);
        HttpResponse<String> third = chat(g, key);
        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(third.body()).contains("the key alice");
        HttpResponse<String> claude = h.post(
                g.port(),
                "/v1/chat/completions",
                SimHarness.chat("claude-sonnet-4-5", false, 10),
                "authorization",
                "Bearer " + key);
        assertThat(claude.statusCode()).isEqualTo(403);
        // The configured key still works beside it.
        assertThat(chat(g, "configured-key").statusCode()).isEqualTo(200);

        // A list never shows a secret.
        HttpResponse<String> list = admin(g, "GET", "/admin/keys", null);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body())
                .doesNotContain(key)
                .doesNotContain(key.substring(14))
                .contains("\"prefix\":\"" + key.substring(0, 14));
        assertThat(json(list).get("configured").get(0).get("name").asString()).isEqualTo("configured");

        // Rotation without grace: the old secret stops, the new one works.
        HttpResponse<String> rotated = admin(g, "POST", "/admin/keys/alice/rotate", "{}");
        assertThat(rotated.statusCode()).isEqualTo(200);
        String key2 = json(rotated).get("key").asString();
        assertThat(chat(g, key).statusCode()).isEqualTo(401);
        assertThat(chat(g, key2).statusCode()).isIn(200, 429); // the same key's rate carries on

        // Revoked: 401 at once.
        assertThat(admin(g, "POST", "/admin/keys/alice/revoke", null).statusCode())
                .isEqualTo(200);
        HttpResponse<String> gone = chat(g, key2);
        assertThat(gone.statusCode()).isEqualTo(401);
        assertThat(json(gone).get("error").get("type").asString()).isEqualTo("authentication_error");

        JsonNode audit = json(admin(g, "GET", "/admin/audit", null)).get("data");
        assertThat(audit.size()).isEqualTo(4);
        assertThat(audit.get(0).get("action").asString()).isEqualTo("key.revoke");
        assertThat(audit.get(3).get("action").asString()).isEqualTo("team.create");
        assertThat(audit.get(0).get("actor").asString()).isEqualTo("ops");
        assertThat(audit.toString()).doesNotContain(key.substring(14)).doesNotContain(key2.substring(14));
    }

    @Test
    void badAdminRequests_getClearErrors() throws Exception {
        Gateway g = start("");
        HttpResponse<String> noKey = h.send(g.port(), "GET", "/admin/keys", null);
        assertThat(noKey.statusCode()).isEqualTo(401);
        HttpResponse<String> wrongKey =
                h.send(g.port(), "GET", "/admin/keys", null, "authorization", "Bearer configured-key");
        assertThat(wrongKey.statusCode()).isEqualTo(401);
        // An admin key is not a client key.
        assertThat(chat(g, ADMIN).statusCode()).isEqualTo(401);

        HttpResponse<String> badLimit = admin(g, "POST", "/admin/keys", "{\"name\":\"x\",\"limits\":{\"rpm\":0}}");
        assertThat(badLimit.statusCode()).isEqualTo(400);
        assertThat(json(badLimit).get("error").get("message").asString()).contains("rpm must be at least 1, got 0");
        HttpResponse<String> unknownField = admin(g, "POST", "/admin/keys", "{\"name\":\"x\",\"rpm\":5}");
        assertThat(unknownField.statusCode()).isEqualTo(400);
        assertThat(json(unknownField).get("error").get("message").asString()).contains("rpm");
        HttpResponse<String> notJson = admin(g, "POST", "/admin/keys", "{name");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(admin(g, "POST", "/admin/keys", "{\"name\":\"configured\"}").statusCode())
                .isEqualTo(409);
        assertThat(admin(g, "POST", "/admin/keys", "{\"name\":\"y\",\"team\":\"nope\"}")
                        .statusCode())
                .isEqualTo(404);
        assertThat(admin(g, "POST", "/admin/keys/nope/revoke", null).statusCode())
                .isEqualTo(404);
        assertThat(admin(g, "GET", "/admin/audit?limit=abc", null).statusCode()).isEqualTo(400);
        assertThat(admin(g, "GET", "/admin/spend?period=year", null).statusCode())
                .isEqualTo(400);
        // Nothing refused was audited.
        assertThat(json(admin(g, "GET", "/admin/audit", null)).get("data").size())
                .isZero();
    }

    @Test
    void restart_losesNoKeyTeamOrSpend() throws Exception {
        String state = "state: {path: " + dir.resolve("state") + "}";
        Gateway g = start(state);
        admin(g, "POST", "/admin/teams", "{\"name\":\"ml\",\"limits\":{\"tokens_per_day\":1000000}}");
        String key = json(admin(g, "POST", "/admin/keys", "{\"name\":\"bob\",\"team\":\"ml\"}"))
                .get("key")
                .asString();
        for (int i = 0; i < 3; i++) assertThat(chat(g, key).statusCode()).isEqualTo(200);
        g.close(); // writes the spend before it stops

        Gateway again = start(state);
        assertThat(chat(again, key).statusCode()).isEqualTo(200);
        JsonNode spend = json(admin(again, "GET", "/admin/spend", null));
        long tokens = spend.get("keys").get("bob").get("tokens").asLong();
        assertThat(tokens).isPositive();
        assertThat(spend.get("teams").get("ml").get("tokens").asLong()).isEqualTo(tokens);
        assertThat(json(admin(again, "GET", "/admin/audit", null)).get("data").size())
                .isEqualTo(2);
    }

    @Test
    void aKeyNameTheConfigTakesOnReload_isRefusedToTheStore() throws Exception {
        Gateway g = start("");
        String yaml = config("")
                .replace(
                        "client_keys: [{name: configured, key: \"${C}\"}]",
                        "client_keys: [{name: configured, key: \"${C}\"}, {name: newcomer, key: newcomer-secret}]");
        java.nio.file.Path f = dir.resolve("reloaded.yaml");
        java.nio.file.Files.writeString(f, yaml);
        g.reload(dev.llmlab.gateway.config.GatewayConfigs.load(f, ENV::get));
        HttpResponse<String> r = admin(g, "POST", "/admin/keys", "{\"name\":\"newcomer\"}");
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(r.body()).contains("the config file has a client key named newcomer");
    }

    @Test
    void anAdminKeyRemovedByAReload_stopsWorkingAtOnce_andTheAuditNamesTheForwardedAddress() throws Exception {
        Gateway g = start("");
        HttpResponse<String> made = h.send(
                g.port(),
                "POST",
                "/admin/teams",
                "{\"name\":\"t\"}",
                "authorization",
                "Bearer " + ADMIN,
                "x-forwarded-for",
                "203.0.113.7, 10.0.0.1");
        assertThat(made.statusCode()).isEqualTo(201);
        assertThat(json(admin(g, "GET", "/admin/audit", null))
                        .get("data")
                        .get(0)
                        .get("actor")
                        .asString())
                .isEqualTo("ops (x-forwarded-for 203.0.113.7)");
        String yaml = config("")
                .replace(
                        "admin: {keys: [{name: ops, key: \"${ADMIN}\"}]}",
                        "admin: {keys: [{name: other, key: other-admin-key-0123456789}]}");
        java.nio.file.Path f = dir.resolve("rotated-admin.yaml");
        java.nio.file.Files.writeString(f, yaml);
        g.reload(dev.llmlab.gateway.config.GatewayConfigs.load(f, ENV::get));
        assertThat(admin(g, "GET", "/admin/keys", null).statusCode()).isEqualTo(401);
        assertThat(h.send(g.port(), "GET", "/admin/keys", null, "authorization", "Bearer other-admin-key-0123456789")
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void adminApi_isOffWithoutAdminKeys() throws Exception {
        h = new SimHarness(dir);
        sim = h.simulator("", 0);
        Gateway g = h.gateway("""
                routes:
                  - name: "*"
                    deployments:
                      - {provider: openai-compatible, base_url: "http://127.0.0.1:%d/v1", model: "*"}
                """.formatted(sim.port()), Map.of());
        HttpResponse<String> r = h.send(g.port(), "GET", "/admin/keys", null, "authorization", "Bearer anything");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(json(r).get("error").get("message").asString()).contains("admin.keys");
    }
}
