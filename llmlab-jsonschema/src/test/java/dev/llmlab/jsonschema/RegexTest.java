package dev.llmlab.jsonschema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The regex subset: generated strings always contain a match; constructs outside the subset are refused. */
class RegexTest {

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
                String s = rx.generate(rng, i % 7, bias);
                assertThat(p.matcher(s).find()).as("%s from %s", s, pattern).isTrue();
                distinct.add(s);
            }
        }
        assertThat(distinct).isNotEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "^[a-z]+$",
                "^(ab|cde)+$",
                "^\\d{5}(-\\d{4})?$",
                "[aeiou]",
                "^x",
                "y$",
                "^(red|green|blue)$",
                "^a?b?c?d?$",
                "^(?:[A-Z][a-z]*)( [A-Z][a-z]*)*$"
            })
    void sized_generate_hitsEveryAchievableLength(String pattern) {
        Regex rx = Regex.parse(pattern);
        Pattern p = Pattern.compile(pattern);
        SplittableRandom rng = new SplittableRandom(3);
        Regex.Sized sized = new Regex.Sized(rx, 40);
        for (int lo = 0; lo <= 30; lo++) {
            for (int hi = lo; hi <= lo + 3; hi++) {
                String s = sized.generate(rng, lo, hi);
                if (!sized.admits(lo, hi)) {
                    assertThat(s).isNull();
                    continue;
                }
                assertThat(s).as("%s in [%d, %d]", pattern, lo, hi).isNotNull();
                assertThat(s.length()).isBetween(lo, hi);
                assertThat(p.matcher(s).find()).as("%s from %s", s, pattern).isTrue();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "(?=a)b", "(?!a)b", "(?<=a)b", "(?<!a)b", "(a)\\1", "\\bword", "\\Bx", "a*+", "a++", "a^b", "a$b",
                        "(^a)",
                "\\p{L}+", "\\P{L}", "(?i)abc", "[a[b]]", "[a&&b]", "\\cA", "\\Qa\\E", "\\k<n>", "\\Z", "\\A", "\\G",
                        "[]a]",
                "a{1001}", "\\e", "\\R", "[^\\x20-\\x7E]", "a{2}{3}"
            })
    void parse_unsupportedConstruct_isRefusedWithIndex(String pattern) {
        assertThatThrownBy(() -> {
                    Pattern.compile(pattern); // only patterns Java accepts reach the subset check
                    Regex.parse(pattern);
                })
                .satisfiesAnyOf(
                        e -> assertThat(e).isInstanceOf(java.util.regex.PatternSyntaxException.class),
                        e -> assertThat(e)
                                .isInstanceOf(IllegalArgumentException.class)
                                .hasMessageContaining("at index"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"^[a-z]+$", "^\\w{3,6}$", "[a-z]+"})
    void generate_letterRuns_preferDictionaryWords(String pattern) {
        Regex rx = Regex.parse(pattern);
        SplittableRandom rng = new SplittableRandom(11);
        Set<String> words = new HashSet<>(java.util.List.of(Words.WORDS));
        int hits = 0;
        for (int i = 0; i < 200; i++) {
            if (words.contains(rx.generate(rng, 3, 0).trim())) {
                hits++;
            }
        }
        assertThat(hits).isGreaterThan(60);
    }
}
