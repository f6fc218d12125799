package dev.llmlab.core.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.llmlab.core.dist.Distributions.Unit;
import dev.llmlab.core.random.Seeds;
import java.util.Arrays;
import java.util.Map;
import java.util.random.RandomGenerator;
import java.util.stream.DoubleStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class DistributionsTest {

    private static final int DRAWS = 200_000;
    private static final long SEED = 20240601L;
    private static final double Z90 = 1.2815515655446004;
    private static final double Z99 = 2.3263478740408408;

    /**
     * One row per kind and parametrisation: the spec, its unit, the exact mean, and percentiles
     * (probability -> value) derived by hand from the parameters.
     */
    static Stream<Arguments> kinds() {
        double truncMedian = 10 + 10 * NormalMath.quantile(NormalMath.cdf(-1) + 0.5 * NormalMath.cdf(1));
        return Stream.of(
                Arguments.of("uniform(min=10ms,max=30ms)", Unit.SECONDS, 0.020, Map.of(0.5, 0.020, 0.9, 0.028)),
                Arguments.of("uniform(min=10, max=100)", Unit.COUNT, 55.0, Map.of(0.1, 19.0, 0.5, 55.0)),
                // Five standard deviations above 0, truncation still lifts the mean by 0.02·φ(5)/Φ(5).
                Arguments.of(
                        "normal(mean=100ms,stddev=20ms)",
                        Unit.SECONDS,
                        0.100 + 0.020 * 1.486719940904906e-6,
                        Map.of(0.5, 0.100, 0.9, 0.100 + 0.020 * Z90)),
                // Truncation at 0 shifts the mean up: 10 + 10·φ(1)/Φ(1).
                Arguments.of("normal(mean=10,stddev=10)", Unit.COUNT, 12.87599970938971, Map.of(0.5, truncMedian)),
                Arguments.of(
                        "lognormal(median=80ms,sigma=0.5)",
                        Unit.SECONDS,
                        0.080 * Math.exp(0.125),
                        Map.of(0.5, 0.080, 0.99, 0.080 * Math.exp(0.5 * Z99))),
                Arguments.of(
                        "lognormal(p50=80ms,p99=300ms)",
                        Unit.SECONDS,
                        0.080 * Math.exp(Math.pow(Math.log(300.0 / 80) / Z99, 2) / 2),
                        Map.of(0.5, 0.080, 0.99, 0.300)),
                Arguments.of(
                        "lognormal(mean=100ms,stddev=40ms)",
                        Unit.SECONDS,
                        0.100,
                        Map.of(0.5, 0.100 / Math.sqrt(1 + 0.16))),
                Arguments.of(
                        "exponential(mean=20ms)",
                        Unit.SECONDS,
                        0.020,
                        Map.of(0.5, 0.020 * Math.log(2), 0.99, 0.020 * Math.log(100))),
                Arguments.of(
                        "pareto(scale=10ms,shape=2.5)",
                        Unit.SECONDS,
                        2.5 * 0.010 / 1.5,
                        Map.of(0.5, 0.010 * Math.pow(2, 1 / 2.5), 0.9, 0.010 * Math.pow(10, 1 / 2.5))),
                Arguments.of(
                        "pareto(scale=100,shape=3.5)",
                        Unit.COUNT,
                        3.5 * 100 / 2.5,
                        Map.of(0.5, 100 * Math.pow(2, 1 / 3.5))),
                Arguments.of(
                        "empirical(p50=80ms,p90=150ms,p99=400ms)",
                        Unit.SECONDS,
                        Double.NaN,
                        Map.of(0.5, 0.080, 0.9, 0.150, 0.99, 0.400)),
                Arguments.of(
                        "empirical(p10=20, p50=100, p75=180, p99.9=2000)",
                        Unit.COUNT,
                        Double.NaN,
                        Map.of(0.1, 20.0, 0.5, 100.0, 0.75, 180.0, 0.999, 2000.0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void sample_matchesParameters(String spec, Unit unit, double mean, Map<Double, Double> percentiles) {
        Distribution d = Distributions.parse(spec, unit);
        double[] draws = draw(d, Seeds.rng(SEED), DRAWS);

        if (!Double.isNaN(mean)) {
            assertThat(d.mean()).as("exact mean").isCloseTo(mean, withinPercentage(1e-6));
        }
        double sampleMean = DoubleStream.of(draws).average().orElseThrow();
        assertThat(sampleMean).as("sample mean").isCloseTo(d.mean(), withinPercentage(2));

        double[] sorted = draws.clone();
        Arrays.sort(sorted);
        percentiles.forEach((p, v) -> assertThat(percentile(sorted, p))
                .as("p%s", p * 100)
                .isCloseTo(v, withinPercentage(p >= 0.999 ? 8 : p >= 0.99 ? 4 : 2)));
        assertThat(sorted[0]).as("minimum").isGreaterThanOrEqualTo(0.0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void sample_sameSeed_reproducesDraws(String spec, Unit unit) {
        Distribution d = Distributions.parse(spec, unit);
        assertThat(draw(d, Seeds.rng(7), 1000)).containsExactly(draw(d, Seeds.rng(7), 1000));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void sample_drawsAreNotAllEqual(String spec, Unit unit) {
        Distribution d = Distributions.parse(spec, unit);
        assertThat(DoubleStream.of(draw(d, Seeds.rng(7), 1000)).distinct().count())
                .isGreaterThan(990);
        assertThat(draw(d, Seeds.rng(8), 10)).isNotEqualTo(draw(d, Seeds.rng(7), 10));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void describe_roundTripsThroughParse(String spec, Unit unit) {
        Distribution d = Distributions.parse(spec, unit);
        Distribution again = Distributions.parse(d.describe(), unit);
        assertThat(again).isEqualTo(d);
        assertThat(again.describe()).isEqualTo(d.describe()).doesNotContain(" ");
        assertThat(again.mean()).isEqualTo(d.mean());
    }

    @Test
    void fixed_alwaysReturnsValue() {
        for (Distribution d : new Distribution[] {
            Distributions.parse("20ms", Unit.SECONDS),
            Distributions.parse(" fixed( value = 20ms ) ", Unit.SECONDS),
            Distributions.parse("FIXED(VALUE=20ms)", Unit.SECONDS)
        }) {
            assertThat(draw(d, Seeds.rng(1), 100)).containsOnly(0.020);
            assertThat(d.mean()).isEqualTo(0.020);
            assertThat(d.describe()).isEqualTo("fixed(value=20ms)");
        }
        assertThat(Distributions.parse("128", Unit.COUNT).describe()).isEqualTo("fixed(value=128)");
        assertThat(Distributions.parse("0", Unit.SECONDS).sample(Seeds.rng(1))).isZero();
        assertThat(Distributions.fixed(2.5).sample(Seeds.rng(1))).isEqualTo(2.5);
    }

    @Test
    void factories_matchParsedSpecs() {
        RandomGenerator a = Seeds.rng(3);
        RandomGenerator b = Seeds.rng(3);
        assertThat(Distributions.lognormalFromMedianP99(80, 300).describe()).isEqualTo("lognormal(p50=80,p99=300)");
        assertThat(Distributions.lognormalFromMedianP99(80, 300).sample(a))
                .isEqualTo(Distributions.parse("lognormal(p50=80,p99=300)", Unit.COUNT)
                        .sample(b));
        assertThat(Distributions.uniform(1, 2)).isEqualTo(Distributions.parse("uniform(min=1,max=2)", Unit.COUNT));
        assertThat(Distributions.normal(5, 1).describe()).isEqualTo("normal(mean=5,stddev=1)");
        assertThat(Distributions.exponential(0.5).describe()).isEqualTo("exponential(mean=0.5)");
        assertThat(Distributions.pareto(1, 1.5).describe()).isEqualTo("pareto(scale=1,shape=1.5)");
        assertThat(Distributions.empirical(new double[] {0.99, 0.5}, new double[] {9, 3})
                        .describe())
                .isEqualTo("empirical(p50=3,p99=9)");
    }

    @Test
    void lognormal_muSigma_hasMedianExpMu() {
        Distribution d = Distributions.lognormal(Math.log(50), 0.4);
        assertThat(d.mean()).isCloseTo(50 * Math.exp(0.08), withinPercentage(1e-9));
        assertThat(d.describe()).startsWith("lognormal(median=").endsWith(",sigma=0.4)");
        assertThat(Distributions.parse(d.describe(), Unit.COUNT).mean()).isCloseTo(d.mean(), withinPercentage(1e-9));
        double[] sorted = draw(d, Seeds.rng(SEED), DRAWS);
        Arrays.sort(sorted);
        assertThat(percentile(sorted, 0.5)).isCloseTo(50, withinPercentage(1));
    }

    @Test
    void lognormal_equalP50AndP99_isFixed() {
        Distribution d = Distributions.lognormalFromMedianP99(80, 80);
        for (double x : draw(d, Seeds.rng(1), 10)) {
            assertThat(x).isCloseTo(80, within(1e-9));
        }
    }

    @Test
    void pareto_shapeAtMostOne_hasInfiniteMean() {
        assertThat(Distributions.pareto(1, 1).mean()).isInfinite();
        assertThat(Distributions.pareto(1, 0.5).sample(Seeds.rng(1))).isGreaterThanOrEqualTo(1);
    }

    @Test
    void normal_meanZero_neverNegativeAndMeanIsHalfNormal() {
        Distribution d = Distributions.normal(0, 1);
        // Truncating N(0,1) at 0 gives the half-normal, mean sqrt(2/π); clamping after 16 tries
        // removes only a 2^-16 share of it.
        assertThat(d.mean()).isCloseTo(Math.sqrt(2 / Math.PI) * (1 - Math.pow(0.5, 16)), within(1e-12));
        double[] draws = draw(d, Seeds.rng(SEED), DRAWS);
        assertThat(DoubleStream.of(draws).min().orElseThrow()).isGreaterThanOrEqualTo(0);
        assertThat(DoubleStream.of(draws).average().orElseThrow()).isCloseTo(d.mean(), withinPercentage(1));
    }

    @Test
    void normal_zeroStddev_isFixed() {
        assertThat(Distributions.normal(3, 0).mean()).isEqualTo(3);
        assertThat(draw(Distributions.normal(3, 0), Seeds.rng(1), 10)).containsOnly(3.0);
    }

    @Test
    void empirical_matchesGivenPercentilesExactly() {
        Distribution d = Distributions.parse("empirical(p50=80ms,p90=150ms,p99=400ms)", Unit.SECONDS);
        // The sample at z = Φ⁻¹(p) is the given value; test through the model's own mapping by
        // feeding a generator whose next Gaussian is exactly that z.
        assertThat(d.sample(gaussianAt(NormalMath.quantile(0.5)))).isCloseTo(0.080, within(1e-12));
        assertThat(d.sample(gaussianAt(NormalMath.quantile(0.9)))).isCloseTo(0.150, within(1e-12));
        assertThat(d.sample(gaussianAt(NormalMath.quantile(0.99)))).isCloseTo(0.400, within(1e-12));
    }

    @Test
    void empirical_meanMatchesNumericIntegration() {
        Distribution d = Distributions.parse("empirical(p50=80ms,p90=150ms,p99=400ms)", Unit.SECONDS);
        // Trapezoid rule over E[X] = ∫ x(z) φ(z) dz, with x(z) taken from the sampler itself.
        double sum = 0;
        double h = 1e-4;
        for (double z = -12; z <= 12; z += h) {
            sum += d.sample(gaussianAt(z)) * NormalMath.pdf(z) * h;
        }
        assertThat(d.mean()).isCloseTo(sum, withinPercentage(1e-4));
    }

    @Test
    void empirical_twoPoints_equalsLognormalThroughThem() {
        Distribution empirical = Distributions.parse("empirical(p50=80ms,p99=300ms)", Unit.SECONDS);
        Distribution lognormal = Distributions.parse("lognormal(p50=80ms,p99=300ms)", Unit.SECONDS);
        assertThat(empirical.mean()).isCloseTo(lognormal.mean(), withinPercentage(1e-9));
        assertThat(empirical.sample(Seeds.rng(5))).isCloseTo(lognormal.sample(Seeds.rng(5)), withinPercentage(1e-9));
    }

    @Test
    void empirical_singlePoint_isFixed() {
        Distribution d = Distributions.parse("empirical(p90=150ms)", Unit.SECONDS);
        assertThat(draw(d, Seeds.rng(1), 100)).containsOnly(0.150);
        assertThat(d.mean()).isEqualTo(0.150);
        assertThat(d.describe()).isEqualTo("empirical(p90=150ms)");
    }

    @Test
    void empirical_flatSegment_isAllowed() {
        Distribution d = Distributions.empirical(new double[] {0.5, 0.9, 0.99}, new double[] {10, 10, 40});
        assertThat(d.sample(gaussianAt(0.7))).isCloseTo(10, within(1e-9));
        assertThat(d.mean()).isGreaterThan(10);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "''                                          | SECONDS | empty",
                "lognormal                                   | SECONDS | lognormal needs parameters, e.g. lognormal(p50=80ms,p99=300ms)",
                "gamma(k=2)                                  | SECONDS | unknown distribution kind \"gamma\"; known kinds: fixed, uniform, normal, lognormal, exponential, pareto, empirical",
                "weibull                                     | SECONDS | unknown distribution kind \"weibull\"; known kinds: fixed,",
                "uniform(min=10ms)                           | SECONDS | uniform is missing parameter max; uniform takes min, max",
                "uniform(min=10ms,max=30ms,mean=20ms)        | SECONDS | uniform has no parameter mean; uniform takes min, max",
                "uniform(min=30ms,max=10ms)                  | SECONDS | max (10ms) must be >= min (30ms)",
                "uniform(min=1ms,min=2ms,max=3ms)            | SECONDS | parameter min is given twice",
                "uniform(min=1ms,,max=3ms)                   | SECONDS | empty parameter in uniform(...) (a stray comma?)",
                "uniform(min=1ms max=3ms)                    | SECONDS | uniform is missing parameter max",
                "fixed(value=1ms max=3ms)                    | SECONDS | value: invalid duration \"1ms max=3ms\"",
                "uniform(min 1ms)                            | SECONDS | parameter \"min 1ms\" has no value; expected name=value",
                "uniform(min=1ms,max=3ms                     | SECONDS | missing ')' after the parameters of uniform",
                "uniform(min=1ms,max=3ms) x                  | SECONDS | unexpected text after ')': \"x\"",
                "uniform(min=,max=3ms)                       | SECONDS | parameter min has no value",
                "uniform(min=-1,max=3)                       | COUNT   | min must be >= 0, got -1",
                "normal(mean=100ms,stddev=20)                | SECONDS | stddev: invalid duration \"20\": missing unit",
                "normal(mean=100,stddev=-2)                  | COUNT   | stddev must be >= 0, got -2",
                "normal(mean=100ms)                          | SECONDS | normal is missing parameter stddev",
                "exponential(mean=0)                         | SECONDS | mean must be > 0, got 0",
                "exponential(mean=abc)                       | COUNT   | mean: expected a plain number, got \"abc\"",
                "exponential(mean=20ms)                      | COUNT   | mean: expected a plain number, got \"20ms\"",
                "pareto(scale=10ms,shape=0)                  | SECONDS | shape must be > 0, got 0",
                "pareto(scale=10ms,shape=2ms)                | SECONDS | shape: expected a plain number, got \"2ms\"",
                "pareto(scale=0,shape=2)                     | COUNT   | scale must be > 0, got 0",
                "lognormal(median=80ms)                      | SECONDS | lognormal(median, sigma) is missing parameter sigma",
                "lognormal(median=80ms,p99=300ms)            | SECONDS | lognormal cannot combine median with p99; lognormal takes (median, sigma), (p50, p99) or (mean, stddev)",
                "lognormal(mu=1,sigma=2)                     | SECONDS | lognormal has no parameter mu; lognormal takes (median, sigma), (p50, p99) or (mean, stddev)",
                "lognormal(p50=80ms,p99=30ms)                | SECONDS | p99 (30ms) must be >= p50 (80ms)",
                "lognormal(median=0,sigma=1)                 | SECONDS | median must be > 0, got 0",
                "lognormal(mean=100ms,stddev=-1)             | COUNT   | mean: expected a plain number, got \"100ms\"",
                "empirical(p50=80ms,p90=50ms)                | SECONDS | p90 (50ms) must be >= p50 (80ms)",
                "empirical(p90=50ms,p50=80ms)                | SECONDS | p90 (50ms) must be >= p50 (80ms)",
                "empirical(p50=80ms,median=50ms)             | SECONDS | empirical has no parameter median; empirical takes percentiles such as p50, p90, p99, p99.9",
                "empirical(p100=80ms)                        | SECONDS | percentile p100 is out of range",
                "empirical(p0=80ms)                          | SECONDS | percentile p0 is out of range",
                "empirical(p50=80ms,p50.0=90ms)              | SECONDS | percentile p50 is given twice",
                "empirical(p50=0,p90=1ms)                    | SECONDS | p50 must be > 0, got 0",
                "empirical()                                 | SECONDS | empirical needs at least one percentile",
                "fixed(value=20ms,other=1ms)                 | SECONDS | fixed has no parameter other; fixed takes value",
                "abc                                         | SECONDS | unknown distribution kind \"abc\"",
                "20xs                                        | SECONDS | value: invalid duration \"20xs\": unknown unit \"xs\"",
                "-5                                          | COUNT   | value must be >= 0, got -5",
                "20ms                                        | COUNT   | value: expected a plain number, got \"20ms\"",
                "uniform(min=(1),max=2)                      | COUNT   | unexpected parenthesis inside the parameters of uniform",
                "2(x=1)                                      | COUNT   | unknown distribution kind \"2\"",
            })
    void parse_badSpec_explainsProblem(String spec, Unit unit, String expected) {
        assertThatThrownBy(() -> Distributions.parse(spec, unit))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid distribution spec \"" + spec + "\": ")
                .hasMessageContaining(expected);
    }

    @Test
    void parse_null_isRejected() {
        assertThatThrownBy(() -> Distributions.parse(null, Unit.SECONDS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing");
    }

    @Test
    void factories_badArguments_nameKindAndParameter() {
        assertThatThrownBy(() -> Distributions.uniform(3, 1)).hasMessage("uniform: max (1) must be >= min (3)");
        assertThatThrownBy(() -> Distributions.fixed(-1)).hasMessage("fixed: value must be >= 0, got -1");
        assertThatThrownBy(() -> Distributions.normal(Double.NaN, 1))
                .hasMessage("normal: mean must be a finite number, got NaN");
        assertThatThrownBy(() -> Distributions.exponential(0)).hasMessage("exponential: mean must be > 0, got 0");
        assertThatThrownBy(() -> Distributions.lognormal(1, -1)).hasMessage("lognormal: sigma must be >= 0, got -1");
        assertThatThrownBy(() -> Distributions.lognormal(1000, 1)).hasMessageContaining("lognormal: mu must lie in");
        assertThatThrownBy(() -> Distributions.lognormalFromMedianP99(10, 5))
                .hasMessage("lognormal: p99 (5) must be >= p50 (10)");
        assertThatThrownBy(() -> Distributions.pareto(1, -2)).hasMessage("pareto: shape must be > 0, got -2");
        assertThatThrownBy(() -> Distributions.empirical(new double[] {0.5}, new double[] {1, 2}))
                .hasMessage("empirical: got 1 probabilities but 2 values");
        assertThatThrownBy(() -> Distributions.empirical(new double[] {}, new double[] {}))
                .hasMessageContaining("needs at least one percentile");
        assertThatThrownBy(() -> Distributions.empirical(new double[] {1.0}, new double[] {1}))
                .hasMessageContaining("strictly between 0 and 1");
        assertThatThrownBy(() -> Distributions.empirical(new double[] {0.5, 0.9}, new double[] {5, 4}))
                .hasMessage("empirical: p90 (4) must be >= p50 (5)");
    }

    @Test
    void describe_keepsSpecValuesInTheirUnit() {
        assertThat(Distributions.parse("lognormal( P50 = 0.08s , p99 = 300ms )", Unit.SECONDS)
                        .describe())
                .isEqualTo("lognormal(p50=80ms,p99=300ms)");
        assertThat(Distributions.parse("empirical(p99.9=2s,p50=80ms)", Unit.SECONDS)
                        .describe())
                .isEqualTo("empirical(p50=80ms,p99.9=2s)");
        assertThat(Distributions.parse("normal(mean=1.5e2,stddev=0.5)", Unit.COUNT)
                        .describe())
                .isEqualTo("normal(mean=150,stddev=0.5)");
    }

    private static double[] draw(Distribution d, RandomGenerator rng, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = d.sample(rng);
        }
        return out;
    }

    private static double percentile(double[] sorted, double p) {
        return sorted[(int) Math.ceil(p * sorted.length) - 1];
    }

    /** A generator whose Gaussian draw is always {@code z}, to evaluate a sampler's mapping at a point. */
    private static RandomGenerator gaussianAt(double z) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new UnsupportedOperationException();
            }

            @Override
            public double nextGaussian() {
                return z;
            }
        };
    }
}
