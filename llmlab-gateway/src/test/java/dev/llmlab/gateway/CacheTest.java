package dev.llmlab.gateway;

import static dev.llmlab.gateway.SimHarness.HI;
import static dev.llmlab.gateway.SimHarness.chat;
import static dev.llmlab.gateway.SimHarness.sum;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.core.config.Secret;
import dev.llmlab.gateway.config.StateConfig;
import dev.llmlab.metrics.Exposition;
import dev.llmlab.sim.Simulator;
import dev.llmlab.testkit.RedisServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exact cache through a gateway, with the simulator upstream: what is kept, for whom, and what is said. */
class CacheTest {
    private static final Map<String, String> ENV = Map.of("A1", "key-a1", "A2", "key-a2", "B1", "key-b1", "S", "key-s");
    private static final String MESSAGES = "{\"model\":\"claude\",\"max_tokens\":8,\"messages\":" + HI + "}";
    private static final String GEMINI = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Say hello\"}]}]}";

    @TempDir
    Path dir;

    private SimHarness h;
    private Simulator sim;

    @BeforeEach
    void start() {
        h = new SimHarness(dir);
        sim = h.simulator("", 0);
    }

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    private String config(String extra) {
        String base = "http://127.0.0.1:" + sim.port();
        String openAi = "[{provider: openai-compatible, base_url: \"" + base + "/v1\"}]";
        return """
                client_keys:
                  - {name: a1, key: "${A1}", team: a}
                  - {name: a2, key: "${A2}", team: a}
                  - {name: b1, key: "${B1}", team: b}
                  - {name: s, key: "${S}"}
                teams: [{name: a}, {name: b}]
                routes:
                  - {name: gpt-4o-mini, cache: {ttl: 10m}, deployments: %s}
                  - {name: gpt-4o, cache: {ttl: 10m}, deployments: %s}
                  - {name: per-key, cache: {scope: key}, deployments: [{provider: openai-compatible, base_url: "%s/v1", model: gpt-4o-mini}]}
                  - {name: tiny, cache: {max_entry_bytes: 100}, deployments: [{provider: openai-compatible, base_url: "%s/v1", model: gpt-4o-mini}]}
                  - {name: uncached, deployments: [{provider: openai-compatible, base_url: "%s/v1", model: gpt-4o-mini}]}
                  - {name: claude, cache: {}, deployments: [{provider: anthropic, base_url: "%s", model: claude-haiku-4-5}]}
                  - {name: gemini-2.5-flash, cache: {}, deployments: [{provider: gemini, base_url: "%s"}]}
                """.formatted(openAi, openAi, base, base, base, base, base) + extra;
    }

    private Gateway gateway() throws Exception {
        return h.gateway(config(""), ENV);
    }

    private HttpResponse<String> chatAs(Gateway g, String key, String model, boolean stream, String... headers)
            throws Exception {
        String[] all = new String[headers.length + 2];
        all[0] = "authorization";
        all[1] = "Bearer " + key;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return h.post(g.port(), "/v1/chat/completions", chat(model, stream, 8), all);
    }

    private static String cache(HttpResponse<String> r) {
        return r.headers().firstValue("x-llmlab-cache").orElse(null);
    }

