package dev.llmlab.cli;

import dev.llmlab.bench.report.Comparison;
import dev.llmlab.bench.report.Merge;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code llmlab bench merge A.json B.json ... --json OUT}: shards' results as one. */
@Command(
        name = "merge",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Merge the results of shards (--shard I/N) run together into one result.",
            "Histograms are added, counts summed, per-second series aligned, targets judged again (docs/bench.md)."
        })
final class MergeCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "RESULT.json", arity = "1..*", description = "Results written by llmlab bench --json.")
    List<Path> results;

    @Option(
            names = "--json",
            paramLabel = "FILE",
            description = "Write the merged result here (default: standard output).")
    Path json;

    @Override
    public Integer call() {
        List<JsonNode> read = new ArrayList<>();
        String merged;
        try {
            for (Path p : results) read.add(Comparison.read(p));
            merged = Merge.results(read);
        } catch (IllegalArgumentException e) {
            throw new Main.CliException(Main.EXIT_USAGE, "merge: " + e.getMessage());
        }
        if (json == null) {
            spec.commandLine().getOut().println(merged);
            spec.commandLine().getOut().flush();
            return 0;
        }
        try {
            Files.writeString(json, merged);
        } catch (IOException e) {
            throw new Main.CliException(Main.EXIT_RUNTIME, "cannot write " + json + ": " + e.getMessage());
        }
        return 0;
    }
}
