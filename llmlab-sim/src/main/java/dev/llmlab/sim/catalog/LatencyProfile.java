package dev.llmlab.sim.catalog;

import dev.llmlab.core.dist.Distribution;
import java.util.random.RandomGenerator;

/**
 * A resolved latency profile, with the server's time scale folded in. All results are nanoseconds.
 *
 * <p>Model: {@code ttft = scale * (sample(ttft) + prefillPerToken * promptTokens)} and each later
 * token after {@code scale * sample(itl)}. Every call draws afresh from the caller's generator, so
 * a seeded server yields a reproducible sequence of distinct samples, never one repeated value.
 * Immutable and thread-safe (the generator is the caller's).
 */
public record LatencyProfile(
        String name, Distribution ttft, Distribution itl, double prefillSecondsPerToken, double timeScale) {

    public boolean instant() {
        return timeScale == 0 || (isZero(ttft) && isZero(itl) && prefillSecondsPerToken == 0);
    }

    public long ttftNanos(RandomGenerator rng, int promptTokens) {
        if (timeScale == 0) return 0;
        return toNanos(ttft.sample(rng) + prefillSecondsPerToken * promptTokens);
    }

    public long itlNanos(RandomGenerator rng) {
        if (timeScale == 0) return 0;
        return toNanos(itl.sample(rng));
    }

    private long toNanos(double seconds) {
        double ns = seconds * timeScale * 1e9;
        return ns <= 0 ? 0 : (long) Math.min(ns, 1e15);
    }

    /** Latency distributions are non-negative, so a zero mean means every sample is zero. */
    private static boolean isZero(Distribution d) {
        return d.mean() == 0;
    }
}
