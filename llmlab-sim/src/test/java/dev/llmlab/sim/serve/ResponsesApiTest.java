package dev.llmlab.sim.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.jsonschema.JsonSchema;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/** POST /v1/responses: the response object, the streaming event sequence, function calls, errors. */
class ResponsesApiTest {
    record Event(String name, JsonNode json, String data) {}

    @Test
    void response_hasTheApiShape() {
        try (SimHarness h = SimHarness.start("generation: {mode: fixed, fixed_text: \"A short answer.\"}")) {
            HttpResponse<String> r =
                    h.post("/v1/responses", "{\"model\":\"gpt-4o\",\"instructions\":\"Be brief.\",\"input\":\"Hi\"}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            Golden.assertMatches(r.body(), "responses_response.json");
            JsonNode j = SimHarness.json(r.body());
            assertThat(j.at("/output/0/content/0/text").stringValue()).isEqualTo("A short answer.");
            assertThat(j.at("/usage/total_tokens").intValue())
                    .isEqualTo(j.at("/usage/input_tokens").intValue()
                            + j.at("/usage/output_tokens").intValue());
        }
    }

    /** Replies long enough that a cap of 16 always ends them. */
    private static final String LONG_REPLIES = "models: [{id: gpt-4o, output_tokens: \"500\"}]";

    @Test
    void outputCap_makesTheResponseIncomplete() {
        try (SimHarness h = SimHarness.start(LONG_REPLIES)) {
            JsonNode j = SimHarness.json(h.post(
                            "/v1/responses",
                            "{\"model\":\"gpt-4o\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"Hi\"}]}],"
                                    + "\"max_output_tokens\":16}")
                    .body());
            assertThat(j.get("status").stringValue()).isEqualTo("incomplete");
            assertThat(j.at("/incomplete_details/reason").stringValue()).isEqualTo("max_output_tokens");
            assertThat(j.at("/usage/output_tokens").intValue()).isEqualTo(16);
            assertThat(j.get("max_output_tokens").intValue()).isEqualTo(16);
        }
    }

    @Test
    void stream_sendsTheEventSequence_withSequenceNumbers() {
        try (SimHarness h = SimHarness.start(LONG_REPLIES)) {
            List<Event> events =
                    stream(h, "{\"model\":\"gpt-4o\",\"input\":\"Hi\",\"max_output_tokens\":16,\"stream\":true}");
            List<String> names = events.stream().map(Event::name).toList();
            assertThat(names.subList(0, 4))
                    .containsExactly(
                            "response.created",
                            "response.in_progress",
                            "response.output_item.added",
                            "response.content_part.added");
            assertThat(names.subList(names.size() - 4, names.size()))
                    .containsExactly(
                            "response.output_text.done",
                            "response.content_part.done",
                            "response.output_item.done",
                            "response.incomplete");
            assertThat(names.stream().filter("response.output_text.delta"::equals))
                    .hasSize(16);
            for (int i = 0; i < events.size(); i++)
                assertThat(events.get(i).json().get("sequence_number").intValue())
                        .isEqualTo(i);
            Golden.assertMatches(events.get(2).data(), "responses_event_output_item_added.json");
            Golden.assertMatches(events.get(3).data(), "responses_event_content_part_added.json");
            Golden.assertMatches(events.get(4).data(), "responses_event_output_text_delta.json");
            Golden.assertMatches(events.get(names.size() - 4).data(), "responses_event_output_text_done.json");
            StringBuilder deltas = new StringBuilder();
            events.stream()
                    .filter(e -> e.name().equals("response.output_text.delta"))
                    .forEach(e -> deltas.append(e.json().get("delta").stringValue()));
            assertThat(events.get(names.size() - 4).json().get("text").stringValue())
                    .isEqualTo(deltas.toString());
            JsonNode last = events.getLast().json().get("response");
            assertThat(last.at("/output/0/content/0/text").stringValue()).isEqualTo(deltas.toString());
            assertThat(last.at("/usage/output_tokens").intValue()).isEqualTo(16);
            assertThat(events.getFirst().json().at("/response/status").stringValue())
                    .isEqualTo("in_progress");
        }
    }

    @Test
    void functionCall_whole_andStreamed() {
        String tool = "{\"type\":\"function\",\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\","
                + "\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"],\"additionalProperties\":false}}";
        JsonSchema schema = JsonSchema.compile(SimHarness.json(tool).get("parameters"));
        try (SimHarness h = SimHarness.start()) {
            String body = "{\"model\":\"gpt-4o\",\"input\":\"Weather?\",\"tools\":[" + tool
                    + "],\"tool_choice\":\"required\"";
            JsonNode whole = SimHarness.json(h.post("/v1/responses", body + "}").body());
            JsonNode call = whole.at("/output/0");
            assertThat(call.get("type").stringValue()).isEqualTo("function_call");
            assertThat(call.get("id").stringValue()).startsWith("fc_");
            assertThat(call.get("call_id").stringValue()).startsWith("call_");
            assertThat(call.get("name").stringValue()).isEqualTo("get_weather");
            assertThat(schema.validate(SimHarness.json(call.get("arguments").stringValue())))
                    .isEmpty();
            assertThat(whole.at("/tools/0/name").stringValue()).isEqualTo("get_weather");

            List<Event> events = stream(h, body + ",\"stream\":true}");
            StringBuilder args = new StringBuilder();
            for (Event e : events) {
                if (!e.name().equals("response.function_call_arguments.delta")) continue;
                Golden.assertMatches(e.data(), "responses_event_function_call_arguments_delta.json");
                args.append(e.json().get("delta").stringValue());
            }
            assertThat(schema.validate(SimHarness.json(args.toString()))).isEmpty();
            assertThat(events.stream().map(Event::name))
                    .contains("response.function_call_arguments.done", "response.completed");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      no input           | {"model":"gpt-4o"}                                                   | input
      cap below 16       | {"model":"gpt-4o","input":"x","max_output_tokens":8}                 | max_output_tokens
      bad role           | {"model":"gpt-4o","input":[{"role":"robot","content":"x"}]}         | input[0].role
      bad part           | {"model":"gpt-4o","input":[{"role":"user","content":[{"type":"video"}]}]} | input[0].content[0].type
      previous response  | {"model":"gpt-4o","input":"x","previous_response_id":"resp_123"}    | previous_response_id
      unknown tool named | {"model":"gpt-4o","input":"x","tools":[],"tool_choice":{"type":"function","name":"f"}} | tool_choice
      bad text format    | {"model":"gpt-4o","input":"x","text":{"format":{"type":"xml"}}}     | text.format.type
      """)
    void badRequests_nameTheParameter(String name, String body, String param) {
        try (SimHarness h = SimHarness.start()) {
            HttpResponse<String> r = h.post("/v1/responses", body);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
            assertThat(SimHarness.json(r.body()).at("/error/param").stringValue())
                    .isEqualTo(param);
        }
    }

    @Test
    void claudeModels_areUnknownHere() {
        try (SimHarness h = SimHarness.start()) {
            HttpResponse<String> r = h.post("/v1/responses", "{\"model\":\"claude-sonnet-4-5\",\"input\":\"x\"}");
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(SimHarness.json(r.body()).at("/error/code").stringValue())
                    .isEqualTo("model_not_found");
        }
    }

    static List<Event> stream(SimHarness h, String body) {
        HttpResponse<String> r = h.post("/v1/responses", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).endsWith("\n\n");
        List<Event> out = new ArrayList<>();
        for (String frame : r.body().split("\n\n")) {
            String[] lines = frame.split("\n");
            assertThat(lines).as(frame).hasSize(2);
            assertThat(lines[0]).startsWith("event: ");
            assertThat(lines[1]).startsWith("data: ");
            String name = lines[0].substring(7);
            JsonNode json = SimHarness.json(lines[1].substring(6));
            assertThat(json.get("type").stringValue()).isEqualTo(name);
            out.add(new Event(name, json, lines[1].substring(6)));
        }
        return out;
    }
}
