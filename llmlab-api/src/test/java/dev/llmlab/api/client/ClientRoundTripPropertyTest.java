package dev.llmlab.api.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.api.FinishReason;
import dev.llmlab.api.Usage;
import dev.llmlab.api.client.Simulated.Planned;
import dev.llmlab.api.client.internal.ClientJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Seeded random answers (texts and tool arguments with escapes, control characters, line
 * separators, accents, CJK and emoji, cut into pieces at random code point boundaries) through
 * the simulator's encoders and back through the decoders, streamed and whole, on every API.
 */
class ClientRoundTripPropertyTest {
    private static final int[] PALETTE = {
        'a', 'z', 'Q', ' ', ' ', '.', '"', '\\', '/', '\n', '\t', '\r', 0x00, 0x01, 0x1f, 0x7f, 'é', 'ü', 'ß', '€', '中',
        '文', 0x2028, 0x2029, 0xfeff, 0x1f600, 0x1f389, 0x10ffff, '<', '&', '\''
    };

    @ParameterizedTest
    @EnumSource(
            value = ClientApi.class,
            names = {"OPENAI_EMBEDDINGS"},
            mode = EnumSource.Mode.EXCLUDE)
    void randomAnswers_roundTrip(ClientApi api) {
        SplittableRandom rnd = new SplittableRandom(0x5eed ^ api.ordinal());
        for (int i = 0; i < 60; i++) {
            boolean call = api != ClientApi.OPENAI_COMPLETIONS && rnd.nextBoolean();
            Planned p;
            if (call) {
                p = Planned.call(
                        "call_" + i, "fn_" + i, pieces(rnd, arguments(rnd)).toArray(String[]::new));
            } else {
                FinishReason reason = rnd.nextBoolean() ? FinishReason.STOP : FinishReason.LENGTH;
                p = Planned.text(
                        reason,
                        null,
                        pieces(rnd, text(rnd, 1 + rnd.nextInt(40))).toArray(String[]::new));
            }
            int prompt = rnd.nextInt(100_000);
            Simulated answer =
                    new Simulated(List.of(p), new Usage(prompt, rnd.nextInt(5_000), rnd.nextInt(prompt + 1)));
            for (boolean stream : new boolean[] {true, false}) {
                AnswerBuilder got = ClientRoundTripTest.decode(api, stream, answer);
                assertThat(got.completion().choices())
                        .as("seed case %d, stream=%s", i, stream)
                        .isEqualTo(ClientRoundTripTest.expectedChoices(api, answer));
                assertThat(got.completion().usage()).isEqualTo(answer.usage());
            }
        }
    }

    private static String text(SplittableRandom rnd, int codePoints) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < codePoints; i++) b.appendCodePoint(PALETTE[rnd.nextInt(PALETTE.length)]);
        return b.toString();
    }

    /** A JSON object as the simulator's argument generator writes it: compact, keys in order. */
    private static String arguments(SplittableRandom rnd) {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("s", text(rnd, rnd.nextInt(12)));
        args.put("n", rnd.nextInt(-1000, 1000));
        args.put("x", rnd.nextBoolean() ? 1.5 : -0.25);
        args.put("nested", Map.of("list", List.of(text(rnd, 3), rnd.nextInt(10), true)));
        return ClientJson.MAPPER.writeValueAsString(args);
    }

    /** {@code s} cut into non-empty pieces at code point boundaries. */
    private static List<String> pieces(SplittableRandom rnd, String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            int n = 1 + rnd.nextInt(6);
            int end = i;
            for (int k = 0; k < n && end < s.length(); k++) end += Character.charCount(s.codePointAt(end));
            out.add(s.substring(i, end));
            i = end;
        }
        return out;
    }
}
