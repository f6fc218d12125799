package dev.llmlab.sim.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** GET/PUT /admin/config and POST /admin/reset: guarded, validated whole, applied without a restart. */
class AdminApiTest {
    private static final String YAML = """
      auth: {admin_key: adm-key-123}
      models:
        - {id: gpt-4o-mini, profile: instant, output_tokens: "500"}
      """;
    private static final String CHAT =
            "{\"model\":\"gpt-4o-mini\",\"max_tokens\":2,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

    @Test
    void withoutAnAdminKey_theAdminApiDoesNotExist() {
        try (SimHarness h = SimHarness.startTimed("")) {
            assertThat(h.get("/admin/config").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void needsTheAdminKey() {
        try (SimHarness h = SimHarness.startTimed(YAML)) {
            assertThat(h.get("/admin/config").statusCode()).isEqualTo(401);
            assertThat(admin(h, "GET", "/admin/config", null, "wrong").statusCode())
                    .isEqualTo(401);
            HttpResponse<String> ok = admin(h, "GET", "/admin/config", null, "adm-key-123");
            assertThat(ok.statusCode()).isEqualTo(200);
            JsonNode view = SimHarness.json(ok.body());
            assertThat(view.at("/profiles/gpt-4o/ttft").stringValue()).isEqualTo("lognormal(p50=450ms,p99=1.6s)");
            assertThat(view.at("/faults/header").booleanValue()).isTrue();
        }
    }

    @Test
    void put_changesProfilesAndFaults_withoutARestart_andResetRestores() {
        try (SimHarness h = SimHarness.startTimed(YAML)) {
            assertThat(h.post("/v1/chat/completions", CHAT).statusCode()).isEqualTo(200);
            HttpResponse<String> put = admin(h, "PUT", "/admin/config", """
          {"profiles": {"instant": {"ttft": "300ms", "itl": "0"}},
           "faults": {"rules": [{"kind": "status", "status": 503, "probability": 1, "models": ["gpt-4o"]}]}}""", "adm-key-123");
            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
            assertThat(SimHarness.json(put.body()).at("/profiles/instant/ttft").stringValue())
                    .isEqualTo("fixed(value=300ms)");
            assertThat(SimHarness.json(put.body()).at("/profiles/gpt-4o/ttft").stringValue())
                    .as("profiles merge by name")
                    .isEqualTo("lognormal(p50=450ms,p99=1.6s)");

            long t0 = System.nanoTime();
            assertThat(h.post("/v1/chat/completions", CHAT).statusCode()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            assertThat(h.post("/v1/chat/completions", CHAT.replace("gpt-4o-mini", "gpt-4o"))
                            .statusCode())
                    .isEqualTo(503);

            assertThat(admin(h, "POST", "/admin/reset", "", "adm-key-123").statusCode())
                    .isEqualTo(200);
            assertThat(h.post("/v1/chat/completions", CHAT.replace("gpt-4o-mini", "gpt-4o"))
                            .statusCode())
                    .isNotEqualTo(503);
            assertThat(SimHarness.json(admin(h, "GET", "/admin/config", null, "adm-key-123")
                                    .body())
                            .at("/profiles/instant/ttft")
                            .stringValue())
                    .isEqualTo("fixed(value=0)");
        }
    }

    @Test
    void badUpdates_areRejectedWhole_namingTheField_andChangeNothing() {
        try (SimHarness h = SimHarness.startTimed(YAML)) {
            String before =
                    admin(h, "GET", "/admin/config", null, "adm-key-123").body();
            // A valid profile change next to an invalid fault rule: neither may apply.
            HttpResponse<String> bad = admin(h, "PUT", "/admin/config", """
          {"profiles": {"instant": {"ttft": "300ms", "itl": "0"}},
           "faults": {"rules": [{"kind": "status", "status": 503, "probability": 7}]}}""", "adm-key-123");
            assertThat(bad.statusCode()).isEqualTo(400);
            JsonNode e = SimHarness.json(bad.body()).get("error");
            assertThat(e.get("param").stringValue()).isEqualTo("faults.rules[0].probability");
            assertThat(e.get("message").stringValue()).contains("probability must be 0 to 1");

            HttpResponse<String> unknownScenario =
                    admin(h, "PUT", "/admin/config", "{\"faults\": {\"scenario\": \"meteor\"}}", "adm-key-123");
            assertThat(unknownScenario.statusCode()).isEqualTo(400);
            assertThat(SimHarness.json(unknownScenario.body())
                            .at("/error/message")
                            .stringValue())
                    .contains("unknown scenario 'meteor'");

            HttpResponse<String> badDistribution = admin(
                    h,
                    "PUT",
                    "/admin/config",
                    "{\"profiles\": {\"fast\": {\"ttft\": \"lognorml(p50=1ms)\"}}}",
                    "adm-key-123");
            assertThat(badDistribution.statusCode()).isEqualTo(400);
            assertThat(SimHarness.json(badDistribution.body())
                            .at("/error/param")
                            .stringValue())
                    .isEqualTo("profiles.fast.ttft");

            assertThat(admin(h, "PUT", "/admin/config", "{not json", "adm-key-123")
                            .statusCode())
                    .isEqualTo(400);
            assertThat(admin(h, "GET", "/admin/config", null, "adm-key-123").body())
                    .isEqualTo(before);
        }
    }

    @Test
    void anUpdate_leavesInFlightStreamsRunning() throws Exception {
        try (SimHarness h = SimHarness.startTimed(YAML + "profiles:\n  instant: {ttft: 0, itl: 40ms}\n")) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", h.sim.port())) {
                s.setSoTimeout(10_000);
                byte[] body = CHAT.replace("\"max_tokens\":2", "\"max_tokens\":8,\"stream\":true")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
                s.getOutputStream()
                        .write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                        + "Connection: close\r\nContent-Length: " + body.length + "\r\n\r\n")
                                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                s.getOutputStream().write(body);
                java.io.InputStream in = s.getInputStream();
                StringBuilder got = new StringBuilder();
                while (got.indexOf("\"content\":\"") < 0) got.append((char) in.read()); // the stream has started
                HttpResponse<String> put = admin(
                        h,
                        "PUT",
                        "/admin/config",
                        "{\"profiles\": {\"instant\": {\"ttft\": \"0\", \"itl\": \"0\"}}, \"faults\": {\"scenario\": \"full-outage\"}}",
                        "adm-key-123");
                assertThat(put.statusCode()).isEqualTo(200);
                for (int c = in.read(); c >= 0; c = in.read()) got.append((char) c);
                assertThat(got.toString()).contains("data: [DONE]");
                // The role chunk carries "content":"" too: 1 + 8 tokens, every one of them delivered.
                assertThat(got.toString().split("\"content\":\"", -1)).hasSize(10);
            }
            assertThat(h.post("/v1/chat/completions", CHAT).statusCode())
                    .as("new requests see the update")
                    .isEqualTo(503);
        }
    }

    private static HttpResponse<String> admin(SimHarness h, String method, String path, String body, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(h.url(path)))
                .header("authorization", "Bearer " + key)
                .header("content-type", "application/json");
        b.method(
                method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return h.send(b.build());
    }
}
