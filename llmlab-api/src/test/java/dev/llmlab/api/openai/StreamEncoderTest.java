package dev.llmlab.api.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.api.FinishReason;
import dev.llmlab.api.GenerationRequest.Endpoint;
import dev.llmlab.api.TokenLogprob;
import dev.llmlab.api.Usage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

class StreamEncoderTest {
    private final StreamEncoder chat =
            new StreamEncoder(Endpoint.CHAT, "chatcmpl-1", 1700000000L, "m\"odel", "fp_1", false);

    private static JsonNode frame(ByteArrayOutputStream out) {
        String s = out.toString(StandardCharsets.UTF_8);
        assertThat(s).startsWith("data: ").endsWith("\n\n");
        assertThat(s.substring(6, s.length() - 2)).doesNotContain("\n");
        return OpenAiRequests.MAPPER.readTree(s.substring(6, s.length() - 2));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "plain",
                " with \"quotes\" and \\ backslash",
                "tab\tnew\nline\r",
                "\u0001\u001f ctl",
                "é ü 中文",
                "emoji \uD83D\uDE00",
                "lone \uD800 surrogate",
                "</script>"
            })
    void content_anyText_roundTripsThroughJson(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        chat.content(out, 3, text, null);
        JsonNode n = frame(out);
        assertThat(n.at("/choices/0/delta/content").stringValue()).isEqualTo(text);
        assertThat(n.at("/choices/0/index").intValue()).isEqualTo(3);
        assertThat(n.get("model").stringValue()).isEqualTo("m\"odel");
        assertThat(n.has("usage")).isFalse();
    }

    @Test
    void content_withLogprobs_writesTheChatLogprobsObject() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        chat.content(
                out,
                0,
                "Hi",
                List.of(new TokenLogprob(
                        "Hi",
                        -0.25,
                        List.of(
                                new TokenLogprob.Alternative("Hi", -0.25),
                                new TokenLogprob.Alternative("Hello", -2.0)))));
        JsonNode lp = frame(out).at("/choices/0/logprobs");
        assertThat(lp.at("/content/0/token").stringValue()).isEqualTo("Hi");
        assertThat(lp.at("/content/0/bytes/0").intValue()).isEqualTo('H');
        assertThat(lp.at("/content/0/top_logprobs/1/token").stringValue()).isEqualTo("Hello");
        assertThat(lp.get("refusal").isNull()).isTrue();
    }

    @Test
    void includeUsage_everyChunkCarriesNullUsage_andUsageChunkHasEmptyChoices() {
        StreamEncoder e = new StreamEncoder(Endpoint.CHAT, "id", 1, "m", "fp", true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        e.finish(out, 0, FinishReason.STOP);
        JsonNode fin = frame(out);
        assertThat(fin.get("usage").isNull()).isTrue();
        assertThat(fin.at("/choices/0/finish_reason").stringValue()).isEqualTo("stop");
        out.reset();
        e.usage(out, new Usage(10, 5, 0));
        JsonNode u = frame(out);
        assertThat(u.get("choices")).isEmpty();
        assertThat(u.at("/usage/total_tokens").intValue()).isEqualTo(15);
    }

    @Test
    void completion_chunksUseTextCompletionShape() {
        StreamEncoder e = new StreamEncoder(Endpoint.COMPLETION, "cmpl-1", 1, "m", "fp", false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        e.content(out, 1, " tok", null);
        JsonNode n = frame(out);
        assertThat(n.get("object").stringValue()).isEqualTo("text_completion");
        assertThat(n.at("/choices/0/text").stringValue()).isEqualTo(" tok");
        assertThat(n.at("/choices/0/index").intValue()).isEqualTo(1);
        assertThat(n.has("service_tier")).isFalse();
    }

    @Test
    void done_isTheOpenAiTerminator() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StreamEncoder.done(out);
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("data: [DONE]\n\n");
    }
}
