package dev.llmlab.cli;

import dev.llmlab.bench.report.HtmlReport;
import dev.llmlab.bench.result.BenchResult;
import dev.llmlab.bench.result.ResultJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code llmlab bench report RESULT.json --html FILE}: the HTML report of a saved result, rebuilt from its JSON. */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Rebuild the HTML report of a saved result.",
            "Any result written by llmlab bench --json (a run, sweep, search, stress run or merge), as one",
            "self-contained page that opens offline (docs/report.md)."
        })
final class ReportCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RESULT.json", arity = "1", description = "A result written by llmlab bench --json.")
    Path result;

    @Option(
            names = "--html",
            paramLabel = "FILE",
            required = true,
            description = "Write the HTML report here ('-' for standard output).")
    String html;

    @Override
    public Integer call() {
        BenchResult read;
        try {
            read = ResultJson.read(result);
        } catch (IllegalArgumentException e) {
            throw new Main.CliException(Main.EXIT_USAGE, "report: " + e.getMessage());
        }
        writeHtml(spec, "report", html, () -> HtmlReport.render(read));
        return 0;
    }

    /**
     * Writes a page to {@code target}, or to standard output for {@code -}.
     *
     * @throws Main.CliException with {@link Main#EXIT_RUNTIME} when the file cannot be written, {@link Main#EXIT_USAGE}
     *                           when its name is not a path
     */
    static void writeHtml(CommandSpec spec, String command, String target, Supplier<String> page) {
        String html = page.get();
        if (target.equals("-")) {
            spec.commandLine().getOut().print(html);
            spec.commandLine().getOut().flush();
            return;
        }
        try {
            Files.writeString(Path.of(target), html);
        } catch (java.nio.file.InvalidPathException e) {
            throw new Main.CliException(Main.EXIT_USAGE, command + ": --html " + target + ": " + e.getMessage());
        } catch (IOException e) {
            String why = e instanceof java.nio.file.NoSuchFileException
                    ? "no such directory"
                    : e instanceof java.nio.file.AccessDeniedException
                            ? "permission denied"
                            : e instanceof java.nio.file.FileSystemException f && f.getReason() != null
                                    ? f.getReason()
                                    : e.getMessage();
            throw new Main.CliException(Main.EXIT_RUNTIME, command + ": cannot write " + target + ": " + why);
        }
    }
}
