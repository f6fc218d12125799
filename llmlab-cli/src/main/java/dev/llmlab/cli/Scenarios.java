package dev.llmlab.cli;

import dev.llmlab.bench.result.BenchResult;
import dev.llmlab.bench.result.LoadAxis;
import dev.llmlab.bench.result.RunConfig;
import dev.llmlab.bench.result.SloVerdict;
import dev.llmlab.bench.result.Stats;
import dev.llmlab.bench.result.Sweep;
import dev.llmlab.bench.run.LoadPlan;
import dev.llmlab.bench.scenario.Load;
import dev.llmlab.bench.scenario.Prober;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import picocli.CommandLine.Model.CommandSpec;

/** What the scenario commands (sweep, slo-search, breaking-point) share: the prober, the printing, the result. */
final class Scenarios {
    /** Seconds a scenario's point runs when neither --duration nor --requests is given. */
    static final double DEFAULT_POINT_SECONDS = 30;

    private Scenarios() {}

    /** Refuses the flags a scenario sets itself. */
    static void refuseLoadFlags(BenchOptions o, String command) {
        if (o.rate != null || o.concurrency != null) {
            throw new Main.CliException(
                    Main.EXIT_USAGE, command + " sets the load itself: drop --rate and --concurrency");
        }
        if (o.dataset != null && o.datasetFormat.equals("trace")) {
            throw new Main.CliException(
                    Main.EXIT_USAGE,
                    command + " cannot replay a trace at its own times: use a jsonl "
                            + "or sharegpt dataset, or `llmlab bench --dataset-format trace`");
        }
    }

    /** Runs each level on the session, printing a row per point; remembers the last run's result. */
    static final class SessionProber implements Prober {
        final BenchSession session;
        BenchResult last;
        LoadPlan lastPlan;
        private long sent;

        SessionProber(BenchSession session) {
            this.session = session;
        }

        @Override
        public BenchResult probe(Load load) {
            LoadPlan plan = load.axis() == LoadAxis.RATE
                    ? session.plan(null, load.value(), DEFAULT_POINT_SECONDS)
                    : session.plan(load.users(), null, DEFAULT_POINT_SECONDS);
            // Each level goes on where the last stopped in the prompts: a server's prefix cache, warm from
            // an earlier level, would otherwise make the later ones look faster than they are.
            BenchSession.Run run = session.run(plan, null, session.workload.from(sent), null, true, null);
            sent += run.delivery().sent();
            last = run.result();
            lastPlan = plan;
            return last;
        }
    }

    static void header(PrintWriter out) {
        out.printf(
                Locale.ROOT,
                "%-16s %9s %9s %9s %10s %10s %10s %10s %7s  %s%n",
                "point",
                "rate",
                "sent",
                "achieved",
                "ttft p50",
                "ttft p99",
                "tpot p50",
                "e2e p50",
                "errors",
                "verdict");
        out.flush();
    }

    static void row(PrintWriter out, Sweep.Point p) {
        double sent = p.summary() == null ? Double.NaN : p.summary().sentRate();
        out.printf(
                Locale.ROOT,
                "%-16s %9s %9s %9.3f %10s %10s %10s %10s %7d  %s%n",
                p.label(),
                Double.isNaN(p.rate()) ? "-" : String.format(Locale.ROOT, "%.3f", p.rate()),
                Double.isNaN(p.rate()) || Double.isNaN(sent) ? "-" : String.format(Locale.ROOT, "%.3f", sent),
                p.rateAchieved(),
                ms(p.metric("ttft"), 50),
                ms(p.metric("ttft"), 99),
                ms(p.metric("tpot"), 50),
                ms(p.metric("e2e"), 50),
                p.summary() == null ? 0 : p.summary().requestsFailed(),
                p.sustained() ? "ok" : "FAIL " + String.join(", ", p.failedOn()));
        out.flush();
    }

    private static String ms(Stats metric, double p) {
        return metric == null || metric.count() == 0 ? "-" : String.format(Locale.ROOT, "%.2f", metric.percentile(p));
    }

