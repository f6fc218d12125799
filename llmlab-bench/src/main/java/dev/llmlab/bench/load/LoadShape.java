package dev.llmlab.bench.load;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The offered rate of a stress run over time, {@code rate(t)} in requests per second from the
 * run's start, and the open-loop schedule that offers it.
 *
 * <h2>Shapes</h2>
 * <ul>
 *   <li>{@code steady}: one rate throughout.</li>
 *   <li>{@code ramp}: linear from {@code from_rate} to {@code to_rate} over {@code ramp_s}, then
 *       holds {@code to_rate}; how far latency lets the rate climb.</li>
 *   <li>{@code spike}: {@code base_rate} with bursts at {@code peak_rate} lasting {@code width_s},
 *       starting at {@code first_at_s} and every {@code period_s} after; how a server absorbs a
 *       burst and how fast it recovers.</li>
 *   <li>{@code step}: {@code from_rate}, then {@code step_rate} more every {@code step_s}, up to
 *       {@code to_rate}, which it holds; a staircase whose every level is steady long enough to
 *       read.</li>
 * </ul>
 * Each is a sequence of pieces on which the rate is linear (constant except the ramp's first), so
 * its integral {@code Λ(t)}, the expected number of arrivals by {@code t}, is exact piecewise: a
 * sum of whole pieces plus a trapezoid.
 *
 * <h2>Schedule by time-rescaling</h2>
 * Arrivals are drawn at unit rate in "operational time" {@code u} and each is sent at the wall time
 * {@code t = Λ^{-1}(u)}. If the arrivals in {@code u} are a unit-rate Poisson process, the sent ones
 * are a Poisson process of intensity {@code rate(t)} (Cinlar, "Introduction to Stochastic
 * Processes", 1975, the time-rescaling theorem); gamma gaps keep their shape in operational time, and
 * constant ones ({@code u = 0, 1, 2, ...}) are evenly spaced within every constant-rate piece, their
 * phase carried across its edges. Thinning (Lewis and Shedler, 1979) would need draws per rejected
 * candidate and could not keep constant arrivals constant, so it is not used. The inverse is closed
 * form per piece, {@code du / rate} on a constant one and the stable root of a quadratic on a linear
 * one, so schedules are the same on every platform, like {@link Schedule#open}'s: the same seed
 * draws the same gaps, and a steady shape gives that method's schedule to the nanosecond.
 *
 * <p>Rates are 0 before the start. Shapes are immutable records; construction validates and names
 * the wrong parameter by its {@link #params()} key.
 */
public sealed interface LoadShape permits LoadShape.Steady, LoadShape.Ramp, LoadShape.Spike, LoadShape.Step {
    /** An interval {@code [startS, endS)} of a run offered at one {@code rate}: a burst or a step's level. */
    record Phase(double startS, double endS, double rate) {}

    /** {@code steady}, {@code ramp}, {@code spike} or {@code step}. */
    String name();

    /** The parameters by their JSON names (see the class comment), integers as {@code Long}. */
    Map<String, Object> params();

    /** The offered rate at {@code t} seconds from the start (right-continuous; 0 before the start). */
    double rateAt(double t);

    double maxRate();

    /**
     * The run's phases within its first {@code seconds}, clipped to it: a spike's bursts, or a step's
     * levels (the last one held to the end); empty for {@code steady} and {@code ramp}, which have none.
     */
    List<Phase> bursts(double seconds);

    /** {@code Λ(t)}: the integral of the rate from 0 to {@code t}, the expected arrivals by then. */
    default double cumulative(double t) {
        return new Pieces.Walker(this).cumulative(t);
    }

    /**
     * Intended send times over {@code seconds}, by time-rescaling (see the class comment).
     *
     * @throws IllegalArgumentException beyond 50 million arrivals
     */
    default Schedule schedule(double seconds, Arrivals arrivals, long seed) {
        return Pieces.schedule(this, seconds, arrivals, seed);
    }

    static LoadShape steady(double rate) {
        return new Steady(rate);
    }

    static LoadShape ramp(double fromRate, double toRate, double rampSeconds) {
        return new Ramp(fromRate, toRate, rampSeconds);
    }

    static LoadShape spike(
            double baseRate, double peakRate, double periodSeconds, double widthSeconds, double firstAtSeconds) {
        return new Spike(baseRate, peakRate, periodSeconds, widthSeconds, firstAtSeconds);
    }

    static LoadShape step(double fromRate, double stepRate, double stepSeconds, double toRate) {
        return new Step(fromRate, stepRate, stepSeconds, toRate);
    }

    /**
     * A shape from its name and {@link #params()}-style parameters, e.g. {@code spike} with
     * {@code base_rate, peak_rate, period_s, width_s} and optionally {@code first_at_s} (default
     * {@code period_s}, so that a quiet period gives the first burst a baseline).
     *
     * @throws IllegalArgumentException naming the unknown pattern, or the missing, unknown or bad parameter
     */
    public static LoadShape of(String pattern, Map<String, ? extends Number> params) {
        String p = pattern == null ? "" : pattern.strip().toLowerCase(Locale.ROOT);
        List<String> keys = switch (p) {
            case "steady" -> List.of("rate");
            case "ramp" -> List.of("from_rate", "to_rate", "ramp_s");
            case "spike" -> List.of("base_rate", "peak_rate", "period_s", "width_s", "first_at_s");
            case "step" -> List.of("from_rate", "step_rate", "step_s", "to_rate");
            default ->
                throw new IllegalArgumentException(
                        "pattern must be steady, ramp, spike or step, got '" + pattern + "'");
        };
        for (String k : params.keySet()) {
            if (!keys.contains(k))
                throw new IllegalArgumentException(p + " takes " + String.join(", ", keys) + "; not " + k);
        }
        Map<String, Number> given = new LinkedHashMap<>(params);
        if (p.equals("spike") && !given.containsKey("first_at_s") && given.get("period_s") != null) {
            given.put("first_at_s", given.get("period_s"));
        }
        double[] v = new double[keys.size()];
        for (int i = 0; i < v.length; i++) {
            Number n = given.get(keys.get(i));
            if (n == null) throw new IllegalArgumentException(p + " needs " + keys.get(i));
            v[i] = n.doubleValue();
        }
        return switch (p) {
            case "steady" -> new Steady(v[0]);
            case "ramp" -> new Ramp(v[0], v[1], v[2]);
            case "spike" -> new Spike(v[0], v[1], v[2], v[3], v[4]);
            default -> new Step(v[0], v[1], v[2], v[3]);
        };
    }

    record Steady(double rate) implements LoadShape {
        public Steady {
            Pieces.check("steady", "rate", rate, true);
        }

        @Override
        public String name() {
            return "steady";
        }

        @Override
        public Map<String, Object> params() {
            return Pieces.params("rate", rate);
        }

        @Override
        public double rateAt(double t) {
            return t < 0 ? 0 : rate;
        }

        @Override
        public double maxRate() {
            return rate;
        }

        @Override
        public List<Phase> bursts(double seconds) {
            return List.of();
        }
    }

    record Ramp(double fromRate, double toRate, double rampSeconds) implements LoadShape {
        public Ramp {
            Pieces.check("ramp", "from_rate", fromRate, false);
            Pieces.check("ramp", "to_rate", toRate, true);
            Pieces.check("ramp", "ramp_s", rampSeconds, true);
        }

        @Override
        public String name() {
            return "ramp";
        }

        @Override
        public Map<String, Object> params() {
            return Pieces.params("from_rate", fromRate, "to_rate", toRate, "ramp_s", rampSeconds);
        }

        @Override
        public double rateAt(double t) {
            if (t < 0) return 0;
            return t < rampSeconds ? fromRate + (toRate - fromRate) * (t / rampSeconds) : toRate;
        }

        @Override
        public double maxRate() {
            return Math.max(fromRate, toRate);
        }

        @Override
        public List<Phase> bursts(double seconds) {
            return List.of();
        }
    }

    record Spike(double baseRate, double peakRate, double periodSeconds, double widthSeconds, double firstAtSeconds)
            implements LoadShape {
        public Spike {
            Pieces.check("spike", "base_rate", baseRate, false);
            Pieces.check("spike", "peak_rate", peakRate, true);
            Pieces.check("spike", "period_s", periodSeconds, true);
            Pieces.check("spike", "width_s", widthSeconds, true);
            Pieces.check("spike", "first_at_s", firstAtSeconds, false);
            if (peakRate <= baseRate) {
                throw new IllegalArgumentException("spike: peak_rate must exceed base_rate (got peak_rate="
                        + Pieces.fmt(peakRate) + ", base_rate=" + Pieces.fmt(baseRate) + ")");
            }
            if (widthSeconds >= periodSeconds) {
                throw new IllegalArgumentException("spike: width_s must be less than period_s (got width_s="
                        + Pieces.fmt(widthSeconds) + ", period_s=" + Pieces.fmt(periodSeconds) + ")");
            }
        }

        @Override
        public String name() {
            return "spike";
        }

        @Override
        public Map<String, Object> params() {
            return Pieces.params(
                    "base_rate",
                    baseRate,
                    "peak_rate",
                    peakRate,
                    "period_s",
                    periodSeconds,
                    "width_s",
                    widthSeconds,
                    "first_at_s",
                    firstAtSeconds);
        }

        @Override
        public double rateAt(double t) {
            if (t < 0) return 0;
            if (t < firstAtSeconds) return baseRate;
            double start = firstAtSeconds + Math.floor((t - firstAtSeconds) / periodSeconds) * periodSeconds;
            return t < start + widthSeconds ? peakRate : baseRate;
        }

        @Override
        public double maxRate() {
            return peakRate;
        }

        @Override
        public List<Phase> bursts(double seconds) {
            List<Phase> out = new ArrayList<>();
            for (long k = 0; firstAtSeconds + k * periodSeconds < seconds; k++) {
                double start = firstAtSeconds + k * periodSeconds;
                out.add(new Phase(start, Math.min(start + widthSeconds, seconds), peakRate));
            }
            return out;
        }
    }

    record Step(double fromRate, double stepRate, double stepSeconds, double toRate) implements LoadShape {
        public Step {
            Pieces.check("step", "from_rate", fromRate, true);
            Pieces.check("step", "step_rate", stepRate, true);
            Pieces.check("step", "step_s", stepSeconds, true);
            Pieces.check("step", "to_rate", toRate, true);
            if (toRate < fromRate) {
                throw new IllegalArgumentException("step: to_rate must be at least from_rate (got to_rate="
                        + Pieces.fmt(toRate) + ", from_rate=" + Pieces.fmt(fromRate) + ")");
            }
            if ((toRate - fromRate) / stepRate > Pieces.MAX_STEPS) {
                throw new IllegalArgumentException("step: step_rate " + Pieces.fmt(stepRate)
                        + " is too small: more than " + Pieces.MAX_STEPS + " steps from from_rate to to_rate");
            }
        }

        /** Levels below {@code toRate}: {@code fromRate + i * stepRate} for {@code i < levels()}; then {@code toRate}. */
        int levels() {
            // the epsilon keeps 0.1 + 2 * 0.1 from making a level a hair below 0.3
            return (int) Math.ceil((toRate - fromRate) / stepRate - 1e-9);
        }

        @Override
        public String name() {
            return "step";
        }

        @Override
        public Map<String, Object> params() {
            return Pieces.params(
                    "from_rate", fromRate, "step_rate", stepRate, "step_s", stepSeconds, "to_rate", toRate);
        }

        @Override
        public double rateAt(double t) {
            if (t < 0) return 0;
            double i = Math.floor(t / stepSeconds);
            return i < levels() ? fromRate + i * stepRate : toRate;
        }

        @Override
        public double maxRate() {
            return toRate;
        }

        @Override
        public List<Phase> bursts(double seconds) {
            List<Phase> out = new ArrayList<>();
            int n = levels();
            for (int i = 0; i <= n && i * stepSeconds < seconds; i++) {
                double end = i == n ? seconds : Math.min((i + 1) * stepSeconds, seconds);
                out.add(new Phase(i * stepSeconds, end, i == n ? toRate : fromRate + i * stepRate));
            }
            return out;
        }
    }
}
