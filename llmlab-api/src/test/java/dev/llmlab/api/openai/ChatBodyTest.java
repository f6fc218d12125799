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
  @ValueSource(strings = {
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
      ""})
  void read_sameRequestOrErrorAsTheTreePath(String json) {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    Object fast = outcome(() -> OpenAiRequests.parseChat(ChatBody.read(b, 0, b.length)));
    Object tree = outcome(() -> OpenAiRequests.parseChat(OpenAiRequests.readBody(b, 0, b.length)));
    assertThat(fast).isEqualTo(tree);
  }

  private static Object outcome(java.util.function.Supplier<GenerationRequest> parse) {
    ApiException e = catchThrowableOfType(ApiException.class, parse::get);
    if (e == null) return parse.get();
    return e.status() + " " + e.param() + " " + e.code() + " " + e.getMessage();
  }
}
