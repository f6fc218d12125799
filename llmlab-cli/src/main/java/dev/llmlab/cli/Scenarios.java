package dev.llmlab.cli;

import dev.llmlab.bench.run.LoadPlan;
import dev.llmlab.bench.scenario.Load;
import dev.llmlab.bench.scenario.Prober;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

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
        ObjectNode last;
        LoadPlan lastPlan;
        private long sent;

        SessionProber(BenchSession session) {
            this.session = session;
        }

        @Override
        public ObjectNode probe(Load load) {
            LoadPlan plan = load.axis() == Load.Axis.RATE
                    ? session.plan(null, load.value(), DEFAULT_POINT_SECONDS)
                    : session.plan(load.users(), null, DEFAULT_POINT_SECONDS);
            // Each level goes on where the last stopped in the prompts: a server's prefix cache, warm from
            // an earlier level, would otherwise make the later ones look faster than they are.
            BenchSession.Run run = session.run(plan, null, session.workload.from(sent), null, true, null);
            sent += run.outcome().sent();
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

    static void row(PrintWriter out, JsonNode p) {
        JsonNode m = p.path("metrics");
        JsonNode rate = p.path("rate");
        JsonNode sent = p.path("summary").path("sent_rate");
        out.printf(
                Locale.ROOT,
                "%-16s %9s %9s %9.3f %10s %10s %10s %10s %7d  %s%n",
                p.path("label").asString(),
                rate.isNumber() ? String.format(Locale.ROOT, "%.3f", rate.asDouble()) : "-",
                rate.isNumber() && sent.isNumber() ? String.format(Locale.ROOT, "%.3f", sent.asDouble()) : "-",
                p.path("rate_achieved").asDouble(),
                ms(m.path("ttft"), "p50"),
                ms(m.path("ttft"), "p99"),
                ms(m.path("tpot"), "p50"),
                ms(m.path("e2e"), "p50"),
                p.path("summary").path("requests_failed").asLong(),
                p.path("sustained").asBoolean() ? "ok" : "FAIL " + String.join(", ", names(p.path("failed_on"))));
        out.flush();
    }

    private static List<String> names(JsonNode a) {
        List<String> out = new ArrayList<>();
        a.forEach(n -> out.add(n.asString()));
        return out;
    }

    private static String ms(JsonNode metric, String p) {
        return metric.path("count").asLong(0) == 0
                ? "-"
                : String.format(Locale.ROOT, "%.2f", metric.path(p).asDouble());
    }

    /**
     * Runs a scenario on a new session: a row per point as it ends, the answer of a search, and the
     * result written as asked.
     */
    static int run(
            CommandSpec spec, BenchOptions o, BiFunction<SessionProber, Consumer<ObjectNode>, ObjectNode> scenario) {
        try (BenchSession session = new BenchSession(o, true)) {
            PrintWriter out = spec.commandLine().getOut();
            if (!o.quiet) header(out);
            SessionProber prober = new SessionProber(session);
            ObjectNode sweep = scenario.apply(prober, p -> {
                if (!o.quiet) row(out, p);
            });
            if (!o.quiet && sweep.has("answer")) printAnswer(out, sweep);
            out.flush();
            session.write(result(prober, sweep));
            return 0;
        }
    }

    /** Each target's value against its bound, and the grade. */
    static void printSlo(PrintWriter out, JsonNode slo) {
        if (slo.isMissingNode() || slo.isNull()) return;
        for (JsonNode t : slo.path("targets")) {
            JsonNode v = t.path("value");
            String unit = t.path("unit").asString();
            out.printf(
                    Locale.ROOT,
                    "slo %-22s %12s %s %-10s %s%s%n",
                    t.path("name").asString(),
                    v.isNumber() ? fmt(v.asDouble(), unit) : "no samples",
                    t.path("kind").asString().equals("minimum")
                            ? ">="
                            : t.path("kind").asString().equals("range") ? "in" : "<=",
                    t.path("kind").asString().equals("range")
                            ? fmt(t.path("low").asDouble(), unit) + ".."
                                    + fmt(t.path("bound").asDouble(), unit)
                            : fmt(t.path("bound").asDouble(), unit),
                    t.path("met").asBoolean() ? "met" : "MISSED",
                    t.path("confidence").isNumber()
                            ? String.format(
                                    Locale.ROOT,
                                    " (confidence %.3f)",
                                    t.path("confidence").asDouble())
                            : "");
        }
        out.printf(
                Locale.ROOT,
                "slo: %s, grade %s (%d of %d targets met)%n",
                slo.path("passed").asBoolean() ? "PASSED" : "FAILED",
                slo.path("grade").path("name").asString(),
                slo.path("grade").path("met").asInt(),
                slo.path("grade").path("total").asInt());
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
     * with the {@code sweep} object and the settings every point shared.
     */
    static ObjectNode result(SessionProber prober, ObjectNode sweep) {
        ObjectNode result = prober.last.deepCopy();
        ObjectNode config = (ObjectNode) result.get("config");
        config.put("scenario", sweep.path("kind").asString());
        LoadPlan plan = prober.lastPlan;
        config.put("seconds_per_point", plan.seconds() > 0 ? plan.seconds() : null);
        BenchOptions o = prober.session.o;
        // plain numbers when the request shape was fixed, as `llmlab sim calibrate` reads them
        if (o.inputTokens.strip().matches("[0-9]+"))
            config.put("input_tokens", Integer.parseInt(o.inputTokens.strip()));
        String out = o.outputTokens != null ? o.outputTokens : String.valueOf(o.maxTokens);
        if (out.strip().matches("[0-9]+")) config.put("output_tokens", Integer.parseInt(out.strip()));
        result.set("sweep", sweep);
        return result;
    }

    private static String level(JsonNode v, boolean users) {
        return users ? String.valueOf(v.asLong()) : String.format(Locale.ROOT, "%.4g", v.asDouble());
    }

    /** The answer of a search, in words. */
    static void printAnswer(PrintWriter out, JsonNode sweep) {
        JsonNode a = sweep.path("answer");
        String unit = sweep.path("axis").asString().equals("rate") ? " req/s" : " users";
        if (a.path("max_passing").isNull()) {
            out.printf("answer: no load sustained; even the first level failed on %s%n", a.path("failed_on"));
            return;
        }
        boolean users = !sweep.path("axis").asString().equals("rate");
        out.printf(
                Locale.ROOT,
                "answer: %s%s sustained%s; confidence %.3f, %d probes%n",
                level(a.path("max_passing"), users),
                unit,
                a.path("first_failing").isNull()
                        ? " (no level failed up to the limit)"
                        : ", " + level(a.path("first_failing"), users) + unit + " failed on " + a.path("failed_on"),
                a.path("confidence").asDouble(),
                a.path("probes").asInt());
    }
}
