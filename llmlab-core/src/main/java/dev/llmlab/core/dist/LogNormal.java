package dev.llmlab.core.dist;

import dev.llmlab.core.dist.Distributions.Unit;
import java.util.random.RandomGenerator;

/**
 * Log-normal: X = exp(mu + sigma·Z) with Z standard normal, the usual first model for service
 * latencies (positive, right-skewed, multiplicative noise).
 *
 * <h2>Parametrisations</h2>
 * All three are exact conversions to (mu, sigma):
 * <ul>
 *   <li>{@code median, sigma}: mu = ln(median), since the median is exp(mu);
 *   <li>{@code p50, p99}: mu = ln(p50), sigma = ln(p99/p50)/z₀.₉₉ with z₀.₉₉ = Φ⁻¹(0.99) ≈ 2.3263,
 *       the form latency targets are usually stated in;
 *   <li>{@code mean, stddev}: sigma² = ln(1 + (stddev/mean)²), mu = ln(mean) − sigma²/2, by
 *       inverting E[X] = exp(mu + sigma²/2) and Var[X] = (exp(sigma²) − 1)·E[X]².
 * </ul>
 * The description keeps the parametrisation it was given, so it reads back as written and
 * round-trips without rounding drift.
 *
 * <p>Immutable, thread-safe.
 */
final class LogNormal extends AbstractDistribution {

    static final double Z99 = NormalMath.quantile(0.99);

    private final double mu;
    private final double sigma;

    private LogNormal(double mu, double sigma, String description) {
        super(description);
        this.mu = mu;
        this.sigma = sigma;
    }

    static LogNormal ofMuSigma(double mu, double sigma) {
        Values.finite("lognormal", "mu", mu);
        Values.nonNegative("lognormal", "sigma", sigma, Unit.COUNT);
        double median = Math.exp(mu);
        if (median == 0 || Double.isInfinite(median)) {
            throw new InvalidSpec(
                    "lognormal",
                    "mu must lie in [-745, 709] so that exp(mu) is a finite" + " positive double, got " + mu);
        }
        return new LogNormal(mu, sigma, describeMedianSigma(median, sigma, Unit.COUNT));
    }

    static LogNormal ofMedianSigma(double median, double sigma, Unit unit) {
        Values.positive("lognormal", "median", median, unit);
        Values.nonNegative("lognormal", "sigma", sigma, Unit.COUNT);
        return new LogNormal(Math.log(median), sigma, describeMedianSigma(median, sigma, unit));
    }

    private static String describeMedianSigma(double median, double sigma, Unit unit) {
        return "lognormal(median=" + Values.format(median, unit) + ",sigma=" + Values.number(sigma) + ")";
    }

    static LogNormal ofP50P99(double p50, double p99, Unit unit) {
        Values.positive("lognormal", "p50", p50, unit);
        Values.positive("lognormal", "p99", p99, unit);
        Values.atLeast("lognormal", "p99", p99, "p50", p50, unit);
        return new LogNormal(
                Math.log(p50),
                Math.log(p99 / p50) / Z99,
                "lognormal(p50=" + Values.format(p50, unit) + ",p99=" + Values.format(p99, unit) + ")");
    }

    static LogNormal ofMeanStddev(double mean, double stddev, Unit unit) {
        Values.positive("lognormal", "mean", mean, unit);
        Values.nonNegative("lognormal", "stddev", stddev, unit);
        double cv = stddev / mean;
        double sigma2 = Math.log1p(cv * cv);
        return new LogNormal(
                Math.log(mean) - sigma2 / 2,
                Math.sqrt(sigma2),
                "lognormal(mean=" + Values.format(mean, unit) + ",stddev=" + Values.format(stddev, unit) + ")");
    }

    @Override
    public double sample(RandomGenerator rng) {
        return Math.exp(mu + sigma * rng.nextGaussian());
    }

    @Override
    public double mean() {
        return Math.exp(mu + sigma * sigma / 2);
    }
}
