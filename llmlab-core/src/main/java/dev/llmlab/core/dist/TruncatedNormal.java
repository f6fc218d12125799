package dev.llmlab.core.dist;

import dev.llmlab.core.dist.Distributions.Unit;
import java.util.random.RandomGenerator;

/**
 * A normal distribution kept non-negative, because a latency or a length below zero means nothing.
 *
 * <h2>Model</h2>
 * A draw takes X ~ N(mean, stddev²); a negative X is thrown away and redrawn, up to
 * {@value #MAX_TRIES} tries in all, and if every try is negative the draw is 0. Redrawing
 * gives the normal truncated to [0, ∞) (the normal conditioned on X ≥ 0), which keeps the
 * bell shape, where clamping alone would pile mass on 0. The bound keeps the cost of a draw
 * bounded even when the mean is 0: then half the tries fail and a draw is clamped with
 * probability 2⁻¹⁶ ≈ 1.5e−5; when the mean is two or more standard deviations above 0,
 * truncation changes nothing measurable.
 *
 * <p>The mean of this law is exact: with α = mean/stddev and q = Φ(−α), a draw is the truncated
 * normal with probability 1 − q^16 and 0 otherwise, and the truncated normal has mean
 * mean + stddev·φ(α)/Φ(α) (Johnson, Kotz and Balakrishnan, <i>Continuous Univariate
 * Distributions</i>, vol. 1, §13.10.1). It exceeds the {@code mean} parameter when the
 * parameter is within about two standard deviations of 0.
 *
 * <p>Immutable, thread-safe.
 */
final class TruncatedNormal extends AbstractDistribution {

    static final int MAX_TRIES = 16;

    private final double mu;
    private final double sigma;
    private final double mean;

    TruncatedNormal(double mu, double sigma, Unit unit) {
        super(describe(mu, sigma, unit));
        this.mu = mu;
        this.sigma = sigma;
        this.mean = sigma == 0 ? mu : truncatedMean(mu, sigma);
    }

    private static String describe(double mu, double sigma, Unit unit) {
        Values.nonNegative("normal", "mean", mu, unit);
        Values.nonNegative("normal", "stddev", sigma, unit);
        return "normal(mean=" + Values.format(mu, unit) + ",stddev=" + Values.format(sigma, unit) + ")";
    }

    private static double truncatedMean(double mu, double sigma) {
        double alpha = mu / sigma;
        double conditional = mu + sigma * NormalMath.pdf(alpha) / NormalMath.cdf(alpha);
        double allNegative = Math.pow(NormalMath.cdf(-alpha), MAX_TRIES);
        return (1 - allNegative) * conditional;
    }

    @Override
    public double sample(RandomGenerator rng) {
        for (int i = 0; i < MAX_TRIES; i++) {
            double x = mu + sigma * rng.nextGaussian();
            if (x >= 0) {
                return x;
            }
        }
        return 0.0;
    }

    @Override
    public double mean() {
        return mean;
    }
}
