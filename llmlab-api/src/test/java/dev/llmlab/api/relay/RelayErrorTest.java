package dev.llmlab.api.relay;

import static dev.llmlab.api.relay.Fixtures.bytes;
import static dev.llmlab.api.relay.Fixtures.golden;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.api.client.ClientApi;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Provider errors, in error bodies and inside streams, and failures mid-stream, in the client's API's shape. */
class RelayErrorTest {
    private static Translation chatTo(ClientApi provider) {
        return RelayGoldenTest.translate(
                RelayGoldenTest.CHAT, "openai-chat-tools.request.json", provider, "provider-model");
    }

    private static RelayError mapped(Ingress in, String request, ClientApi provider, int status, String errorFixture) {
        Translation t = RelayGoldenTest.translate(in, request, provider, "provider-model");
        byte[] body = bytes("/relay/" + errorFixture);
        return t.error(status, body, 0, body.length);
    }

    @Test
    void error_anthropicOverloaded_isA503ForOpenAiAndGemini() {
        RelayError openAi = mapped(
                RelayGoldenTest.CHAT,
                "openai-chat-tools.request.json",
                ClientApi.ANTHROPIC_MESSAGES,
                529,
                "anthropic-overloaded.error.json");
        assertThat(openAi.status()).isEqualTo(503);
        golden("anthropic-overloaded.to-openai-chat.json", Fixtures.pretty(openAi.text()));
        RelayError gemini = mapped(
                RelayGoldenTest.GEMINI_SSE,
                "gemini-function-calling.request.json",
                ClientApi.ANTHROPIC_MESSAGES,
                529,
                "anthropic-overloaded.error.json");
        assertThat(gemini.status()).isEqualTo(503);
        golden("anthropic-overloaded.to-gemini.json", Fixtures.pretty(gemini.text()));
    }

    @Test
    void error_geminiResourceExhausted_isARateLimitForAnthropicAndOpenAi() {
        RelayError anthropic = mapped(
                RelayGoldenTest.MESSAGES,
                "anthropic-tools.request.json",
                ClientApi.GEMINI,
                429,
                "gemini-resource-exhausted.error.json");
        assertThat(anthropic.status()).isEqualTo(429);
        assertThat(anthropic.text())
                .contains("\"type\":\"rate_limit_error\"")
                .contains("You exceeded your current quota");
        RelayError openAi = mapped(
                RelayGoldenTest.CHAT,
                "openai-chat-tools.request.json",
                ClientApi.GEMINI,
                429,
                "gemini-resource-exhausted.error.json");
        assertThat(openAi.status()).isEqualTo(429);
        golden("gemini-resource-exhausted.to-openai-chat.json", Fixtures.pretty(openAi.text()));
    }

    @Test
    void error_openAiInsufficientQuota_isBillingForAnthropic() {
        RelayError anthropic = mapped(
                RelayGoldenTest.MESSAGES,
                "anthropic-tools.request.json",
                ClientApi.OPENAI_CHAT,
                429,
                "openai-insufficient-quota.error.json");
        assertThat(anthropic.status()).isEqualTo(402);
        golden("openai-insufficient-quota.to-anthropic.json", Fixtures.prettyWithoutRequestId(anthropic.text()));
        RelayError gemini = mapped(
                RelayGoldenTest.GEMINI_SSE,
                "gemini-function-calling.request.json",
                ClientApi.OPENAI_CHAT,
                429,
                "openai-insufficient-quota.error.json");
        assertThat(gemini.status()).isEqualTo(429);
        assertThat(gemini.text()).contains("RESOURCE_EXHAUSTED");
    }

    @Test
    void error_providerAuthFailure_isABadGatewayNotTheClientsKey() {
        byte[] body =
                "{\"error\":{\"message\":\"Incorrect API key provided\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}"
                        .getBytes(StandardCharsets.UTF_8);
        Translation t = RelayGoldenTest.translate(
                RelayGoldenTest.MESSAGES, "anthropic-tools.request.json", ClientApi.OPENAI_CHAT, "m");
        RelayError e = t.error(401, body, 0, body.length);
        assertThat(e.status()).isEqualTo(502);
        assertThat(e.text()).contains("\"type\":\"api_error\"").contains("gateway's credentials: Incorrect API key");
    }

