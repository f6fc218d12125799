package dev.llmlab.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.gateway.Upstreams.Answer;
import dev.llmlab.gateway.Upstreams.Fake;
import dev.llmlab.gateway.config.GatewayConfig;
import dev.llmlab.gateway.config.GatewayConfigs;
import dev.llmlab.gateway.config.ServerConfig;
import dev.llmlab.gateway.config.StateConfig;
import dev.llmlab.gateway.proxy.Endpoints;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Routes, deployments, keys, retries, fallbacks and breakers, against hand-made upstreams on loopback. */
class RoutingTest {
    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static final Map<String, String> ENV =
            Map.of("K1", "sk-one", "K2", "sk-two", "TEAM", "team-secret", "ANT", "sk-ant", "GOOG", "g-key");

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) c.close();
        http.close();
    }

    private Fake fake(Function<Upstreams.Seen, Answer> answer, String... paths) {
        Fake f = new Fake(List.of(paths), answer);
        open.add(f);
        return f;
    }

    private Fake openAi(Function<Upstreams.Seen, Answer> answer) {
        return fake(answer, "/v1/chat/completions", "/v1/models");
    }

    private Gateway gateway(String yaml) throws Exception {
        Path f = dir.resolve("gateway-" + open.size() + ".yaml");
        Files.writeString(f, yaml);
        GatewayConfig c = GatewayConfigs.load(f, ENV::get);
        Gateway g = Gateway.start(new GatewayConfig(
                new ServerConfig("127.0.0.1", 0, 1, null, null),
                c.timeouts(),
                c.clientKeys(),
                c.teams(),
                c.routes(),
                c.retry(),
                c.breaker(),
                dev.llmlab.gateway.observe.AccessLogConfig.off(),
                c.prices(),
                StateConfig.memory(),
                null,
                c.cache()));
        open.add(g);
        return g;
    }

    private HttpResponse<String> post(Gateway g, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.port() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("content-type", "application/json");
        for (int i = 0; i < headers.length; i += 2) r.header(headers[i], headers[i + 1]);
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    static final String MESSAGES =
            "{\"model\":\"claude\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private static String chat(String model) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    @Test
    void aRoute_sendsTheProvidersModel_andItsKey_andAnAliasTheSame() throws Exception {
        Fake up = openAi(s -> Answer.ok("{\"id\":\"x\"}"));
        Gateway g = gateway("routes:\n  - name: gpt-4o\n    deployments:\n      - provider: openai-compatible\n"
                + "        base_url: " + up.url() + "/v1\n        model: gpt-4o-2024-08-06\n"
                + "        keys: [{key: \"${K1}\"}]\n  - {name: fast, alias: gpt-4o}\n");
        assertThat(post(g, "/v1/chat/completions", chat("gpt-4o"), "authorization", "Bearer client")
                        .statusCode())
                .isEqualTo(200);
        HttpResponse<String> r = post(g, "/v1/chat/completions", chat("fast"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue(Endpoints.DEPLOYMENT_HEADER)).hasValue("openai-compatible/gpt-4o-2024-08-06");
        assertThat(up.seen).hasSize(2).allSatisfy(s -> {
            assertThat(s.body()).contains("\"model\":\"gpt-4o-2024-08-06\"");
            assertThat(s.headers()).containsEntry("authorization", "Bearer sk-one");
        });
        HttpResponse<String> unknown = post(g, "/v1/chat/completions", chat("gpt-5"));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("no route serves the model 'gpt-5'");
        HttpResponse<String> models = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.port() + "/v1/models"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(models.body()).contains("\"id\":\"gpt-4o\"").contains("\"id\":\"fast\"");
    }

    @Test
    void a503_isRetried_onTheOtherDeployment() throws Exception {
        Fake bad = openAi(s -> Answer.status(503, "{\"error\":{\"message\":\"overloaded\"}}"));
        Fake good = openAi(s -> Answer.ok("{\"ok\":true}"));
        Gateway g = gateway("routes:\n  - name: m\n    strategy: priority\n    deployments:\n"
                + "      - {name: bad, provider: openai-compatible, base_url: " + bad.url() + "/v1, priority: 0}\n"
                + "      - {name: good, provider: openai-compatible, base_url: " + good.url() + "/v1, priority: 1}\n"
                + "retry: {attempts: 2, backoff: 1ms}\n");
        HttpResponse<String> r = post(g, "/v1/chat/completions", chat("m"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue(Endpoints.DEPLOYMENT_HEADER)).hasValue("good");
        assertThat(r.headers().firstValue(Endpoints.TRIES_HEADER)).hasValue("2");
        assertThat(bad.seen).hasSize(1);
    }

    @Test
    void whenEveryTryFails_theFallbackRouteAnswers_andWithoutOne_theLastUpstreamAnswerComesBack() throws Exception {
        Fake bad = openAi(s -> Answer.status(500, "{\"error\":{\"message\":\"boom\"}}"));
        Fake other = openAi(s -> Answer.ok("{\"from\":\"fallback\"}"));
        Gateway g = gateway("routes:\n  - name: m\n    fallbacks: [backup]\n    deployments:\n"
                + "      - {provider: openai-compatible, base_url: " + bad.url() + "/v1}\n"
                + "  - name: backup\n    deployments:\n"
                + "      - {provider: openai-compatible, base_url: " + other.url() + "/v1, model: other-model}\n"
                + "  - name: alone\n    deployments:\n"
                + "      - {provider: openai-compatible, base_url: " + bad.url() + "/v1}\n"
                + "retry: {attempts: 1, backoff: 1ms}\n");
        HttpResponse<String> r = post(g, "/v1/chat/completions", chat("m"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"from\":\"fallback\"}");
        assertThat(bad.seen).hasSize(2); // the first try and one retry
        assertThat(other.seen.getFirst().body()).contains("\"model\":\"other-model\"");
        HttpResponse<String> alone = post(g, "/v1/chat/completions", chat("alone"));
        assertThat(alone.statusCode()).isEqualTo(500);
        assertThat(alone.body()).contains("boom");
    }

    @Test
    void a400_isNotRetried() throws Exception {
        Fake up = openAi(s -> Answer.status(400, "{\"error\":{\"message\":\"bad\"}}"));
        Gateway g = gateway("routes:\n  - name: m\n    deployments:\n"
                + "      - {provider: openai-compatible, base_url: " + up.url() + "/v1}\n"
                + "retry: {attempts: 3, backoff: 1ms}\n");
        assertThat(post(g, "/v1/chat/completions", chat("m")).statusCode()).isEqualTo(400);
        assertThat(up.seen).hasSize(1);
    }

    @Test
    void a429_coolsItsKeyForRetryAfter_andTheOtherKeyServesMeanwhile() throws Exception {
        Fake up = openAi(s -> s.headers().get("authorization").equals("Bearer sk-one")
                ? Answer.status(429, "{\"error\":{\"message\":\"slow down\"}}", "retry-after", "60")
                : Answer.ok("{}"));
        Gateway g = gateway("routes:\n  - name: m\n    deployments:\n"
                + "      - provider: openai-compatible\n        base_url: " + up.url() + "/v1\n"
                + "        keys: [{key: \"${K1}\"}, {key: \"${K2}\"}]\n"
                + "retry: {attempts: 2, backoff: 1ms}\n");
        for (int i = 0; i < 6; i++)
            assertThat(post(g, "/v1/chat/completions", chat("m")).statusCode()).isEqualTo(200);
        // key one answered 429 once, and was not used again within its minute of cooling down
        assertThat(up.seen.stream().filter(s -> s.headers().get("authorization").equals("Bearer sk-one")))
                .hasSize(1);
        assertThat(up.seen).hasSize(7);
    }

    @Test
    void everyKeyCoolingDown_isA429WithRetryAfter_withoutCallingTheProvider() throws Exception {
        Fake up = openAi(s -> Answer.status(429, "{\"error\":{\"message\":\"quota\"}}", "retry-after", "30"));
        Gateway g = gateway("routes:\n  - name: m\n    deployments:\n"
                + "      - {provider: openai-compatible, base_url: " + up.url() + "/v1, keys: [{key: \"${K1}\"}]}\n"
                + "retry: {attempts: 0}\n");
        HttpResponse<String> first = post(g, "/v1/chat/completions", chat("m"));
        assertThat(first.statusCode()).isEqualTo(429);
        assertThat(first.headers().firstValue("retry-after")).hasValue("30"); // the provider's own, passed on
        HttpResponse<String> second = post(g, "/v1/chat/completions", chat("m"));
        assertThat(second.statusCode()).isEqualTo(429);
        assertThat(second.body()).contains("rate limit or cooling down");
        assertThat(Integer.parseInt(second.headers().firstValue("retry-after").orElseThrow()))
                .isBetween(28, 30);
        assertThat(up.seen).hasSize(1);
    }

    @Test
    void a401_takesTheKeyOut_andTheNextKeyIsTried() throws Exception {
        Fake up = openAi(s -> s.headers().get("authorization").equals("Bearer sk-one")
                ? Answer.status(401, "{\"error\":{\"message\":\"revoked\"}}")
                : Answer.ok("{}"));
        Gateway g = gateway("routes:\n  - name: m\n    strategy: round-robin\n    deployments:\n"
                + "      - provider: openai-compatible\n        base_url: " + up.url() + "/v1\n"
                + "        keys: [{key: \"${K1}\"}, {key: \"${K2}\"}]\n"
                + "retry: {attempts: 1, backoff: 1ms}\n");
        for (int i = 0; i < 4; i++)
            assertThat(post(g, "/v1/chat/completions", chat("m")).statusCode()).isEqualTo(200);
        assertThat(up.seen.stream().filter(s -> s.headers().get("authorization").equals("Bearer sk-one")))
                .hasSize(1);
    }

    @Test
    void aBreaker_opensOnFailures_andTheRouteAnswers503_untilItsProbesSucceed() throws Exception {
        AtomicInteger fail = new AtomicInteger(1);
        Fake up = openAi(s -> fail.get() == 1 ? Answer.status(502, "{}") : Answer.ok("{}"));
        Gateway g = gateway("routes:\n  - name: m\n    deployments:\n"
                + "      - {provider: openai-compatible, base_url: " + up.url() + "/v1}\n"
                + "retry: {attempts: 0}\n"
                + "breaker: {min_requests: 3, failure_rate: 0.5, open_for: 300ms, probes: 1}\n");
        for (int i = 0; i < 3; i++)
            assertThat(post(g, "/v1/chat/completions", chat("m")).statusCode()).isEqualTo(502);
        HttpResponse<String> open = post(g, "/v1/chat/completions", chat("m"));
        assertThat(open.statusCode()).isEqualTo(503);
        assertThat(open.body()).contains("circuit breakers open");
        assertThat(up.seen).hasSize(3);
        fail.set(0);
        // after open_for, one probe goes through and closes it
        long until = System.nanoTime() + 5_000_000_000L;
        int status = 503;
        while (status == 503 && System.nanoTime() < until) {
            status = post(g, "/v1/chat/completions", chat("m")).statusCode();
            if (status == 503) Thread.onSpinWait();
        }
        assertThat(status).isEqualTo(200);
        assertThat(post(g, "/v1/chat/completions", chat("m")).statusCode()).isEqualTo(200);
    }

    @Test
    void clientKeys_areRequired_andNeverForwarded() throws Exception {
        Fake up = openAi(s -> Answer.ok("{}"));
        Gateway g = gateway("client_keys: [{name: team, key: \"${TEAM}\"}]\nroutes:\n  - name: m\n    deployments:\n"
                + "      - {provider: openai-compatible, base_url: " + up.url() + "/v1}\n");
        HttpResponse<String> none = post(g, "/v1/chat/completions", chat("m"));
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.body()).contains("authentication_error").doesNotContain("team-secret");
        assertThat(post(g, "/v1/chat/completions", chat("m"), "authorization", "Bearer wrong")
                        .statusCode())
                .isEqualTo(401);
        assertThat(post(g, "/v1/chat/completions", chat("m"), "authorization", "Bearer team-secret")
                        .statusCode())
                .isEqualTo(200);
        HttpResponse<String> anthropicStyle =
                post(g, "/v1/messages", MESSAGES.replace("claude", "nothing"), "x-api-key", "team-secret");
        assertThat(anthropicStyle.statusCode()).isEqualTo(404); // past the key check; no such route
        assertThat(anthropicStyle.body()).startsWith("{\"type\":\"error\"");
        assertThat(up.seen).hasSize(1);
        assertThat(up.seen.getFirst().headers()).doesNotContainKey("authorization");
    }

    @Test
    void anthropicAndGemini_passThroughToTheirOwnProviders_withTheirHeadersAndPaths() throws Exception {
        Fake ant = fake(s -> Answer.ok("{\"type\":\"message\"}"), "/v1/messages");
        Fake gem = fake(s -> Answer.ok("{\"candidates\":[]}"), "/v1beta/models/{m}");
        Gateway g = gateway("routes:\n  - name: claude\n    deployments:\n"
                + "      - {provider: anthropic, base_url: " + ant.url() + ", model: claude-sonnet-4-5,"
                + " keys: [{key: \"${ANT}\"}]}\n"
                + "  - name: gemini\n    deployments:\n"
                + "      - {provider: gemini, base_url: " + gem.url() + ", model: gemini-2.5-flash,"
                + " keys: [{key: \"${GOOG}\"}]}\n");
        HttpResponse<String> a = post(g, "/v1/messages", MESSAGES, "x-api-key", "client");
        assertThat(a.statusCode()).isEqualTo(200);
        Upstreams.Seen sa = ant.seen.getFirst();
        assertThat(sa.body()).contains("\"model\":\"claude-sonnet-4-5\"");
        assertThat(sa.headers()).containsEntry("x-api-key", "sk-ant").containsEntry("anthropic-version", "2023-06-01");
        HttpResponse<String> gm = post(
                g,
                "/v1beta/models/gemini:streamGenerateContent?alt=sse",
                "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}");
        assertThat(gm.statusCode()).isEqualTo(200);
        Upstreams.Seen sg = gem.seen.getFirst();
        assertThat(sg.uri()).isEqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
        assertThat(sg.headers()).containsEntry("x-goog-api-key", "g-key");
    }

    @Test
    void azure_putsTheDeploymentInThePath_andTheKeyInApiKey() throws Exception {
        Fake az = fake(s -> Answer.ok("{}"), "/openai/deployments/{d}/chat/completions");
        Gateway g = gateway("routes:\n  - name: m\n    deployments:\n"
                + "      - {provider: azure-openai, base_url: " + az.url() + ", api_version: 2024-10-21,"
                + " model: my-gpt4o, keys: [{key: \"${K1}\"}]}\n");
        assertThat(post(g, "/v1/chat/completions", chat("m")).statusCode()).isEqualTo(200);
        Upstreams.Seen s = az.seen.getFirst();
        assertThat(s.uri()).isEqualTo("/openai/deployments/my-gpt4o/chat/completions?api-version=2024-10-21");
        assertThat(s.headers()).containsEntry("api-key", "sk-one").doesNotContainKey("authorization");
    }

    @Test
    void aReload_swapsTheRoutes_andKeepsUnchangedDeploymentsState() throws Exception {
        Fake one = openAi(s -> Answer.ok("{\"from\":1}"));
        Fake two = openAi(s -> Answer.ok("{\"from\":2}"));
        Gateway g = gateway("routes:\n  - name: m\n    deployments:\n"
                + "      - {provider: openai-compatible, base_url: " + one.url() + "/v1}\n");
        assertThat(post(g, "/v1/chat/completions", chat("m")).body()).isEqualTo("{\"from\":1}");
        Path f = dir.resolve("reloaded.yaml");
        Files.writeString(
                f,
                "routes:\n  - name: m\n    deployments:\n"
                        + "      - {provider: openai-compatible, base_url: " + two.url() + "/v1}\n"
                        + "  - name: n\n    deployments:\n"
                        + "      - {provider: openai-compatible, base_url: " + one.url() + "/v1}\n");
        g.reload(GatewayConfigs.load(f, ENV::get));
        assertThat(post(g, "/v1/chat/completions", chat("m")).body()).isEqualTo("{\"from\":2}");
        assertThat(post(g, "/v1/chat/completions", chat("n")).body()).isEqualTo("{\"from\":1}");
    }

    @Test
    void aDeadline_endsARequestWhoseUpstreamHangs_with504() throws Exception {
        java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
        dev.llmlab.http.HttpServer hung = dev.llmlab.http.HttpServer.builder()
                .host("127.0.0.1")
                .port(0)
                .ioThreads(1)
                .router(dev.llmlab.http.Router.builder()
                        .add("POST", "/v1/chat/completions", ex -> {})
                        .build())
                .start();
        open.add(() -> {
            never.countDown();
            hung.close();
        });
        Gateway g = gateway("routes:\n  - name: m\n    deployments:\n"
                + "      - {provider: openai-compatible, base_url: http://127.0.0.1:" + hung.port() + "/v1}\n"
                + "retry: {deadline: 300ms}\n");
        long t0 = System.nanoTime();
        HttpResponse<String> r = post(g, "/v1/chat/completions", chat("m"));
        assertThat(r.statusCode()).isEqualTo(504);
        assertThat(r.body()).contains("deadline");
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(5);
    }

    @Test
    void aRequestTheProviderCannotCarry_isRefusedNamingTheField_andNotSent() throws Exception {
        Fake ant = fake(s -> Answer.ok("{}"), "/v1/messages");
        Gateway g = gateway("routes:\n  - name: claude\n    deployments:\n" + "      - {provider: anthropic, base_url: "
                + ant.url() + "}\n");
        HttpResponse<String> r = post(
                g,
                "/v1/chat/completions",
                "{\"model\":\"claude\",\"n\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("\"param\":\"n\"").contains("anthropic-messages");
        assertThat(ant.seen).isEmpty();
    }

    @Test
    void aBadRequest_getsItsApisOwn400_andIsNeverSent() throws Exception {
        Fake up = openAi(s -> Answer.ok("{}"));
        Fake ant = fake(s -> Answer.ok("{}"), "/v1/messages");
        Gateway g = gateway("routes:\n  - name: m\n    deployments:\n"
                + "      - {provider: openai-compatible, base_url: " + up.url() + "/v1}\n"
                + "  - name: claude\n    deployments:\n      - {provider: anthropic, base_url: " + ant.url() + "}\n");
        HttpResponse<String> noMessages = post(g, "/v1/chat/completions", "{\"model\":\"m\"}");
        assertThat(noMessages.statusCode()).isEqualTo(400);
        assertThat(noMessages.body()).startsWith("{\"error\":{").contains("messages");
        HttpResponse<String> badTemp = post(
                g,
                "/v1/chat/completions",
                "{\"model\":\"m\",\"temperature\":\"hot\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(badTemp.statusCode()).isEqualTo(400);
        HttpResponse<String> anthropic = post(g, "/v1/messages", "{\"model\":\"claude\",\"messages\":[]}");
        assertThat(anthropic.statusCode()).isEqualTo(400);
        assertThat(anthropic.body()).startsWith("{\"type\":\"error\"").contains("invalid_request_error");
        assertThat(post(g, "/v1/chat/completions", "not json").statusCode()).isEqualTo(400);
        assertThat(up.seen).isEmpty();
        assertThat(ant.seen).isEmpty();
        assertThat(post(g, "/v1/chat/completions", chat("m")).statusCode()).isEqualTo(200); // and it serves on
    }
}
