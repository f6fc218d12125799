package dev.llmlab.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Percentage.withPercentage;

import dev.llmlab.core.random.Seeds;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ArrivalsTest {
    static final int N = 200_000;

    /** Mean and squared coefficient of variation of N gaps at 1,000 per second. */
    static double[] moments(Arrivals a, long seed) {
        RandomGenerator rng = Seeds.rng(seed);
        double sum = 0;
        double sq = 0;
        for (int i = 0; i < N; i++) {
            double g = a.nextGapSeconds(rng, 1000);
            sum += g;
            sq += g * g;
        }
        double mean = sum / N;
        double var = sq / N - mean * mean;
        return new double[] {mean, var / (mean * mean)};
    }

    @Test
    void poisson_hasMeanOneOverRateAndVarianceItsSquare() {
        double[] m = moments(Arrivals.poisson(), 1);
        assertThat(m[0]).isCloseTo(0.001, withPercentage(1));
        assertThat(m[1]).isCloseTo(1.0, withPercentage(3));
    }

    @ParameterizedTest
    @CsvSource({"0.25, 11", "0.5, 12", "1, 13", "4, 14"})
    void gamma_hasTheRateAndCvSquaredOfOneOverBurstiness(double k, long seed) {
        double[] m = moments(Arrivals.gamma(k), seed);
        assertThat(m[0]).isCloseTo(0.001, withPercentage(1.5));
        assertThat(m[1]).isCloseTo(1 / k, withPercentage(5));
    }

    @Test
    void constant_isExact() {
        assertThat(Arrivals.constant().nextGapSeconds(Seeds.rng(1), 250)).isEqualTo(0.004);
    }

    @Test
    void badNames_andBurstiness_areRefused() {
        assertThatThrownBy(() -> Arrivals.parse("bursty", 1)).hasMessageContaining("constant, poisson or gamma");
        assertThatThrownBy(() -> Arrivals.gamma(0)).hasMessageContaining("burstiness");
    }
}
