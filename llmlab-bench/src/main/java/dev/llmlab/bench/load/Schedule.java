package dev.llmlab.bench.load;

import dev.llmlab.core.random.Seeds;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * An open loop's intended send times, computed before the run: the same flags and seed give the
 * same schedule, and nothing on the hot path draws random numbers.
 *
 * <h2>Ramp-up</h2>
 * During a ramp of length {@code T} the rate climbs to its target {@code R}: linearly from 0, or
 * exponentially from {@code R / 100}. Arrivals are drawn at the constant rate {@code R} in
 * "operational time" {@code u} and mapped to wall time through the inverse of
 * {@code U(t) = (1 / R) * integral of rate(s) ds}, the time-rescaling that turns a Poisson process
 * of rate {@code R} into one of rate {@code rate(t)} (Cinlar, 1975) and keeps a gamma process's
 * shape in operational time. After the ramp, {@code U(t)} is {@code t} shifted.
 */
public final class Schedule {
    /** How the rate reaches its target. */
    public enum Ramp {
        NONE,
        LINEAR,
        EXPONENTIAL
    }

    private static final double EXP_START = 0.01;

    private final long[] offsets;

    private Schedule(long[] offsets) {
        this.offsets = offsets;
    }

    /**
     * @param rate        target requests per second
     * @param seconds     how long arrivals go on (0 for no limit, then {@code maxRequests} bounds it)
     * @param maxRequests at most this many (0 for no limit, then {@code seconds} bounds it)
     * @param rampSeconds length of the ramp (ignored for {@link Ramp#NONE})
     */
    public static Schedule open(
            double rate,
            Arrivals arrivals,
            double seconds,
            long maxRequests,
            Ramp ramp,
            double rampSeconds,
            long seed) {
        if (!(rate > 0) || Double.isInfinite(rate))
            throw new IllegalArgumentException("rate must be positive, got " + rate);
        if (seconds <= 0 && maxRequests <= 0)
            throw new IllegalArgumentException("a schedule needs a duration or a request count");
        if (maxRequests > 50_000_000L || (maxRequests <= 0 && rate * seconds > 50_000_000L)) {
            throw new IllegalArgumentException("more than 50 million requests: shorten the run or lower the rate");
        }
        RandomGenerator rng = Seeds.rng(Seeds.mix(seed, 0x5c4ed));
        double t0 = ramp == Ramp.NONE ? 0 : rampSeconds;
        long[] out = new long[16];
        int n = 0;
        double u = 0; // the first request goes at the start
        while (maxRequests <= 0 || n < maxRequests) {
            if (n > 0) {
                // constant gaps by multiplication, so that 0.1 s ten times is exactly 1 s
                u = arrivals.kind() == Arrivals.Kind.CONSTANT ? n / rate : u + arrivals.nextGapSeconds(rng, rate);
            }
            double t = wallTime(u, ramp, t0);
            if (seconds > 0 && t >= seconds) break;
            if (n == out.length) out = Arrays.copyOf(out, out.length * 2);
            out[n++] = (long) (t * 1e9);
        }
        return new Schedule(Arrays.copyOf(out, n));
    }

    /** A given schedule, such as a trace's timestamps: nanoseconds from the start, ascending. */
    public static Schedule of(long[] offsetsNanos) {
        for (int i = 1; i < offsetsNanos.length; i++) {
            if (offsetsNanos[i] < offsetsNanos[i - 1])
                throw new IllegalArgumentException("a schedule must not go back in time");
        }
        return new Schedule(offsetsNanos.clone());
    }

    /** The inverse of operational time: the wall time at which operational time reaches {@code u}. */
    static double wallTime(double u, Ramp ramp, double rampSeconds) {
        double t = rampSeconds;
        switch (ramp) {
            case NONE -> {
                return u;
            }
            case LINEAR -> {
                double end = t / 2; // U(T) = T / 2
                return u < end ? Math.sqrt(2 * t * u) : u - end + t;
            }
            case EXPONENTIAL -> {
                // rate(s) = R * 100^(s/T - 1): U(t) = T * (100^(t/T - 1) - 0.01) / ln 100
                double ln = Math.log(1 / EXP_START);
                double end = t * (1 - EXP_START) / ln;
                return u < end ? t * (1 + Math.log(u * ln / t + EXP_START) / ln) : u - end + t;
            }
        }
        throw new AssertionError(ramp);
    }

    /**
     * Shard {@code i} of {@code n}: requests {@code i, i + n, i + 2n, ...} at their own times, so that
     * n processes running shards 0..n-1 of one seed's schedule send it whole, each at 1/n of the rate.
     */
    public Schedule shard(int i, int n) {
        if (n < 1 || i < 0 || i >= n) throw new IllegalArgumentException("shard " + i + "/" + n + " does not exist");
        long[] mine = new long[Math.max(0, (size() - i + n - 1) / n)];
        for (int k = 0; k < mine.length; k++) mine[k] = offsetNanos(i + k * n);
        return of(mine);
    }

    public long offsetNanos(int i) {
        return offsets[i];
    }

    public int size() {
        return offsets.length;
    }

    /** Intended send times in nanoseconds from the run's start, ascending (a copy). */
    public long[] offsetsNanos() {
        return offsets.clone();
    }

    /** Schedules are values: equal when their send times are. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Schedule other && Arrays.equals(offsets, other.offsets);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(offsets);
    }

    @Override
    public String toString() {
        return "Schedule[" + offsets.length + " sends]";
    }
}
