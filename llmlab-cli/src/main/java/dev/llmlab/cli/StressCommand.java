package dev.llmlab.cli;

import dev.llmlab.bench.load.LoadShape;
import dev.llmlab.bench.load.Schedule;
import dev.llmlab.bench.measure.BurstRecovery;
import dev.llmlab.bench.result.BenchResult;
import dev.llmlab.bench.result.RunConfig;
import dev.llmlab.bench.result.Stress;
import dev.llmlab.bench.run.LoadPlan;
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
        if (o.concurrency != null)
            throw new Main.CliException(Main.EXIT_USAGE, "stress is an open loop: drop --concurrency");
        if (o.requests != null)
            throw new Main.CliException(Main.EXIT_USAGE, "stress runs for --duration: drop --requests");
        if (!o.ramp.equalsIgnoreCase("none")) {
            throw new Main.CliException(
                    Main.EXIT_USAGE, "stress shapes the rate itself: drop --ramp (--pattern ramp ramps)");
        }
        if (o.dataset != null && o.datasetFormat.equals("trace")) {
            throw new Main.CliException(
                    Main.EXIT_USAGE, "stress sets its own times: a trace cannot be replayed in a shape");
        }
        double seconds = o.duration != null ? Durations.toSeconds(o.duration) : 60;
        LoadShape shape;
        Schedule schedule;
        try {
            shape = LoadShape.of(pattern.toLowerCase(Locale.ROOT), params());
            schedule = shape.schedule(seconds, dev.llmlab.bench.load.Arrivals.parse(o.arrival, o.burstiness), o.seed);
        } catch (IllegalArgumentException e) {
            throw new Main.CliException(Main.EXIT_USAGE, "stress: " + flags(e.getMessage()));
        }
        if (schedule.size() == 0)
            throw new Main.CliException(Main.EXIT_USAGE, "stress: the shape offers no request in " + seconds + " s");
        try (BenchSession session = new BenchSession(o)) {
            LoadPlan plan;
            try {
                // the plan's rate is the shape's mean: for the client's warm-up; the schedule sets every send
                plan = new LoadPlan(
                        0,
                        schedule.size() / seconds,
                        dev.llmlab.bench.load.Arrivals.parse(o.arrival, o.burstiness),
                        o.maxConcurrency != null ? o.maxConcurrency : 0,
                        seconds,
                        schedule.size(),
                        Durations.toSeconds(o.warmup),
                        Durations.toSeconds(o.cooldown),
                        Schedule.Ramp.NONE,
                        0,
                        o.seed);
            } catch (IllegalArgumentException e) {
                throw new Main.CliException(Main.EXIT_USAGE, e.getMessage());
            }
            // A spike overloads on purpose: its bursts must not be taken for a queue growing without bound.
            boolean stop = o.saturationStop && !(shape instanceof LoadShape.Spike);
            BenchSession.Run run = session.run(plan, schedule, session.workload, null, true, null, stop);
            // The shape's times count from the load's clock, which started after the client's connection
            // warm-up; the per-second series counts from before it.
            double shift = run.clockOffsetSeconds();
            List<LoadShape.Phase> phases = shape.bursts(seconds);
            List<LoadShape.Phase> shifted = new java.util.ArrayList<>();
            for (LoadShape.Phase b : phases)
                shifted.add(new LoadShape.Phase(b.startS() + shift, b.endS() + shift, b.rate()));
            List<BurstRecovery.Burst> bursts = BurstRecovery.analyse(run.seconds(), shifted);
            List<Stress.Burst> list = new java.util.ArrayList<>();
            for (int i = 0; i < bursts.size(); i++) {
                BurstRecovery.Burst b = bursts.get(i);
                list.add(new Stress.Burst(
                        phases.get(i).startS(),
                        phases.get(i).endS(),
                        b.rate(),
                        b.baselineMs(),
                        b.peakTtftMs(),
                        b.peakE2eMs(),
                        b.errors(),
                        b.recoveredAfterS() == null ? Double.NaN : b.recoveredAfterS()));
            }
            Map<String, Number> params = new LinkedHashMap<>();
            shape.params().forEach((k, v) -> params.put(k, (Number) v));
            BenchResult result = run.result()
                    .withConfig(run.result().config().toBuilder()
                            .mode(RunConfig.Mode.STRESS)
                            .rate(plan.rate())
                            .build())
                    .withStress(new Stress(
                            shape.name(),
                            params,
                            BurstRecovery.usesTtft(run.seconds()) ? "ttft_p50" : "e2e_p50",
                            list));
            if (!o.quiet) {
                PrintWriter out = spec.commandLine().getOut();
                out.printf(
                        "llmlab bench stress: %s %s over %.0f s, %d requests%n",
                        shape.name(), shape.params(), seconds, schedule.size());
                dev.llmlab.bench.report.Reports.console(out, result);
                Scenarios.printSlo(out, result.slo());
                if (!bursts.isEmpty()) {
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
                    for (int i = 0; i < bursts.size(); i++) {
                        BurstRecovery.Burst b = bursts.get(i);
                        out.printf(
                                Locale.ROOT,
                                "%9.1f %9.1f %9.2f %12s %12s %12s %7d %12s%n",
                                phases.get(i).startS(),
                                phases.get(i).endS(),
                                b.rate(),
                                num(b.baselineMs()),
                                num(b.peakTtftMs()),
                                num(b.peakE2eMs()),
                                b.errors(),
                                b.recoveredAfterS() == null
                                        ? "never"
                                        : String.format(Locale.ROOT, "%.0f", b.recoveredAfterS()));
                    }
                }
                out.flush();
            }
            session.write(result);
            return run.delivery().valid() && run.delivery().stoppedEarly() == null ? 0 : Main.EXIT_INVALID;
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
