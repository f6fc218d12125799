package dev.llmlab.cli;

import dev.llmlab.bench.scenario.LoadSearch;
import dev.llmlab.bench.session.ScenarioRun;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code llmlab bench breaking-point}: raise the load until something gives. */
@Command(
        name = "breaking-point",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Raise the load until something gives: the last sustained level and the first failing one.",
            "Each step multiplies the load by --factor. A level fails on errors above --max-errors, a missed --slo",
            "target, a server falling behind the offered rate, or an over-saturated queue."
        })
final class BreakingPointCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    BenchOptions o;

    @Mixin
    SearchOptions search;

    @Option(
            names = "--factor",
            paramLabel = "X",
            defaultValue = "1.5",
            description = "Load multiplier per step (default: ${DEFAULT-VALUE}).")
    double factor;

    @Override
    public Integer call() {
        ScenarioRun.refuseLoadSettings(o.options(), "breaking-point");
        if (!(factor > 1) || Double.isInfinite(factor))
            throw new Main.CliException(Main.EXIT_USAGE, "--factor must be above 1");
        LoadSearch.Options options = search.options(0.05, o.maxErrors());
        return Scenarios.run(
                spec,
                o,
                " of at most " + options.maxProbes(),
                (prober, slos, onPoint) -> LoadSearch.breakingPoint(prober, options, factor, slos, onPoint));
    }
}
