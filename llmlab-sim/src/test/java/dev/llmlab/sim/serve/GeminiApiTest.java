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

/** The Gemini API under /v1beta: generateContent, streamGenerateContent?alt=sse, countTokens, models, errors. */
class GeminiApiTest {
    private static final String LONG = "models: [{id: gemini-2.5-flash, output_tokens: \"500\"}]";
    private static final String BODY = "{\"systemInstruction\":{\"parts\":[{\"text\":\"Be brief.\"}]},"
            + "\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Hello there\"}]}],\"generationConfig\":{\"maxOutputTokens\":5}}";

    @Test
    void generateContent_hasTheApiShape() {
        try (SimHarness h = SimHarness.start(LONG)) {
            HttpResponse<String> r = h.post("/v1beta/models/gemini-2.5-flash:generateContent", BODY);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            Golden.assertMatches(r.body(), "gemini_response.json");
        }
    }

    @Test
    void stream_sendsChunks_thenTheFinishReasonWithTheUsage() {
        try (SimHarness h = SimHarness.start(LONG)) {
            HttpResponse<String> r = h.post("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", BODY);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
            List<JsonNode> chunks = new ArrayList<>();
            assertThat(r.body()).endsWith("\r\n\r\n");
            for (String frame : r.body().split("\r\n\r\n")) {
                assertThat(frame).startsWith("data: ");
                chunks.add(SimHarness.json(frame.substring(6)));
            }
            assertThat(chunks).hasSize(6);
            for (JsonNode c : chunks.subList(0, 5)) Golden.assertMatches(c.toString(), "gemini_chunk.json");
            JsonNode last = chunks.getLast();
            assertThat(last.at("/candidates/0/finishReason").stringValue()).isEqualTo("MAX_TOKENS");
            assertThat(last.at("/usageMetadata/candidatesTokenCount").intValue())
                    .isEqualTo(5);

            JsonNode whole = SimHarness.json(h.post("/v1beta/models/gemini-2.5-flash:generateContent", BODY)
                    .body());
            JsonNode count = SimHarness.json(
                    h.post("/v1beta/models/gemini-2.5-flash:countTokens", BODY).body());
            assertThat(count.get("totalTokens").intValue())
                    .isEqualTo(whole.at("/usageMetadata/promptTokenCount").intValue());
        }
    }

