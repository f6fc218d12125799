package dev.llmlab.api.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.api.Choice;
import dev.llmlab.api.Completion;
import dev.llmlab.api.FinishReason;
import dev.llmlab.api.ToolCall;
import dev.llmlab.api.Usage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The template must write exactly the bytes the general Jackson encoder writes. */
class ChatCompletionTemplateTest {
    private static final String ALPHABET = "abc XYZ 019 \"\\/\n\r\t\u0001\u001f é中🎉{}[]:,";

    private static String text(SplittableRandom r) {
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(40);
        for (int i = 0; i < n; i++) {
            int at = r.nextInt(ALPHABET.length());
            if (Character.isHighSurrogate(ALPHABET.charAt(at))) sb.append(ALPHABET, at, at + 2);
            else if (!Character.isLowSurrogate(ALPHABET.charAt(at))) sb.append(ALPHABET.charAt(at));
        }
        return sb.toString();
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void write_randomCompletion_sameBytesAsJackson(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Choice> choices = new ArrayList<>();
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) {
            if (r.nextBoolean()) {
                choices.add(new Choice(i, text(r), List.of(), FinishReason.values()[r.nextInt(3)], null));
            } else {
                List<ToolCall> calls = new ArrayList<>();
                for (int t = 0; t <= r.nextInt(2); t++) calls.add(new ToolCall("call_" + text(r), "f" + t, text(r)));
                choices.add(new Choice(i, null, calls, FinishReason.TOOL_CALLS, null));
            }
        }
        Completion c = new Completion(
                "chatcmpl-" + seed,
                r.nextLong(0, 4_000_000_000L),
                "m\"" + text(r),
                "fp_" + seed,
                choices,
                new Usage(r.nextInt(100_000), r.nextInt(100_000), r.nextInt(10)));
        ByteArrayOutputStream template = new ByteArrayOutputStream();
        ByteArrayOutputStream jackson = new ByteArrayOutputStream();
        ChatCompletionTemplate.write(template, c);
        OpenAiResponses.writeChatCompletionWithJackson(jackson, c);
        assertThat(template.toString(StandardCharsets.UTF_8)).isEqualTo(jackson.toString(StandardCharsets.UTF_8));
    }
}
