package dev.llmlab.cli;

import dev.llmlab.bench.scenario.Sweep;
import dev.llmlab.bench.scenario.Verdict;
import dev.llmlab.bench.session.ScenarioRun;
import java.util.List;
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
            "Sweep the load: one user at a time, maximum throughput, and --points rates between; or the open-loop",
            "--rates given. The throughput point runs --throughput-concurrency users; the rates are open loops evenly",
            "between the two achieved rates. Each point runs --duration (default 30s)."
        })
final class SweepCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    BenchOptions o;

    // Null when not given: --rates contradicts either one given, not their defaults.
    @Option(
            names = "--points",
            paramLabel = "N",
            description = "Open-loop rates between the synchronous and throughput points (default: "
                    + Sweep.DEFAULT_POINTS + ").")
    Integer points;

    @Option(
            names = "--throughput-concurrency",
            paramLabel = "N",
            description = "Users of the maximum-throughput point (default: " + Sweep.DEFAULT_THROUGHPUT_USERS + ").")
    Integer throughputUsers;

    @Option(
            names = "--rates",
            paramLabel = "R[,R...]",
            split = ",",
            description = "Run these open-loop rates (req/s), in this order, instead of the synchronous point, the "
                    + "throughput point and the rates between.")
    List<Double> rates;

    @Override
    public Integer call() {
        ScenarioRun.refuseLoadSettings(o.options(), "sweep");
        Sweep.Plan plan;
        try {
            plan = Sweep.Plan.of(rates, points, throughputUsers);
        } catch (IllegalArgumentException e) {
            throw new Main.CliException(Main.EXIT_USAGE, e.getMessage());
        }
        Verdict verdict = new Verdict(Verdict.DEFAULT.minKeepUp(), o.maxErrors());
        return Scenarios.run(spec, o, " of " + plan.levels(), (prober, slos, onPoint) -> {
            try {
                return Sweep.run(prober, plan, verdict, slos, onPoint);
            } catch (IllegalStateException e) {
                throw new Main.CliException(Main.EXIT_RUNTIME, "sweep: " + e.getMessage());
            }
        });
    }
}
