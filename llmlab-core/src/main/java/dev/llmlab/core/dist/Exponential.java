package dev.llmlab.core.dist;

import dev.llmlab.core.dist.Distributions.Unit;
import java.util.random.RandomGenerator;

/**
 * Exponential with the given mean: memoryless gaps, as between Poisson arrivals. Draws use the
 * generator's ziggurat {@link RandomGenerator#nextExponential()}, which avoids a logarithm per
 * draw. Immutable, thread-safe.
 */
final class Exponential extends AbstractDistribution {

    private final double mean;

    Exponential(double mean, Unit unit) {
        super(describe(mean, unit));
        this.mean = mean;
    }

    private static String describe(double mean, Unit unit) {
        Values.positive("exponential", "mean", mean, unit);
        return "exponential(mean=" + Values.format(mean, unit) + ")";
    }

    @Override
    public double sample(RandomGenerator rng) {
        return mean * rng.nextExponential();
    }

    @Override
    public double mean() {
        return mean;
    }
}
