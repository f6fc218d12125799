package dev.llmlab.api.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmlab.api.ApiException;
import dev.llmlab.api.GenerationRequest;
import dev.llmlab.api.ResponseFormat;
import dev.llmlab.api.ToolChoice;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OpenAiRequestsTest {
    private static GenerationRequest chat(String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return OpenAiRequests.parseChat(OpenAiRequests.readBody(b, 0, b.length));
    }

    @Test
    void parseChat_minimal_hasDocumentedDefaults() {
        GenerationRequest r = chat("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(r.n()).isEqualTo(1);
        assertThat(r.maxTokens()).isEqualTo(-1);
        assertThat(r.stream()).isFalse();
        assertThat(r.seed()).isNull();
        assertThat(Double.isNaN(r.temperature())).isTrue();
        assertThat(r.toolChoice()).isEqualTo(ToolChoice.NONE);
        assertThat(r.responseFormat()).isEqualTo(ResponseFormat.TEXT);
    }

    @Test
    void parseChat_maxCompletionTokensWinsOverMaxTokens() {
        assertThat(chat("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":9,"
                                + "\"max_completion_tokens\":4}")
                        .maxTokens())
                .isEqualTo(4);
    }

    @Test
    void parseChat_contentPartsAreJoined_nullsAreAbsent() {
        GenerationRequest r =
                chat("{\"model\":\"m\",\"temperature\":null,\"messages\":[{\"role\":\"user\",\"content\":["
                        + "{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"text\",\"text\":\"b\"}]},"
                        + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\","
                        + "\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]},"
                        + "{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"42\"}]}");
        assertThat(r.messages().get(0).content()).isEqualTo("a\nb");
        assertThat(r.messages().get(1).toolCallsText()).contains("\"name\":\"f\"");
        assertThat(r.messages().get(2).toolCallId()).isEqualTo("c1");
    }

    @Test
    void parseChat_toolsAndNamedChoice_forceThatTool() {
        GenerationRequest r = chat("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"a\"}},{\"type\":\"function\",\"function\":"
                + "{\"name\":\"b\",\"parameters\":{\"type\":\"object\"}}}],"
                + "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"b\"}}}");
        assertThat(r.forcedTool().name()).isEqualTo("b");
        assertThat(r.toolChoice().mode()).isEqualTo(ToolChoice.Mode.NAMED);
    }

    @Test
    void parseChat_namedToolNotInTools_isInvalid() {
        assertThatThrownBy(() -> chat("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                        + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"a\"}}],"
                        + "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"zzz\"}}}"))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.param()).isEqualTo("tool_choice"));
    }

    @Test
    void parseCompletion_defaultsTo16TokensAndAcceptsTokenArrays() {
        byte[] b = "{\"model\":\"m\",\"prompt\":[[1,2],[3]]}".getBytes(StandardCharsets.UTF_8);
        GenerationRequest r = OpenAiRequests.parseCompletion(OpenAiRequests.readBody(b, 0, b.length));
        assertThat(r.maxTokens()).isEqualTo(16);
        assertThat(r.prompts()).hasSize(2);
        assertThat(r.prompts().get(0).tokens()).containsExactly(1, 2);
    }

    @Test
    void readBody_rejectsNonObjects() {
        byte[] b = "[]".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> OpenAiRequests.readBody(b, 0, b.length)).isInstanceOf(ApiException.class);
    }

    @Test
    void seed_acceptsIntegralFloatsAndRejectsFractions() {
        assertThat(chat("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"seed\":7.0}")
                        .seed())
                .isEqualTo(7L);
        assertThatThrownBy(() -> chat(
                        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]," + "\"seed\":7.5}"))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo("invalid_type"));
    }
}
