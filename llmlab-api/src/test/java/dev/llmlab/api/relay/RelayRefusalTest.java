package dev.llmlab.api.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.llmlab.api.ApiException;
import dev.llmlab.api.client.ClientApi;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Fields that cannot be translated get a 400 in the client's API's shape naming them; nothing is dropped. */
class RelayRefusalTest {
    static final Ingress CHAT = Ingress.of(ClientApi.OPENAI_CHAT);
    static final Ingress MESSAGES = Ingress.of(ClientApi.ANTHROPIC_MESSAGES);
    static final Ingress RESPONSES = Ingress.of(ClientApi.OPENAI_RESPONSES);
    static final Ingress COMPLETIONS = Ingress.of(ClientApi.OPENAI_COMPLETIONS);
    static final Ingress GEMINI = Ingress.gemini("gemini-2.5-flash", false, false);

    static RelayError refusal(Ingress in, byte[] body, ClientApi provider) {
        ApiException e = catchThrowableOfType(
                ApiException.class, () -> Relay.request(in, body, 0, body.length, provider, "m", null));
        assertThat(e).as("refused").isNotNull();
        return Relay.error(in, e);
    }

    static RelayError refusal(Ingress in, String body, ClientApi provider) {
        return refusal(in, body.getBytes(StandardCharsets.UTF_8), provider);
    }

