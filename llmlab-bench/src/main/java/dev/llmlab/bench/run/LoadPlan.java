package dev.llmlab.bench.run;

import dev.llmlab.bench.load.Arrivals;
import dev.llmlab.bench.load.Schedule;

/**
 * How load is offered: a closed loop of {@code concurrency} users each sending its next request
 * when the last one ends, or an open loop at {@code rate} whatever the answers do, optionally
 * capped at {@code maxConcurrency} in flight. A run ends after {@code seconds} or
 * {@code maxRequests}, whichever comes first (0 = no bound); figures cover requests sent after
 * the warm-up and before the cool-down. When a run bounded by {@code seconds} stops sending, the
 * requests still in flight get {@code drainSeconds} to end; what is left then is abandoned, and
 * counted ({@link Delivery#abandoned}), so that {@code seconds} bounds the wall time.
 */
public record LoadPlan(
        int concurrency,
        double rate,
        Arrivals arrivals,
        int maxConcurrency,
        double seconds,
        long maxRequests,
        double warmupSeconds,
        double cooldownSeconds,
        Schedule.Ramp ramp,
        double rampSeconds,
        long seed,
        double drainSeconds) {

    /**
     * How long requests still in flight when a {@code --duration} run stops sending may take before
     * they are abandoned (and counted so): {@code --drain}'s default.
     */
    public static final double DEFAULT_DRAIN_SECONDS = 30;

    /** A plan with the default drain. */
    public LoadPlan(
            int concurrency,
            double rate,
            Arrivals arrivals,
            int maxConcurrency,
            double seconds,
            long maxRequests,
            double warmupSeconds,
            double cooldownSeconds,
            Schedule.Ramp ramp,
            double rampSeconds,
            long seed) {
        this(
                concurrency,
                rate,
                arrivals,
                maxConcurrency,
                seconds,
                maxRequests,
                warmupSeconds,
                cooldownSeconds,
                ramp,
                rampSeconds,
                seed,
                DEFAULT_DRAIN_SECONDS);
    }

    public LoadPlan {
        if (!(drainSeconds >= 0)) throw new IllegalArgumentException("--drain must be >= 0");
        if (concurrency > 0 == rate > 0) throw new IllegalArgumentException("give either --concurrency or --rate");
        if (seconds <= 0 && maxRequests <= 0) throw new IllegalArgumentException("give --duration and/or --requests");
        if (warmupSeconds < 0 || cooldownSeconds < 0)
            throw new IllegalArgumentException("warm-up and cool-down must be >= 0");
        if (seconds > 0 && warmupSeconds + cooldownSeconds >= seconds) {
            throw new IllegalArgumentException("warm-up plus cool-down must be shorter than --duration");
        }
        if (maxConcurrency < 0) throw new IllegalArgumentException("--max-concurrency must be >= 1");
        // A closed loop's user joins once, at its point on the ramp; one due after the end would never
        // send, and the run would hold fewer users than asked without a word.
        if (concurrency > 0 && ramp != Schedule.Ramp.NONE && seconds > 0 && rampSeconds >= seconds) {
            throw new IllegalArgumentException(String.format(
                    java.util.Locale.ROOT,
                    "--ramp-time (%ss) must be shorter than --duration (%ss) in a closed loop: users due to join "
                            + "after the end would never send",
                    fmt(rampSeconds),
                    fmt(seconds)));
        }
    }

    private static String fmt(double seconds) {
        return seconds == Math.rint(seconds) ? String.valueOf((long) seconds) : String.valueOf(seconds);
    }

    public boolean openLoop() {
        return rate > 0;
    }
}
