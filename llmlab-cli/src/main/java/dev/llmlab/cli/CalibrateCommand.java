package dev.llmlab.cli;

import dev.llmlab.bench.result.LatencyByLoad;
import dev.llmlab.bench.result.ResultJson;
import dev.llmlab.sim.Calibrator;
import dev.llmlab.sim.engine.Calibration;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code llmlab sim calibrate RESULT.json}: fit the engine's step costs to measured latency versus load. */
@Command(
        name = "calibrate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Fit the batching engine's step costs to a bench sweep's TTFT and TPOT.",
            "Prints the fitted preset with its fit error (docs/engine.md)."
        })
final class CalibrateCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(
            paramLabel = "RESULT.json",
            description =
                    "A sweep or run result: config.input_tokens, config.output_tokens, and sweep.points[] (the rate: "
                            + "summary.sent_rate of an open loop, else rate_achieved; metrics.ttft.mean, metrics.tpot.mean in ms; "
                            + "each replayed for config.seconds_per_point, else its own summary.duration_s).")
    Path result;

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
            var read = ResultJson.readPartial(result);
            LatencyByLoad measured;
            try {
                measured = LatencyByLoad.of(read);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(result + ": " + e.getMessage());
            }
            report = Calibrator.run(input(measured), preset, name);
        } catch (IllegalArgumentException e) {
            throw new Main.CliException(Main.EXIT_CONFIG, "calibrate: " + e.getMessage());
        }
        spec.commandLine().getOut().print(report);
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** Bench's measurements in the simulator's terms: the one place the two features meet. */
    static Calibrator.Input input(LatencyByLoad m) {
        return new Calibrator.Input(
                m.promptTokens(),
                m.outputTokens(),
                m.points().stream()
                        .map(p -> new Calibration.Measured(
                                p.rate(), p.ttftMeanMs() * 1e6, p.tpotMeanMs() * 1e6, p.seconds()))
                        .toList(),
                m.leftOut());
    }
}