    static void accepted(Ingress in, String body, ClientApi provider) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        assertThatCode(() -> Relay.request(in, b, 0, b.length, provider, "m", null))
                .doesNotThrowAnyException();
    }

    private static final String CHAT_HI = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

    @Test
    void request_nAboveOneToAnthropic_isRefusedNamingN() {
        RelayError e = refusal(CHAT, CHAT_HI + ",\"n\":2}", ClientApi.ANTHROPIC_MESSAGES);
        assertThat(e.status()).isEqualTo(400);
        assertThat(Fixtures.pretty(e.text()))
                .contains("\"type\" : \"invalid_request_error\"")
                .contains("\"param\" : \"n\"")
                .contains("\"code\" : \"unsupported_parameter\"")
                .contains("anthropic-messages");
    }

    @Test
    void request_nAboveOneToGemini_isCarried() {
        accepted(CHAT, CHAT_HI + ",\"n\":2}", ClientApi.GEMINI);
    }

    @Test
    void request_unknownField_isRefusedNotDropped() {
        RelayError e = refusal(CHAT, CHAT_HI + ",\"frobnicate\":true}", ClientApi.GEMINI);
        assertThat(e.text()).contains("\"param\":\"frobnicate\"");
    }

    @Test
    void request_samplingControlsTheModelLacks_areRefusedUnlessDefault() {
        assertThat(refusal(CHAT, CHAT_HI + ",\"logit_bias\":{\"50256\":-100}}", ClientApi.GEMINI)
                        .text())
                .contains("\"param\":\"logit_bias\"");
        assertThat(refusal(CHAT, CHAT_HI + ",\"presence_penalty\":0.5}", ClientApi.ANTHROPIC_MESSAGES)
                        .text())
                .contains("\"param\":\"presence_penalty\"");
        accepted(
                CHAT, CHAT_HI + ",\"logit_bias\":{},\"presence_penalty\":0,\"frequency_penalty\":0}", ClientApi.GEMINI);
    }

    @Test
    void request_bookkeepingFields_areLeftOut() {
        accepted(
                CHAT,
                CHAT_HI + ",\"metadata\":{\"team\":\"a\"},\"store\":false,\"service_tier\":\"auto\","
                        + "\"stream\":true,\"stream_options\":{\"include_usage\":true},\"user\":\"u1\"}",
                ClientApi.ANTHROPIC_MESSAGES);
    }

    @Test
    void request_imagePart_isRefusedNamingThePart() {
        RelayError e = refusal(
                CHAT,
                "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"what?\"},"
                        + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/a.png\"}}]}]}",
                ClientApi.ANTHROPIC_MESSAGES);
        assertThat(e.text()).contains("\"param\":\"messages[0].content[1]\"").contains("image_url");
    }

    @Test
    void request_jsonModeToAnthropic_isRefusedNamingResponseFormat() {
        assertThat(refusal(
                                CHAT,
                                CHAT_HI + ",\"response_format\":{\"type\":\"json_object\"}}",
                                ClientApi.ANTHROPIC_MESSAGES)
                        .text())
                .contains("\"param\":\"response_format\"");
        accepted(CHAT, CHAT_HI + ",\"response_format\":{\"type\":\"json_object\"}}", ClientApi.GEMINI);
    }

    @Test
    void request_logprobs_areRefused() {
        assertThat(refusal(CHAT, CHAT_HI + ",\"logprobs\":true}", ClientApi.GEMINI)
                        .text())
                .contains("\"param\":\"logprobs\"");
    }

    @Test
    void request_anthropicTopK_isRefusedInAnthropicsShape() {
        String body = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100,\"top_k\":5,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        RelayError e = refusal(MESSAGES, body, ClientApi.OPENAI_CHAT);
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.text())
                .startsWith("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"top_k: ")
                .contains("openai-chat");
    }

    @Test
    void request_anthropicServerToolsAndImages_areRefused() {
        String tool = "{\"model\":\"c\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                + "\"tools\":[{\"type\":\"web_search_20250305\",\"name\":\"web_search\"}]}";
        assertThat(refusal(MESSAGES, tool, ClientApi.GEMINI).text()).contains("tools.0: ");
        String image = "{\"model\":\"c\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":["
                + "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"iVBO\"}}]}]}";
        assertThat(refusal(MESSAGES, image, ClientApi.OPENAI_CHAT).text()).contains("messages.0.content.0: ");
        String thinking = "{\"model\":\"c\",\"max_tokens\":2000,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                + "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024}}";
        assertThat(refusal(MESSAGES, thinking, ClientApi.OPENAI_CHAT).text()).contains("thinking: ");
    }

    @Test
    void request_anthropicCacheControl_isLeftOut() {
        accepted(
                MESSAGES,
                "{\"model\":\"c\",\"max_tokens\":100,\"system\":[{\"type\":\"text\",\"text\":\"be brief\","
                        + "\"cache_control\":{\"type\":\"ephemeral\"}}],\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                ClientApi.OPENAI_CHAT);
    }

    @Test
    void request_geminiCandidateCountToAnthropic_isRefusedInGooglesShape() {
        String body = "{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}],\"generationConfig\":{\"candidateCount\":2}}";
        RelayError e = refusal(GEMINI, body, ClientApi.ANTHROPIC_MESSAGES);
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.text()).contains("\"status\":\"INVALID_ARGUMENT\"").contains("generationConfig.candidateCount: ");
    }

    @Test
    void request_geminiTopKAndHostedTools_areRefused() {
        assertThat(refusal(
                                GEMINI,
                                "{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}],\"generation_config\":{\"top_k\":3}}",
                                ClientApi.OPENAI_CHAT)
                        .text())
                .contains("generationConfig.top_k: ");
        assertThat(refusal(
                                GEMINI,
                                "{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}],\"tools\":[{\"googleSearch\":{}}]}",
                                ClientApi.OPENAI_CHAT)
                        .text())
                .contains("tools[0].googleSearch: ");
        assertThat(refusal(
                                GEMINI,
                                "{\"contents\":[{\"parts\":[{\"inlineData\":{\"mimeType\":\"image/png\",\"data\":\"iVBO\"}}]}]}",
                                ClientApi.OPENAI_CHAT)
                        .text())
                .contains("contents[0].parts[0].inlineData: ");
    }

    @Test
    void request_geminiSafetySettingsAndThinkingBudget_areLeftOut() {
        accepted(
                GEMINI,
                "{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}],\"safetySettings\":[{\"category\":\"HARM_CATEGORY_HARASSMENT\","
                        + "\"threshold\":\"BLOCK_NONE\"}],\"generationConfig\":{\"thinkingConfig\":{\"thinkingBudget\":0}}}",
                ClientApi.OPENAI_CHAT);
    }

    @Test
    void request_responsesHostedToolsAndStore_areRefused() {
        String base = "{\"model\":\"gpt-4.1\",\"input\":\"hi\"";
        assertThat(refusal(RESPONSES, base + ",\"tools\":[{\"type\":\"web_search\"}]}", ClientApi.ANTHROPIC_MESSAGES)
                        .text())
                .contains("\"param\":\"tools[0]\"");
        assertThat(refusal(RESPONSES, base + ",\"store\":true}", ClientApi.ANTHROPIC_MESSAGES)
                        .text())
                .contains("\"param\":\"store\"");
        assertThat(refusal(RESPONSES, base + ",\"reasoning\":{\"effort\":\"high\"}}", ClientApi.GEMINI)
                        .text())
                .contains("\"param\":\"reasoning\"");
        accepted(RESPONSES, base + ",\"store\":false,\"metadata\":{\"a\":\"b\"}}", ClientApi.GEMINI);
    }

    @Test
    void request_completionsEchoAndSeveralPrompts_areRefused() {
        assertThat(refusal(COMPLETIONS, "{\"model\":\"m\",\"prompt\":\"hi\",\"echo\":true}", ClientApi.OPENAI_CHAT)
                        .text())
                .contains("\"param\":\"echo\"");
        assertThat(refusal(COMPLETIONS, "{\"model\":\"m\",\"prompt\":[\"a\",\"b\"]}", ClientApi.ANTHROPIC_MESSAGES)
                        .text())
                .contains("\"param\":\"prompt\"");
        assertThat(refusal(COMPLETIONS, "{\"model\":\"m\",\"prompt\":\"a\",\"suffix\":\"z\"}", ClientApi.OPENAI_CHAT)
                        .text())
                .contains("\"param\":\"suffix\"");
        accepted(COMPLETIONS, "{\"model\":\"m\",\"prompt\":\"a\",\"max_tokens\":5}", ClientApi.ANTHROPIC_MESSAGES);
    }

    @Test
    void request_badBody_isTheIngressApisOwn400() {
        RelayError e = refusal(MESSAGES, "{\"model\":\"c\",\"messages\":[]}", ClientApi.OPENAI_CHAT);
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.text()).contains("max_tokens: Field required");
    }
}
