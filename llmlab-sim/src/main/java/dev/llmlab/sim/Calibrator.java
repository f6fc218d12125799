package dev.llmlab.sim;

import dev.llmlab.core.time.Durations;
import dev.llmlab.sim.catalog.Catalog;
import dev.llmlab.sim.config.SimConfig;
import dev.llmlab.sim.engine.Calibration;
import dev.llmlab.sim.engine.CostModel;
import dev.llmlab.sim.engine.EngineSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code llmlab sim calibrate}: reads measured latency-versus-load points, fits the engine's step
 * costs to them ({@link Calibration}) and prints a preset with its fit error. The input is the
 * sweep JSON of docs/engine.md ({@code config.input_tokens}, {@code config.output_tokens} and
 * {@code sweep.points[]} with {@code rate_achieved} and {@code metrics.ttft.mean} /
 * {@code metrics.tpot.mean} in ms, and {@code config.seconds_per_point}, how long each point's
 * arrivals lasted), or one run's result with {@code summary.request_throughput}, {@code metrics}
 * and {@code config.duration_s} at the top level.
 */
public final class Calibrator {
    private Calibrator() {}

    /** How long each point's arrivals lasted, when the input does not say. */
    static final double DEFAULT_SECONDS_PER_POINT = 60;

    /**
     * @param basePreset the preset whose limits and cache the fitted costs go with
     * @param name       the name of the printed preset
     * @return the report: per-point comparison, fit error, and the preset as YAML
     * @throws IllegalArgumentException naming what is wrong with the input
     */
    public static String run(Path result, String basePreset, String name) {
        JsonNode root;
        try {
            root = JsonMapper.builder().build().readTree(Files.readString(result));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + result + ": " + e.getMessage());
        } catch (JacksonException e) {
            throw new IllegalArgumentException(result + " is not JSON: " + e.getOriginalMessage());
        }
        // Token counts: the config's when it gives plain numbers (a sweep's layout, or `llmlab bench
        // --input-tokens 256`), else a single run's measured means from its summary.
        JsonNode sum = root.path("summary");
        double perRequest = sum.path("request_throughput").asDouble(0);
        double outMean = perRequest > 0 ? sum.path("output_token_throughput").asDouble(0) / perRequest : 0;
        double inMean = perRequest > 0 ? sum.path("total_token_throughput").asDouble(0) / perRequest - outMean : 0;
        int prompt = positiveInt(count(root.at("/config/input_tokens"), inMean), "config.input_tokens");
        JsonNode outputNode = root.at("/config/output_tokens");
        if (outputNode.isMissingNode() || outputNode.isNull()) outputNode = root.at("/config/max_tokens");
        int output = positiveInt(count(outputNode, outMean), "config.output_tokens");
        if (output < 2) throw new IllegalArgumentException("config.output_tokens must be >= 2 to measure TPOT");
        List<Calibration.Measured> points = new ArrayList<>();
        JsonNode sweep = root.at("/sweep/points");
        if (sweep.isArray()) {
            for (int i = 0; i < sweep.size(); i++)
                points.add(point(sweep.get(i), "rate_achieved", "sweep.points[" + i + "]"));
        } else if (root.has("summary")) {
            points.add(point(root, "summary/request_throughput", "the result"));
        } else {
            throw new IllegalArgumentException("no sweep.points and no summary in " + result);
        }
        SimConfig builtin = Catalog.builtin();
        if (!builtin.enginePresets().containsKey(basePreset)) {
            throw new IllegalArgumentException("unknown engine preset '" + basePreset + "' (known: "
                    + String.join(", ", new TreeSet<>(builtin.enginePresets().keySet())) + ")");
        }
        EngineSpec base = Catalog.enginePreset(builtin, basePreset);
        JsonNode secondsNode = root.at("/config/seconds_per_point");
        if (secondsNode.isMissingNode()) secondsNode = root.at("/config/duration_s");
        if (!(secondsNode.asDouble(0) > 0) && sum.path("duration_s").isNumber())
            secondsNode = sum.path("duration_s"); // a --requests run
        double seconds = secondsNode.isNumber() ? secondsNode.asDouble() : DEFAULT_SECONDS_PER_POINT;
        if (!(seconds > 0)) throw new IllegalArgumentException("config.seconds_per_point must be positive");
        Calibration.Fit fit =
                Calibration.fit(points, prompt, output, base, base.cost().jitter(), seconds, 1);
        return report(fit, prompt, output, basePreset, name);
    }

    private static Calibration.Measured point(JsonNode p, String rateField, String where) {
        JsonNode rate = p.at("/" + rateField);
        JsonNode ttft = p.at("/metrics/ttft/mean");
        JsonNode tpot = p.at("/metrics/tpot/mean");
        if (!rate.isNumber() || !ttft.isNumber() || !tpot.isNumber()) {
            throw new IllegalArgumentException(where + " needs numbers at " + rateField.replace('/', '.')
                    + ", metrics.ttft.mean and metrics.tpot.mean (ms)");
        }
        if (!(rate.asDouble() > 0) || !(ttft.asDouble() > 0) || !(tpot.asDouble() > 0)) {
            throw new IllegalArgumentException(where + ": rate, TTFT and TPOT must be positive");
        }
        return new Calibration.Measured(rate.asDouble(), ttft.asDouble() * 1e6, tpot.asDouble() * 1e6);
    }

    /** A count given as a number or a numeric string; else {@code fallback} (0: none). */
    private static double count(JsonNode n, double fallback) {
        if (n.isNumber()) return n.asDouble();
        if (n.isString()) {
            try {
                return Double.parseDouble(n.asString().strip());
            } catch (NumberFormatException e) {
                return fallback; // a distribution, such as "uniform(min=100,max=500)"
            }
        }
        return fallback;
    }

    private static int positiveInt(double v, String field) {
        if (!(v >= 1))
            throw new IllegalArgumentException(field + " must be a number >= 1 (or the summary must give it)");
        return (int) Math.round(v);
    }

    private static String report(Calibration.Fit fit, int prompt, int output, String basePreset, String name) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(
                Locale.ROOT,
                "# %d points of %d prompt / %d output tokens, fitted on %s's limits and cache%n",
                fit.points().size(),
                prompt,
                output,
                basePreset));
        sb.append(String.format(
                Locale.ROOT,
                "# %10s %12s %10s %8s %12s %10s %8s%n",
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
                    "# %10.3f %12.2f %10.2f %7.1f%% %12.3f %10.3f %7.1f%%%n",
                    c.measured().rate(),
                    c.measured().ttftNanos() / 1e6,
                    c.simulated().meanTtftNanos() / 1e6,
                    100 * c.ttftError(),
                    c.measured().tpotNanos() / 1e6,
                    c.simulated().meanTpotNanos() / 1e6,
                    100 * c.tpotError()));
        }
        sb.append(String.format(
                Locale.ROOT, "# fit error (RMS of the relative TTFT and TPOT errors): %.1f%%%n", 100 * fit.rmsError()));
        CostModel c = fit.cost();
        sb.append("engine_presets:\n  ").append(name).append(":\n");
        sb.append("    # the limits and cache of ").append(basePreset).append(", with these step costs\n");
        sb.append("    step_time: ").append(duration(c.c0Nanos())).append('\n');
        sb.append("    prefill_per_token: ")
                .append(duration(c.prefillNanosPerToken()))
                .append('\n');
        sb.append("    decode_per_seq: ")
                .append(duration(c.decodeNanosPerSeq()))
                .append('\n');
        sb.append("    attention_per_kv_token: ")
                .append(duration(c.attnNanosPerKvToken()))
                .append('\n');
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