    @Test
    void error_notJson_keepsTheFirstLineAsTheMessage() {
        byte[] body = "<html>502 Bad Gateway</html>".getBytes(StandardCharsets.UTF_8);
        RelayError e = chatTo(ClientApi.ANTHROPIC_MESSAGES).error(502, body, 0, body.length);
        assertThat(e.status()).isEqualTo(502);
        assertThat(e.text()).contains("\"type\":\"server_error\"").contains("502 Bad Gateway");
    }

    // ------------------------------------------------------------------ mid-stream

    private static String cutAfter(AnswerRelay a, String providerStream, int events) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<byte[]> all = Fixtures.events(bytes(providerStream));
        for (int i = 0; i < events; i++)
            assertThat(a.event(all.get(i), 0, all.get(i).length, out)).isFalse();
        a.end(out);
        assertThat(a.closed()).isTrue();
        // nothing more is written after the end
        byte[] more = all.get(events);
        assertThat(a.event(more, 0, more.length, out)).isTrue();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void stream_cutShort_endsWithAnErrorEventInEachApi() {
        String chat = cutAfter(
                chatTo(ClientApi.ANTHROPIC_MESSAGES).answer(Fixtures.stamps()),
                "/client/anthropic-text-tool-use.sse",
                4);
        golden("anthropic-cut.to-openai-chat.sse", chat);
        assertThat(chat).endsWith("data: [DONE]\n\n").contains("\"error\":{");

        Translation toAnthropic = RelayGoldenTest.translate(
                RelayGoldenTest.MESSAGES, "anthropic-tools.request.json", ClientApi.OPENAI_CHAT, "m");
        String anthropic = cutAfter(toAnthropic.answer(Fixtures.stamps()), "/client/openai-chat-tool-calls.sse", 3);
        golden("openai-chat-cut.to-anthropic.sse", anthropic);
        assertThat(anthropic).endsWith("\n\n").contains("event: error\ndata: {\"type\":\"error\"");

        Translation toGemini = RelayGoldenTest.translate(
                RelayGoldenTest.GEMINI_SSE, "gemini-function-calling.request.json", ClientApi.OPENAI_CHAT, "m");
        String gemini = cutAfter(toGemini.answer(Fixtures.stamps()), "/client/openai-chat-tool-calls.sse", 3);
        assertThat(gemini).contains("data: {\"error\":{\"code\":502");

        Translation toResponses = RelayGoldenTest.translate(
                RelayGoldenTest.RESPONSES, "responses-tools.request.json", ClientApi.ANTHROPIC_MESSAGES, "m");
        String responses = cutAfter(toResponses.answer(Fixtures.stamps()), "/client/anthropic-text-tool-use.sse", 4);
        golden("anthropic-cut.to-responses.sse", responses);
        assertThat(responses).contains("event: error\n").contains("event: response.failed\n");
    }

    @Test
    void stream_failMidStream_keepsTheUsageSoFar() {
        Translation t = RelayGoldenTest.translate(
                RelayGoldenTest.CHAT, "openai-chat-tools.request.json", ClientApi.GEMINI, "m");
        AnswerRelay a = t.answer(Fixtures.stamps());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] first = Fixtures.events(bytes("/client/gemini-text.sse")).getFirst();
        a.event(first, 0, first.length, out);
        a.fail("upstream idle for 30 s", out);
        String s = out.toString(StandardCharsets.UTF_8);
        assertThat(s).contains("upstream idle for 30 s").endsWith("data: [DONE]\n\n");
        assertThat(a.usage().promptTokens()).isEqualTo(181);
        assertThat(a.usage().completionTokens()).isEqualTo(3);
    }

    @Test
    void stream_providerErrorEvent_becomesTheClientsErrorEvent() {
        Translation t = chatTo(ClientApi.ANTHROPIC_MESSAGES);
        AnswerRelay a = t.answer(Fixtures.stamps());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<byte[]> events = Fixtures.events(bytes("/client/anthropic-text-tool-use.sse"));
        a.event(events.get(0), 0, events.get(0).length, out);
        byte[] error = "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"
                .getBytes(StandardCharsets.UTF_8);
        assertThat(a.event(error, 0, error.length, out)).isTrue();
        String s = out.toString(StandardCharsets.UTF_8);
        assertThat(s)
                .endsWith("data: {\"error\":{\"message\":\"Overloaded\",\"type\":\"server_error\",\"param\":null,"
                        + "\"code\":null}}\n\ndata: [DONE]\n\n");
    }
}
