package dev.llmlab.core.dist;

import dev.llmlab.core.dist.Distributions.Unit;
import java.util.random.RandomGenerator;

/**
 * Pareto (type I) with minimum {@code scale} and tail index {@code shape}: P(X &gt; x) =
 * (scale/x)^shape for x ≥ scale. The heavy tail models the rare very long request or stall;
 * the mean is finite only for shape &gt; 1 and the variance only for shape &gt; 2. Draws invert
 * the CDF. Immutable, thread-safe.
 */
final class Pareto extends AbstractDistribution {

    private final double scale;
    private final double shape;
    private final double negInverseShape;

    Pareto(double scale, double shape, Unit unit) {
        super(describe(scale, shape, unit));
        this.scale = scale;
        this.shape = shape;
        this.negInverseShape = -1.0 / shape;
    }

    private static String describe(double scale, double shape, Unit unit) {
        Values.positive("pareto", "scale", scale, unit);
        Values.positive("pareto", "shape", shape, Unit.COUNT);
        return "pareto(scale=" + Values.format(scale, unit) + ",shape=" + Values.number(shape) + ")";
    }

    @Override
    public double sample(RandomGenerator rng) {
        // 1 - nextDouble() lies in (0, 1], so the power is finite and at least scale.
        return scale * Math.pow(1.0 - rng.nextDouble(), negInverseShape);
    }

    @Override
    public double mean() {
        return shape > 1 ? shape * scale / (shape - 1) : Double.POSITIVE_INFINITY;
    }
}