    @Test
    void openAiChat_whole_theSecondIsAHit_withTheSameBytes_andNoProviderCall() throws Exception {
        Gateway g = gateway();
        HttpResponse<String> first = chatAs(g, "key-a1", "gpt-4o-mini", false);
        double calls = h.simRequests(sim);
        // the same request written another way: members in another order, other whitespace
        HttpResponse<String> second = h.post(
                g.port(),
                "/v1/chat/completions",
                "{ \"messages\": " + HI + ", \"max_tokens\": 8, \"model\": \"gpt-4o-mini\" }",
                "authorization",
                "Bearer key-a1");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(cache(first)).isEqualTo("miss");
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(cache(second)).isEqualTo("hit");
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(second.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(second.headers().firstValue("age")).hasValue("0");
        assertThat(h.simRequests(sim)).isEqualTo(calls);

        Exposition m = h.metrics(g.port());
        assertThat(sum(m, "llmlab_gateway_cache_hits_total", "route", "gpt-4o-mini", "tier", "local"))
                .isEqualTo(1);
        assertThat(sum(m, "llmlab_gateway_cache_misses_total", "route", "gpt-4o-mini"))
                .isEqualTo(1);
        assertThat(sum(m, "llmlab_gateway_cache_stored_total", "route", "gpt-4o-mini"))
                .isEqualTo(1);
        assertThat(sum(m, "llmlab_gateway_cache_saved_tokens_total", "gen_ai_token_type", "output"))
                .isEqualTo(sum(m, "llmlab_gateway_tokens_total", "gen_ai_token_type", "output"))
                .isPositive();
        assertThat(sum(m, "llmlab_gateway_cache_saved_cost_usd_total", "route", "gpt-4o-mini"))
                .isEqualTo(sum(m, "llmlab_gateway_cost_usd_total"))
                .isPositive();
        assertThat(sum(m, "llmlab_gateway_cache_entries")).isEqualTo(1);
        assertThat(sum(m, "llmlab_gateway_cache_bytes"))
                .isGreaterThan(first.body().length());
        // the hit is a request answered with its status, from no deployment
        assertThat(sum(
                        m,
                        "llmlab_gateway_requests_total",
                        "route",
                        "gpt-4o-mini",
                        "deployment",
                        "none",
                        "status",
                        "200"))
                .isEqualTo(1);
    }

    @Test
    void openAiChat_streamed_isKeptOnceComplete_andReplayedAsAStreamTheSdkReads() throws Exception {
        Gateway g = gateway();
        HttpResponse<String> first = chatAs(g, "key-a1", "gpt-4o-mini", true);
        HttpResponse<String> second = chatAs(g, "key-a1", "gpt-4o-mini", true);
        assertThat(cache(first)).isEqualTo("miss");
        assertThat(cache(second)).isEqualTo("hit");
        assertThat(second.headers().firstValue("content-type").orElseThrow()).startsWith("text/event-stream");
        assertThat(second.body()).isEqualTo(first.body()).endsWith("data: [DONE]\n\n");
        // a whole request is another key: not answered by the stream
        assertThat(cache(chatAs(g, "key-a1", "gpt-4o-mini", false))).isEqualTo("miss");

        // through the official SDK: the stream it reads the second time is the one it read the first time
        try (OpenAiSdk sdk = new OpenAiSdk("http://127.0.0.1:" + g.port(), "key-s")) {
            SdkReply one = sdk.text("gpt-4o", true);
            double calls = h.simRequests(sim);
            SdkReply two = sdk.text("gpt-4o", true);
            assertThat(h.simRequests(sim)).as("the second from the cache").isEqualTo(calls);
            assertThat(two).isEqualTo(one);
            assertThat(two.text()).isNotEmpty();
            assertThat(two.events()).isGreaterThan(1);
        }
    }

    @Test
    void anthropicAndGemini_hitOnTheSecondRequest() throws Exception {
        Gateway g = gateway();
        String[] ant = {"x-api-key", "key-a1", "anthropic-version", "2023-06-01"};
        HttpResponse<String> a1 = h.post(g.port(), "/v1/messages", MESSAGES, ant);
        HttpResponse<String> a2 = h.post(g.port(), "/v1/messages", MESSAGES, ant);
        assertThat(a1.statusCode()).isEqualTo(200);
        assertThat(cache(a1)).isEqualTo("miss");
        assertThat(cache(a2)).isEqualTo("hit");
        assertThat(a2.body()).isEqualTo(a1.body());
        String streamed = MESSAGES.replace("{\"model\"", "{\"stream\":true,\"model\"");
        HttpResponse<String> s1 = h.post(g.port(), "/v1/messages", streamed, ant);
        HttpResponse<String> s2 = h.post(g.port(), "/v1/messages", streamed, ant);
        assertThat(cache(s1)).isEqualTo("miss");
        assertThat(cache(s2)).isEqualTo("hit");
        assertThat(s2.body()).isEqualTo(s1.body()).contains("event: message_stop");

        String path = "/v1beta/models/gemini-2.5-flash:generateContent";
        HttpResponse<String> g1 = h.post(g.port(), path, GEMINI, "x-goog-api-key", "key-b1");
        HttpResponse<String> g2 = h.post(g.port(), path, GEMINI, "x-goog-api-key", "key-b1");
        assertThat(g1.statusCode()).isEqualTo(200);
        assertThat(cache(g1)).isEqualTo("miss");
        assertThat(cache(g2)).isEqualTo("hit");
        assertThat(g2.body()).isEqualTo(g1.body());
        String sse = "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse";
        assertThat(cache(h.post(g.port(), sse, GEMINI, "x-goog-api-key", "key-b1")))
                .isEqualTo("miss");
        HttpResponse<String> gs = h.post(g.port(), sse, GEMINI, "x-goog-api-key", "key-b1");
        assertThat(cache(gs)).isEqualTo("hit");
        assertThat(gs.body()).startsWith("data: ");
    }

    @Test
    void neverShared_acrossTeams_keysOfScopeKey_orModels() throws Exception {
        Gateway g = gateway();
        assertThat(cache(chatAs(g, "key-a1", "gpt-4o-mini", false))).isEqualTo("miss");
        assertThat(cache(chatAs(g, "key-b1", "gpt-4o-mini", false)))
                .as("another team")
                .isEqualTo("miss");
        assertThat(cache(chatAs(g, "key-s", "gpt-4o-mini", false)))
                .as("a key without a team")
                .isEqualTo("miss");
        assertThat(cache(chatAs(g, "key-a2", "gpt-4o-mini", false)))
                .as("the same team")
                .isEqualTo("hit");
        assertThat(cache(chatAs(g, "key-a1", "gpt-4o", false)))
                .as("another model")
                .isEqualTo("miss");

        assertThat(cache(chatAs(g, "key-a1", "per-key", false))).isEqualTo("miss");
        assertThat(cache(chatAs(g, "key-a2", "per-key", false)))
                .as("scope key: the same team's other key")
                .isEqualTo("miss");
        assertThat(cache(chatAs(g, "key-a2", "per-key", false))).isEqualTo("hit");
        assertThat(chatAs(g, "key-a1", "uncached", false).headers().firstValue("x-llmlab-cache"))
                .isEmpty();
    }

    @Test
    void noCache_noStore_andTheTtlHeader() throws Exception {
        Gateway g = gateway();
        HttpResponse<String> noStore = chatAs(g, "key-a1", "gpt-4o-mini", false, "cache-control", "no-store");
        assertThat(cache(noStore)).isEqualTo("bypass");
        assertThat(cache(chatAs(g, "key-a1", "gpt-4o-mini", false)))
                .as("no-store kept nothing")
                .isEqualTo("miss");
        HttpResponse<String> noCache = chatAs(g, "key-a1", "gpt-4o-mini", false, "cache-control", "no-cache");
        assertThat(cache(noCache)).isEqualTo("bypass");
        HttpResponse<String> after = chatAs(g, "key-a1", "gpt-4o-mini", false);
        assertThat(cache(after)).isEqualTo("hit");
        assertThat(after.body()).as("no-cache kept its fresh answer").isEqualTo(noCache.body());

        assertThat(cache(chatAs(g, "key-a1", "gpt-4o", false, "x-llmlab-cache-ttl", "30")))
                .isEqualTo("miss");
        assertThat(cache(chatAs(g, "key-a1", "gpt-4o", false))).isEqualTo("hit");
        HttpResponse<String> bad = chatAs(g, "key-a1", "gpt-4o", false, "x-llmlab-cache-ttl", "soon");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("x-llmlab-cache-ttl must be a whole number of seconds");
        Exposition m = h.metrics(g.port());
        assertThat(sum(m, "llmlab_gateway_cache_bypassed_total", "route", "gpt-4o-mini"))
                .isEqualTo(2);
    }

    @Test
    void anAnswerLargerThanTheRoutesCap_isPassedOn_notKept() throws Exception {
        Gateway g = gateway();
        HttpResponse<String> first = chatAs(g, "key-a1", "tiny", false);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body().length()).isGreaterThan(100);
        assertThat(cache(chatAs(g, "key-a1", "tiny", false))).isEqualTo("miss");
    }

