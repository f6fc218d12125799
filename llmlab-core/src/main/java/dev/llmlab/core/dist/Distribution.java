package dev.llmlab.core.dist;

import java.util.random.RandomGenerator;

/**
 * A probability distribution over non-negative reals, used for latencies (in seconds) and
 * lengths (token counts). Created by {@link Distributions}.
 *
 * <p>Thread-safety: implementations are immutable and safe to share between threads. They keep
 * no random state: every draw comes from the generator passed to {@link #sample}, which the
 * caller owns (and which is usually not thread-safe), so a seeded generator gives a reproducible
 * sequence of draws.
 *
 * <p>Equality: two distributions are equal when they are of the same kind and
 * {@link #describe()} returns the same string.
 */
public interface Distribution {

    /** One independent draw, using only {@code rng} for randomness; never negative, never NaN. */
    double sample(RandomGenerator rng);

    /**
     * The exact mean of {@link #sample}'s distribution where a closed form exists (for every kind
     * here; {@link Double#POSITIVE_INFINITY} for a Pareto with shape ≤ 1).
     */
    double mean();

    /**
     * The canonical spec string, such as {@code "lognormal(median=80ms,sigma=0.5)"}, which
     * {@link Distributions#parse} accepts back with the unit this distribution was created with
     * ({@link Distributions.Unit#COUNT} for the factory methods, whose values are plain numbers).
     */
    String describe();
}
