package dev.llmlab.sim.text;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.core.random.Seeds;
import dev.llmlab.core.token.Tokenizer;
import dev.llmlab.core.token.Tokenizers;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NaturalTextTest {

    static Stream<Arguments> cases() {
        return Stream.of("cl100k_base", "o200k_base")
                .flatMap(enc -> IntStream.range(0, 40).mapToObj(seed -> Arguments.of(enc, seed)));
    }

    /** The property the whole token accounting rests on: each piece is one token of the real BPE. */
    @ParameterizedTest
    @MethodSource("cases")
    void next_piecesAreExactlyTheTokensOfTheText(String encoding, int seed) {
        Tokenizer tok = Tokenizers.forEncoding(encoding);
        var rng = Seeds.rng(seed);
        int length = 1 + rng.nextInt(400);
        NaturalText text = new NaturalText(Vocabulary.of(tok), rng, length);
        StringBuilder sb = new StringBuilder();
        int pieces = 0;
        for (String p = text.next(); p != null; p = text.next()) {
            sb.append(p);
            pieces++;
        }
        assertThat(pieces).isEqualTo(length);
        assertThat(tok.count(sb.toString())).as("tokens of: %s", sb).isEqualTo(length);
        if (length > 1) assertThat(sb.toString()).endsWith(".");
        assertThat(Character.isUpperCase(sb.charAt(0))).isTrue();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void next_sameSeedSameText_otherSeedOtherText(String encoding, int seed) {
        Vocabulary v = Vocabulary.of(Tokenizers.forEncoding(encoding));
        assertThat(render(v, seed, 50)).isEqualTo(render(v, seed, 50)).isNotEqualTo(render(v, seed + 1000, 50));
    }

    private static String render(Vocabulary v, long seed, int n) {
        NaturalText t = new NaturalText(v, Seeds.rng(seed), n);
        StringBuilder sb = new StringBuilder();
        for (String p = t.next(); p != null; p = t.next()) sb.append(p);
        return sb.toString();
    }
}
