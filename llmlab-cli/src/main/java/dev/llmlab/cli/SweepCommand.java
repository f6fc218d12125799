package dev.llmlab.cli;

import dev.llmlab.bench.scenario.Sweep;
import dev.llmlab.bench.scenario.Verdict;
import dev.llmlab.bench.session.ScenarioRun;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code llmlab bench sweep}: synchronous, maximum throughput, and rates between. */
@Command(
        name = "sweep",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Sweep the load: one user at a time, maximum throughput, and --points rates between.",
            "The throughput point runs --throughput-concurrency users; the rates are open loops evenly between the two",
            "achieved rates. Each point runs --duration (default 30s)."
        })
final class SweepCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    BenchOptions o;

    @Option(
            names = "--points",
            paramLabel = "N",
            defaultValue = "10",
            description = "Open-loop rates between the synchronous and throughput points (default: ${DEFAULT-VALUE}).")
    int points;

    @Option(
            names = "--throughput-concurrency",
            paramLabel = "N",
            defaultValue = "128",
            description = "Users of the maximum-throughput point (default: ${DEFAULT-VALUE}).")
    int throughputUsers;

    @Override
    public Integer call() {
        ScenarioRun.refuseLoadSettings(o.options(), "sweep");
        if (points < 1 || points > 100)
            throw new Main.CliException(Main.EXIT_USAGE, "--points must be between 1 and 100");
        if (throughputUsers < 2) throw new Main.CliException(Main.EXIT_USAGE, "--throughput-concurrency must be >= 2");
        return Scenarios.run(spec, o, (prober, slos, onPoint) -> {
            try {
                return Sweep.run(prober, points, throughputUsers, Verdict.DEFAULT, slos, onPoint);
            } catch (IllegalStateException e) {
                throw new Main.CliException(Main.EXIT_RUNTIME, "sweep: " + e.getMessage());
            }
        });
    }
}
