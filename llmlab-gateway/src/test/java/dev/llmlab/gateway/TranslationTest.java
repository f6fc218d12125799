package dev.llmlab.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.core.config.ConfigLoader;
import dev.llmlab.core.dist.Distributions;
import dev.llmlab.gateway.config.GatewayConfig;
import dev.llmlab.gateway.config.GatewayConfigs;
import dev.llmlab.sim.Simulator;
import dev.llmlab.sim.catalog.Catalog.LatencyOverride;
import dev.llmlab.sim.config.SimConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The gateway with its default routes in front of the simulator: each model family over its own
 * API, so that a client of one API asking for another family's model is translated both ways.
 */
class TranslationTest {
    private static Simulator sim;
    private static Gateway gateway;
    private static final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @BeforeAll
    static void start() {
        SimConfig c = ConfigLoader.parse(
                "server: {host: 127.0.0.1, port: 0, io_threads: 1}\nseed: 7\n", "t.yaml", SimConfig.class);
        sim = Simulator.start(c, new LatencyOverride(Distributions.fixed(0.001), Distributions.fixed(0.001)));
        GatewayConfig g = GatewayConfigs.forSimulator("http://127.0.0.1:" + sim.port());
        gateway = Gateway.start(GatewayTest.local(g));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        sim.close();
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .header("content-type", "application/json")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> data(HttpResponse<String> r) {
        return r.body()
                .lines()
                .filter(l -> l.startsWith("data: "))
                .map(l -> l.substring(6))
                .toList();
    }

    private static final String HI = "[{\"role\":\"user\",\"content\":\"Say hello\"}]";

    @Test
    void openAiChat_toAnthropic_whole_namesTheClientsModel_andReportsUsage() throws Exception {
        HttpResponse<String> r = post(
                "/v1/chat/completions", "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":8,\"messages\":" + HI + "}");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode b = JSON.readTree(r.body());
        assertThat(b.path("object").asString()).isEqualTo("chat.completion");
        assertThat(b.path("model").asString()).isEqualTo("claude-haiku-4-5");
        assertThat(b.path("choices").get(0).path("message").path("content").asString())
                .isNotBlank();
        assertThat(b.path("usage").path("prompt_tokens").asInt()).isPositive();
        assertThat(r.headers().firstValue("x-llmlab-deployment")).hasValue("simulator-anthropic");
    }

    @Test
    void openAiChat_toAnthropic_stream_endsWithDone_andGivesUsageOnlyWhenAsked() throws Exception {
        HttpResponse<String> plain = post(
                "/v1/chat/completions",
                "{\"model\":\"claude-haiku-4-5\",\"stream\":true,\"max_tokens\":8,\"messages\":" + HI + "}");
        assertThat(plain.statusCode()).isEqualTo(200);
        List<String> events = data(plain);
        assertThat(events.getLast()).isEqualTo("[DONE]");
        assertThat(events.getFirst())
                .contains("\"object\":\"chat.completion.chunk\"")
                .contains("claude-haiku-4-5");
        assertThat(events).noneMatch(e -> e.contains("\"usage\":{"));
        HttpResponse<String> asked = post(
                "/v1/chat/completions",
                "{\"model\":\"claude-haiku-4-5\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                        + "\"max_tokens\":8,\"messages\":" + HI + "}");
        assertThat(data(asked)).anyMatch(e -> e.contains("\"usage\":{\"prompt_tokens\""));
    }

    @Test
    void openAiChat_toolCall_toAnthropic_comesBackAsToolCalls() throws Exception {
        String tools = "[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":"
                + "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}}]";
        HttpResponse<String> r = post(
                "/v1/chat/completions",
                "{\"model\":\"claude-haiku-4-5\",\"tools\":" + tools + ",\"tool_choice\":\"required\",\"messages\":"
                        + HI + "}");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode choice = JSON.readTree(r.body()).path("choices").get(0);
        assertThat(choice.path("finish_reason").asString()).isEqualTo("tool_calls");
        JsonNode call = choice.path("message").path("tool_calls").get(0);
        assertThat(call.path("function").path("name").asString()).isEqualTo("get_weather");
        assertThat(JSON.readTree(call.path("function").path("arguments").asString())
                        .has("city"))
                .isTrue();
    }

    @Test
    void anthropicMessages_toOpenAi_wholeAndStreamed() throws Exception {
        HttpResponse<String> r =
                post("/v1/messages", "{\"model\":\"gpt-4o-mini\",\"max_tokens\":8,\"messages\":" + HI + "}");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode b = JSON.readTree(r.body());
        assertThat(b.path("type").asString()).isEqualTo("message");
        assertThat(b.path("model").asString()).isEqualTo("gpt-4o-mini");
        assertThat(b.path("content").get(0).path("text").asString()).isNotBlank();
        assertThat(b.path("usage").path("output_tokens").asInt()).isPositive();
        HttpResponse<String> s = post(
                "/v1/messages", "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"max_tokens\":8,\"messages\":" + HI + "}");
        List<String> events =
                s.body().lines().filter(l -> l.startsWith("event: ")).toList();
        assertThat(events.getFirst()).isEqualTo("event: message_start");
        assertThat(events.getLast()).isEqualTo("event: message_stop");
        assertThat(events).contains("event: content_block_delta");
    }

    @Test
    void gemini_toOpenAi_andOpenAi_toGemini() throws Exception {
        HttpResponse<String> g = post(
                "/v1beta/models/gpt-4o-mini:generateContent",
                "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Say hello\"}]}]}");
        assertThat(g.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(g.body())
                        .path("candidates")
                        .get(0)
                        .path("content")
                        .path("parts")
                        .get(0)
                        .path("text")
                        .asString())
                .isNotBlank();
        HttpResponse<String> o = post(
                "/v1/chat/completions", "{\"model\":\"gemini-2.5-flash\",\"max_tokens\":8,\"messages\":" + HI + "}");
        assertThat(o.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(o.body()).path("model").asString()).isEqualTo("gemini-2.5-flash");
    }

    @Test
    void metrics_countTheRequests_andTheirTokens() throws Exception {
        post("/v1/chat/completions", "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":8,\"messages\":" + HI + "}");
        HttpResponse<String> m = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/metrics"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(m.statusCode()).isEqualTo(200);
        assertThat(m.body())
                .contains("llmlab_gateway_requests_total{")
                .contains("route=\"claude-*\"")
                .contains("llmlab_gateway_tokens_total{")
                .contains("llmlab_gateway_overhead_seconds_bucket");
    }
}
