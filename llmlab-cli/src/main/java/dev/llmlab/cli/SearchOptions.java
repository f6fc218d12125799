package dev.llmlab.cli;

import dev.llmlab.bench.result.LoadAxis;
import dev.llmlab.bench.scenario.LoadSearch;
import dev.llmlab.bench.scenario.Verdict;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The flags of the searches (slo-search, breaking-point): the axis, and where to start and stop. */
final class SearchOptions {
    @Option(
            names = "--axis",
            paramLabel = "AXIS",
            defaultValue = "rate",
            description = "Search the open-loop rate or the closed-loop concurrency (default: ${DEFAULT-VALUE}).")
    String axis;

    @Option(
            names = "--start",
            paramLabel = "LOAD",
            description =
                    "First level (req/s or users; default: one user at a time, whose achieved rate starts the search).")
    double start;

    @Option(names = "--max", paramLabel = "LOAD", description = "Never probe above this level.")
    double max;

    @Option(
            names = "--max-probes",
            paramLabel = "N",
            defaultValue = "12",
            description = "Runs at most (default: ${DEFAULT-VALUE}).")
    int maxProbes;

    /** @param maxErrors {@code --max-errors}, as a fraction (a bench flag: every run judges it) */
    LoadSearch.Options options(double tolerance, double maxErrors) {
        try {
            LoadAxis a = switch (axis.toLowerCase(Locale.ROOT)) {
                case "rate" -> LoadAxis.RATE;
                case "concurrency" -> LoadAxis.CONCURRENCY;
                default -> throw new IllegalArgumentException("--axis must be rate or concurrency, got '" + axis + "'");
            };
            if (a == LoadAxis.CONCURRENCY && (start != Math.rint(start) || max != Math.rint(max))) {
                throw new IllegalArgumentException(
                        "--start and --max count users on the concurrency axis: give whole numbers");
            }
            return new LoadSearch.Options(
                    a, start, max, tolerance, maxProbes, new Verdict(Verdict.DEFAULT.minKeepUp(), maxErrors));
        } catch (IllegalArgumentException e) {
            throw new Main.CliException(Main.EXIT_USAGE, e.getMessage());
        }
    }
}
