package dev.llmlab.core.random;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * Seed derivation and seeded generators, so that every random choice in a run follows from one
 * user-visible seed and a run can be replayed exactly.
 *
 * <h2>Model</h2>
 * A run has a root seed. Independent streams (one per request, per worker, per model) are
 * derived with {@link #mix(long, long...)} from the root seed and stable identifiers: numbers,
 * or strings hashed with {@link #hash64(CharSequence)}. A stream is then a
 * {@link #rng(long) generator} seeded with the derived value. Deriving instead of sharing one
 * generator keeps each stream's draws independent of how many draws other streams made and of
 * thread interleaving, which is what makes a concurrent run reproducible.
 *
 * <h2>Sources</h2>
 * <ul>
 *   <li>{@link #splitmix64} is the output function of SplitMix64 (Steele, Lea and Flood,
 *       "Fast splittable pseudorandom number generators", OOPSLA 2014), with the mixing
 *       constants of Stafford's "Mix13" variant as used by {@code java.util.SplittableRandom}.
 *       It is a bijection on 64-bit values with full avalanche, so distinct inputs always give
 *       distinct outputs and nearby inputs give unrelated ones.
 *   <li>{@link #hash64} is 64-bit FNV-1a (Fowler, Noll, Vo) over UTF-16 code units, finished
 *       with {@code splitmix64}: FNV-1a alone mixes its last characters poorly, the finaliser
 *       fixes that. Only Java arithmetic is involved, so the value is the same on every JVM,
 *       platform and run, unlike {@link String#hashCode()}'s 32 bits or identity hashes.
 *   <li>{@link #rng} returns an {@code L64X128MixRandom}, an LXM generator (Steele and Vigna,
 *       "LXM: better splittable pseudorandom number generators", OOPSLA 2021): 128+64 bits of
 *       state, passes BigCrush and PractRand, about a nanosecond per draw. It is chosen by name
 *       rather than taking whatever {@code RandomGenerator.getDefault()} is, so the algorithm
 *       behind a seed cannot change under us. The JDK promises identical streams for a seed
 *       only within one execution, but seeding and draws have not changed since JDK 17 (a
 *       test pins the first draws, checked equal on JDK 17 and 25).
 * </ul>
 *
 * <p>Thread-safety: all methods are thread-safe. The generators returned by {@link #rng} are
 * not: give each thread (or each logical stream) its own.
 */
public final class Seeds {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private static final long FNV_OFFSET_BASIS = 0xCBF29CE484222325L;
    private static final long FNV_PRIME = 0x100000001B3L;
    private static final String ALGORITHM = "L64X128MixRandom";

    private static final RandomGeneratorFactory<RandomGenerator> FACTORY = factory();

    /**
     * Walks a Weyl sequence through splitmix64: consecutive counter values give unrelated seeds,
     * and as the mapping is a bijection no two calls in one JVM ever return the same seed.
     */
    private static final AtomicLong UNSEEDED =
            new AtomicLong(ThreadLocalRandom.current().nextLong() ^ System.nanoTime());

    private Seeds() {}

    private static RandomGeneratorFactory<RandomGenerator> factory() {
        try {
            return RandomGeneratorFactory.of(ALGORITHM);
        } catch (IllegalArgumentException e) {
            // On JDK 17-21 the LXM generators live in module jdk.random, which a trimmed runtime
            // image may lack; substituting another algorithm would silently change every seeded run.
            throw new IllegalStateException(
                    ALGORITHM + " is not available in this Java runtime"
                            + " (on JDK 21 it needs the jdk.random module): " + e.getMessage(),
                    e);
        }
    }

    /**
     * The SplitMix64 step: adds the golden gamma, then applies the Mix13 finaliser. A bijection
     * with full avalanche; {@code splitmix64(0) != 0}.
     */
    public static long splitmix64(long x) {
        long z = x + GOLDEN_GAMMA;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** {@link #mix(long, long...)} with one part, without the varargs array (hot paths). */
    public static long mix(long seed, long a) {
        return splitmix64(step(splitmix64(seed), a) + 1);
    }

    /** {@link #mix(long, long...)} with two parts, without the varargs array (hot paths). */
    public static long mix(long seed, long a, long b) {
        return splitmix64(step(step(splitmix64(seed), a), b) + 2);
    }

    /** {@link #mix(long, long...)} with three parts, without the varargs array (hot paths). */
    public static long mix(long seed, long a, long b, long c) {
        return splitmix64(step(step(step(splitmix64(seed), a), b), c) + 3);
    }

    // Each step is a bijection of h for a fixed part and non-linear in both, so the result
    // depends on every part and on their order.
    private static long step(long h, long part) {
        return splitmix64(h ^ splitmix64(part ^ GOLDEN_GAMMA));
    }

    /**
     * Combines a seed with further parts into a well-mixed seed. Order-sensitive:
     * {@code mix(s, a, b) != mix(s, b, a)} in general; the number of parts counts too, so
     * {@code mix(s, a)} and {@code mix(s, a, 0)} differ. {@code mix(s)} differs from {@code s}.
     * The fixed-arity overloads compute exactly the same values without a varargs array.
     */
    public static long mix(long seed, long... parts) {
        long h = splitmix64(seed);
        for (long part : parts) {
            h = step(h, part);
        }
        return splitmix64(h + parts.length);
    }

    /**
     * A stable 64-bit hash of the characters of {@code s}: the same value on every JVM, run and
     * platform, with good avalanche. Not cryptographic.
     */
    public static long hash64(CharSequence s) {
        long h = FNV_OFFSET_BASIS;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            h = (h ^ s.charAt(i)) * FNV_PRIME;
        }
        return splitmix64(h ^ n);
    }

    /**
     * A fast generator ({@code L64X128MixRandom}) whose stream is fully determined by
     * {@code seed}. Not thread-safe; creating one costs on the order of 100 ns.
     */
    public static RandomGenerator rng(long seed) {
        return FACTORY.create(seed);
    }

    /**
     * A fresh seed for runs that were given none. Varies per call and per JVM start; never
     * repeats within one JVM. Log it, so such a run can be reproduced.
     */
    public static long randomSeed() {
        return splitmix64(UNSEEDED.addAndGet(GOLDEN_GAMMA));
    }
}
