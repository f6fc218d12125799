package dev.llmlab.gateway.route;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * How a route picks one of its deployments for a request, among those usable now (breaker not
 * open, a key free, not already tried by this request).
 *
 * <ul>
 *   <li>{@link #WEIGHTED}: at random, in proportion to the weights; a weight of 0 is used only
 *       when nothing else is usable.
 *   <li>{@link #ROUND_ROBIN}: each in turn, whatever they are doing: a counter, not a random draw
 *       (some gateways call a random pick "round robin"; over 1,000 requests it is not the same).
 *   <li>{@link #RANDOM}: uniformly at random.
 *   <li>{@link #LEAST_OUTSTANDING}: the one with the fewest requests in flight; among equals, the
 *       next in turn, so that an idle pool is still spread evenly.
 *   <li>{@link #LATENCY}: the power of two choices over the latency average (Mitzenmacher, "The
 *       Power of Two Choices in Randomized Load Balancing", 2001): two distinct deployments drawn at
 *       random, and the one whose average latency times (requests in flight + 1) is lower, the
 *       peak-EWMA score of Finagle's balancer. Always taking the single fastest would send it
 *       everything until its latency rose; two random choices spread the load and still avoid the
 *       slow. One without a sample scores 0 and is tried first.
 *   <li>{@link #COST}: the cheapest by its price; among equals, the least outstanding. A deployment
 *       whose price is unknown comes after every priced one.
 *   <li>{@link #PRIORITY}: the lowest priority number; among equals, in turn. The next priority is
 *       used only while every deployment of the first is unusable (open, out of keys, or tried).
 * </ul>
 *
 * <p>Thread-safety: {@link #pick} may be called from any thread at once.
 */
public enum Strategy {
    WEIGHTED,
    ROUND_ROBIN,
    RANDOM,
    LEAST_OUTSTANDING,
    LATENCY,
    COST,
    PRIORITY;

    /** The strategy a person names: {@code weighted}, {@code round-robin}, ..., {@code priority}. */
    public static Strategy parse(String name) {
        for (Strategy s : values()) if (s.flag().equals(name.strip().toLowerCase(Locale.ROOT))) return s;
        throw new IllegalArgumentException("unknown strategy '" + name
                + "' (known: weighted, round-robin, random, least-outstanding, latency, cost, priority)");
    }

    /** The name a person writes. */
    public String flag() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Picks a deployment.
     *
     * @param options at least one, all usable now
     * @param turn    a counter shared by the route's requests, for the turns of round robin and ties
     * @param random  the draws of the random strategies
     */
    public Deployment pick(List<Deployment> options, AtomicLong turn, RandomGenerator random) {
        int n = options.size();
        if (n == 1) return options.getFirst();
        return switch (this) {
            case WEIGHTED -> weighted(options, random);
            case ROUND_ROBIN -> options.get((int) Math.floorMod(turn.getAndIncrement(), (long) n));
            case RANDOM -> options.get(random.nextInt(n));
            case LEAST_OUTSTANDING -> {
                int start = (int) Math.floorMod(turn.getAndIncrement(), (long) n);
                Deployment best = null;
                for (int i = 0; i < n; i++) {
                    Deployment d = options.get((start + i) % n);
                    if (best == null || d.outstanding() < best.outstanding()) best = d;
                }
                yield best;
            }
            case LATENCY -> {
                int a = random.nextInt(n);
                int b = random.nextInt(n - 1);
                if (b >= a) b++;
                Deployment x = options.get(a);
                Deployment y = options.get(b);
                yield score(y) < score(x) ? y : x;
            }
            case COST -> {
                int start = (int) Math.floorMod(turn.getAndIncrement(), (long) n);
                Deployment best = null;
                for (int i = 0; i < n; i++) {
                    Deployment d = options.get((start + i) % n);
                    if (best == null || cheaper(d, best)) best = d;
                }
                yield best;
            }
            case PRIORITY -> {
                int top = Integer.MAX_VALUE;
                int count = 0;
                for (Deployment d : options) {
                    if (d.priority() < top) {
                        top = d.priority();
                        count = 1;
                    } else if (d.priority() == top) {
                        count++;
                    }
                }
                int k = (int) Math.floorMod(turn.getAndIncrement(), (long) count);
                Deployment chosen = null;
                for (Deployment d : options) {
                    if (d.priority() == top && k-- == 0) {
                        chosen = d;
                        break;
                    }
                }
                yield chosen;
            }
        };
    }

    private static Deployment weighted(List<Deployment> options, RandomGenerator random) {
        long total = 0;
        for (Deployment d : options) total += d.weight();
        if (total == 0) return options.get(random.nextInt(options.size()));
        long x = random.nextLong(total);
        for (Deployment d : options) {
            x -= d.weight();
            if (x < 0) return d;
        }
        return options.getLast();
    }

    private static boolean cheaper(Deployment a, Deployment b) {
        double pa = a.price();
        double pb = b.price();
        if (Double.isNaN(pa) != Double.isNaN(pb)) return Double.isNaN(pb);
        if (!Double.isNaN(pa) && pa != pb) return pa < pb;
        return a.outstanding() < b.outstanding();
    }

    private static double score(Deployment d) {
        return (double) d.latencyNanos() * (d.outstanding() + 1);
    }
}
