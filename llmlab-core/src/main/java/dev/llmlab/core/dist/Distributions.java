package dev.llmlab.core.dist;

/**
 * Factories for {@link Distribution}s and the parser of their spec strings.
 *
 * <h2>Spec grammar</h2>
 * <pre>
 * spec  = value                              a fixed value
 *       | kind "(" [param {"," param}] ")"
 * param = name "=" value
 * </pre>
 * Whitespace is allowed around every token; kind and parameter names are case-insensitive.
 * A <em>value</em> depends on the {@link Unit}: for {@link Unit#SECONDS} a duration as
 * {@link dev.llmlab.core.time.Durations#parse} accepts it ({@code 20ms}, {@code 1.5s}, {@code 0}),
 * yielding seconds; for {@link Unit#COUNT} a plain decimal number ({@code 128}, {@code 0.5},
 * {@code 1e3}). Dimensionless parameters ({@code sigma}, {@code shape}) are always plain numbers.
 * <table>
 *   <caption>kinds</caption>
 *   <tr><th>spec</th><th>meaning</th></tr>
 *   <tr><td>{@code 20ms}, {@code 128}, {@code fixed(value=20ms)}</td><td>always that value</td></tr>
 *   <tr><td>{@code uniform(min=10ms,max=30ms)}</td><td>uniform on [min, max)</td></tr>
 *   <tr><td>{@code normal(mean=100ms,stddev=20ms)}</td>
 *       <td>normal, truncated at 0 (see {@link #normal})</td></tr>
 *   <tr><td>{@code lognormal(median=80ms,sigma=0.5)}<br>{@code lognormal(p50=80ms,p99=300ms)}<br>
 *       {@code lognormal(mean=100ms,stddev=40ms)}</td><td>log-normal, three parametrisations</td></tr>
 *   <tr><td>{@code exponential(mean=20ms)}</td><td>exponential</td></tr>
 *   <tr><td>{@code pareto(scale=10ms,shape=2.5)}</td><td>Pareto type I: minimum scale, tail index shape</td></tr>
 *   <tr><td>{@code empirical(p50=80ms,p90=150ms,p99=400ms)}</td>
 *       <td>through the given percentiles (keys {@code pNN} or {@code pNN.N...}, any number of them,
 *       any order; see {@link #empirical})</td></tr>
 * </table>
 * Every malformed spec raises an {@link IllegalArgumentException} whose message quotes the spec
 * and names the problem: an unknown kind (listing the known ones), a missing, unknown or
 * repeated parameter (listing the valid ones), a value that is not a duration or number, a
 * value out of range (negative, zero where it must be positive), or percentiles out of order.
 *
 * <p>All values must be non-negative, since the distributions model latencies and lengths.
 *
 * <p>Thread-safety: stateless; every method is safe from any thread, and the distributions it
 * returns are immutable.
 */
public final class Distributions {

    /** How the values of a spec are written and what the samples mean. */
    public enum Unit {
        /** Values are durations ({@code "80ms"}); samples are seconds. */
        SECONDS,
        /** Values are plain numbers ({@code "128"}); samples are counts, such as tokens (round them). */
        COUNT
    }

    private Distributions() {}

    /** Always {@code value}; requires value ≥ 0. */
    public static Distribution fixed(double value) {
        return new Fixed(value, Unit.COUNT);
    }

    /** Uniform on [min, max); requires 0 ≤ min ≤ max. */
    public static Distribution uniform(double min, double max) {
        return new Uniform(min, max, Unit.COUNT);
    }

    /**
     * Normal with the given mean and standard deviation, truncated at 0: a negative draw is
     * redrawn, up to 16 tries, then clamped to 0. When mean is within about two standard
     * deviations of 0 this shifts the distribution up, and {@link Distribution#mean()} reports the
     * shifted, exact mean rather than the parameter. Requires mean ≥ 0 and stddev ≥ 0.
     */
    public static Distribution normal(double mean, double stddev) {
        return new TruncatedNormal(mean, stddev, Unit.COUNT);
    }

    /** Log-normal exp(mu + sigma·Z) with Z standard normal; median exp(mu). Requires sigma ≥ 0. */
    public static Distribution lognormal(double mu, double sigma) {
        return LogNormal.ofMuSigma(mu, sigma);
    }

    /**
     * The log-normal with the given median and 99th percentile. Requires 0 &lt; median ≤ p99
     * (equal values give a fixed value).
     */
    public static Distribution lognormalFromMedianP99(double median, double p99) {
        return LogNormal.ofP50P99(median, p99, Unit.COUNT);
    }

    /** Exponential with the given mean; requires mean &gt; 0. */
    public static Distribution exponential(double mean) {
        return new Exponential(mean, Unit.COUNT);
    }

    /**
     * Pareto type I: values at least {@code scale}, P(X &gt; x) = (scale/x)^shape. The mean is
     * infinite for shape ≤ 1 and the variance for shape ≤ 2. Requires scale &gt; 0, shape &gt; 0.
     */
    public static Distribution pareto(double scale, double shape) {
        return new Pareto(scale, shape, Unit.COUNT);
    }

    /**
     * The distribution through the given percentiles: {@code probabilities[i]} (strictly between
     * 0 and 1, e.g. 0.5, 0.9, 0.99; any order) is the probability of a draw at most
     * {@code values[i]}. The model interpolates ln(value) linearly against the standard-normal
     * quantile of the probability and extends the end segments, so the distribution is positive,
     * continuous, has log-normal tails and matches the given percentiles exactly; one point gives
     * a fixed value. Requires values &gt; 0 and non-decreasing in probability.
     */
    public static Distribution empirical(double[] probabilities, double[] values) {
        return new Empirical(probabilities, values, Unit.COUNT);
    }

    /**
     * Parses a spec string (grammar in the class documentation).
     *
     * @param spec the spec, e.g. {@code "lognormal(p50=80ms,p99=300ms)"}
     * @param unit how values are written: durations giving seconds, or plain counts
     * @throws IllegalArgumentException if the spec is malformed; the message quotes it and names
     *     the problem and the parameter
     */
    public static Distribution parse(String spec, Unit unit) {
        return SpecParser.parse(spec, unit);
    }
}
