package dev.llmlab.jsonschema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Generated format values are valid, and hit requested lengths where the format allows. */
class FormatsTest {

    @ParameterizedTest
    @EnumSource(Formats.Kind.class)
    void generate_anyKind_isValid(Formats.Kind kind) {
        SplittableRandom rng = new SplittableRandom(kind.ordinal());
        for (int i = 0; i < 500; i++) {
            String s = Formats.generate(kind, rng);
            assertThat(Formats.valid(kind, s)).as("%s %s", kind, s).isTrue();
            assertThat(s.length()).isBetween(kind.minLength, kind.maxLength);
        }
    }

    @ParameterizedTest
    @EnumSource(Formats.Kind.class)
    void generate_withLengthBounds_fitsWhereTheFormatAllows(Formats.Kind kind) {
        SplittableRandom rng = new SplittableRandom(kind.ordinal() + 100);
        for (int lo = 0; lo <= 60; lo++) {
            for (int hi : new int[] {lo, lo + 1, lo + 5, -1}) {
                String s = Formats.generate(kind, rng, lo, hi);
                assertThat(Formats.valid(kind, s))
                        .as("%s [%d, %d] %s", kind, lo, hi, s)
                        .isTrue();
                boolean reachable =
                        Math.max(lo, kind.minLength) <= Math.min(hi < 0 ? Integer.MAX_VALUE : hi, kind.maxLength);
                boolean fixedShape = kind == Formats.Kind.DATE || kind == Formats.Kind.UUID;
                // "...:05Z" and "...:05.5Z": no date-time of length 21, no time of length 10
                boolean gapAt = (kind == Formats.Kind.DATE_TIME && lo == 21 && hi == 21)
                        || (kind == Formats.Kind.TIME && lo == 10 && hi == 10);
                if (reachable && !fixedShape && !gapAt) {
                    assertThat(s.length()).as("%s [%d, %d] %s", kind, lo, hi, s).isGreaterThanOrEqualTo(lo);
                    if (hi >= 0) {
                        assertThat(s.length())
                                .as("%s [%d, %d] %s", kind, lo, hi, s)
                                .isLessThanOrEqualTo(hi);
                    }
                }
            }
        }
    }

    @Test
    void generate_ipv6_everyLengthFrom3To39() {
        SplittableRandom rng = new SplittableRandom(1);
        for (int n = 3; n <= 39; n++) {
            String s = Formats.generate(Formats.Kind.IPV6, rng, n, n);
            assertThat(s).hasSize(n);
            assertThat(Formats.ipv6(s)).as(s).isTrue();
        }
    }
}
