package dev.llmlab.bench.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class FractionTest {
    @Test
    void parse_percentagesAndFractionsBelowOne() {
        assertThat(Fraction.parse("10%", "x", true)).isCloseTo(0.10, within(1e-12));
        assertThat(Fraction.parse(" 0.05 ", "x", true)).isCloseTo(0.05, within(1e-12));
        assertThat(Fraction.parse("100%", "x", true)).isEqualTo(1.0);
        assertThat(Fraction.parse("250%", "x", false)).isCloseTo(2.5, within(1e-12));
    }

    @Test
    void parse_aBareNumberOfOneOrMore_isRefusedAsAmbiguous() {
        assertThatThrownBy(() -> Fraction.parse("1", "--max-errors", true))
                .hasMessage("--max-errors: a bare number is a fraction (0.01 = 1%), so '1' would be 100%: "
                        + "write '100%' if you mean that, or a fraction below 1");
        assertThatThrownBy(() -> Fraction.parse("10", "", false)).hasMessageStartingWith("a bare number is a fraction");
    }

    @Test
    void parse_badValues_sayWhatIsWrong() {
        assertThatThrownBy(() -> Fraction.parse("ten", "x", true))
                .hasMessage("x: 'ten' is not a percentage such as 1% or a fraction such as 0.01");
        assertThatThrownBy(() -> Fraction.parse("-1%", "x", true)).hasMessage("x: '-1%' must be >= 0");
        assertThatThrownBy(() -> Fraction.parse("120%", "x", true)).hasMessage("x: '120%' is more than 100%");
    }

    @Test
    void slo_errorRateOfABareOne_isRefusedNotReadAsEveryRequest() {
        assertThatThrownBy(() -> Targets.parse("error_rate<=1", null))
                .hasMessageContaining("SLO 'error_rate<=1'")
                .hasMessageContaining("a bare number is a fraction (0.01 = 1%)");
        assertThat(Targets.parse("error_rate<=1%", null).describe().getFirst().bound())
                .isCloseTo(0.01, within(1e-12));
        assertThat(Targets.parse("error_rate<=0.01", null).describe().getFirst().bound())
                .isCloseTo(0.01, within(1e-12));
    }
}
