package dev.llmlab.api.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmlab.api.EmbeddingRequest;
import dev.llmlab.api.GenerationRequest;
import dev.llmlab.api.GenerationRequest.Endpoint;
import dev.llmlab.api.Message;
import dev.llmlab.api.Prompt;
import dev.llmlab.api.ResponseFormat;
import dev.llmlab.api.Tool;
import dev.llmlab.api.ToolCall;
import dev.llmlab.api.ToolChoice;
import dev.llmlab.api.anthropic.AnthropicRequests;
import dev.llmlab.api.client.internal.ClientJson;
import dev.llmlab.api.gemini.GeminiRequests;
import dev.llmlab.api.openai.ChatBody;
import dev.llmlab.api.openai.OpenAiRequests;
import dev.llmlab.api.openai.ResponsesRequests;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Each API's request, written by its client encoder and read by the simulator's parser, gives back
 * an equal internal request: everything the API can carry survives, tool calls and tool results
 * included. ({@code Message.toolCallsText}, the text a parser keeps for counting prompt tokens, is
 * each API's own rendering and is left out of the comparison.)
 */
class ClientRequestRoundTripTest {
    private static final JsonNode SCHEMA = json(
            "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},\"unit\":{\"enum\":[\"C\",\"F\"]}},"
                    + "\"required\":[\"city\"]}");
    private static final Tool WEATHER = new Tool("get_weather", "The weather in a city", SCHEMA, false);
    private static final Tool TIME = new Tool("get_time", null, json("{\"type\":\"object\",\"properties\":{}}"), false);

    private static JsonNode json(String s) {
        return ClientJson.MAPPER.readTree(s);
    }

    /** A conversation with text, two parallel calls, their results and a follow-up. */
    private static List<Message> conversation(String firstCall, String secondCall, String resultName) {
        return List.of(
                Message.of("system", "Be brief. Ünïcode \"quoted\"\n"),
                Message.of("user", "Weather in Paris and Rome? 🌍"),
                new Message(
                        "assistant",
                        "Let me check.",
                        null,
                        null,
                        null,
                        List.of(
                                new ToolCall(firstCall, "get_weather", "{\"city\":\"Paris\"}"),
                                new ToolCall(secondCall, "get_weather", "{\"city\":\"Rome\",\"unit\":\"C\"}"))),
                Message.toolResult(firstCall, resultName, "18°C and sunny"),
                Message.toolResult(secondCall, resultName, "{\"temp\":21}"),
                Message.of("user", "Thanks!"));
    }

    private static GenerationRequest request(
            Endpoint endpoint,
            List<Message> messages,
            List<Prompt> prompts,
            int maxTokens,
            int n,
            List<String> stop,
            Long seed,
            double temperature,
            double topP,
            boolean stream,
            boolean includeUsage,
            List<Tool> tools,
            ToolChoice choice,
            boolean parallel,
            ResponseFormat format,
            boolean logprobs,
            int topLogprobs,
            boolean echo,
            String user) {
        return new GenerationRequest(
                endpoint,
                "model-x",
                messages,
                prompts,
                maxTokens,
                n,
                stop,
                seed,
                temperature,
                topP,
                stream,
                includeUsage,
                tools,
                choice,
                parallel,
                format,
                logprobs,
                topLogprobs,
                echo,
                user);
    }

    @Test
    void chat_everyField_survives() {
        GenerationRequest r = request(
                Endpoint.CHAT,
                conversation("call_1", "call_2", null),
                List.of(),
                100,
                2,
                List.of("END", "STOP"),
                42L,
                0.5,
                0.9,
                true,
                true,
                List.of(WEATHER, new Tool("get_time", "now", null, true)),
                ToolChoice.named("get_weather"),
                false,
                new ResponseFormat(ResponseFormat.Kind.JSON_SCHEMA, "weather", SCHEMA, true),
                true,
                3,
                false,
                "user-1");
        ClientRequest req = ClientApi.OPENAI_CHAT.codec().request(r, "sk-test");

        assertThat(req.path()).isEqualTo("/chat/completions");
        assertThat(req.header("authorization")).isEqualTo("Bearer sk-test");
        assertThat(req.header("accept")).isEqualTo("text/event-stream");
        assertThat(normalized(OpenAiRequests.parseChat(OpenAiRequests.readBody(req.body(), 0, req.body().length))))
                .isEqualTo(normalized(r));
        assertThat(normalized(OpenAiRequests.parseChat(ChatBody.read(req.body(), 0, req.body().length))))
                .isEqualTo(normalized(r));
    }

    @Test
    void chat_plainRequest_sendsNoDefaults() {
        GenerationRequest r = request(
                Endpoint.CHAT,
                List.of(Message.of("user", "hi")),
                List.of(),
                -1,
                1,
                List.of(),
                null,
                Double.NaN,
                Double.NaN,
                false,
                false,
                List.of(),
                ToolChoice.NONE,
                true,
                ResponseFormat.TEXT,
                false,
                0,
                false,
                null);
        ClientRequest req = ClientApi.OPENAI_CHAT.codec().request(r, null);

        assertThat(new String(req.body(), StandardCharsets.UTF_8))
                .isEqualTo("{\"model\":\"model-x\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(req.header("authorization")).isNull();
        assertThat(OpenAiRequests.parseChat(OpenAiRequests.readBody(req.body(), 0, req.body().length)))
                .isEqualTo(r);
    }

    @Test
    void completions_everyField_survives() {
        GenerationRequest r = request(
                Endpoint.COMPLETION,
                List.of(),
                List.of(Prompt.ofText("Once upon a time"), Prompt.ofText("In a galaxy")),
                50,
                2,
                List.of("\n"),
                7L,
                1.5,
                0.25,
                true,
                true,
                List.of(),
                ToolChoice.NONE,
                false,
                ResponseFormat.TEXT,
                true,
                2,
                true,
                "u");
        ClientRequest req = ClientApi.OPENAI_COMPLETIONS.codec().request(r, "k");

        assertThat(req.path()).isEqualTo("/completions");
        assertThat(OpenAiRequests.parseCompletion(OpenAiRequests.readBody(req.body(), 0, req.body().length)))
                .isEqualTo(r);
    }

    @Test
    void completions_tokenPrompts_survive() {
        GenerationRequest r = request(
                Endpoint.COMPLETION,
                List.of(),
                List.of(Prompt.ofTokens(new int[] {1, 2, 3}), Prompt.ofText("x")),
                5,
                1,
                List.of(),
                null,
                Double.NaN,
                Double.NaN,
                false,
                false,
                List.of(),
                ToolChoice.NONE,
                false,
                ResponseFormat.TEXT,
                false,
                0,
                false,
                null);
        ClientRequest req = ClientApi.OPENAI_COMPLETIONS.codec().request(r, null);

        GenerationRequest back =
                OpenAiRequests.parseCompletion(OpenAiRequests.readBody(req.body(), 0, req.body().length));
        assertThat(back.prompts()).hasSize(2);
        assertThat(back.prompts().get(0).tokens()).containsExactly(1, 2, 3);
        assertThat(back.prompts().get(1).text()).isEqualTo("x");
    }

    @Test
    void embeddings_everyField_survives() {
        EmbeddingRequest r = new EmbeddingRequest(
                "text-embedding-3-small", List.of(Prompt.ofText("a"), Prompt.ofText("b c")), 256, true, "u");
        ClientRequest req = ClientApi.OPENAI_EMBEDDINGS.codec().request(r, "k");

        assertThat(req.path()).isEqualTo("/embeddings");
        assertThat(OpenAiRequests.parseEmbedding(OpenAiRequests.readBody(req.body(), 0, req.body().length)))
                .isEqualTo(r);
    }

    @Test
    void responses_everyField_survives() {
        GenerationRequest r = request(
                Endpoint.RESPONSES,
                conversation("call_1", "call_2", null),
                List.of(),
                200,
                1,
                List.of(),
                null,
                0.3,
                0.7,
                true,
                true,
                List.of(WEATHER, new Tool("get_time", null, null, true)),
                ToolChoice.REQUIRED,
                false,
                ResponseFormat.JSON_OBJECT,
                false,
                0,
                false,
                "u");
        ClientRequest req = ClientApi.OPENAI_RESPONSES.codec().request(r, "k");

        assertThat(req.path()).isEqualTo("/responses");
        assertThat(normalized(ResponsesRequests.parse(OpenAiRequests.readBody(req.body(), 0, req.body().length))))
                .isEqualTo(normalized(r));
    }

    @Test
    void responses_jsonSchemaAndNamedChoice_survive() {
        GenerationRequest r = request(
                Endpoint.RESPONSES,
                List.of(Message.of("user", "x")),
                List.of(),
                -1,
                1,
                List.of(),
                null,
                Double.NaN,
                Double.NaN,
                false,
                true,
                List.of(WEATHER),
                ToolChoice.named("get_weather"),
                true,
                new ResponseFormat(ResponseFormat.Kind.JSON_SCHEMA, "w", SCHEMA, true),
                false,
                0,
                false,
                null);
        ClientRequest req = ClientApi.OPENAI_RESPONSES.codec().request(r, null);

        assertThat(ResponsesRequests.parse(OpenAiRequests.readBody(req.body(), 0, req.body().length)))
                .isEqualTo(r);
    }

    @Test
    void anthropic_temperatureAndTopP_sendsTheTemperatureOnly_andRefusesOneAbove1() {
        GenerationRequest both = GenerationRequest.plain(
                Endpoint.CHAT, "claude-haiku-4-5", List.of(Message.of("user", "Hi")), List.of(), 16, false);
        both = new GenerationRequest(
                both.endpoint(),
                both.model(),
                both.messages(),
                both.prompts(),
                16,
                1,
                List.of(),
                null,
                0.7,
                0.9,
                false,
                false,
                List.of(),
                ToolChoice.NONE,
                true,
                ResponseFormat.TEXT,
                false,
                0,
                false,
                null);
        String body = new String(
                ClientApi.ANTHROPIC_MESSAGES.codec().request(both, null).body(), StandardCharsets.UTF_8);
        assertThat(body).contains("\"temperature\":0.7").doesNotContain("top_p");
        GenerationRequest hot = new GenerationRequest(
                both.endpoint(),
                both.model(),
                both.messages(),
                both.prompts(),
                16,
                1,
                List.of(),
                null,
                1.5,
                Double.NaN,
                false,
                false,
                List.of(),
                ToolChoice.NONE,
                true,
                ResponseFormat.TEXT,
                false,
                0,
                false,
                null);
        assertThatThrownBy(() -> ClientApi.ANTHROPIC_MESSAGES.codec().request(hot, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("temperature from 0 to 1");
    }

    @Test
    void anthropic_everyField_survives() {
        GenerationRequest r = request(
                Endpoint.MESSAGES,
                conversation("toolu_01A", "toolu_01B", null),
                List.of(),
                256,
                1,
                List.of("END"),
                null,
                0.7,
                Double.NaN, // with a temperature, top_p is not sent: see the next test
                true,
                true,
                List.of(WEATHER, TIME),
                ToolChoice.named("get_time"),
                false,
                ResponseFormat.TEXT,
                false,
                0,
                false,
                "user-1");
        ClientRequest req = ClientApi.ANTHROPIC_MESSAGES.codec().request(r, "sk-ant");

        assertThat(req.path()).isEqualTo("/messages");
        assertThat(req.header("x-api-key")).isEqualTo("sk-ant");
        assertThat(req.header("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(normalized(
                        AnthropicRequests.parseMessages(AnthropicRequests.readBody(req.body(), 0, req.body().length))))
                .isEqualTo(normalized(r));
    }

    @Test
    void anthropic_withoutCap_sendsTheRequiredMaxTokens() {
        GenerationRequest r = request(
                Endpoint.MESSAGES,
                List.of(Message.of("user", "x")),
                List.of(),
                -1,
                1,
                List.of(),
                null,
                Double.NaN,
                Double.NaN,
                false,
                true,
                List.of(),
                ToolChoice.NONE,
                true,
                ResponseFormat.TEXT,
                false,
                0,
                false,
                null);
        ClientRequest req = ClientApi.ANTHROPIC_MESSAGES.codec().request(r, null);

        GenerationRequest back =
                AnthropicRequests.parseMessages(AnthropicRequests.readBody(req.body(), 0, req.body().length));
        assertThat(back.maxTokens()).isEqualTo(4096);
    }

    @Test
    void gemini_everyField_survives() {
        GenerationRequest r = request(
                Endpoint.GEMINI,
                conversation("call_1", "call_2", "get_weather"),
                List.of(),
                300,
                2,
                List.of("END"),
                7L,
                1.2,
                0.8,
                true,
                true,
                List.of(WEATHER, TIME),
                ToolChoice.REQUIRED,
                true,
                new ResponseFormat(ResponseFormat.Kind.JSON_SCHEMA, "response", SCHEMA, false),
                true,
                2,
                false,
                null);
        ClientRequest req = ClientApi.GEMINI.codec().request(r, "AIza-test");

        assertThat(req.path()).isEqualTo("/models/model-x:streamGenerateContent?alt=sse");
        assertThat(req.header("x-goog-api-key")).isEqualTo("AIza-test");
        assertThat(normalized(GeminiRequests.parseGenerate(
                        GeminiRequests.readBody(req.body(), 0, req.body().length), "model-x", true)))
                .isEqualTo(normalized(r));
    }

    @Test
    void gemini_toolResultWithoutName_takesTheCallsName() {
        GenerationRequest r = request(
                Endpoint.GEMINI,
                conversation("call_1", "call_2", null),
                List.of(),
                -1,
                1,
                List.of(),
                null,
                Double.NaN,
                Double.NaN,
                false,
                true,
                List.of(WEATHER),
                ToolChoice.named("get_weather"),
                true,
                ResponseFormat.JSON_OBJECT,
                false,
                0,
                false,
                null);
        ClientRequest req = ClientApi.GEMINI.codec().request(r, null);

        assertThat(req.path()).isEqualTo("/models/model-x:generateContent");
        GenerationRequest back = GeminiRequests.parseGenerate(
                GeminiRequests.readBody(req.body(), 0, req.body().length), "model-x", false);
        assertThat(back.messages().get(3)).isEqualTo(Message.toolResult("call_1", "get_weather", "18°C and sunny"));
        assertThat(back.toolChoice()).isEqualTo(ToolChoice.named("get_weather"));
        assertThat(back.responseFormat()).isEqualTo(ResponseFormat.JSON_OBJECT);
    }

    @Test
    void request_thatTheApiCannotCarry_isRefusedByName() {
        GenerationRequest twoChoices = request(
                Endpoint.CHAT,
                List.of(Message.of("user", "x")),
                List.of(),
                -1,
                3,
                List.of(),
                null,
                Double.NaN,
                Double.NaN,
                false,
                false,
                List.of(),
                ToolChoice.NONE,
                true,
                ResponseFormat.TEXT,
                false,
                0,
                false,
                null);
        assertThatThrownBy(() -> ClientApi.ANTHROPIC_MESSAGES.codec().request(twoChoices, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("anthropic-messages has no n");
        assertThatThrownBy(() -> ClientApi.OPENAI_RESPONSES.codec().request(twoChoices, null))
                .hasMessageContaining("openai-responses has no n");
        GenerationRequest badArgs = request(
                Endpoint.CHAT,
                List.of(
                        new Message("assistant", "", null, null, null, List.of(new ToolCall("c1", "f", "[1,2]"))),
                        Message.of("user", "x")),
                List.of(),
                -1,
                1,
                List.of(),
                null,
                Double.NaN,
                Double.NaN,
                false,
                false,
                List.of(),
                ToolChoice.NONE,
                true,
                ResponseFormat.TEXT,
                false,
                0,
                false,
                null);
        assertThatThrownBy(() -> ClientApi.GEMINI.codec().request(badArgs, null))
                .hasMessage("gemini: the arguments of tool call c1 are not a JSON object");
        assertThatThrownBy(() -> ClientApi.OPENAI_EMBEDDINGS.codec().request(badArgs, null))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    /** A one-message request with what the test varies; everything else unset. */
    private static GenerationRequest asking(
            List<Message> messages, List<String> stop, List<Tool> tools, ResponseFormat format, boolean echo) {
        return request(
                Endpoint.CHAT,
                messages,
                List.of(),
                -1,
                1,
                stop,
                null,
                Double.NaN,
                Double.NaN,
                false,
                false,
                tools,
                tools.isEmpty() ? ToolChoice.NONE : ToolChoice.AUTO,
                true,
                format,
                false,
                0,
                echo,
                null);
    }

    @Test
    void request_whoseAnswerWouldDifferWithoutAField_isRefused_namingTheApiAndTheField() {
        List<Message> hi = List.of(Message.of("user", "Hi"));
        GenerationRequest stop = asking(hi, List.of("END"), List.of(), ResponseFormat.TEXT, false);
        assertThatThrownBy(() -> ClientApi.OPENAI_RESPONSES.codec().request(stop, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("openai-responses has no stop");

        for (ResponseFormat json : List.of(
                ResponseFormat.JSON_OBJECT, new ResponseFormat(ResponseFormat.Kind.JSON_SCHEMA, "w", SCHEMA, true))) {
            GenerationRequest r = asking(hi, List.of(), List.of(), json, false);
            assertThatThrownBy(() -> ClientApi.ANTHROPIC_MESSAGES.codec().request(r, null))
                    .hasMessageStartingWith("anthropic-messages has no response_format");
            assertThatThrownBy(() -> ClientApi.OPENAI_COMPLETIONS.codec().request(r, null))
                    .hasMessageStartingWith("openai-completions has no response_format");
        }

        GenerationRequest tools = asking(hi, List.of(), List.of(WEATHER), ResponseFormat.TEXT, false);
        assertThatThrownBy(() -> ClientApi.OPENAI_COMPLETIONS.codec().request(tools, null))
                .hasMessageStartingWith("openai-completions has no tools");
        GenerationRequest calls =
                asking(conversation("c1", "c2", null), List.of(), List.of(), ResponseFormat.TEXT, false);
        assertThatThrownBy(() -> ClientApi.OPENAI_COMPLETIONS.codec().request(calls, null))
                .hasMessageStartingWith("openai-completions has no tools");

        GenerationRequest echo = asking(hi, List.of(), List.of(), ResponseFormat.TEXT, true);
        for (ClientApi api : List.of(
                ClientApi.OPENAI_CHAT, ClientApi.OPENAI_RESPONSES, ClientApi.ANTHROPIC_MESSAGES, ClientApi.GEMINI)) {
            assertThatThrownBy(() -> api.codec().request(echo, null))
                    .hasMessageStartingWith(api.flag() + " has no echo");
        }
        // What the APIs do carry is still sent: stop sequences on chat, JSON on Gemini, echo on completions.
        assertThat(ClientApi.OPENAI_CHAT.codec().request(stop, null).body()).isNotEmpty();
        assertThat(ClientApi.GEMINI
                        .codec()
                        .request(asking(hi, List.of(), List.of(), ResponseFormat.JSON_OBJECT, false), null)
                        .body())
                .isNotEmpty();
        assertThat(ClientApi.OPENAI_COMPLETIONS.codec().request(echo, null).body())
                .isNotEmpty();
    }

    /** The request without the per-API rendering of tool calls that parsers keep for counting. */
    private static GenerationRequest normalized(GenerationRequest r) {
        List<Message> messages = r.messages().stream()
                .map(m -> new Message(m.role(), m.content(), m.name(), m.toolCallId(), null, m.toolCalls()))
                .toList();
        return new GenerationRequest(
                r.endpoint(),
                r.model(),
                messages,
                r.prompts(),
                r.maxTokens(),
                r.n(),
                r.stop(),
                r.seed(),
                r.temperature(),
                r.topP(),
                r.stream(),
                r.includeUsage(),
                r.tools(),
                r.toolChoice(),
                r.parallelToolCalls(),
                r.responseFormat(),
                r.logprobs(),
                r.topLogprobs(),
                r.echo(),
                r.user());
    }
}
