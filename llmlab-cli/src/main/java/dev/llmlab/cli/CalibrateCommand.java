package dev.llmlab.cli;

import dev.llmlab.bench.result.LatencyByLoad;
import dev.llmlab.bench.result.ResultJson;
import dev.llmlab.sim.Calibrator;
import dev.llmlab.sim.engine.Calibration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code llmlab sim calibrate RESULT.json...}: fit the engine's step costs to measured latency versus load. */
@Command(
        name = "calibrate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Fit the batching engine's step costs to bench sweeps' TTFT and TPOT.",
            "Prints the fitted preset, its fit error and an approximate 95% interval",
            "per cost (docs/engine.md)."
        })
final class CalibrateCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(
            paramLabel = "RESULT.json",
            arity = "1..*",
            description = "Sweep or run results of `llmlab bench`, one request shape each. Sweeps of two "
                    + "prompt lengths (for example 1000 and 4000 tokens) separate decode_per_seq from "
                    + "attention_per_kv_token. Each level is replayed as it ran: on its very send times, or as "
                    + "its closed loop.")
    List<Path> results;

    @Option(
            names = "--preset",
            paramLabel = "NAME",
            defaultValue = "llama-3.1-8b-h100",
            description = "The preset whose limits and KV cache the fitted costs go with (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(
            names = "--name",
            paramLabel = "NAME",
            defaultValue = "calibrated",
            description = "Name of the printed preset (default: ${DEFAULT-VALUE}).")
    String name;

    @Override
    public Integer call() {
        String report;
        try {
            List<Calibration.Measured> points = new ArrayList<>();
            List<String> leftOut = new ArrayList<>();
            for (Path result : results) {
                var read = ResultJson.readPartial(result);
                LatencyByLoad measured;
                try {
                    measured = LatencyByLoad.of(read);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(result + ": " + e.getMessage());
                }
                points.addAll(points(measured));
                for (String why : measured.leftOut()) leftOut.add(results.size() > 1 ? result + ": " + why : why);
            }
            report = Calibrator.run(new Calibrator.Input(points, leftOut), preset, name);
        } catch (IllegalArgumentException e) {
            throw new Main.CliException(Main.EXIT_CONFIG, "calibrate: " + e.getMessage());
        }
        spec.commandLine().getOut().print(report);
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** Bench's measurements in the simulator's terms: the one place the two features meet. */
    static List<Calibration.Measured> points(LatencyByLoad m) {
        if (m.outputTokens() < 2)
            throw new IllegalArgumentException("config.output_tokens must be >= 2 to measure TPOT");
        return m.points().stream()
                .map(p -> new Calibration.Measured(
                        m.promptTokens(),
                        m.outputTokens(),
                        p.rate(),
                        p.ttftMeanMs() * 1e6,
                        p.tpotMeanMs() * 1e6,
                        p.seconds(),
                        m.warmupSeconds(),
                        m.cooldownSeconds(),
                        load(p)))
                .toList();
    }

    private static Calibration.Load load(LatencyByLoad.Point p) {
        if (p.users() > 0) return new Calibration.Load.Users(p.users());
        if (p.arrivals() == null) return new Calibration.Load.Poisson();
        return new Calibration.Load.Sends(
                java.util.Arrays.stream(p.arrivals().offsetsNanos()).boxed().toList());
    }
}
