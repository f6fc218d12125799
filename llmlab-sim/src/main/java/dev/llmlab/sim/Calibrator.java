package dev.llmlab.sim;

import dev.llmlab.core.time.Durations;
import dev.llmlab.sim.catalog.Catalog;
import dev.llmlab.sim.config.SimConfig;
import dev.llmlab.sim.engine.Calibration;
import dev.llmlab.sim.engine.CostModel;
import dev.llmlab.sim.engine.EngineSpec;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * {@code llmlab sim calibrate}: fits the engine's step costs to measured latency-versus-load points
 * ({@link Calibration}) and prints a preset with its fit error. The points come from a bench
 * result (a sweep, or one run), which the CLI reads and hands over as {@link Input}.
 */
public final class Calibrator {
    private Calibrator() {}

    /** The fewest levels to fit four costs at all: each gives two equations. */
    static final int MIN_POINTS = 2;

    /** Fewer levels than this are warned about: the four costs are then poorly determined. */
    static final int WELL_DETERMINED_POINTS = 4;

    /** How long a point's arrivals lasted, when the input does not say. */
    static final double DEFAULT_SECONDS_PER_POINT = 60;

    /**
     * What was measured: per load level its request shape, the rate its arrivals came at (the rate it
     * offered, or its completions per second where it offered none), the mean TTFT and TPOT, and how
     * long its arrivals lasted ({@link Calibration.Measured#seconds()}; NaN for {@link
     * #DEFAULT_SECONDS_PER_POINT}); and the levels of the input left out, each with why.
     */
    public record Input(List<Calibration.Measured> points, List<String> leftOut) {
        public Input {
            points = List.copyOf(points);
            leftOut = List.copyOf(leftOut);
        }
    }

    /**
     * @param basePreset the preset whose limits and cache the fitted costs go with
     * @param name       the name of the printed preset
     * @return the report: per-point comparison, fit error, and the preset as YAML
     * @throws IllegalArgumentException naming what is wrong with the input
     */
    public static String run(Input input, String basePreset, String name) {
        if (input.points().isEmpty()) throw new IllegalArgumentException("no measured point to fit");
        if (input.points().size() < MIN_POINTS) {
            // two figures a level for four unknowns: one level fits any four costs "exactly" (error 0%)
            throw new IllegalArgumentException("calibrate fits four step costs, and a load level gives two figures "
                    + "(its TTFT and TPOT): give a sweep of at least " + MIN_POINTS + " levels (llmlab bench sweep), "
                    + "not " + input.points().size() + " (one run is one level)");
        }
        for (Calibration.Measured m : input.points()) {
            if (!(m.rate() > 0) || !(m.ttftNanos() > 0) || !(m.tpotNanos() > 0))
                throw new IllegalArgumentException("rate, TTFT and TPOT must be positive");
            if (!Double.isNaN(m.seconds()) && !(m.seconds() > m.warmupSeconds() + m.cooldownSeconds()))
                throw new IllegalArgumentException(
                        "how long a point's arrivals lasted must be positive and longer than its warm-up and cool-down");
        }
        SimConfig builtin = Catalog.builtin();
        if (!builtin.enginePresets().containsKey(basePreset)) {
            throw new IllegalArgumentException("unknown engine preset '" + basePreset + "' (known: "
                    + String.join(", ", new TreeSet<>(builtin.enginePresets().keySet())) + ")");
        }
        EngineSpec base = Catalog.enginePreset(builtin, basePreset);
        Calibration.Fit fit = Calibration.fit(input.points(), base, base.cost().jitter(), DEFAULT_SECONDS_PER_POINT, 1);
        return report(fit, input, basePreset, name);
    }

