package dev.llmlab.gateway.route;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * How a route picks one of its targets for a request.
 *
 * <ul>
 *   <li>{@link #ROUND_ROBIN}: each in turn, whatever they are doing: a counter, not a random draw
 *       (some gateways call a random pick "round robin"; over 1,000 requests it is not the same).
 *   <li>{@link #RANDOM}: uniformly at random.
 *   <li>{@link #LEAST_OUTSTANDING}: the one with the fewest requests in flight; among equals, the
 *       next in turn, so that an idle pool is still spread evenly.
 *   <li>{@link #LATENCY}: the power of two choices over the latency average (Mitzenmacher, "The
 *       Power of Two Choices in Randomized Load Balancing", 2001): two distinct targets drawn at
 *       random, and the one whose average latency times (requests in flight + 1) is lower, the
 *       peak-EWMA score of Finagle's balancer. Always taking the single fastest would send it
 *       everything until its latency rose; two random choices spread the load and still avoid the
 *       slow. A target without a sample scores 0 and is tried first.
 * </ul>
 *
 * <p>Thread-safety: {@link #pick} may be called from any thread at once.
 */
public enum Strategy {
    ROUND_ROBIN,
    RANDOM,
    LEAST_OUTSTANDING,
    LATENCY;

    /** The strategy a person names: {@code round-robin}, {@code random}, {@code least-outstanding}, {@code latency}. */
    public static Strategy parse(String name) {
        for (Strategy s : values()) if (s.flag().equals(name.strip().toLowerCase(Locale.ROOT))) return s;
        throw new IllegalArgumentException(
                "unknown strategy '" + name + "' (known: round-robin, random, " + "least-outstanding, latency)");
    }

    /** The name a person writes. */
    public String flag() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Picks a target.
     *
     * @param targets at least one
     * @param turn    a counter shared by the route's requests, for the turns of round robin and ties
     * @param random  the draws of {@link #RANDOM} and {@link #LATENCY}
     */
    public Target pick(List<Target> targets, AtomicLong turn, RandomGenerator random) {
        int n = targets.size();
        if (n == 1) return targets.getFirst();
        return switch (this) {
            case ROUND_ROBIN -> targets.get((int) Math.floorMod(turn.getAndIncrement(), (long) n));
            case RANDOM -> targets.get(random.nextInt(n));
            case LEAST_OUTSTANDING -> {
                int start = (int) Math.floorMod(turn.getAndIncrement(), (long) n);
                Target best = null;
                for (int i = 0; i < n; i++) {
                    Target t = targets.get((start + i) % n);
                    if (best == null || t.outstanding() < best.outstanding()) best = t;
                }
                yield best;
            }
            case LATENCY -> {
                int a = random.nextInt(n);
                int b = random.nextInt(n - 1);
                if (b >= a) b++;
                Target x = targets.get(a);
                Target y = targets.get(b);
                yield score(y) < score(x) ? y : x;
            }
        };
    }

    private static double score(Target t) {
        return (double) t.latencyNanos() * (t.outstanding() + 1);
    }
}
