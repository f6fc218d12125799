package dev.llmlab.core.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NormalMathTest {

    /** Reference values from R's pnorm (double precision). */
    @ParameterizedTest(name = "Φ({0}) = {1}")
    @CsvSource({
        "0, 0.5",
        "1, 0.8413447460685429",
        "-1, 0.15865525393145707",
        "1.959963984540054, 0.975",
        "-2.5, 0.006209665325776132",
        "-3, 0.0013498980316300946",
        "-3.5, 2.326290790355250e-04",
        "-5, 2.866515718791939e-07",
        "-10, 7.619853024160527e-24",
        "-20, 2.753624118606233e-89",
        "3, 0.9986501019683699",
    })
    void cdf_matchesReference(double x, double expected) {
        assertThat(NormalMath.cdf(x)).isCloseTo(expected, withinPercentage(1e-10));
    }

    @Test
    void cdf_extremes() {
        assertThat(NormalMath.cdf(Double.NEGATIVE_INFINITY)).isZero();
        assertThat(NormalMath.cdf(Double.POSITIVE_INFINITY)).isEqualTo(1.0);
        assertThat(NormalMath.cdf(-50)).isZero();
    }

    /** Reference values from R's qnorm. */
    @ParameterizedTest(name = "Φ⁻¹({0}) = {1}")
    @CsvSource({
        "0.5, 0",
        "0.9, 1.2815515655446004",
        "0.99, 2.3263478740408408",
        "0.999, 3.090232306167813",
        "0.01, -2.3263478740408408",
        "0.975, 1.959963984540054",
        "0.02, -2.053748910631823",
        "1e-10, -6.361340902404056",
    })
    void quantile_matchesReference(double p, double expected) {
        assertThat(NormalMath.quantile(p)).isCloseTo(expected, within(1e-12 * Math.max(1, Math.abs(expected))));
    }

    @ParameterizedTest
    @ValueSource(doubles = {1e-12, 0.001, 0.0243, 0.0245, 0.3, 0.5, 0.77, 0.9755, 0.99999})
    void quantile_invertsCdf(double p) {
        assertThat(NormalMath.cdf(NormalMath.quantile(p))).isCloseTo(p, withinPercentage(1e-10));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, 1, -0.1, Double.NaN})
    void quantile_outsideOpenUnitInterval_isRejected(double p) {
        assertThatThrownBy(() -> NormalMath.quantile(p)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pdf_matchesDefinition() {
        assertThat(NormalMath.pdf(0)).isCloseTo(1 / Math.sqrt(2 * Math.PI), within(1e-16));
        assertThat(NormalMath.pdf(1.5)).isCloseTo(Math.exp(-1.125) / Math.sqrt(2 * Math.PI), within(1e-16));
    }
}
