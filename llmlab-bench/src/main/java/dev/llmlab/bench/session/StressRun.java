package dev.llmlab.bench.session;

import dev.llmlab.bench.load.Arrivals;
import dev.llmlab.bench.load.LoadShape;
import dev.llmlab.bench.load.Schedule;
import dev.llmlab.bench.measure.BurstRecovery;
import dev.llmlab.bench.result.BenchResult;
import dev.llmlab.bench.result.RunConfig;
import dev.llmlab.bench.result.Stress;
import dev.llmlab.bench.run.LoadPlan;
import dev.llmlab.core.time.Durations;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A stress run ({@code llmlab bench stress}): an open loop whose rate follows a {@link LoadShape}
 * over the settings' duration (default {@value #DEFAULT_SECONDS} s), and how the server answered each
 * burst or step ({@link BurstRecovery}), as the result's {@link Stress} section.
 *
 * <p>A spike overloads on purpose, so its run has no over-saturation stop: its bursts would read as a
 * queue growing without bound. The shape's bursts count from the load's own clock, which starts
 * after the client's connection warm-up; the analysis shifts them onto the per-second series, which
 * counts from before it, while the result gives them on the shape's clock.
 */
public final class StressRun {
    /** Seconds a stress run lasts without a duration. */
    public static final double DEFAULT_SECONDS = 60;

    private StressRun() {}

    /** A shape over a run: its length, and the schedule drawn from it. */
    public record Plan(LoadShape shape, double seconds, Schedule schedule) {}

    /**
     * Refuses the settings a stress run sets itself.
     *
     * @throws BenchException (usage) naming the flag to drop
     */
    public static void refuseLoadSettings(SessionOptions o) {
        if (o.concurrency() != null) throw BenchException.usage("stress is an open loop: drop --concurrency");
        if (o.requests() != null) throw BenchException.usage("stress runs for --duration: drop --requests");
        if (!o.ramp().equalsIgnoreCase("none"))
            throw BenchException.usage("stress shapes the rate itself: drop --ramp (--pattern ramp ramps)");
        if (o.dataset() != null && o.datasetFormat().equals("trace"))
            throw BenchException.usage("stress sets its own times: a trace cannot be replayed in a shape");
    }

    /**
     * The shape {@code pattern} with {@code params} (by {@link LoadShape#params()}'s names), over the
     * settings' duration, and its schedule from the settings' arrivals and seed.
     *
     * @throws IllegalArgumentException naming the shape's parameter at fault, as {@link LoadShape} names it
     * @throws BenchException (usage) when the shape offers no request in that time
     */
    public static Plan plan(SessionOptions o, String pattern, Map<String, Double> params) {
        double seconds = o.duration() != null ? Durations.toSeconds(o.duration()) : DEFAULT_SECONDS;
        LoadShape shape = LoadShape.of(pattern.toLowerCase(Locale.ROOT), params);
        Schedule schedule = shape.schedule(seconds, Arrivals.parse(o.arrival(), o.burstiness()), o.seed());
        if (schedule.size() == 0)
            throw BenchException.usage("stress: the shape offers no request in " + seconds + " s");
        return new Plan(shape, seconds, schedule);
    }

    /**
     * Runs the plan on {@code session} and judges each burst.
     *
     * @return the run, its result with the {@code stress} section and the config's mode {@code stress}
     */
    public static BenchSession.Run run(BenchSession session, Plan p) {
        SessionOptions o = session.options();
        LoadPlan plan;
        try {
            // the plan's rate is the shape's mean: for the client's warm-up; the schedule sets every send
            plan = new LoadPlan(
                    0,
                    p.schedule().size() / p.seconds(),
                    Arrivals.parse(o.arrival(), o.burstiness()),
                    o.maxConcurrency() != null ? o.maxConcurrency() : 0,
                    p.seconds(),
                    p.schedule().size(),
                    Durations.toSeconds(o.warmup()),
                    Durations.toSeconds(o.cooldown()),
                    Schedule.Ramp.NONE,
                    0,
                    o.seed());
        } catch (IllegalArgumentException e) {
            throw BenchException.usage(e.getMessage());
        }
        boolean stop = o.saturationStop() && !(p.shape() instanceof LoadShape.Spike);
        BenchSession.Run run = session.run(plan, p.schedule(), session.workload(), null, true, null, stop);
        BenchResult result = run.result()
                .withConfig(run.result().config().toBuilder()
                        .mode(RunConfig.Mode.STRESS)
                        .rate(plan.rate())
                        .build())
                .withStress(analyse(p, run));
        return new BenchSession.Run(result, run.delivery(), run.clockOffsetSeconds());
    }

    /** Each burst's baseline, peak, errors and recovery, on the shape's clock. */
    static Stress analyse(Plan p, BenchSession.Run run) {
        double shift = run.clockOffsetSeconds();
        List<LoadShape.Phase> phases = p.shape().bursts(p.seconds());
        List<LoadShape.Phase> shifted = new ArrayList<>();
        for (LoadShape.Phase b : phases)
            shifted.add(new LoadShape.Phase(b.startS() + shift, b.endS() + shift, b.rate()));
        List<BurstRecovery.Burst> bursts = BurstRecovery.analyse(run.seconds(), shifted);
        List<Stress.Burst> out = new ArrayList<>();
        for (int i = 0; i < bursts.size(); i++) {
            BurstRecovery.Burst b = bursts.get(i);
            out.add(new Stress.Burst(
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
        p.shape().params().forEach((k, v) -> params.put(k, (Number) v));
        return new Stress(
                p.shape().name(), params, BurstRecovery.usesTtft(run.seconds()) ? "ttft_p50" : "e2e_p50", out);
    }
}