    @Test
    void functionCalling_any_givesAFunctionCallWithValidArgs() {
        String tools =
                "\"tools\":[{\"functionDeclarations\":[{\"name\":\"get_weather\",\"parameters\":{\"type\":\"OBJECT\","
                        + "\"properties\":{\"city\":{\"type\":\"STRING\"}},\"required\":[\"city\"]}}]}],"
                        + "\"toolConfig\":{\"functionCallingConfig\":{\"mode\":\"ANY\"}}";
        JsonSchema schema = JsonSchema.compile(SimHarness.json(
                "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}," + "\"required\":[\"city\"]}"));
        try (SimHarness h = SimHarness.start()) {
            JsonNode r = SimHarness.json(h.post(
                            "/v1beta/models/gemini-2.5-flash:generateContent",
                            "{\"contents\":[{\"parts\":[{\"text\":\"Weather?\"}]}]," + tools + "}")
                    .body());
            JsonNode call = r.at("/candidates/0/content/parts/0/functionCall");
            assertThat(call.get("name").stringValue()).isEqualTo("get_weather");
            assertThat(schema.validate(call.get("args"))).isEmpty();
            assertThat(r.at("/candidates/0/finishReason").stringValue()).isEqualTo("STOP");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      no contents       | {}                                                                                      | 400 | INVALID_ARGUMENT
      empty parts       | {"contents":[{"role":"user","parts":[]}]}                                              | 400 | INVALID_ARGUMENT
      bad role          | {"contents":[{"role":"robot","parts":[{"text":"x"}]}]}                                 | 400 | INVALID_ARGUMENT
      bad temperature   | {"contents":[{"parts":[{"text":"x"}]}],"generationConfig":{"temperature":5}}           | 400 | INVALID_ARGUMENT
      bad mime type     | {"contents":[{"parts":[{"text":"x"}]}],"generationConfig":{"responseMimeType":"text/xml"}} | 400 | INVALID_ARGUMENT
      not json          | {"contents":                                                                          | 400 | INVALID_ARGUMENT
      """)
    void badRequests_getGoogleErrors(String name, String body, int status, String type) {
        try (SimHarness h = SimHarness.start()) {
            HttpResponse<String> r = h.post("/v1beta/models/gemini-2.5-flash:generateContent", body);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
            JsonNode e = SimHarness.json(r.body()).get("error");
            assertThat(e.get("code").intValue()).isEqualTo(status);
            assertThat(e.get("status").stringValue()).isEqualTo(type);
            assertThat(e.get("message").stringValue()).isNotBlank();
        }
    }

    @Test
    void otherFamiliesModels_areNotFound_andModelsAreListed() {
        try (SimHarness h = SimHarness.start()) {
            HttpResponse<String> r =
                    h.post("/v1beta/models/gpt-4o:generateContent", "{\"contents\":[{\"parts\":[{\"text\":\"x\"}]}]}");
            assertThat(r.statusCode()).isEqualTo(404);
            Golden.assertMatches(r.body(), "gemini_error_not_found.json");
            assertThat(h.post(
                                    "/v1/chat/completions",
                                    "{\"model\":\"gemini-2.5-pro\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                            .statusCode())
                    .isEqualTo(404);
            JsonNode list = SimHarness.json(h.get("/v1beta/models").body());
            List<String> names = new ArrayList<>();
            list.get("models").forEach(m -> names.add(m.get("name").stringValue()));
            assertThat(names)
                    .contains("models/gemini-2.5-pro", "models/gemini-2.5-flash")
                    .noneMatch(n -> n.contains("gpt"));
            assertThat(SimHarness.json(h.get("/v1beta/models/gemini-2.5-pro").body())
                            .get("outputTokenLimit")
                            .intValue())
                    .isEqualTo(65536);
            assertThat(h.post("/v1beta/models/gemini-2.5-flash:streamGenerateContent", BODY)
                            .statusCode())
                    .as("alt=sse only")
                    .isEqualTo(400);
            HttpResponse<String> unknownRoute = h.get("/v1beta/nothing");
            assertThat(SimHarness.json(unknownRoute.body()).at("/error/status").stringValue())
                    .isEqualTo("NOT_FOUND");
        }
    }

    @Test
    void apiKeys_byHeaderOrQuery_andGoogleErrors() {
        try (SimHarness h = SimHarness.start("auth: {keys: [g-key-0123456789]}")) {
            String path = "/v1beta/models/gemini-2.5-flash:generateContent";
            HttpResponse<String> none = h.post(path, BODY);
            assertThat(none.statusCode()).isEqualTo(403);
            assertThat(SimHarness.json(none.body()).at("/error/status").stringValue())
                    .isEqualTo("PERMISSION_DENIED");
            HttpResponse<String> wrong = h.post(path + "?key=nope", BODY);
            assertThat(wrong.statusCode()).isEqualTo(400);
            assertThat(SimHarness.json(wrong.body()).at("/error/message").stringValue())
                    .isEqualTo("API key not valid. Please pass a valid API key.");
            assertThat(h.post(path + "?key=g-key-0123456789", BODY).statusCode())
                    .isEqualTo(200);
            assertThat(h.send(HttpRequest.newBuilder(URI.create(h.url(path)))
                                    .header("x-goog-api-key", "g-key-0123456789")
                                    .POST(HttpRequest.BodyPublishers.ofString(BODY))
                                    .build())
                            .statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void faults_reachGeminiClientsInGooglesShape() {
        try (SimHarness h = SimHarness.start()) {
            HttpResponse<String> r =
                    h.send(HttpRequest.newBuilder(URI.create(h.url("/v1beta/models/gemini-2.5-flash:generateContent")))
                            .header("x-llmlab-fault", "status=429")
                            .POST(HttpRequest.BodyPublishers.ofString(BODY))
                            .build());
            assertThat(r.statusCode()).isEqualTo(429);
            assertThat(SimHarness.json(r.body()).at("/error/status").stringValue())
                    .isEqualTo("RESOURCE_EXHAUSTED");
            assertThat(r.headers().firstValue("retry-after")).hasValue("1");
        }
    }
}
