package dev.llmlab.bench.session;

import dev.llmlab.bench.result.BenchResult;
import dev.llmlab.bench.result.LoadAxis;
import dev.llmlab.bench.result.RunConfig;
import dev.llmlab.bench.result.Sweep;
import dev.llmlab.bench.result.TargetSpec;
import dev.llmlab.bench.run.LoadPlan;
import dev.llmlab.bench.scenario.Load;
import dev.llmlab.bench.scenario.Prober;
import java.util.List;
import java.util.function.Consumer;

/**
 * A scenario's levels (a sweep, an SLO search, a breaking point) run on one session: each level is a
 * run of the session's settings at that level's load, for {@code --duration} ({@value
 * #DEFAULT_LEVEL_SECONDS} s when neither it nor {@code --requests} is given), and the result is the
 * last level's run with the scenario's {@link Sweep} and the settings every level shared.
 */
public final class ScenarioRun {
    /** Seconds a level runs when neither a duration nor a number of requests is given. */
    public static final double DEFAULT_LEVEL_SECONDS = 30;

    private ScenarioRun() {}

    /**
     * Refuses the settings a scenario sets itself.
     *
     * @param command the scenario's command, for the message
     * @throws BenchException (usage) naming the flag to drop
     */
    public static void refuseLoadSettings(SessionOptions o, String command) {
        if (o.rate() != null || o.concurrency() != null) {
            throw BenchException.usage(command + " sets the load itself: drop --rate and --concurrency");
        }
        if (o.dataset() != null && o.datasetFormat().equals("trace")) {
            throw BenchException.usage(command + " cannot replay a trace at its own times: use a jsonl "
                    + "or sharegpt dataset, or `llmlab bench --dataset-format trace`");
        }
    }

    /** A scenario: it probes its levels and returns its sweep. */
    @FunctionalInterface
    public interface Scenario {
        /**
         * @param slos    the session's targets, for the sweep's charts
         * @param onPoint to be told of each level as it ends
         */
        Sweep run(Prober prober, List<TargetSpec> slos, Consumer<Sweep.Point> onPoint);
    }

    /**
     * Runs {@code scenario} with a prober that runs each level on {@code session}.
     *
     * @param onPoint told of each level as it ends (for a progress table)
     * @return the last level's result, with the sweep and, in its config, the scenario and the
     *         seconds each level ran
     */
    public static BenchResult run(BenchSession session, Scenario scenario, Consumer<Sweep.Point> onPoint) {
        return run(session, scenario, "", onPoint);
    }

    /**
     * @param ofLevels how the progress line says the levels planned: {@code " of 7"}, {@code " of at most 12"}, or ""
     */
    public static BenchResult run(
            BenchSession session, Scenario scenario, String ofLevels, Consumer<Sweep.Point> onPoint) {
        Levels levels = new Levels(session, ofLevels);
        Sweep sweep = scenario.run(levels, session.targets().describe(), onPoint);
        if (levels.last == null) throw new BenchException(BenchException.Kind.RUNTIME, "the scenario ran no level");
        SessionOptions o = session.options();
        RunConfig.Builder config = levels.last.config().toBuilder()
                .scenario(sweep.kind())
                .secondsPerPoint(levels.lastPlan.seconds() > 0 ? levels.lastPlan.seconds() : Double.NaN);
        // the request shape every level shared, as `llmlab sim calibrate` reads it
        if (o.outputTokens() == null) config.outputTokens(String.valueOf(o.maxTokens()));
        return levels.last.withConfig(config.build()).withSweep(sweep);
    }

    /** Runs each level on the session; remembers the last level's result. */
    static final class Levels implements Prober {
        private final BenchSession session;
        BenchResult last;
        LoadPlan lastPlan;
        private long sent;
        private final String ofLevels;
        private int level;

        Levels(BenchSession session, String ofLevels) {
            this.session = session;
            this.ofLevels = ofLevels;
        }

        @Override
        public BenchResult probe(Load load) {
            LoadPlan plan = load.axis() == LoadAxis.RATE
                    ? session.plan(null, load.value(), DEFAULT_LEVEL_SECONDS)
                    : session.plan(load.users(), null, DEFAULT_LEVEL_SECONDS);
            // Each level goes on where the last stopped in the prompts: a server's prefix cache, warm from
            // an earlier level, would otherwise make the later ones look faster than they are.
            level++;
            String label = "level " + level + ofLevels + ", "
                    + (load.axis() == LoadAxis.RATE
                            ? String.format(java.util.Locale.ROOT, "%.4g req/s", load.value())
                            : load.users() + (load.users() == 1 ? " user" : " users"));
            BenchSession.Run run = session.run(
                    plan,
                    null,
                    session.workload().from(sent),
                    null,
                    label,
                    null,
                    session.options().saturationStop());
            sent += run.delivery().sent();
            last = run.result();
            lastPlan = plan;
            return last;
        }
    }
}
