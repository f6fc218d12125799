package dev.llmlab.core.dist;

import dev.llmlab.core.dist.Distributions.Unit;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Comparator;
import java.util.random.RandomGenerator;

/**
 * A distribution through given percentiles, such as p50 = 80 ms, p90 = 150 ms, p99 = 400 ms:
 * the form in which measured latencies are published.
 *
 * <h2>Model</h2>
 * Put each percentile on the standard-normal scale, z_i = Φ⁻¹(p_i), and on the log scale,
 * y_i = ln(v_i). The distribution is X = exp(g(Z)) with Z standard normal and g the
 * piecewise-linear function through the points (z_i, y_i), extended beyond the first and last
 * point with the slopes of the first and last segments. Since g is non-decreasing,
 * P(X ≤ v_i) = P(Z ≤ z_i) = p_i: the given percentiles hold exactly. X is positive and, when
 * the values strictly increase, continuous. Between and beyond the points, g follows the
 * log-normal locally (a straight line in (z, ln x) coordinates is exactly a log-normal), so the
 * tails are log-normal tails, the usual shape of latency data. With two points the result is
 * the log-normal through them; with one point it is that fixed value.
 *
 * <p>Linear interpolation on the raw CDF instead would give flat densities with corners, and
 * would need an arbitrary maximum beyond the last percentile; interpolating ln(value) against
 * z keeps the scale invariance of latency data (multiplying all values by k multiplies X by k)
 * and needs no such bound.
 *
 * <h2>Sampling and mean</h2>
 * A draw is one {@link RandomGenerator#nextGaussian()}, a scan over the few segments and one
 * {@code exp}. The mean is closed-form per segment: on a segment where g(z) = a + b·z,
 * ∫ exp(a + b·z) φ(z) dz over [l, u] = exp(a + b²/2)·(Φ(u − b) − Φ(l − b)), because
 * exp(b·z)·φ(z) = exp(b²/2)·φ(z − b). It is summed once, at construction.
 *
 * <p>Immutable, thread-safe.
 */
final class Empirical extends AbstractDistribution {

    /** Upper knot of each segment but the last; a draw belongs to the first segment whose bound is not below it. */
    private final double[] upperZ;

    private final double[] intercept;
    private final double[] slope;
    private final double mean;
    /** The value of a one-point distribution, returned as given rather than through exp(ln v); NaN otherwise. */
    private final double constant;

    Empirical(double[] probabilities, double[] values, Unit unit) {
        this(sortedPoints(probabilities, values, unit), unit);
    }

    private Empirical(double[][] points, Unit unit) {
        super(describe(points, unit));
        double[] p = points[0];
        double[] v = points[1];
        int n = p.length;
        if (n == 1) {
            upperZ = new double[0];
            intercept = new double[] {Math.log(v[0])};
            slope = new double[] {0.0};
            mean = v[0];
            constant = v[0];
            return;
        }
        double[] z = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            z[i] = NormalMath.quantile(p[i]);
            y[i] = Math.log(v[i]);
        }
        int segments = n - 1;
        upperZ = Arrays.copyOfRange(z, 1, segments);
        intercept = new double[segments];
        slope = new double[segments];
        double sum = 0;
        for (int i = 0; i < segments; i++) {
            slope[i] = (y[i + 1] - y[i]) / (z[i + 1] - z[i]);
            intercept[i] = y[i] - slope[i] * z[i];
            double lower = i == 0 ? Double.NEGATIVE_INFINITY : z[i];
            double upper = i == segments - 1 ? Double.POSITIVE_INFINITY : z[i + 1];
            double b = slope[i];
            sum += Math.exp(intercept[i] + b * b / 2) * normalMass(lower - b, upper - b);
        }
        mean = sum;
        constant = Double.NaN;
    }

    /** P(l ≤ Z ≤ u), taken from the nearer tail so that masses far above 0 keep their precision. */
    private static double normalMass(double l, double u) {
        return l > 0 ? NormalMath.cdf(-l) - NormalMath.cdf(-u) : NormalMath.cdf(u) - NormalMath.cdf(l);
    }

    /** Validates and returns {probabilities, values}, sorted by probability. */
    private static double[][] sortedPoints(double[] probabilities, double[] values, Unit unit) {
        if (probabilities == null || values == null) {
            throw new InvalidSpec("empirical", "probabilities and values must not be null");
        }
        if (probabilities.length != values.length) {
            throw new InvalidSpec(
                    "empirical", "got " + probabilities.length + " probabilities but " + values.length + " values");
        }
        if (probabilities.length == 0) {
            throw new InvalidSpec("empirical", "needs at least one percentile, e.g. p50");
        }
        Integer[] order = new Integer[probabilities.length];
        for (int i = 0; i < order.length; i++) {
            double p = probabilities[i];
            if (!(p > 0 && p < 1)) {
                throw new InvalidSpec(
                        "empirical",
                        "percentile probabilities must lie strictly between 0 and 1"
                                + " (p0 and p100 are unbounded under this model), got " + p);
            }
            Values.positive("empirical", percentileName(p), values[i], unit);
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> probabilities[i]));
        double[] p = new double[order.length];
        double[] v = new double[order.length];
        for (int k = 0; k < order.length; k++) {
            p[k] = probabilities[order[k]];
            v[k] = values[order[k]];
            if (k > 0 && p[k] == p[k - 1]) {
                throw new InvalidSpec("empirical", percentileName(p[k]) + " is given twice");
            }
            if (k > 0) {
                Values.atLeast("empirical", percentileName(p[k]), v[k], percentileName(p[k - 1]), v[k - 1], unit);
            }
        }
        return new double[][] {p, v};
    }

    /** 0.5 -> "p50", 0.999 -> "p99.9": the key a spec uses for this probability. */
    static String percentileName(double probability) {
        return "p"
                + BigDecimal.valueOf(probability)
                        .movePointRight(2)
                        .stripTrailingZeros()
                        .toPlainString();
    }

    private static String describe(double[][] points, Unit unit) {
        StringBuilder sb = new StringBuilder("empirical(");
        for (int i = 0; i < points[0].length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(percentileName(points[0][i])).append('=').append(Values.format(points[1][i], unit));
        }
        return sb.append(')').toString();
    }

    @Override
    public double sample(RandomGenerator rng) {
        if (!Double.isNaN(constant)) {
            return constant;
        }
        double z = rng.nextGaussian();
        int i = 0;
        while (i < upperZ.length && z > upperZ[i]) {
            i++;
        }
        return Math.exp(intercept[i] + slope[i] * z);
    }

    @Override
    public double mean() {
        return mean;
    }
}
