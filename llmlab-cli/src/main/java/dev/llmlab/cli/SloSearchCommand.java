package dev.llmlab.cli;

import dev.llmlab.bench.measure.Fraction;
import dev.llmlab.bench.scenario.LoadSearch;
import dev.llmlab.bench.session.ScenarioRun;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code llmlab bench slo-search}: the largest load that meets every SLO. */
@Command(
        name = "slo-search",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Find the largest load at which every --slo target holds.",
            "Doubles the rate (or concurrency) until a level fails, then narrows the bracket to --tolerance by false",
            "position and bisection. Reports the answer, its confidence and every probe."
        })
final class SloSearchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    BenchOptions o;

    @Mixin
    SearchOptions search;

    @Option(
            names = "--tolerance",
            paramLabel = "FRACTION",
            defaultValue = "5%",
            description = "Stop when the passing and failing levels are this close (default: ${DEFAULT-VALUE}).")
    String tolerance;

    @Override
    public Integer call() {
        ScenarioRun.refuseLoadSettings(o.options(), "slo-search");
        if ((o.slo == null || o.slo.isBlank()) && o.targets == null) {
            throw new Main.CliException(
                    Main.EXIT_USAGE, "slo-search needs --slo (e.g. ttft_p95<=500ms,error_rate<=0.1%) or --targets");
        }
        double tol;
        try {
            tol = Fraction.parse(tolerance, "--tolerance", true);
        } catch (IllegalArgumentException e) {
            throw new Main.CliException(Main.EXIT_USAGE, e.getMessage());
        }
        LoadSearch.Options options = search.options(tol, o.maxErrors());
        return Scenarios.run(
                spec,
                o,
                " of at most " + options.maxProbes(),
                (prober, slos, onPoint) -> LoadSearch.sloSearch(prober, options, slos, onPoint));
    }
}
