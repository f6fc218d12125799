package dev.llmlab.cli;

import dev.llmlab.bench.result.BenchResult;
import dev.llmlab.bench.result.LoadAxis;
import dev.llmlab.bench.result.SloVerdict;
import dev.llmlab.bench.result.Stats;
import dev.llmlab.bench.result.Sweep;
import dev.llmlab.bench.session.BenchSession;
import dev.llmlab.bench.session.ScenarioRun;
import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.json.JsonMapper;

/** What the scenario commands (sweep, slo-search, breaking-point) share: running one, and its printing. */
final class Scenarios {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Scenarios() {}

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
     * Runs a scenario on a new session: a row per level as it ends, the answer of a search, and the
     * result written as asked.
     */
    static int run(CommandSpec spec, BenchOptions o, ScenarioRun.Scenario scenario) {
        return run(spec, o, "", scenario);
    }

    /** @param ofLevels the levels planned, as the progress line says them: {@code " of 7"}, {@code " of at most 12"} */
    static int run(CommandSpec spec, BenchOptions o, String ofLevels, ScenarioRun.Scenario scenario) {
        try (BenchSession session = new BenchSession(o.options(), true, SimTarget.wiring());
                Interrupts ctrlC =
                        Interrupts.on(session::interrupt, spec.commandLine().getErr())) {
            PrintWriter out = spec.commandLine().getOut();
            if (!o.quiet()) header(out);
            BenchResult result = ScenarioRun.run(session, scenario, ofLevels, p -> {
                if (!o.quiet()) row(out, p);
            });
            if (!o.quiet() && result.sweep().answer() != null) printAnswer(out, result.sweep());
            out.flush();
            o.write(spec, session, result);
            return session.interrupted() ? Main.EXIT_INTERRUPTED : 0;
        }
    }

    /**
     * The run's first few distinct failures, on the error stream whether or not the run is quiet:
     * {@code errors: 20 x http_404: HTTP 404: The model 'x' does not exist}.
     */
    static void printErrors(java.io.PrintWriter err, dev.llmlab.bench.result.Summary s) {
        for (dev.llmlab.bench.result.ErrorSample e : s.errorSamples()) {
            err.println("error: " + e.count() + " x " + e.kind() + (e.message() == null ? "" : ": " + e.message()));
        }
        long shown = s.errorSamples().stream().mapToLong(e -> e.count()).sum();
        if (s.requestsFailed() > shown) {
            err.println(
                    "error: " + (s.requestsFailed() - shown) + " more, of other kinds or messages (summary.errors)");
        }
        err.flush();
    }

    /** Prints each failed check's reason and returns the run's exit code ({@link Main#exitCode(Checks)}). */
    static int judge(java.io.PrintWriter err, dev.llmlab.bench.session.Checks checks) {
        for (String why : checks.reasons()) err.println("llmlab: " + why);
        err.flush();
        return Main.exitCode(checks);
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
                    JSON.writeValueAsString(a.failedOn()));
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
                                + JSON.writeValueAsString(a.failedOn()),
                a.confidence(),
                a.probes());
    }
}
