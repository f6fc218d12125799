package dev.llmlab.sim.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.jsonschema.JsonSchema;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/** POST /v1/messages and /v1/messages/count_tokens: Anthropic's shapes, event sequence and errors. */
class AnthropicMessagesTest {
    private static final String WEATHER_TOOL = """
      {"name":"get_weather","description":"Weather in a city","input_schema":{"type":"object",
       "properties":{"city":{"type":"string"},"unit":{"type":"string","enum":["c","f"]}},
       "required":["city","unit"]}}""";

    record Event(String name, String data) {
        JsonNode json() {
            return SimHarness.json(data);
        }
    }

    @Test
    void message_hasTheApiShape() {
        try (SimHarness h = SimHarness.start("models: [{id: claude-sonnet-4-5, output_tokens: \"500\"}]")) {
            HttpResponse<String> r = post(h, "/v1/messages", """
          {"model":"claude-sonnet-4-5","max_tokens":5,"messages":[{"role":"user","content":"Hello there"}]}""");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("request-id"))
                    .hasValueSatisfying(id -> assertThat(id).startsWith("req_01"));
            Golden.assertMatches(r.body(), "anthropic_message.json");
            assertThat(SimHarness.json(r.body()).at("/content/0/text").stringValue())
                    .isNotBlank();
        }
    }

    @Test
    void stream_sendsTheFullEventSequence() {
        try (SimHarness h = SimHarness.start("models: [{id: claude-sonnet-4-5, output_tokens: \"500\"}]")) {
            List<Event> events = stream(h, """
          {"model":"claude-sonnet-4-5","max_tokens":5,"stream":true,"messages":[{"role":"user","content":"Hi"}]}""");
            assertThat(events)
                    .extracting(Event::name)
                    .containsExactly(
                            "message_start",
                            "content_block_start",
                            "ping",
                            "content_block_delta",
                            "content_block_delta",
                            "content_block_delta",
                            "content_block_delta",
                            "content_block_delta",
                            "content_block_stop",
                            "message_delta",
                            "message_stop");
            Golden.assertMatches(events.get(0).data(), "anthropic_event_message_start.json");
            Golden.assertMatches(events.get(1).data(), "anthropic_event_content_block_start.json");
            Golden.assertMatches(events.get(2).data(), "anthropic_event_ping.json");
            for (Event e : events.subList(3, 8)) Golden.assertMatches(e.data(), "anthropic_event_text_delta.json");
            Golden.assertMatches(events.get(8).data(), "anthropic_event_content_block_stop.json");
            Golden.assertMatches(events.get(9).data(), "anthropic_event_message_delta.json");
            Golden.assertMatches(events.get(10).data(), "anthropic_event_message_stop.json");
        }
    }

    @Test
    void streamAndWhole_sameSeedSameText() {
        try (SimHarness h = SimHarness.start("seed: 7")) {
            String body = "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":12,\"temperature\":0,"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"Tell me something\"}]";
            String whole = SimHarness.json(post(h, "/v1/messages", body + "}").body())
                    .at("/content/0/text")
                    .stringValue();
            StringBuilder streamed = new StringBuilder();
            for (Event e : stream(h, body + ",\"stream\":true}")) {
                if (e.name().equals("content_block_delta"))
                    streamed.append(e.json().at("/delta/text").stringValue());
            }
            assertThat(streamed.toString()).isEqualTo(whole);
        }
    }

    @Test
    void stopSequence_isReportedWithItsStopReason() {
        try (SimHarness h = SimHarness.start("generation: {mode: fixed, fixed_text: \"Hello world. Goodbye now.\"}")) {
            String req = """
          {"model":"claude-sonnet-4-5","max_tokens":50,"stop_sequences":["Goodbye","world"],
           "messages":[{"role":"user","content":"Hi"}]""";
            JsonNode m = SimHarness.json(post(h, "/v1/messages", req + "}").body());
            assertThat(m.get("stop_reason").stringValue()).isEqualTo("stop_sequence");
            assertThat(m.get("stop_sequence").stringValue()).isEqualTo("world");
            assertThat(m.at("/content/0/text").stringValue()).isEqualTo("Hello ");

            List<Event> events = stream(h, req + ",\"stream\":true}");
            JsonNode delta = events.get(events.size() - 2).json();
            assertThat(delta.at("/delta/stop_reason").stringValue()).isEqualTo("stop_sequence");
            assertThat(delta.at("/delta/stop_sequence").stringValue()).isEqualTo("world");
        }
    }

    @Test
    void naturalEnd_isEndTurn() {
        try (SimHarness h = SimHarness.start("generation: {mode: fixed, fixed_text: \"Short.\"}")) {
            JsonNode m = SimHarness.json(post(h, "/v1/messages", """
          {"model":"claude-sonnet-4-5","max_tokens":50,"messages":[{"role":"user","content":"Hi"}]}""").body());
            assertThat(m.get("stop_reason").stringValue()).isEqualTo("end_turn");
            assertThat(m.get("stop_sequence").isNull()).isTrue();
            assertThat(m.at("/content/0/text").stringValue()).isEqualTo("Short.");
        }
    }

    @Test
    void toolChoiceAny_callsATool_withInputValidAgainstItsSchema() {
        try (SimHarness h = SimHarness.start()) {
            HttpResponse<String> r = post(h, "/v1/messages", """
          {"model":"claude-haiku-4-5","max_tokens":200,"tools":[%s],"tool_choice":{"type":"any"},
           "messages":[{"role":"user","content":"Weather in Paris?"}]}""".formatted(WEATHER_TOOL));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            Golden.assertMatches(r.body(), "anthropic_message_tool_use.json");
            JsonNode input = SimHarness.json(r.body()).at("/content/0/input");
            assertThat(schema().validate(input)).isEmpty();
        }
    }

    @Test
    void toolUse_streamsInputJsonDeltasThatAssembleToValidInput() {
        try (SimHarness h = SimHarness.start()) {
            List<Event> events = stream(h, """
          {"model":"claude-haiku-4-5","max_tokens":200,"stream":true,"tools":[%s],
           "tool_choice":{"type":"tool","name":"get_weather"},
           "messages":[{"role":"user","content":"Weather in Paris?"}]}""".formatted(WEATHER_TOOL));
            Golden.assertMatches(events.get(1).data(), "anthropic_event_content_block_start_tool_use.json");
            StringBuilder json = new StringBuilder();
            for (Event e : events) {
                if (!e.name().equals("content_block_delta")) continue;
                Golden.assertMatches(e.data(), "anthropic_event_input_json_delta.json");
                json.append(e.json().at("/delta/partial_json").stringValue());
            }
            assertThat(schema().validate(SimHarness.json(json.toString()))).isEmpty();
            assertThat(events.get(events.size() - 2)
                            .json()
                            .at("/delta/stop_reason")
                            .stringValue())
                    .isEqualTo("tool_use");
        }
    }

    @Test
    void systemAndBlocks_countTowardsInputTokens_andCountTokensAgrees() {
        try (SimHarness h = SimHarness.start()) {
            String conversation = """
          "system":[{"type":"text","text":"You are terse."}],
          "messages":[{"role":"user","content":[{"type":"text","text":"What is the capital of France?"}]},
                      {"role":"assistant","content":"Paris."},
                      {"role":"user","content":"And of Spain?"}]""";
            JsonNode message = SimHarness.json(
                    post(h, "/v1/messages", "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":3," + conversation + "}")
                            .body());
            JsonNode count = SimHarness.json(
                    post(h, "/v1/messages/count_tokens", "{\"model\":\"claude-sonnet-4-5\"," + conversation + "}")
                            .body());
            int input = message.at("/usage/input_tokens").intValue();
            assertThat(count.get("input_tokens").intValue()).isEqualTo(input);
            int withoutSystem = SimHarness.json(
                            post(h, "/v1/messages/count_tokens", """
          {"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"What is the capital of France?"},
           {"role":"assistant","content":"Paris."},{"role":"user","content":"And of Spain?"}]}""").body())
                    .get("input_tokens")
                    .intValue();
            assertThat(withoutSystem).isLessThan(input);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
      missing max_tokens     | {"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"x"}]}                     | 400 | invalid_request_error | max_tokens: Field required
      max_tokens zero        | {"model":"claude-sonnet-4-5","max_tokens":0,"messages":[{"role":"user","content":"x"}]}       | 400 | invalid_request_error | max_tokens: Input should be greater than or equal to 1
      max_tokens too large   | {"model":"claude-sonnet-4-5","max_tokens":64001,"messages":[{"role":"user","content":"x"}]}   | 400 | invalid_request_error | max_tokens: 64001 > 64000, which is the maximum allowed number of output tokens for claude-sonnet-4-5
      missing messages       | {"model":"claude-sonnet-4-5","max_tokens":5}                                                    | 400 | invalid_request_error | messages: Field required
      empty messages         | {"model":"claude-sonnet-4-5","max_tokens":5,"messages":[]}                                      | 400 | invalid_request_error | messages: List should have at least 1 item after validation, not 0
      bad role               | {"model":"claude-sonnet-4-5","max_tokens":5,"messages":[{"role":"system","content":"x"}]}    | 400 | invalid_request_error | messages.0.role: Input should be 'user' or 'assistant'
      unknown block          | {"model":"claude-sonnet-4-5","max_tokens":5,"messages":[{"role":"user","content":[{"type":"video"}]}]} | 400 | invalid_request_error | messages.0.content.0.type: Input tag 'video' found using 'type' does not match any of the expected tags: 'text', 'image', 'document', 'tool_use', 'tool_result', 'thinking', 'redacted_thinking'
      temperature above 1    | {"model":"claude-sonnet-4-5","max_tokens":5,"temperature":1.5,"messages":[{"role":"user","content":"x"}]} | 400 | invalid_request_error | temperature: Input should be less than or equal to 1
      stop not strings       | {"model":"claude-sonnet-4-5","max_tokens":5,"stop_sequences":[1],"messages":[{"role":"user","content":"x"}]} | 400 | invalid_request_error | stop_sequences.0: Input should be a valid string
      tool without schema    | {"model":"claude-sonnet-4-5","max_tokens":5,"tools":[{"name":"f"}],"messages":[{"role":"user","content":"x"}]} | 400 | invalid_request_error | tools.0.input_schema: Field required
      tool_choice unknown    | {"model":"claude-sonnet-4-5","max_tokens":5,"tools":[{"name":"f","input_schema":{"type":"object"}}],"tool_choice":{"type":"tool","name":"g"},"messages":[{"role":"user","content":"x"}]} | 400 | invalid_request_error | tool_choice.name: Tool 'g' not found in tools
      not json               | {"model":                                                                                        | 400 | invalid_request_error | There was an issue with your request body: the body must be a JSON object.
      unknown model          | {"model":"claude-nonexistent","max_tokens":5,"messages":[{"role":"user","content":"x"}]}      | 404 | not_found_error | model: claude-nonexistent
      openai model           | {"model":"gpt-4o","max_tokens":5,"messages":[{"role":"user","content":"x"}]}                  | 404 | not_found_error | model: gpt-4o
      """)
    void badRequests_getAnthropicErrors(String name, String body, int status, String type, String message) {
        try (SimHarness h = SimHarness.start()) {
            HttpResponse<String> r = post(h, "/v1/messages", body);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
            JsonNode e = SimHarness.json(r.body());
            assertThat(e.get("type").stringValue()).isEqualTo("error");
            assertThat(e.at("/error/type").stringValue()).isEqualTo(type);
            assertThat(e.at("/error/message").stringValue()).isEqualTo(message);
            assertThat(e.get("request_id").stringValue())
                    .isEqualTo(r.headers().firstValue("request-id").orElseThrow());
            if (name.equals("unknown model")) Golden.assertMatches(r.body(), "anthropic_error_not_found.json");
        }
    }

    @Test
    void missingVersionHeader_isRejected() {
        try (SimHarness h = SimHarness.start()) {
            HttpResponse<String> r = h.post("/v1/messages", """
          {"model":"claude-sonnet-4-5","max_tokens":5,"messages":[{"role":"user","content":"x"}]}""");
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(SimHarness.json(r.body()).at("/error/message").stringValue())
                    .isEqualTo("anthropic-version: header is required");
        }
    }

    @Test
    void claudeModels_areUnknownToTheOpenAiEndpoints_andListedOnlyForAnthropicClients() {
        try (SimHarness h = SimHarness.start()) {
            HttpResponse<String> chat = h.post("/v1/chat/completions", """
          {"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"x"}]}""");
            assertThat(chat.statusCode()).isEqualTo(404);
            assertThat(SimHarness.json(chat.body()).at("/error/code").stringValue())
                    .isEqualTo("model_not_found");

            assertThat(h.get("/v1/models").body()).doesNotContain("claude").contains("gpt-4o");
            HttpResponse<String> list =
                    h.send(anthropic(h, "/v1/models?limit=1000").GET().build());
            Golden.assertMatches(list.body(), "anthropic_model_list.json");
            JsonNode data = SimHarness.json(list.body()).get("data");
            List<String> ids = new ArrayList<>();
            data.forEach(m -> ids.add(m.get("id").stringValue()));
            assertThat(ids)
                    .contains("claude-sonnet-4-5", "claude-opus-4-1", "claude-haiku-4-5")
                    .noneMatch(i -> i.startsWith("gpt"));
            assertThat(data.get(0).get("display_name").stringValue()).isEqualTo("Claude Sonnet 4.5");
            assertThat(data.get(0).get("created_at").stringValue()).endsWith("Z");

            JsonNode page = SimHarness.json(
                    h.send(anthropic(h, "/v1/models?limit=2").GET().build()).body());
            assertThat(page.get("data")).hasSize(2);
            assertThat(page.get("has_more").booleanValue()).isTrue();
            JsonNode next = SimHarness.json(h.send(anthropic(
                                    h,
                                    "/v1/models?limit=2&after_id="
                                            + page.get("last_id").stringValue())
                            .GET()
                            .build())
                    .body());
            assertThat(next.at("/data/0/id").stringValue()).isEqualTo(ids.get(2));

            assertThat(h.send(anthropic(h, "/v1/models/gpt-4o").GET().build()).statusCode())
                    .isEqualTo(404);
            assertThat(SimHarness.json(h.send(anthropic(h, "/v1/models/claude-opus-4-1")
                                            .GET()
                                            .build())
                                    .body())
                            .get("type")
                            .stringValue())
                    .isEqualTo("model");
        }
    }

    @Test
    void errorsOfTheHttpLayer_onTheMessagesApi_areInAnthropicsShape() {
        try (SimHarness h = SimHarness.start("server: {max_body_bytes: 65536}")) {
            String big =
                    "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\""
                            + "x".repeat(70_000) + "\"}]}";
            HttpResponse<String> tooLarge = post(h, "/v1/messages", big);
            assertThat(tooLarge.statusCode()).isEqualTo(413);
            JsonNode e = SimHarness.json(tooLarge.body());
            assertThat(e.get("type").stringValue()).isEqualTo("error");
            assertThat(e.at("/error/type").stringValue()).isEqualTo("request_too_large");
            assertThat(tooLarge.headers().firstValue("request-id")).isPresent();

            HttpResponse<String> wrongMethod =
                    h.send(anthropic(h, "/v1/messages").GET().build());
            assertThat(wrongMethod.statusCode()).isEqualTo(405);
            assertThat(SimHarness.json(wrongMethod.body()).at("/error/type").stringValue())
                    .isEqualTo("invalid_request_error");
            HttpResponse<String> unknown = h.send(anthropic(h, "/v1/complete")
                    .POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .build());
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(SimHarness.json(unknown.body()).at("/error/type").stringValue())
                    .isEqualTo("not_found_error");
        }
    }

    @Test
    void displayName_readsLikeAnthropics() {
        assertThat(InfoHandlers.displayName("claude-sonnet-4-5-20250929")).isEqualTo("Claude Sonnet 4.5");
        assertThat(InfoHandlers.displayName("claude-3-5-haiku-latest")).isEqualTo("Claude 3.5 Haiku Latest");
        assertThat(InfoHandlers.displayName("claude-opus-4-1")).isEqualTo("Claude Opus 4.1");
    }

    // ------------------------------------------------------------------ helpers

    private static JsonSchema schema() {
        return JsonSchema.compile(SimHarness.json(WEATHER_TOOL).get("input_schema"));
    }

    static HttpRequest.Builder anthropic(SimHarness h, String path) {
        return HttpRequest.newBuilder(URI.create(h.url(path)))
                .header("anthropic-version", "2023-06-01")
                .header("x-api-key", "test")
                .header("content-type", "application/json");
    }

    static HttpResponse<String> post(SimHarness h, String path, String body) {
        return h.send(anthropic(h, path)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    /** The events of an Anthropic stream, checking the framing: "event: NAME", "data: JSON" whose type is NAME. */
    static List<Event> stream(SimHarness h, String body) {
        HttpResponse<String> r = post(h, "/v1/messages", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
        assertThat(r.body()).endsWith("\n\n");
        List<Event> out = new ArrayList<>();
        for (String frame : r.body().split("\n\n")) {
            String[] lines = frame.split("\n");
            assertThat(lines).as(frame).hasSize(2);
            assertThat(lines[0]).startsWith("event: ");
            assertThat(lines[1]).startsWith("data: ");
            Event e = new Event(lines[0].substring(7), lines[1].substring(6));
            assertThat(e.json().get("type").stringValue()).isEqualTo(e.name());
            out.add(e);
        }
        return out;
    }
}
