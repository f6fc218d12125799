package dev.llmlab.jsonschema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The random walk: generated strings always contain a match, and the knobs steer length as documented. */
class RegexGeneratorTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "^[a-z]+$",
                "^[A-Z]{3}-\\d{4}$",
                "^\\d{5}(-\\d{4})?$",
                "^(red|green|blue)$",
                "[aeiou]",
                "^\\w+@\\w+\\.com$",
                "^#[0-9a-fA-F]{6}$",
                "^(?:\\+1-)?\\d{3}-\\d{4}$",
                "^[^\\s]{3,8}$",
                "^.{2,10}$",
                "ab+c?",
                "^[a-z0-9._-]+$",
                "^(?<year>\\d{4})-(?<month>0[1-9]|1[0-2])$",
                "^\\S+\\s\\S+$",
                "^[\\x41-\\x5A\\u00e9]+$",
                "^a{2,}b*?c+?$",
                "^[\\D\\W]+$",
                "^[^abc]{2}$",
                "x|y|^z$",
                "^\\$\\d+\\.\\d{2}$",
                "^[\\[\\]]+$",
                "^\\t\\n\\r\\f\\v$",
                "^[-a-z]+$",
                "^[a-z-]+$",
                "^\\.$",
                "^[\\w&]+$",
                "^(ab|cd){2,3}$",
                "^(a|)$",
                "()",
                "^$",
                "^[a-z]{0,3}$"
            })
    void generate_supportedPattern_containsAMatch(String pattern) {
        Regex rx = Regex.parse(pattern);
        Pattern p = Pattern.compile(pattern);
        SplittableRandom rng = new SplittableRandom(pattern.hashCode());
        Set<String> distinct = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            for (int bias = -1; bias <= 1; bias++) {
                String s = RegexGenerator.generate(rx, rng, i % 7, bias);
                assertThat(p.matcher(s).find()).as("%s from %s", s, pattern).isTrue();
                distinct.add(s);
            }
        }
        assertThat(distinct).isNotEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"^[a-z]+$", "^\\w{3,6}$", "[a-z]+"})
    void generate_letterRuns_preferDictionaryWords(String pattern) {
        Regex rx = Regex.parse(pattern);
        SplittableRandom rng = new SplittableRandom(11);
        Set<String> words = new HashSet<>(java.util.List.of(Words.WORDS));
        int hits = 0;
        for (int i = 0; i < 200; i++) {
            if (words.contains(RegexGenerator.generate(rx, rng, 3, 0).trim())) {
                hits++;
            }
        }
        assertThat(hits).isGreaterThan(60);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"^(red|green|blue)$", "^a{2,5}b*$", "^\\d{5}(-\\d{4})?$", "^(ab|cde)+$"})
    void generate_shortestBias_givesTheShortestString(String pattern) {
        Regex rx = Regex.parse(pattern);
        SplittableRandom rng = new SplittableRandom(2);
        for (int i = 0; i < 20; i++) {
            assertThat(RegexGenerator.generate(rx, rng, 5, -1)).hasSize(rx.minLength);
        }
    }

    @Test
    void generate_longestBias_takesLongestAlternativeAndAllExtraRounds() {
        SplittableRandom rng = new SplittableRandom(2);
        assertThat(RegexGenerator.generate(Regex.parse("^(red|green|blue)$"), rng, 0, 1))
                .isEqualTo("green");
        assertThat(RegexGenerator.generate(Regex.parse("^x{2,}$"), rng, 4, 1)).isEqualTo("xxxxxx");
        assertThat(RegexGenerator.generate(Regex.parse("^x{2,3}$"), rng, 4, 1)).isEqualTo("xxx");
    }

    @Test
    void generate_extra_boundsUnboundedRepetitions() {
        Regex rx = Regex.parse("^\\d+$");
        SplittableRandom rng = new SplittableRandom(4);
        for (int i = 0; i < 200; i++) {
            assertThat(RegexGenerator.generate(rx, rng, 3, 0).length()).isBetween(1, 4);
        }
    }

    @Test
    void generate_anchoredBothEnds_isNeverPadded() {
        Regex rx = Regex.parse("^[0-9]{3}$");
        SplittableRandom rng = new SplittableRandom(6);
        for (int i = 0; i < 200; i++) {
            assertThat(RegexGenerator.generate(rx, rng, 3, 0)).matches("[0-9]{3}");
        }
    }

    @Test
    void generate_unanchored_isSometimesPaddedWithWords() {
        Regex rx = Regex.parse("[0-9]{3}");
        SplittableRandom rng = new SplittableRandom(6);
        int padded = 0;
        for (int i = 0; i < 200; i++) {
            String s = RegexGenerator.generate(rx, rng, 3, 0);
            assertThat(Pattern.compile("[0-9]{3}").matcher(s).find()).isTrue();
            if (s.length() > 3) {
                padded++;
            }
        }
        assertThat(padded).isBetween(20, 100); // a quarter, by design
    }

    @Test
    void generate_sameSeed_sameString() {
        Regex rx = Regex.parse("^(?:[A-Z][a-z]*)( [A-Z][a-z]*)*$");
        assertThat(RegexGenerator.generate(rx, new SplittableRandom(8), 4, 0))
                .isEqualTo(RegexGenerator.generate(rx, new SplittableRandom(8), 4, 0));
    }
}
