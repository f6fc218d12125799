package dev.llmlab.bench.load;

import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * The gaps between an open loop's request arrivals at a given mean rate.
 *
 * <ul>
 *   <li>{@code constant}: every gap exactly {@code 1 / rate}.</li>
 *   <li>{@code poisson}: exponential gaps, so arrivals form a Poisson process (mean {@code 1 / rate},
 *       variance {@code 1 / rate^2}), the model of many independent users.</li>
 *   <li>{@code gamma} with burstiness {@code k}: gamma-distributed gaps of shape {@code k} and mean
 *       {@code 1 / rate}, as vLLM's benchmark draws them. Their squared coefficient of variation is
 *       {@code 1 / k}: {@code k = 1} is Poisson, {@code k < 1} burstier, {@code k > 1} more regular.</li>
 * </ul>
 * Gamma variates use Marsaglia and Tsang's method ("A simple method for generating gamma
 * variables", ACM TOMS 26(3), 2000), with their boost for shapes below one. Immutable.
 */
public record Arrivals(Kind kind, double burstiness) {
    public enum Kind {
        CONSTANT,
        POISSON,
        GAMMA
    }

    public Arrivals {
        if (!(burstiness > 0) || Double.isInfinite(burstiness)) {
            throw new IllegalArgumentException("burstiness must be a positive number, got " + burstiness);
        }
    }

    public static Arrivals constant() {
        return new Arrivals(Kind.CONSTANT, 1);
    }

    public static Arrivals poisson() {
        return new Arrivals(Kind.POISSON, 1);
    }

    public static Arrivals gamma(double burstiness) {
        return new Arrivals(Kind.GAMMA, burstiness);
    }

    /** {@code constant}, {@code poisson} or {@code gamma} (with {@code burstiness} for gamma). */
    public static Arrivals parse(String name, double burstiness) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "constant" -> constant();
            case "poisson" -> poisson();
            case "gamma" -> gamma(burstiness);
            default ->
                throw new IllegalArgumentException(
                        "arrival process must be constant, poisson or gamma, got '" + name + "'");
        };
    }

    /** One gap in seconds at {@code rate} arrivals per second. */
    public double nextGapSeconds(RandomGenerator rng, double rate) {
        return switch (kind) {
            case CONSTANT -> 1 / rate;
            case POISSON -> -Math.log(1 - rng.nextDouble()) / rate;
            case GAMMA -> gammaVariate(rng, burstiness) / (burstiness * rate);
        };
    }

    /** A gamma variate of shape {@code k} and scale 1 (mean {@code k}). */
    static double gammaVariate(RandomGenerator rng, double k) {
        if (k < 1) {
            // Gamma(k) = Gamma(k + 1) * U^(1/k)
            return gammaVariate(rng, k + 1) * Math.pow(1 - rng.nextDouble(), 1 / k);
        }
        double d = k - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x;
            double v;
            do {
                x = rng.nextGaussian();
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            double u = rng.nextDouble();
            if (u < 1 - 0.0331 * x * x * x * x) return d * v;
            if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
        }
    }
}