    /**
     * Runs a scenario on a new session: a row per point as it ends, the answer of a search, and the
     * result written as asked.
     */
    static int run(CommandSpec spec, BenchOptions o, BiFunction<SessionProber, Consumer<Sweep.Point>, Sweep> scenario) {
        try (BenchSession session = new BenchSession(o, true)) {
            PrintWriter out = spec.commandLine().getOut();
            if (!o.quiet) header(out);
            SessionProber prober = new SessionProber(session);
            Sweep sweep = scenario.apply(prober, p -> {
                if (!o.quiet) row(out, p);
            });
            if (!o.quiet && sweep.answer() != null) printAnswer(out, sweep);
            out.flush();
            session.write(result(prober, sweep));
            return 0;
        }
    }

    /** Each target's value against its bound, and the grade. */
    static void printSlo(PrintWriter out, SloVerdict slo) {
        if (slo == null) return;
        for (SloVerdict.Target t : slo.targets()) {
            String unit = t.unit();
            out.printf(
                    Locale.ROOT,
                    "slo %-22s %12s %s %-10s %s%s%n",
                    t.name(),
                    Double.isNaN(t.value()) ? "no samples" : fmt(t.value(), unit),
                    t.kind() == SloVerdict.Kind.MINIMUM ? ">=" : t.kind() == SloVerdict.Kind.RANGE ? "in" : "<=",
                    t.kind() == SloVerdict.Kind.RANGE
                            ? fmt(t.low(), unit) + ".." + fmt(t.bound(), unit)
                            : fmt(t.bound(), unit),
                    t.met() ? "met" : "MISSED",
                    Double.isNaN(t.confidence())
                            ? ""
                            : String.format(Locale.ROOT, " (confidence %.3f)", t.confidence()));
        }
        out.printf(
                Locale.ROOT,
                "slo: %s, grade %s (%d of %d targets met)%n",
                slo.passed() ? "PASSED" : "FAILED",
                slo.grade().name(),
                slo.grade().met(),
                slo.grade().total());
    }

    private static String fmt(double v, String unit) {
        return switch (unit) {
            case "fraction" -> String.format(Locale.ROOT, "%.3f%%", 100 * v);
            case "ms" -> String.format(Locale.ROOT, "%.2f ms", v);
            default -> String.format(Locale.ROOT, "%.2f %s", v, unit);
        };
    }

    /**
     * The result of a scenario: the last point's run (so that readers of single results still work),
     * with the sweep and the settings every point shared.
     */
    static BenchResult result(SessionProber prober, Sweep sweep) {
        BenchResult result = prober.last;
        LoadPlan plan = prober.lastPlan;
        BenchOptions o = prober.session.o;
        RunConfig.Builder config = result.config().toBuilder()
                .scenario(sweep.kind())
                .secondsPerPoint(plan.seconds() > 0 ? plan.seconds() : Double.NaN);
        // the request shape every point shared, as `llmlab sim calibrate` reads it
        if (o.outputTokens == null) config.outputTokens(String.valueOf(o.maxTokens));
        return result.withConfig(config.build()).withSweep(sweep);
    }

    private static String level(double v, boolean users) {
        return users ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.4g", v);
    }

    /** The answer of a search, in words. */
    static void printAnswer(PrintWriter out, Sweep sweep) {
        Sweep.Answer a = sweep.answer();
        boolean users = sweep.axis() != LoadAxis.RATE;
        String unit = users ? " users" : " req/s";
        if (Double.isNaN(a.maxPassing())) {
            out.printf(
                    "answer: no load sustained; even the first level failed on %s%n",
                    BenchSession.JSON.writeValueAsString(a.failedOn()));
            return;
        }
        out.printf(
                Locale.ROOT,
                "answer: %s%s sustained%s; confidence %.3f, %d probes%n",
                level(a.maxPassing(), users),
                unit,
                Double.isNaN(a.firstFailing())
                        ? " (no level failed up to the limit)"
                        : ", " + level(a.firstFailing(), users) + unit + " failed on "
                                + BenchSession.JSON.writeValueAsString(a.failedOn()),
                a.confidence(),
                a.probes());
    }
}
