package dev.llmlab.jsonschema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The parser: the lengths and anchors it reads off a pattern, its character sets, and what it refuses. */
class RegexParserTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = ' ',
            value = {
                // pattern min max anchoredStart anchoredEnd
                "abc 3 3 false false",
                "^a{2,4}$ 2 4 true true",
                "^(ab|cde)+$ 2 -1 true true",
                "^\\d{5}(-\\d{4})?$ 5 10 true true",
                "x|y|^z$ 1 1 true true",
                "^x 1 1 true false",
                "y*$ 0 -1 false true",
                "(?:a|bc)? 0 2 false false",
                "(?<n>ab){3} 6 6 false false",
                "^$ 0 0 true true",
                "a{0} 0 0 false false"
            })
    void parse_pattern_readsLengthsAndAnchors(String pattern, int min, int max, boolean start, boolean end) {
        Regex rx = RegexParser.parse(pattern);
        assertThat(rx.minLength).isEqualTo(min);
        assertThat(rx.maxLength).isEqualTo(max < 0 ? Regex.INF : max);
        assertThat(rx.anchoredStart).isEqualTo(start);
        assertThat(rx.anchoredEnd).isEqualTo(end);
        assertThat(rx.maxMatchingLength()).isEqualTo(start && end ? rx.maxLength : Regex.INF);
        assertThat(rx).hasToString(pattern);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"[^a-z]", "\\D", "\\W", "\\S", ".", "[^\\d\\s]"})
    void parse_negatedOrDotClass_drawsOnlyPrintableAsciiInTheClass(String cls) {
        Regex rx = RegexParser.parse(cls);
        Regex.Chars chars = (Regex.Chars) rx.root;
        Pattern p = Pattern.compile(cls);
        for (int i = 0; i < chars.ranges().length; i++) {
            assertThat(chars.ranges()[i]).isBetween(0x20, 0x7E);
        }
        for (int cp = 0x20; cp <= 0x7E; cp++) {
            if (chars.contains(cp)) {
                assertThat(p.matcher(Character.toString(cp)).matches())
                        .as("%s drawn for %s", Character.toString(cp), cls)
                        .isTrue();
            }
        }
        assertThat(chars.size()).isPositive();
    }

    @Test
    void parse_classWithRangesAndEscapes_mergesThem() {
        Regex.Chars chars = (Regex.Chars) RegexParser.parse("[a-fc-k\\d_\\x41]").root;
        assertThat(chars.ranges()).containsExactly('0', '9', 'A', 'A', '_', '_', 'a', 'k');
        assertThat(chars.size()).isEqualTo(10 + 1 + 1 + 11);
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < 100; i++) {
            assertThat(chars.contains(chars.pick(rng))).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "(?=a)b|a look-around, inline flag or special group '(?'|0",
                "ab\\1|the escape \\1|2",
                "a*+|a possessive quantifier|2",
                "a^b|'^' not at the start of the pattern|1",
                "[a&&b]|class intersection '&&'|2",
                "x{1001}|a repetition count above 1000|1",
                "[]a]|']' first in a class|1",
                "\\p{L}|the escape \\p|0"
            })
    void parse_unsupportedConstruct_namesItAndItsIndex(String pattern, String what, int index) {
        Pattern.compile(pattern); // Java accepts it: only the subset check refuses it
        assertThatThrownBy(() -> RegexParser.parse(pattern))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(what)
                .hasMessageContaining("at index " + index)
                .hasMessageContaining("outside the supported regex subset");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "(?=a)b", "(?!a)b", "(?<=a)b", "(?<!a)b", "(a)\\1", "\\bword", "\\Bx", "a*+", "a++", "a^b", "a$b",
                "(^a)", "\\p{L}+", "\\P{L}", "(?i)abc", "[a[b]]", "[a&&b]", "\\cA", "\\Qa\\E", "\\k<n>", "\\Z", "\\A",
                "\\G", "[]a]", "a{1001}", "\\e", "\\R", "[^\\x20-\\x7E]", "a{2}{3}"
            })
    void parse_unsupportedConstruct_isRefusedWithIndex(String pattern) {
        assertThatThrownBy(() -> {
                    Pattern.compile(pattern); // only patterns Java accepts reach the subset check
                    RegexParser.parse(pattern);
                })
                .satisfiesAnyOf(
                        e -> assertThat(e).isInstanceOf(java.util.regex.PatternSyntaxException.class),
                        e -> assertThat(e)
                                .isInstanceOf(IllegalArgumentException.class)
                                .hasMessageContaining("at index"));
    }
}
