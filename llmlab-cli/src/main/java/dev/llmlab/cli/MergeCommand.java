package dev.llmlab.cli;

import dev.llmlab.bench.report.Merge;
import dev.llmlab.bench.result.BenchResult;
import dev.llmlab.bench.result.ResultJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

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
        List<BenchResult> read = new ArrayList<>();
        String merged;
        try {
            for (Path p : results) read.add(ResultJson.read(p));
            merged = ResultJson.write(Merge.results(read));
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
