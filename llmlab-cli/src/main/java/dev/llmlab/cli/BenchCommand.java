package dev.llmlab.cli;

import dev.llmlab.bench.load.Arrivals;
import dev.llmlab.bench.load.Schedule;
import dev.llmlab.bench.load.Workload;
import dev.llmlab.bench.report.Comparison;
import dev.llmlab.bench.report.Reports;
import dev.llmlab.bench.report.RequestLog;
import dev.llmlab.bench.run.LoadPlan;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

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
            "Load-test an OpenAI- or Anthropic-compatible endpoint: TTFT, ITL, TPOT, e2e, throughput.",
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
            description = "Compare with this earlier result; with --max-regression, exit 5 when a figure got worse.")
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

    private int shardIndex;
    private int shardCount = 1;
    private JsonNode baselineResult;
    private double allowedRegression;

    /** A shard's part of a cap: ceil(cap / N), 0 (none) staying 0. */
    private int share(int cap) {
        return cap <= 0 ? 0 : (cap + shardCount - 1) / shardCount;
    }

    @Override
    public Integer call() {
        try {
            if (shard != null) {
                String[] parts = shard.strip().split("/");
                try {
                    shardIndex = Integer.parseInt(parts[0].strip());
                    shardCount = parts.length == 2 ? Integer.parseInt(parts[1].strip()) : -1;
                } catch (NumberFormatException e) {
                    shardCount = -1;
                }
                if (shardCount < 1 || shardIndex < 0 || shardIndex >= shardCount) {
                    throw new IllegalArgumentException("--shard must be I/N with 0 <= I < N, got '" + shard + "'");
                }
            }
            if (baseline != null) {
                baselineResult = Comparison.read(baseline); // before the run: a bad baseline should not cost one
                try {
                    allowedRegression = Comparison.parseFraction(maxRegression);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--max-regression " + e.getMessage());
                }
            }
        } catch (IllegalArgumentException e) {
            throw new Main.CliException(Main.EXIT_USAGE, e.getMessage());
        }
        try (BenchSession session = new BenchSession(o)) {
            LoadPlan plan = session.plan(null, null, 0);
            Workload workload = session.workload;
            Schedule replay = session.trace;
            if (shardCount > 1) {
                // Every N-th request of the same schedule and prompts: N shards together send the whole run.
                workload = workload.shard(shardIndex, shardCount);
                if (replay != null) {
                    replay = replay.shard(shardIndex, shardCount);
                } else if (plan.openLoop()) {
                    replay = Schedule.open(
                                    plan.rate(),
                                    plan.arrivals(),
                                    plan.seconds(),
                                    plan.maxRequests(),
                                    plan.ramp(),
                                    plan.rampSeconds(),
                                    plan.seed())
                            .shard(shardIndex, shardCount);
                    plan = new LoadPlan(
                            0,
                            plan.rate() / shardCount,
                            plan.arrivals(),
                            share(plan.maxConcurrency()),
                            plan.seconds(),
                            replay.size(),
                            plan.warmupSeconds(),
                            plan.cooldownSeconds(),
                            plan.ramp(),
                            plan.rampSeconds(),
                            plan.seed());
                } else {
                    if (plan.concurrency() < shardCount) {
                        throw new Main.CliException(
                                Main.EXIT_USAGE,
                                "--concurrency " + plan.concurrency() + " cannot be split into " + shardCount
                                        + " shards");
                    }
                    long requests = plan.maxRequests() > 0
                            ? Math.max(0, (plan.maxRequests() - shardIndex + shardCount - 1) / shardCount)
                            : 0;
                    int users = (plan.concurrency() - shardIndex + shardCount - 1) / shardCount;
                    plan = new LoadPlan(
                            users,
                            0,
                            plan.arrivals(),
                            0,
                            plan.seconds(),
                            requests,
                            plan.warmupSeconds(),
                            plan.cooldownSeconds(),
                            plan.ramp(),
                            plan.rampSeconds(),
                            plan.seed());
                }
            }
            if (session.trace != null) {
                // a trace sets its own open-loop schedule: every line, at its time
                double span = Math.max(1e-3, replay.offsetNanos(replay.size() - 1) / 1e9);
                plan = new LoadPlan(
                        0,
                        Math.max(1e-6, (replay.size() - 1) / span),
                        Arrivals.constant(),
                        plan.maxConcurrency(),
                        0,
                        replay.size(),
                        0,
                        0,
                        Schedule.Ramp.NONE,
                        0,
                        o.seed);
            }
            BenchSession.Run run;
            try (RequestLog log = requestsJsonl == null ? null : new RequestLog(requestsJsonl, System.nanoTime())) {
                run = session.run(
                        plan, replay, workload, log, true, shardCount > 1 ? shardIndex + "/" + shardCount : null);
            } catch (IOException e) {
                throw new Main.CliException(Main.EXIT_RUNTIME, "cannot write " + requestsJsonl + ": " + e.getMessage());
            }
            if (!o.quiet) {
                PrintWriter out = spec.commandLine().getOut();
                out.printf(
                        "llmlab bench: %s %s, model %s, %s%n",
                        session.api.flag(),
                        session.base,
                        session.model,
                        plan.openLoop()
                                ? "open loop at " + plan.rate() + " req/s (" + o.arrival + ")"
                                : "closed loop of " + plan.concurrency());
                Reports.console(out, run.summary(), run.outcome());
                Scenarios.printSlo(out, run.result().path("slo"));
                out.flush();
            }
            // A class of errors says how many; its first message says why (a refused certificate, a proxy's 407).
            session.firstFailures()
                    .forEach((kind, why) -> spec.commandLine().getErr().println("first " + kind + " error: " + why));
            if (baselineResult != null) {
                run.result()
                        .set(
                                "baseline",
                                Comparison.baseline(
                                        baseline.toString(), baselineResult, run.result(), allowedRegression));
            }
            session.write(run.result());
            if (csv != null) {
                try {
                    Files.writeString(csv, Reports.csv(run.summary()));
                } catch (IOException e) {
                    throw new Main.CliException(Main.EXIT_RUNTIME, "cannot write " + csv + ": " + e.getMessage());
                }
            }
            if (!run.outcome().valid() || run.outcome().stoppedEarly() != null) return Main.EXIT_INVALID;
            return baselineResult == null ? 0 : gate(run.result());
        }
    }

    /** Compares the run with --baseline: prints every figure worse than allowed; exit 5 if any. */
    private int gate(JsonNode current) {
        List<Comparison.Row> worse = Comparison.regressions(baselineResult, current, allowedRegression);
        PrintWriter out = spec.commandLine().getOut();
        if (worse.isEmpty()) {
            if (!o.quiet)
                out.printf(
                        Locale.ROOT,
                        "baseline %s: no figure worse by more than %.1f%%%n",
                        baseline,
                        100 * allowedRegression);
            out.flush();
            return 0;
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
        return Main.EXIT_REGRESSION;
    }
}