    private static String report(Calibration.Fit fit, Input input, String basePreset, String name) {
        StringBuilder sb = new StringBuilder();
        for (String why : input.leftOut()) sb.append("# left out: ").append(why).append('\n');
        sb.append(String.format(
                Locale.ROOT,
                "# %d points of %d request shape%s, fitted on %s's limits and cache%n",
                fit.points().size(),
                fit.shapes(),
                fit.shapes() == 1 ? "" : "s",
                basePreset));
        long drawn = fit.points().stream()
                .filter(c -> c.measured().load() instanceof Calibration.Load.Poisson)
                .count();
        if (drawn > 0) {
            sb.append(String.format(
                    Locale.ROOT,
                    "# %d of %d points replayed on Poisson arrivals at their rate, not on the send times they were"
                            + " measured with (the luck of a draw adds to their errors)%n",
                    drawn,
                    fit.points().size()));
        }
        sb.append(String.format(
                Locale.ROOT,
                "# %10s %10s %12s %10s %8s %12s %10s %8s%n",
                "in/out",
                "rate/s",
                "TTFT ms",
                "model",
                "error",
                "TPOT ms",
                "model",
                "error"));
        for (Calibration.Compared c : fit.points()) {
            sb.append(String.format(
                    Locale.ROOT,
                    "# %10s %10.3f %12.2f %10.2f %7.1f%% %12.3f %10.3f %7.1f%%%n",
                    c.measured().prompt() + "/" + c.measured().output(),
                    c.measured().rate(),
                    c.measured().ttftNanos() / 1e6,
                    c.simulated().meanTtftNanos() / 1e6,
                    100 * c.ttftError(),
                    c.measured().tpotNanos() / 1e6,
                    c.simulated().meanTpotNanos() / 1e6,
                    100 * c.tpotError()));
        }
        double worst = 0;
        for (Calibration.Compared c : fit.points())
            worst = Math.max(worst, Math.max(Math.abs(c.ttftError()), Math.abs(c.tpotError())));
        sb.append(String.format(
                Locale.ROOT,
                "# fit error (RMS of the relative TTFT and TPOT errors): %.1f%%, worst point %.1f%%%n",
                100 * fit.rmsError(),
                100 * worst));
        if (fit.points().size() < WELL_DETERMINED_POINTS) {
            sb.append(String.format(
                    Locale.ROOT,
                    "# warning: %d levels for four costs: they are poorly determined, and a small fit error says"
                            + " little; a sweep of %d or more levels pins them%n",
                    fit.points().size(),
                    WELL_DETERMINED_POINTS));
        }
        if (fit.shapes() == 1) {
            // One request shape cannot tell a cost per sequence from a cost per cached token: both grow with the batch.
            sb.append("# note: with one request shape, decode_per_seq and attention_per_kv_token trade against each"
                    + " other (both grow with the batch): these points cannot separate them; add a sweep of another"
                    + " prompt length (llmlab sim calibrate A.json B.json)\n");
        }
        sb.append("# each cost with its approximate 95% interval: how tightly these points pin it, given the model\n");
        CostModel c = fit.cost();
        sb.append("engine_presets:\n  ").append(name).append(":\n");
        sb.append("    # the limits and cache of ").append(basePreset).append(", with these step costs\n");
        String[] names = {"step_time", "prefill_per_token", "decode_per_seq", "attention_per_kv_token"};
        double[] values = {c.c0Nanos(), c.prefillNanosPerToken(), c.decodeNanosPerSeq(), c.attnNanosPerKvToken()};
        boolean oneShape = fit.shapes() == 1;
        for (int i = 0; i < names.length; i++) {
            sb.append("    ").append(names[i]).append(": ").append(duration(values[i]));
            Calibration.Interval in = fit.intervals().get(i);
            String note;
            if (oneShape && i >= 2) {
                // The interval would only say how well the points pin the sum below, not either part.
                note = "trades against " + names[5 - i] + " with one request shape";
            } else {
                note = in.determined()
                        ? duration(in.low()) + " to " + duration(in.high())
                        : "not pinned by these points";
            }
            sb.append("  # ").append(note).append('\n');
        }
        if (oneShape) {
            Calibration.Measured m = fit.points().getFirst().measured();
            int context = m.prompt() + m.output() / 2;
            sb.append(String.format(
                    Locale.ROOT,
                    "    # what these points do pin: a decoding sequence's share of a step at %d cached tokens,%n"
                            + "    # decode_per_seq + %d x attention_per_kv_token = %s%n",
                    context,
                    context,
                    duration(values[2] + context * values[3])));
        }
        return sb.toString();
    }

    /** Four significant digits, in the largest unit that shows them (config durations have nanosecond resolution). */
    static String duration(double nanos) {
        if (nanos < 1) return "0";
        double scale = Math.pow(10, Math.floor(Math.log10(nanos)) - 3);
        long rounded = Math.max(1, Math.round(Math.round(nanos / scale) * scale));
        return Durations.format(Duration.ofNanos(rounded));
    }
}