    @Test
    void aStreamCutShort_isNotKept() throws Exception {
        Gateway g = gateway();
        HttpResponse<String> cut = chatAs(g, "key-a1", "gpt-4o-mini", true, "x-llmlab-fault", "truncate=3");
        assertThat(cut.statusCode()).isEqualTo(200);
        assertThat(cut.body()).contains("ended before the end of its answer");
        HttpResponse<String> dropped = chatAs(g, "key-a1", "gpt-4o-mini", true, "x-llmlab-fault", "drop-after=3");
        assertThat(dropped.body()).contains("broke");
        assertThat(cache(dropped)).as("the cut one was not kept").isEqualTo("miss");
        assertThat(cache(chatAs(g, "key-a1", "gpt-4o-mini", true)))
                .as("nor the dropped one")
                .isEqualTo("miss");
        assertThat(cache(chatAs(g, "key-a1", "gpt-4o-mini", true))).isEqualTo("hit");
        assertThat(sum(h.metrics(g.port()), "llmlab_gateway_cache_stored_total"))
                .isEqualTo(1);
    }

    @Test
    void sharedTier_aSecondGatewayHitsTheFirstsAnswer_andWithRedisDownRequestsAreStillServed() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            StateConfig state = new StateConfig(
                    "memory",
                    null,
                    null,
                    new StateConfig.RedisConfig(Secret.of(redis.uri()), Duration.ofMillis(500)),
                    null,
                    null);
            Gateway one = h.gateway(config(""), ENV, state);
            Gateway two = h.gateway(config(""), ENV, state);
            HttpResponse<String> first = chatAs(one, "key-a1", "gpt-4o-mini", true);
            assertThat(cache(first)).isEqualTo("miss");
            // the first gateway's SET went out on its connection before this miss's GET: then it is there
            assertThat(cache(chatAs(one, "key-s", "gpt-4o-mini", true))).isEqualTo("miss");
            HttpResponse<String> fromTwo = chatAs(two, "key-a2", "gpt-4o-mini", true);
            assertThat(cache(fromTwo)).isEqualTo("hit");
            assertThat(fromTwo.body()).isEqualTo(first.body());
            assertThat(sum(h.metrics(two.port()), "llmlab_gateway_cache_hits_total", "tier", "shared"))
                    .isEqualTo(1);
            assertThat(cache(chatAs(two, "key-b1", "gpt-4o-mini", true)))
                    .as("another team")
                    .isEqualTo("miss");

            redis.stop();
            HttpResponse<String> down = chatAs(two, "key-a1", "gpt-4o", false);
            assertThat(down.statusCode()).isEqualTo(200);
            assertThat(cache(down)).isEqualTo("miss");
            assertThat(cache(chatAs(two, "key-a1", "gpt-4o", false)))
                    .as("the local tier still works")
                    .isEqualTo("hit");
            assertThat(sum(h.metrics(two.port()), "llmlab_gateway_cache_shared_errors_total", "operation", "get"))
                    .isPositive();
            redis.startAgain();
        }
    }
}
