package dev.llmlab.cli;

import dev.llmlab.bench.report.Reports;
import dev.llmlab.bench.result.BenchResult;
import dev.llmlab.bench.result.Stress;
import dev.llmlab.bench.session.BenchSession;
import dev.llmlab.bench.session.Checks;
import dev.llmlab.bench.session.SessionOptions;
import dev.llmlab.bench.session.StressRun;
import dev.llmlab.core.time.Durations;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code llmlab bench stress}: an open loop whose rate follows a shape, and how the server responds to it. */
@Command(
        name = "stress",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Offer load in a shape over time, and report how latency and errors respond and recover.",
            "Over --duration (default 60s): steady (--rate), ramp (--from-rate, --to-rate, --ramp-time), spike",
            "(--base-rate with bursts at --peak-rate every --period for --width, from --first-at) or step (--from-rate,",
            "plus --step-rate every --step-every, up to --to-rate)."
        })
final class StressCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    BenchOptions o;

    @Option(names = "--pattern", paramLabel = "SHAPE", required = true, description = "steady, ramp, spike or step.")
    String pattern;

    @Option(names = "--base-rate", paramLabel = "R", description = "spike: the rate between bursts.")
    Double baseRate;

    @Option(names = "--peak-rate", paramLabel = "R", description = "spike: the rate during a burst.")
    Double peakRate;

    @Option(
            names = "--period",
            paramLabel = "DURATION",
            converter = SimCommand.DurationConverter.class,
            description = "spike: from one burst's start to the next's.")
    Duration period;

    @Option(
            names = "--width",
            paramLabel = "DURATION",
            converter = SimCommand.DurationConverter.class,
            description = "spike: how long a burst lasts.")
    Duration width;

    @Option(
            names = "--first-at",
            paramLabel = "DURATION",
            converter = SimCommand.DurationConverter.class,
            description = "spike: when the first burst starts (default: one period in, so that it has a baseline).")
    Duration firstAt;

    @Option(names = "--from-rate", paramLabel = "R", description = "ramp and step: the starting rate.")
    Double fromRate;

    @Option(names = "--to-rate", paramLabel = "R", description = "ramp and step: the final rate.")
    Double toRate;

    @Option(names = "--step-rate", paramLabel = "R", description = "step: how much each step adds.")
    Double stepRate;

    @Option(
            names = "--step-every",
            paramLabel = "DURATION",
            converter = SimCommand.DurationConverter.class,
            description = "step: how long each level lasts.")
    Duration stepEvery;

    @Override
    public Integer call() {
        SessionOptions options = o.options();
        StressRun.refuseLoadSettings(options);
        StressRun.Plan plan;
        try {
            plan = StressRun.plan(options, pattern, params());
        } catch (IllegalArgumentException e) {
            throw new Main.CliException(Main.EXIT_USAGE, "stress: " + flags(e.getMessage()));
        }
        try (BenchSession session = new BenchSession(options, SimTarget.wiring());
                Interrupts ctrlC =
                        Interrupts.on(session::interrupt, spec.commandLine().getErr())) {
            BenchSession.Run run = StressRun.run(session, plan);
            BenchResult result = run.result();
            if (!o.quiet()) {
                PrintWriter out = spec.commandLine().getOut();
                out.printf(
                        "llmlab bench stress: %s %s over %.0f s, %d requests%n",
                        plan.shape().name(),
                        plan.shape().params(),
                        plan.seconds(),
                        plan.schedule().size());
                Reports.console(out, result);
                Scenarios.printSlo(out, result.slo());
                printBursts(out, result.stress().bursts());
                out.flush();
            }
            Scenarios.printErrors(spec.commandLine().getErr(), result.summary());
            o.write(spec, session, result);
            int code = Scenarios.judge(spec.commandLine().getErr(), Checks.of(result, o.maxErrors()));
            return session.interrupted() ? Main.EXIT_INTERRUPTED : code;
        }
    }

    private static void printBursts(PrintWriter out, List<Stress.Burst> bursts) {
        if (bursts.isEmpty()) return;
        out.printf(
                Locale.ROOT,
                "%9s %9s %9s %12s %12s %12s %7s %12s%n",
                "start s",
                "end s",
                "rate",
                "baseline ms",
                "peak ms",
                "peak e2e ms",
                "errors",
                "recovered s");
        for (Stress.Burst b : bursts) {
            out.printf(
                    Locale.ROOT,
                    "%9.1f %9.1f %9.2f %12s %12s %12s %7d %12s%n",
                    b.startS(),
                    b.endS(),
                    b.rate(),
                    num(b.baselineTtftP50()),
                    num(b.peakTtftP50()),
                    num(b.peakE2eP50()),
                    b.errors(),
                    b.recovered() ? String.format(Locale.ROOT, "%.0f", b.recoveredAfterS()) : "never");
        }
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static final Map<String, String> FLAGS = Map.ofEntries(
            Map.entry("rate", "--rate"),
            Map.entry("base_rate", "--base-rate"),
            Map.entry("peak_rate", "--peak-rate"),
            Map.entry("period_s", "--period"),
            Map.entry("width_s", "--width"),
            Map.entry("first_at_s", "--first-at"),
            Map.entry("from_rate", "--from-rate"),
            Map.entry("to_rate", "--to-rate"),
            Map.entry("step_rate", "--step-rate"),
            Map.entry("step_s", "--step-every"),
            Map.entry("ramp_s", "--ramp-time"));

    /** LoadShape's message with its parameter names as this command's flags. */
    static String flags(String message) {
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("\\b[a-z_]+\\b").matcher(message);
        StringBuilder b = new StringBuilder();
        while (m.find())
            m.appendReplacement(b, java.util.regex.Matcher.quoteReplacement(FLAGS.getOrDefault(m.group(), m.group())));
        m.appendTail(b);
        return b.toString();
    }

    /** The shape's parameters from the flags given; LoadShape names what is missing or wrong. */
    private Map<String, Double> params() {
        Map<String, Double> m = new LinkedHashMap<>();
        if (o.rate != null) m.put("rate", o.rate);
        if (baseRate != null) m.put("base_rate", baseRate);
        if (peakRate != null) m.put("peak_rate", peakRate);
        if (period != null) m.put("period_s", Durations.toSeconds(period));
        if (width != null) m.put("width_s", Durations.toSeconds(width));
        if (firstAt != null) m.put("first_at_s", Durations.toSeconds(firstAt));
        if (fromRate != null) m.put("from_rate", fromRate);
        if (toRate != null) m.put("to_rate", toRate);
        if (stepRate != null) m.put("step_rate", stepRate);
        if (stepEvery != null) m.put("step_s", Durations.toSeconds(stepEvery));
        if (!o.rampTime.isZero()) m.put("ramp_s", Durations.toSeconds(o.rampTime));
        return m;
    }
}
