package dev.llmlab.api.relay;

import static dev.llmlab.api.relay.Fixtures.bytes;
import static dev.llmlab.api.relay.Fixtures.events;
import static dev.llmlab.api.relay.Fixtures.golden;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.api.Choice;
import dev.llmlab.api.Completion;
import dev.llmlab.api.GenerationRequest;
import dev.llmlab.api.ToolCall;
import dev.llmlab.api.client.AnswerBuilder;
import dev.llmlab.api.client.ClientApi;
import dev.llmlab.api.client.StreamDecoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * Translations pinned to the providers' documented examples and recorded exchanges (see
 * {@code relay/README.md}): requests each way, streamed and whole answers each way, with their
 * output checked twice: against a golden file, and by decoding it with the client API's own
 * decoder, which must find the provider's text, tool calls, finish reasons and usage in it.
 */
class RelayGoldenTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static Translation translate(Ingress in, String request, ClientApi provider, String model) {
        byte[] body = bytes("/relay/" + request);
        return Relay.request(in, body, 0, body.length, provider, model, "sk-test");
    }

    static final Ingress CHAT = Ingress.of(ClientApi.OPENAI_CHAT);
    static final Ingress MESSAGES = Ingress.of(ClientApi.ANTHROPIC_MESSAGES);
    static final Ingress RESPONSES = Ingress.of(ClientApi.OPENAI_RESPONSES);
    static final Ingress GEMINI_SSE = Ingress.gemini("gemini-2.5-flash", true, true);

    // ------------------------------------------------------------------ requests

    @Test
    void request_openAiChatToAnthropic() {
        Translation t =
                translate(CHAT, "openai-chat-tools.request.json", ClientApi.ANTHROPIC_MESSAGES, "claude-haiku-4-5");
        golden("openai-chat-tools.to-anthropic.txt", Fixtures.requestText(t.request()));
        assertThat(t.clientModel()).isEqualTo("gpt-4o");
    }

    @Test
    void request_openAiChatToGemini() {
        Translation t = translate(CHAT, "openai-chat-tools.request.json", ClientApi.GEMINI, "gemini-2.5-flash");
        golden("openai-chat-tools.to-gemini.txt", Fixtures.requestText(t.request()));
    }

    @Test
    void request_anthropicToOpenAiChat() {
        Translation t = translate(MESSAGES, "anthropic-tools.request.json", ClientApi.OPENAI_CHAT, "gpt-4o-mini");
        golden("anthropic-tools.to-openai-chat.txt", Fixtures.requestText(t.request()));
    }

    @Test
    void request_anthropicToGemini() {
        Translation t = translate(MESSAGES, "anthropic-tools.request.json", ClientApi.GEMINI, "gemini-2.5-flash");
        golden("anthropic-tools.to-gemini.txt", Fixtures.requestText(t.request()));
    }

    @Test
    void request_geminiToOpenAiChat() {
        Translation t = translate(GEMINI_SSE, "gemini-function-calling.request.json", ClientApi.OPENAI_CHAT, "gpt-4o");
        golden("gemini-function-calling.to-openai-chat.txt", Fixtures.requestText(t.request()));
        assertThat(t.clientModel()).isEqualTo("gemini-2.5-flash");
    }

    @Test
    void request_geminiToAnthropic() {
        Translation t = translate(
                GEMINI_SSE, "gemini-function-calling.request.json", ClientApi.ANTHROPIC_MESSAGES, "claude-haiku-4-5");
        golden("gemini-function-calling.to-anthropic.txt", Fixtures.requestText(t.request()));
    }

    @Test
    void request_responsesToOpenAiChat() {
        Translation t = translate(RESPONSES, "responses-tools.request.json", ClientApi.OPENAI_CHAT, "gpt-4.1");
        golden("responses-tools.to-openai-chat.txt", Fixtures.requestText(t.request()));
    }

    @Test
    void request_openAiChatToResponses_refusesStop() {
        byte[] body = bytes("/relay/openai-chat-tools.request.json");
        RelayError e = RelayRefusalTest.refusal(CHAT, body, ClientApi.OPENAI_RESPONSES);
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.text()).contains("\"param\":\"stop\"").contains("openai-responses");
    }

    // ------------------------------------------------------------------ streamed answers

    /** Relays a provider's recorded stream; the last event, and only it, ends the client's stream. */
    static String relay(AnswerRelay a, String providerStream) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<byte[]> events = events(bytes(providerStream));
        for (int i = 0; i < events.size(); i++) {
            byte[] e = events.get(i);
            assertThat(a.event(e, 0, e.length, out))
                    .as("event %d ends the stream", i)
                    .isEqualTo(i == events.size() - 1);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** What a provider's recorded stream says, decoded by its own codec. */
    static AnswerBuilder decodeProvider(ClientApi api, String stream, GenerationRequest request) {
        AnswerBuilder b = new AnswerBuilder();
        StreamDecoder d = api.codec().streamDecoder(request, b);
        for (byte[] e : events(bytes(stream))) d.event(e, 0, e.length);
        return b;
    }

    /** The client's stream decoded by the client API's own codec, as an SDK would read it. */
    static AnswerBuilder decodeClient(ClientApi api, String stream, GenerationRequest request) {
        AnswerBuilder b = new AnswerBuilder();
        StreamDecoder d = api.codec().streamDecoder(request, b);
        for (byte[] e : events(stream.getBytes(StandardCharsets.UTF_8))) d.event(e, 0, e.length);
        assertThat(b.ended()).as("the client's stream ends with its API's end").isTrue();
        return b;
    }

    /** The client finds what the provider said: text, tool calls (same JSON), finish reasons, usage. */
    static void assertSameMeaning(Completion client, Completion provider, boolean usage) {
        assertThat(client.choices()).hasSameSizeAs(provider.choices());
        for (int k = 0; k < provider.choices().size(); k++) {
            Choice c = client.choices().get(k);
            Choice p = provider.choices().get(k);
            assertThat(c.text() == null ? "" : c.text()).isEqualTo(p.text() == null ? "" : p.text());
            assertThat(c.finishReason()).isEqualTo(p.finishReason());
            assertThat(c.toolCalls()).hasSameSizeAs(p.toolCalls());
            for (int i = 0; i < p.toolCalls().size(); i++) {
                ToolCall ct = c.toolCalls().get(i);
                ToolCall pt = p.toolCalls().get(i);
                assertThat(ct.name()).isEqualTo(pt.name());
                assertThat(JSON.readTree(ct.arguments())).isEqualTo(JSON.readTree(pt.arguments()));
            }
        }
        if (usage) assertThat(client.usage()).isEqualTo(provider.usage());
    }

    private static void streamed(
            Ingress in,
            String request,
            ClientApi provider,
            String providerStream,
            String expected,
            boolean usageReachesClient) {
        streamed(translate(in, request, provider, "provider-model"), providerStream, expected, usageReachesClient);
    }

    private static void streamed(Translation t, String providerStream, String expected, boolean usageReachesClient) {
        Ingress in = t.ingress();
        ClientApi provider = t.provider();
        AnswerRelay a = t.answer(Fixtures.stamps());
        String out = relay(a, providerStream);
        golden(expected, out);
        AnswerBuilder p = decodeProvider(provider, providerStream, t.ingressRequest());
        AnswerBuilder c = decodeClient(in.api(), out, t.ingressRequest());
        assertSameMeaning(c.completion(), p.completion(), usageReachesClient);
        assertThat(a.usage()).isEqualTo(p.completion().usage());
        assertThat(a.closed()).isTrue();
    }

    @Test
    void stream_anthropicToOpenAiChat() {
        streamed(
                CHAT,
                "openai-chat-tools.request.json",
                ClientApi.ANTHROPIC_MESSAGES,
                "/client/anthropic-text-tool-use.sse",
                "anthropic-text-tool-use.to-openai-chat.sse",
                false);
    }

    @Test
    void stream_anthropicThinkingToOpenAiChat() {
        streamed(
                CHAT,
                "openai-chat-tools.request.json",
                ClientApi.ANTHROPIC_MESSAGES,
                "/client/anthropic-thinking-tool-use.sse",
                "anthropic-thinking-tool-use.to-openai-chat.sse",
                false);
    }

    @Test
    void stream_anthropicToGemini() {
        streamed(
                GEMINI_SSE,
                "gemini-function-calling.request.json",
                ClientApi.ANTHROPIC_MESSAGES,
                "/client/anthropic-text-tool-use.sse",
                "anthropic-text-tool-use.to-gemini.sse",
                true);
    }

    @Test
    void stream_anthropicToResponses() {
        streamed(
                RESPONSES,
                "responses-tools.request.json",
                ClientApi.ANTHROPIC_MESSAGES,
                "/client/anthropic-text-tool-use.sse",
                "anthropic-text-tool-use.to-responses.sse",
                true);
    }

    @Test
    void stream_openAiChatToAnthropic() {
        streamed(
                MESSAGES,
                "anthropic-tools.request.json",
                ClientApi.OPENAI_CHAT,
                "/client/openai-chat-tool-calls.sse",
                "openai-chat-tool-calls.to-anthropic.sse",
                true);
    }

    @Test
    void stream_openAiChatToGemini() {
        streamed(
                GEMINI_SSE,
                "gemini-function-calling.request.json",
                ClientApi.OPENAI_CHAT,
                "/client/openai-chat-tool-calls.sse",
                "openai-chat-tool-calls.to-gemini.sse",
                true);
    }

    @Test
    void stream_openAiChatToResponses() {
        streamed(
                RESPONSES,
                "responses-tools.request.json",
                ClientApi.OPENAI_CHAT,
                "/client/openai-chat-tool-calls.sse",
                "openai-chat-tool-calls.to-responses.sse",
                true);
    }

    @Test
    void stream_geminiTextToAnthropic() {
        streamed(
                MESSAGES,
                "anthropic-tools.request.json",
                ClientApi.GEMINI,
                "/client/gemini-text.sse",
                "gemini-text.to-anthropic.sse",
                true);
    }

    @Test
    void stream_geminiFunctionCallsToOpenAiChat() {
        streamed(
                CHAT,
                "openai-chat-tools.request.json",
                ClientApi.GEMINI,
                "/client/gemini-function-calls.sse",
                "gemini-function-calls.to-openai-chat.sse",
                false);
    }

    @Test
    void stream_geminiFunctionCallsToAnthropic() {
        streamed(
                MESSAGES,
                "anthropic-tools.request.json",
                ClientApi.GEMINI,
                "/client/gemini-function-calls.sse",
                "gemini-function-calls.to-anthropic.sse",
                true);
    }

    @Test
    void stream_responsesToOpenAiChat() {
        // the Responses API has no stop sequences: the chat fixture without its stop
        var root =
                (tools.jackson.databind.node.ObjectNode) JSON.readTree(bytes("/relay/openai-chat-tools.request.json"));
        root.remove("stop");
        byte[] body = JSON.writeValueAsBytes(root);
        streamed(
                Relay.request(CHAT, body, 0, body.length, ClientApi.OPENAI_RESPONSES, "gpt-4o-mini", "sk-test"),
                "/client/responses-function-call.sse",
                "responses-function-call.to-openai-chat.sse",
                false);
    }

    @Test
    void stream_geminiWithoutAltSse_isOneJsonArray() {
        Ingress in = Ingress.gemini("gemini-2.5-flash", true, false);
        Translation t = translate(in, "gemini-function-calling.request.json", ClientApi.ANTHROPIC_MESSAGES, "m");
        AnswerRelay a = t.answer(Fixtures.stamps());
        assertThat(a.contentType()).isEqualTo("application/json");
        String out = relay(a, "/client/anthropic-text-tool-use.sse");
        golden("anthropic-text-tool-use.to-gemini.json", out);
        // one JSON array of GenerateContentResponse chunks
        var array = JSON.readTree(out);
        assertThat(array.isArray()).isTrue();
        assertThat(array.get(array.size() - 1)
                        .path("candidates")
                        .get(0)
                        .path("finishReason")
                        .asString())
                .isEqualTo("STOP");
    }

    @Test
    void stream_includeUsage_onlyWhenTheClientAskedForIt() {
        String body = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                + "\"stream\":true,\"stream_options\":{\"include_usage\":true}}";
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        Translation asked = Relay.request(CHAT, b, 0, b.length, ClientApi.GEMINI, "gemini-2.5-flash", null);
        String out = relay(asked.answer(Fixtures.stamps()), "/client/gemini-text.sse");
        golden("gemini-text.to-openai-chat-with-usage.sse", out);
        assertThat(out).contains("\"choices\":[],\"usage\":{\"prompt_tokens\":181");

        byte[] plain = bytes("/relay/openai-chat-tools.request.json");
        Translation notAsked = Relay.request(CHAT, plain, 0, plain.length, ClientApi.GEMINI, "gemini-2.5-flash", null);
        // the provider is asked for usage all the same, for the gateway's accounting
        AnswerRelay a = notAsked.answer(Fixtures.stamps());
        String out2 = relay(a, "/client/gemini-text.sse");
        assertThat(out2).doesNotContain("usage");
        assertThat(a.usageReported()).isTrue();
        assertThat(a.usage().promptTokens()).isEqualTo(181);
    }

    // ------------------------------------------------------------------ whole answers

    private static void whole(Ingress in, String request, ClientApi provider, String answer, String expected) {
        Translation t = translateWhole(in, request, provider);
        AnswerRelay a = t.answer(Fixtures.stamps());
        byte[] body = bytes(answer);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(a.whole(body, 0, body.length, out)).isEqualTo(200);
        String text = out.toString(StandardCharsets.UTF_8);
        golden(expected, Fixtures.pretty(text));
        AnswerBuilder p = new AnswerBuilder();
        provider.codec().decode(body, 0, body.length, p);
        AnswerBuilder c = new AnswerBuilder();
        in.api().codec().decode(out.toByteArray(), 0, out.size(), c);
        assertSameMeaning(c.completion(), p.completion(), true);
        assertThat(a.usage()).isEqualTo(p.completion().usage());
    }

    /** The request fixture without {@code stream}, so that the answer is whole. */
    static Translation translateWhole(Ingress in, String request, ClientApi provider) {
        var root = (tools.jackson.databind.node.ObjectNode) JSON.readTree(bytes("/relay/" + request));
        root.remove("stream");
        byte[] body = JSON.writeValueAsBytes(root);
        Ingress whole = in.api() == ClientApi.GEMINI ? Ingress.gemini(in.model(), false, false) : in;
        return Relay.request(whole, body, 0, body.length, provider, "provider-model", "sk-test");
    }

    @Test
    void whole_anthropicToOpenAiChat() {
        whole(
                CHAT,
                "openai-chat-tools.request.json",
                ClientApi.ANTHROPIC_MESSAGES,
                "/client/anthropic-tool-no-args.whole.txt",
                "anthropic-tool-no-args.to-openai-chat.json");
    }

    @Test
    void whole_anthropicToGemini() {
        whole(
                GEMINI_SSE,
                "gemini-function-calling.request.json",
                ClientApi.ANTHROPIC_MESSAGES,
                "/client/anthropic-tool-no-args.whole.txt",
                "anthropic-tool-no-args.to-gemini.json");
    }

    @Test
    void whole_anthropicToResponses() {
        whole(
                RESPONSES,
                "responses-tools.request.json",
                ClientApi.ANTHROPIC_MESSAGES,
                "/client/anthropic-tool-no-args.whole.txt",
                "anthropic-tool-no-args.to-responses.json");
    }

    @Test
    void whole_openAiChatToAnthropic() {
        whole(
                MESSAGES,
                "anthropic-tools.request.json",
                ClientApi.OPENAI_CHAT,
                "/relay/openai-chat-tool-call.whole.json",
                "openai-chat-tool-call.to-anthropic.json");
    }

    @Test
    void whole_openAiChatToGemini() {
        whole(
                GEMINI_SSE,
                "gemini-function-calling.request.json",
                ClientApi.OPENAI_CHAT,
                "/relay/openai-chat-tool-call.whole.json",
                "openai-chat-tool-call.to-gemini.json");
    }
}
