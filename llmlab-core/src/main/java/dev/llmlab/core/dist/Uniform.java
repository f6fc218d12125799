package dev.llmlab.core.dist;

import dev.llmlab.core.dist.Distributions.Unit;
import java.util.random.RandomGenerator;

/** Uniform on [min, max). Immutable, thread-safe. */
final class Uniform extends AbstractDistribution {

    private final double min;
    private final double width;

    Uniform(double min, double max, Unit unit) {
        super(describe(min, max, unit));
        this.min = min;
        this.width = max - min;
    }

    private static String describe(double min, double max, Unit unit) {
        Values.nonNegative("uniform", "min", min, unit);
        Values.nonNegative("uniform", "max", max, unit);
        Values.atLeast("uniform", "max", max, "min", min, unit);
        return "uniform(min=" + Values.format(min, unit) + ",max=" + Values.format(max, unit) + ")";
    }

    @Override
    public double sample(RandomGenerator rng) {
        return min + width * rng.nextDouble();
    }

    @Override
    public double mean() {
        return min + width / 2;
    }
}
