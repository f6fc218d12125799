package dev.llmlab.gateway.route;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * A set of targets that serve the same models, and the strategy that picks one per request.
 *
 * <p>Thread-safety: {@link #pick()} may be called from any thread at once.
 */
public final class Route {
    private final List<Target> targets;
    private final Strategy strategy;
    private final AtomicLong turn = new AtomicLong();
    private final Supplier<RandomGenerator> random;

    /** Draws from each thread's own generator. */
    public Route(List<Target> targets, Strategy strategy) {
        this(targets, strategy, ThreadLocalRandom::current);
    }

    /** @param random the generator of each pick's draws (a seeded one, for a test) */
    public Route(List<Target> targets, Strategy strategy, Supplier<RandomGenerator> random) {
        if (targets.isEmpty()) throw new IllegalArgumentException("a route needs at least one target");
        this.targets = List.copyOf(targets);
        this.strategy = strategy;
        this.random = random;
    }

    public Target pick() {
        return strategy.pick(targets, turn, random.get());
    }

    public List<Target> targets() {
        return targets;
    }

    public Strategy strategy() {
        return strategy;
    }
}
