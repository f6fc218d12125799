package dev.llmlab.sim.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.core.token.Tokenizers;
import dev.llmlab.jsonschema.JsonSchema;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ChatCompletionsTest {
    static SimHarness h;

    @BeforeAll
    static void start() {
        h = SimHarness.start();
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    private static final String HELLO = """
      {"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello!"}],"max_tokens":5,"seed":7%s}""";

    @Test
    void nonStream_matchesTheApiReferenceShape() {
        var r = h.post("/v1/chat/completions", HELLO.formatted(""));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        Golden.assertMatches(r.body(), "chat_completion.json");
    }

    @Test
    void nonStream_usageCountsTheRealTokensOfTheContent() {
        var r = SimHarness.json(h.post("/v1/chat/completions", """
        {"model":"gpt-4o","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Tell me a story."}],"seed":3}""").body());
        String content = r.at("/choices/0/message/content").stringValue();
        assertThat(r.at("/usage/completion_tokens").intValue())
                .isEqualTo(Tokenizers.forEncoding("o200k_base").count(content));
        // OpenAI's chat recipe: 3 per message + role + content, + 3 for the reply.
        assertThat(r.at("/usage/prompt_tokens").intValue())
                .isEqualTo(
                        3 + 3 + count("system") + count("Be brief.") + 3 + count("user") + count("Tell me a story."));
        assertThat(r.at("/choices/0/finish_reason").stringValue()).isEqualTo("stop");
    }

    private static int count(String s) {
        return Tokenizers.forEncoding("o200k_base").count(s);
    }

    @Test
    void stream_framesChunksLikeOpenAi_andEndsWithDone() {
        List<String> data = h.stream("/v1/chat/completions", HELLO.formatted(",\"stream\":true"));
        assertThat(data.getLast()).isEqualTo("[DONE]");
        Golden.assertMatches(data.get(0), "chat_chunk_role.json");
        for (String chunk : data.subList(1, 6)) Golden.assertMatches(chunk, "chat_chunk_content.json");
        Golden.assertMatches(data.get(6), "chat_chunk_finish.json");
        assertThat(data).hasSize(8);
    }

    @Test
    void stream_includeUsage_addsFinalUsageChunkWithRealCounts() {
        List<String> data = h.stream(
                "/v1/chat/completions",
                HELLO.formatted(",\"stream\":true,\"stream_options\":{\"include_usage\":true}"));
        Golden.assertMatches(data.get(1), "chat_chunk_content_with_usage.json");
        Golden.assertMatches(data.get(data.size() - 2), "chat_chunk_usage.json");
        assertThat(data.getLast()).isEqualTo("[DONE]");
    }

    @Test
    void streamAndNonStream_sameSeed_sameText() {
        String body = """
        {"model":"gpt-4o","messages":[{"role":"user","content":"Explain queues."}],"seed":42,"max_tokens":300%s}""";
        String whole = SimHarness.json(
                        h.post("/v1/chat/completions", body.formatted("")).body())
                .at("/choices/0/message/content")
                .stringValue();
        StringBuilder streamed = new StringBuilder();
        int chunks = 0;
        for (String d : h.stream("/v1/chat/completions", body.formatted(",\"stream\":true"))) {
            if (d.equals("[DONE]")) continue;
            JsonNode c = SimHarness.json(d).at("/choices/0/delta/content");
            if (c.isString() && !c.stringValue().isEmpty()) {
                streamed.append(c.stringValue());
                chunks++;
            }
        }
        assertThat(streamed.toString()).isEqualTo(whole);
        assertThat(chunks).as("one token per chunk").isEqualTo(count(whole));
    }

    @Test
    void seed_sameRequestSameContent_otherSeedOrPromptDiffers_noSeedVaries() {
        String body =
                "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"%s\"}],\"max_tokens\":40%s}";
        String a = content(body.formatted("hi", ",\"seed\":1"));
        assertThat(content(body.formatted("hi", ",\"seed\":1"))).isEqualTo(a);
        assertThat(content(body.formatted("hi", ",\"seed\":2"))).isNotEqualTo(a);
        assertThat(content(body.formatted("hello", ",\"seed\":1"))).isNotEqualTo(a);
        assertThat(content(body.formatted("hi", ""))).isNotEqualTo(content(body.formatted("hi", "")));
    }

    private static String content(String body) {
        var r = h.post("/v1/chat/completions", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return SimHarness.json(r.body()).at("/choices/0/message/content").stringValue();
    }

    @Test
    void ignoreEos_runsToMaxTokens_andMinTokensIsAFloor_asVllmDoes() {
        for (int seed = 1; seed <= 5; seed++) {
            var eos = SimHarness.json(
                    h.post("/v1/chat/completions", """
            {"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"max_tokens":300,"ignore_eos":true,"seed":%d}""".formatted(seed)).body());
            assertThat(eos.at("/usage/completion_tokens").intValue()).isEqualTo(300);
            assertThat(eos.at("/choices/0/finish_reason").stringValue()).isEqualTo("length");
            var floor = SimHarness.json(
                    h.post("/v1/chat/completions", """
            {"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"max_tokens":300,"min_tokens":250,"seed":%d}""".formatted(seed)).body());
            assertThat(floor.at("/usage/completion_tokens").intValue()).isBetween(250, 300);
        }
        var streamed = h.post("/v1/completions", """
        {"model":"gpt-3.5-turbo-instruct","prompt":"hi","max_tokens":40,"ignore_eos":true,"stream":true,
         "stream_options":{"include_usage":true}}""").body();
        assertThat(streamed).contains("\"completion_tokens\":40");
        var bad = h.post("/v1/chat/completions", """
        {"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"max_tokens":10,"min_tokens":20}""");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(SimHarness.json(bad.body()).at("/error/param").stringValue()).isEqualTo("min_tokens");
    }

    @Test
    void maxCompletionTokens_capsOutput_withFinishLength() {
        var r = SimHarness.json(h.post("/v1/chat/completions", """
        {"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"max_completion_tokens":3,"seed":5}""").body());
        assertThat(r.at("/usage/completion_tokens").intValue()).isEqualTo(3);
        assertThat(r.at("/choices/0/finish_reason").stringValue()).isEqualTo("length");
    }

    @Test
    void n_returnsIndependentChoices() {
        var r = SimHarness.json(h.post("/v1/chat/completions", """
        {"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"n":3,"max_tokens":20,"seed":5}""").body());
        assertThat(r.get("choices")).hasSize(3);
        assertThat(r.at("/choices/2/index").intValue()).isEqualTo(2);
        assertThat(r.at("/choices/0/message/content").stringValue())
                .isNotEqualTo(r.at("/choices/1/message/content").stringValue());
        assertThat(r.at("/usage/completion_tokens").intValue()).isEqualTo(60);
    }

    @Test
    void stop_cutsBeforeTheStopSequence() {
        var r = SimHarness.json(h.post("/v1/chat/completions", """
        {"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"stop":["."],"seed":9,"max_tokens":500}""").body());
        String content = r.at("/choices/0/message/content").stringValue();
        assertThat(content).doesNotContain(".").isNotEmpty();
        assertThat(r.at("/choices/0/finish_reason").stringValue()).isEqualTo("stop");
    }

    @Test
    void contentParts_areReadAsText() {
        var r = h.post("/v1/chat/completions", """
        {"model":"gpt-4o","messages":[{"role":"user","content":[{"type":"text","text":"What is in this image?"},
         {"type":"image_url","image_url":{"url":"https://example.com/cat.png"}}]}],"max_tokens":5}""");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private static final String WEATHER_TOOL = """
      {"type":"function","function":{"name":"get_current_weather","description":"Get the current weather",
       "parameters":{"type":"object","properties":{"location":{"type":"string"},
       "unit":{"type":"string","enum":["celsius","fahrenheit"]}},"required":["location","unit"],
       "additionalProperties":false}}}""";

    @Test
    void toolChoiceRequired_yieldsToolCallWhoseArgumentsValidate() {
        for (int seed = 0; seed < 20; seed++) {
            var body = h.post("/v1/chat/completions", """
          {"model":"gpt-4o","messages":[{"role":"user","content":"Weather in Boston?"}],
           "tools":[%s],"tool_choice":"required","seed":%d}""".formatted(WEATHER_TOOL, seed))
                    .body();
            Golden.assertMatches(body, "chat_completion_tool_call.json");
            JsonNode args = SimHarness.json(SimHarness.json(body)
                    .at("/choices/0/message/tool_calls/0/function/arguments")
                    .stringValue());
            JsonSchema schema = JsonSchema.compile(SimHarness.json(WEATHER_TOOL).at("/function/parameters"));
            assertThat(schema.validate(args)).as(args.toString()).isEmpty();
        }
    }

    @Test
    void toolChoiceNamed_streamsToolCallDeltasThatConcatenateToValidJson() {
        List<String> data = h.stream("/v1/chat/completions", """
        {"model":"gpt-4o","messages":[{"role":"user","content":"Weather?"}],"stream":true,
         "tools":[%s],"tool_choice":{"type":"function","function":{"name":"get_current_weather"}}}""".formatted(WEATHER_TOOL));
        Golden.assertMatches(data.get(0), "chat_chunk_tool_start.json");
        StringBuilder args = new StringBuilder();
        for (String d : data.subList(1, data.size() - 2)) {
            Golden.assertMatches(d, "chat_chunk_tool_args.json");
            args.append(SimHarness.json(d)
                    .at("/choices/0/delta/tool_calls/0/function/arguments")
                    .stringValue());
        }
        assertThat(SimHarness.json(data.get(data.size() - 2))
                        .at("/choices/0/finish_reason")
                        .stringValue())
                .isEqualTo("tool_calls");
        assertThat(SimHarness.json(args.toString()).at("/unit").stringValue()).isIn("celsius", "fahrenheit");
    }

    @Test
    void responseFormatJsonSchema_contentValidates() {
        String schema = """
        {"type":"object","properties":{"steps":{"type":"array","items":{"type":"object","properties":{
         "explanation":{"type":"string"},"output":{"type":"string"}},"required":["explanation","output"],
         "additionalProperties":false}},"final_answer":{"type":"string"}},"required":["steps","final_answer"],
         "additionalProperties":false}""";
        for (int seed = 0; seed < 10; seed++) {
            var r = SimHarness.json(
                    h.post("/v1/chat/completions", """
          {"model":"gpt-4o","messages":[{"role":"user","content":"solve 8x + 7 = -23"}],"seed":%d,
           "response_format":{"type":"json_schema","json_schema":{"name":"math_reasoning","strict":true,"schema":%s}}}""".formatted(seed, schema)).body());
            JsonNode content =
                    SimHarness.json(r.at("/choices/0/message/content").stringValue());
            assertThat(JsonSchema.compile(SimHarness.json(schema)).validate(content))
                    .isEmpty();
        }
    }

    @Test
    void responseFormatJsonObject_contentIsAJsonObject() {
        var r = SimHarness.json(h.post("/v1/chat/completions", """
        {"model":"gpt-4o","messages":[{"role":"user","content":"JSON please"}],"response_format":{"type":"json_object"}}""").body());
        assertThat(SimHarness.json(r.at("/choices/0/message/content").stringValue())
                        .isObject())
                .isTrue();
    }

    @Test
    void logprobs_areWellFormedAndMatchTheContent() {
        var r = SimHarness.json(h.post("/v1/chat/completions", """
        {"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"logprobs":true,"top_logprobs":2,"max_tokens":6}""").body());
        JsonNode lp = r.at("/choices/0/logprobs/content");
        assertThat(lp).hasSize(6);
        StringBuilder joined = new StringBuilder();
        for (JsonNode t : lp) {
            joined.append(t.get("token").stringValue());
            assertThat(t.get("logprob").doubleValue()).isLessThanOrEqualTo(0);
            assertThat(t.get("bytes")).isNotEmpty();
            assertThat(t.get("top_logprobs")).hasSize(2);
        }
        assertThat(joined.toString())
                .isEqualTo(r.at("/choices/0/message/content").stringValue());
    }
}
