package dev.llmlab.cli;

import dev.llmlab.bench.measure.Fraction;
import dev.llmlab.bench.report.Comparison;
import dev.llmlab.bench.report.Reports;
import dev.llmlab.bench.result.BenchResult;
import dev.llmlab.bench.result.ResultJson;
import dev.llmlab.bench.result.RunConfig;
import dev.llmlab.bench.session.BenchSession;
import dev.llmlab.bench.session.Checks;
import dev.llmlab.bench.session.Outputs;
import dev.llmlab.bench.session.Shard;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code llmlab bench}: load-test an LLM endpoint (by default an embedded simulator) and report
 * TTFT, inter-token latencies and throughput, with their definitions in docs/metrics.md.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        subcommands = {
            SweepCommand.class,
            SloSearchCommand.class,
            BreakingPointCommand.class,
            StressCommand.class,
            CompareCommand.class,
            MergeCommand.class,
            ReportCommand.class
        },
        description = {
            "Load-test an OpenAI-, Anthropic- or Gemini-compatible endpoint, http or https: TTFT, ITL, TPOT, e2e, throughput.",
            "Without --url it starts an embedded `llmlab sim` on a free loopback port and measures that."
        })
final class BenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    BenchOptions o;

    @Option(
            names = "--shard",
            paramLabel = "I/N",
            description =
                    "Run shard I (0-based) of N: every N-th request of the same seed's schedule, at 1/N of the load; "
                            + "merge the shards' results with `llmlab bench merge`.")
    String shard;

    @Option(
            names = "--baseline",
            paramLabel = "OLD.json",
            description =
                    "Compare with this earlier result: a figure worse by more than --max-regression fails the run "
                            + "(exit 24).")
    Path baseline;

    @Option(
            names = "--max-regression",
            paramLabel = "FRACTION",
            defaultValue = "10%",
            description =
                    "How much worse than --baseline a throughput or latency percentile may be (default: ${DEFAULT-VALUE}).")
    String maxRegression;

    @Option(names = "--csv", paramLabel = "FILE", description = "Write one row per metric as CSV.")
    Path csv;

    @Option(
            names = "--requests-jsonl",
            paramLabel = "FILE",
            description = "Write one JSON line per request with its timestamps.")
    Path requestsJsonl;

    private BenchResult baselineResult;
    private double allowedRegression;

    @Override
    public Integer call() {
        Shard part = shard == null ? Shard.WHOLE : Shard.parse(shard);
        if (baseline != null) {
            try {
                baselineResult = ResultJson.read(baseline); // before the run: a bad baseline should not cost one
                allowedRegression = Fraction.parse(maxRegression, "--max-regression", false);
            } catch (IllegalArgumentException e) {
                throw new Main.CliException(Main.EXIT_USAGE, e.getMessage());
            }
        }
        Outputs.checkWritable(csv, "--csv");
        Outputs.checkWritable(requestsJsonl, "--requests-jsonl");
        try (BenchSession session = new BenchSession(o.options(), SimTarget.wiring());
                Interrupts ctrlC =
                        Interrupts.on(session::interrupt, spec.commandLine().getErr())) {
            BenchSession.Run run = session.runOnce(part, requestsJsonl);
            BenchResult result = run.result();
            if (!o.quiet()) {
                PrintWriter out = spec.commandLine().getOut();
                RunConfig c = result.config();
                out.printf(
                        "llmlab bench: %s %s, model %s, %s%n",
                        c.api(),
                        c.url(),
                        c.model(),
                        c.mode() == RunConfig.Mode.OPEN
                                ? "open loop at " + c.rate() + " req/s (" + c.arrival() + ")"
                                : "closed loop of " + c.concurrency());
                Reports.console(out, result);
                Scenarios.printSlo(out, result.slo());
                out.flush();
            }
            // A class of errors says how many; what was said says why (the server's error, a refused certificate).
            Scenarios.printErrors(spec.commandLine().getErr(), result.summary());
            if (baselineResult != null) {
                // compared whatever the run's validity: an invalid run's figures are still what it measured,
                // and the exit code says both
                result = result.withBaseline(
                        Comparison.baseline(baseline.toString(), baselineResult, result, allowedRegression));
            }
            o.write(spec, session, result);
            if (csv != null) BenchSession.writeCsv(csv, result);
            if (baselineResult != null) printComparison(result);
            int code = Scenarios.judge(spec.commandLine().getErr(), Checks.of(result, o.maxErrors()));
            return session.interrupted() ? Main.EXIT_INTERRUPTED : code;
        }
    }

    /** The comparison with --baseline: every figure worse than allowed on stderr, or that none is. */
    private void printComparison(BenchResult current) {
        List<String> unlike = Comparison.workloadDifferences(baselineResult, current);
        if (!unlike.isEmpty()) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("llmlab: warning: the baseline ran another workload, so its figures compare unlike with "
                    + "unlike:");
            unlike.forEach(d -> err.println("  " + d));
            err.flush();
        }
        List<Comparison.Row> worse = Comparison.regressions(baselineResult, current, allowedRegression);
        if (worse.isEmpty()) {
            PrintWriter out = spec.commandLine().getOut();
            if (!o.quiet())
                out.printf(
                        Locale.ROOT,
                        "baseline %s: no figure worse by more than %.1f%%%n",
                        baseline,
                        100 * allowedRegression);
            out.flush();
            return;
        }
        PrintWriter err = spec.commandLine().getErr();
        err.printf(
                Locale.ROOT,
                "llmlab: %d figure(s) worse than baseline %s by more than %.1f%%:%n",
                worse.size(),
                baseline,
                100 * allowedRegression);
        err.print(Comparison.table(List.of("baseline", "this run"), worse));
        err.flush();
    }
}
