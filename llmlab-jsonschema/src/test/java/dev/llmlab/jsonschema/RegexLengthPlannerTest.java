package dev.llmlab.jsonschema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The length planner: which lengths it finds achievable, and that it reaches each of them with a match. */
class RegexLengthPlannerTest {

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
    void generate_boundedLength_hitsEveryAchievableLength(String pattern) {
        Regex rx = Regex.parse(pattern);
        Pattern p = Pattern.compile(pattern);
        SplittableRandom rng = new SplittableRandom(3);
        RegexLengthPlanner planner = new RegexLengthPlanner(rx, 40);
        for (int lo = 0; lo <= 30; lo++) {
            for (int hi = lo; hi <= lo + 3; hi++) {
                String s = planner.generate(rng, lo, hi);
                if (!planner.admits(lo, hi)) {
                    assertThat(s).isNull();
                    continue;
                }
                assertThat(s).as("%s in [%d, %d]", pattern, lo, hi).isNotNull();
                assertThat(s.length()).isBetween(lo, hi);
                assertThat(p.matcher(s).find()).as("%s from %s", s, pattern).isTrue();
            }
        }
    }

    @Test
    void admits_anchoredPattern_exactlyTheLanguagesLengths() {
        // (ab|cde)+ has every length but 1 from 2 on: 2, 3, 4 = 2+2, 5 = 2+3, 6, 7, ...
        RegexLengthPlanner planner = new RegexLengthPlanner(Regex.parse("^(ab|cde)+$"), 20);
        assertThat(planner.admits(0, 1)).isFalse();
        for (int n = 2; n <= 20; n++) {
            assertThat(planner.admits(n, n)).as("length %d", n).isTrue();
        }
        // a fixed alternation has only its alternatives' lengths
        RegexLengthPlanner colors = new RegexLengthPlanner(Regex.parse("^(red|green|blue)$"), 20);
        assertThat(colors.admits(3, 3)).isTrue();
        assertThat(colors.admits(4, 4)).isTrue();
        assertThat(colors.admits(5, 5)).isTrue();
        assertThat(colors.admits(6, 20)).isFalse();
        assertThat(colors.admits(0, 2)).isFalse();
    }

    @Test
    void admits_beyondTheCap_isFalse() {
        RegexLengthPlanner planner = new RegexLengthPlanner(Regex.parse("^a+$"), 10);
        assertThat(planner.admits(10, 10)).isTrue();
        assertThat(planner.admits(11, -1)).isFalse();
        assertThat(planner.generate(new SplittableRandom(1), 11, 20)).isNull();
    }

    @Test
    void generate_unanchoredPattern_padsTheMatchWithWordsOnTheFreeSide() {
        SplittableRandom rng = new SplittableRandom(5);
        RegexLengthPlanner start = new RegexLengthPlanner(Regex.parse("^x"), 40);
        RegexLengthPlanner end = new RegexLengthPlanner(Regex.parse("y$"), 40);
        for (int n = 1; n <= 30; n++) {
            String s = start.generate(rng, n, n);
            assertThat(s).hasSize(n).startsWith("x");
            String e = end.generate(rng, n, n);
            assertThat(e).hasSize(n).endsWith("y");
        }
    }

    @Test
    void generate_repetitionCount_isSplitExactlyAcrossRounds() {
        // {3} of (a|bb): every length from 3 to 6 is reachable, each by a different mix of rounds
        Regex rx = Regex.parse("^(a|bb){3}$");
        RegexLengthPlanner planner = new RegexLengthPlanner(rx, 10);
        SplittableRandom rng = new SplittableRandom(9);
        assertThat(planner.admits(0, 2)).isFalse();
        assertThat(planner.admits(7, 10)).isFalse();
        for (int n = 3; n <= 6; n++) {
            for (int i = 0; i < 20; i++) {
                String s = planner.generate(rng, n, n);
                assertThat(s).hasSize(n).matches("(a|bb){3}");
            }
        }
    }

    @Test
    void generate_sameSeed_sameString() {
        RegexLengthPlanner planner = new RegexLengthPlanner(Regex.parse("^[A-Z]{2}-\\d+$"), 30);
        String a = planner.generate(new SplittableRandom(42), 8, 12);
        String b = planner.generate(new SplittableRandom(42), 8, 12);
        assertThat(a).isEqualTo(b).matches("[A-Z]{2}-\\d{5,9}");
    }
}
