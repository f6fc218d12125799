package dev.llmlab.core.dist;

import dev.llmlab.core.dist.Distributions.Unit;
import java.util.random.RandomGenerator;

/** Always the same value. Immutable, thread-safe. */
final class Fixed extends AbstractDistribution {

    private final double value;

    Fixed(double value, Unit unit) {
        super(describe(value, unit));
        this.value = value;
    }

    private static String describe(double value, Unit unit) {
        Values.nonNegative("fixed", "value", value, unit);
        return "fixed(value=" + Values.format(value, unit) + ")";
    }

    @Override
    public double sample(RandomGenerator rng) {
        return value;
    }

    @Override
    public double mean() {
        return value;
    }
}
