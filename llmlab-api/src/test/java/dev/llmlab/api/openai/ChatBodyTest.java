package dev.llmlab.api.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.llmlab.api.ApiException;
import dev.llmlab.api.GenerationRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The streaming fast path must parse to exactly what the whole-tree path gives, errors included. */
class ChatBodyTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "{\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},{\"role\":\"user\",\"content\":\"é\\n\\\"x\\\"\","
                        + "\"name\":\"bob\"}],\"model\":\"m\",\"max_tokens\":5,\"seed\":3,\"stream\":true,"
                        + "\"stream_options\":{\"include_usage\":true},\"unknown\":[1,{\"a\":null}]}",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"parts\"}]}]}",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"tool\",\"content\":\"x\",\"tool_call_id\":\"c\"}]}",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c\","
                        + "\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}]}",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}]}",
                "{\"model\":\"m\",\"messages\":[]}",
                "{\"model\":\"m\",\"messages\":\"hi\"}",
                "{\"model\":\"m\"}",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":3}",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"messages\":[{\"role\":\"user\","
                        + "\"content\":\"again\"}]}",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} trailing",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}",
                "[1]",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":99999999999}",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":1e2}",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"seed\":123456789012345678901234}",
                "{\"model\":null,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":\"yes\"}",
                ""
            })
    void read_sameRequestOrErrorAsTheTreePath(String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        Object fast = outcome(() -> OpenAiRequests.parseChat(ChatBody.read(b, 0, b.length)));
        Object tree = outcome(() -> OpenAiRequests.parseChat(OpenAiRequests.readBody(b, 0, b.length)));
        assertThat(fast).isEqualTo(tree);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"a\":1,\"b\":-2147483649,"
                        + "\"c\":123456789012345678901234,\"d\":0.5,\"e\":-1e300,\"f\":true,\"g\":false,\"h\":null,"
                        + "\"i\":\"s\\u00e9\",\"j\":[1,2.5,\"x\"],\"k\":{\"l\":{}},\"m\":2147483647}"
            })
    void read_topLevelFieldsAreTheNodesTheTreeReaderMakes(String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        ChatBody fast = ChatBody.read(b, 0, b.length);
        assertThat(fast.messages()).isNotNull(); // the fast path really ran
        tools.jackson.databind.node.ObjectNode tree =
                (tools.jackson.databind.node.ObjectNode) OpenAiRequests.readBody(b, 0, b.length);
        tree.remove("messages");
        // JsonNode equality is type-sensitive: an IntNode never equals a LongNode of the same value.
        assertThat(fast.root()).isEqualTo(tree);
        assertThat(fast.root().get("b").isLong()).isTrue();
        assertThat(fast.root().get("c").isBigInteger()).isTrue();
    }

    private static Object outcome(java.util.function.Supplier<GenerationRequest> parse) {
        ApiException e = catchThrowableOfType(ApiException.class, parse::get);
        if (e == null) return parse.get();
        return e.status() + " " + e.param() + " " + e.code() + " " + e.getMessage();
    }
}
