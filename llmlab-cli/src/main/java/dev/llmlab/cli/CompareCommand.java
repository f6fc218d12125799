package dev.llmlab.cli;

import dev.llmlab.bench.report.Comparison;
import dev.llmlab.bench.report.HtmlReport;
import dev.llmlab.bench.result.BenchResult;
import dev.llmlab.bench.result.ResultJson;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code llmlab bench compare A.json B.json ...}: results side by side, with changes against the first. */
@Command(
        name = "compare",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Show llmlab bench results side by side, with changes against the first.",
            "Throughputs and each latency metric's p50, p90 and p99; --html FILE also writes them as a self-contained",
            "HTML page with the latency distributions (and sweeps) overlaid."
        })
final class CompareCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "RESULT.json", arity = "2..*", description = "Results written by llmlab bench --json.")
    List<Path> results;

    @Option(
            names = "--html",
            paramLabel = "FILE",
            description =
                    "Also write the comparison as a self-contained HTML page ('-' for standard output, instead of the table).")
    String html;

    @Override
    public Integer call() {
        List<BenchResult> read = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        try {
            for (Path p : results) {
                read.add(ResultJson.read(p));
                labels.add(p.getFileName().toString());
            }
        } catch (IllegalArgumentException e) {
            throw new Main.CliException(Main.EXIT_USAGE, "compare: " + e.getMessage());
        }
        if (html != null)
            ReportCommand.writeHtml(spec, "compare", html, () -> HtmlReport.renderComparison(labels, read));
        if (!"-".equals(html)) {
            spec.commandLine().getOut().print(Comparison.table(labels, Comparison.rows(read)));
            spec.commandLine().getOut().flush();
        }
        return 0;
    }
}
