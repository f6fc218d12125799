package dev.llmlab.sim.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** Every bad request gets OpenAI's error shape, the right status, and names what is wrong. */
class ErrorsTest {
    static SimHarness h;

    @BeforeAll
    static void start() {
        h = SimHarness.start(
                "server: {max_body_bytes: 65536}\nmodels: [{id: tiny, context_window: 50, max_output_tokens: 20}]");
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    static Stream<Arguments> badChatRequests() {
        String m = "\"model\":\"gpt-4o\"";
        String msgs = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
        return Stream.of(
                Arguments.of("{" + m + "}", "messages", "missing_required_parameter"),
                Arguments.of("{" + msgs + "}", "model", "missing_required_parameter"),
                Arguments.of("{" + m + ",\"messages\":[]}", "messages", "empty_array"),
                Arguments.of("{" + m + ",\"messages\":\"hi\"}", "messages", "invalid_type"),
                Arguments.of(
                        "{" + m + ",\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}]}",
                        "messages[0].role",
                        "invalid_value"),
                Arguments.of(
                        "{" + m + ",\"messages\":[{\"role\":\"user\"}]}",
                        "messages[0].content",
                        "missing_required_parameter"),
                Arguments.of(
                        "{" + m + ",\"messages\":[{\"role\":\"tool\",\"content\":\"x\"}]}",
                        "messages[0].tool_call_id",
                        "missing_required_parameter"),
                Arguments.of("{" + m + "," + msgs + ",\"temperature\":3}", "temperature", "decimal_above_max_value"),
                Arguments.of("{" + m + "," + msgs + ",\"temperature\":\"hot\"}", "temperature", "invalid_type"),
                Arguments.of("{" + m + "," + msgs + ",\"top_p\":-0.1}", "top_p", "decimal_below_min_value"),
                Arguments.of("{" + m + "," + msgs + ",\"n\":0}", "n", "integer_below_min_value"),
                Arguments.of("{" + m + "," + msgs + ",\"max_tokens\":0}", "max_tokens", "integer_below_min_value"),
                Arguments.of("{" + m + "," + msgs + ",\"max_tokens\":100000}", "max_tokens", "invalid_value"),
                Arguments.of(
                        "{" + m + "," + msgs + ",\"stop\":[\"a\",\"b\",\"c\",\"d\",\"e\"]}",
                        "stop",
                        "array_above_max_length"),
                Arguments.of("{" + m + "," + msgs + ",\"stream\":\"yes\"}", "stream", "invalid_type"),
                Arguments.of(
                        "{" + m + "," + msgs + ",\"stream_options\":{\"include_usage\":true}}",
                        "stream_options",
                        "invalid_value"),
                Arguments.of("{" + m + "," + msgs + ",\"top_logprobs\":3}", "top_logprobs", "invalid_value"),
                Arguments.of("{" + m + "," + msgs + ",\"tool_choice\":\"required\"}", "tool_choice", "invalid_value"),
                Arguments.of(
                        "{" + m + "," + msgs
                                + ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"bad name\"}}]}",
                        "tools[0].function.name",
                        "invalid_value"),
                Arguments.of(
                        "{" + m + "," + msgs + ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\","
                                + "\"parameters\":{\"type\":\"banana\"}}}]}",
                        "tools[0].function.parameters",
                        "invalid_function_parameters"),
                Arguments.of(
                        "{" + m + "," + msgs + ",\"response_format\":{\"type\":\"xml\"}}",
                        "response_format.type",
                        "invalid_value"),
                Arguments.of("{" + m + "," + msgs + ",\"seed\":1.5}", "seed", "invalid_type"),
                Arguments.of(
                        "{\"model\":\"tiny\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "word ".repeat(60)
                                + "\"}]}",
                        "messages",
                        "context_length_exceeded"));
    }

    @ParameterizedTest
    @MethodSource("badChatRequests")
    void chat_badRequest_is400NamingTheParameter(String body, String param, String code) {
        var r = h.post("/v1/chat/completions", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode e = SimHarness.json(r.body()).get("error");
        assertThat(e.propertyNames()).containsExactly("message", "type", "param", "code");
        assertThat(e.get("type").stringValue()).isEqualTo("invalid_request_error");
        assertThat(e.get("param").stringValue()).isEqualTo(param);
        assertThat(e.get("code").stringValue()).isEqualTo(code);
        assertThat(e.get("message").stringValue()).isNotBlank();
    }

    @Test
    void malformedJson_is400WithOpenAisMessage() {
        for (String body : new String[] {"{\"model\":", "", "[1,2]", "not json"}) {
            var r = h.post("/v1/chat/completions", body);
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(SimHarness.json(r.body()).at("/error/message").stringValue())
                    .startsWith("We could not parse the JSON body of your request.");
        }
    }

    @Test
    void unknownModel_is404ModelNotFound() {
        var r = h.post(
                "/v1/chat/completions",
                "{\"model\":\"gpt-nonexistent\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(r.statusCode()).isEqualTo(404);
        Golden.assertMatches(r.body(), "error_model_not_found.json");
    }

    @Test
    void embeddingModelOnChat_is404() {
        var r = h.post(
                "/v1/chat/completions",
                "{\"model\":\"text-embedding-3-small\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(r.statusCode()).isEqualTo(404);
    }

    @Test
    void unknownFields_areTolerated() {
        var r = h.post(
                "/v1/chat/completions",
                "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\","
                        + "\"future_field\":1}],\"brand_new_param\":{\"x\":[1]},\"max_tokens\":2}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    @Test
    void wrongMethod_is405_unknownPath_is404_inOpenAiShape() {
        var r = h.get("/v1/chat/completions");
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("allow")).hasValue("POST");
        assertThat(SimHarness.json(r.body()).at("/error/type").stringValue()).isEqualTo("invalid_request_error");
        var nf = h.post("/v1/chat/complete", "{}");
        assertThat(nf.statusCode()).isEqualTo(404);
        assertThat(SimHarness.json(nf.body()).at("/error/message").stringValue())
                .isNotBlank();
    }

    @Test
    void oversizedBody_is413WithJsonError() {
        String big =
                "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(70_000) + "\"}]}";
        var r = h.post("/v1/chat/completions", big);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(SimHarness.json(r.body()).at("/error/message").stringValue()).isNotBlank();
    }

    @Test
    void hugeHeader_is431() {
        var r = h.send(HttpRequest.newBuilder(URI.create(h.url("/health")))
                .header("x-big", "y".repeat(20_000))
                .GET()
                .build());
        assertThat(r.statusCode()).isEqualTo(431);
    }
}
