package dev.llmlab.bench.scenario;

import dev.llmlab.bench.result.LoadAxis;
import dev.llmlab.bench.result.TargetSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A sweep in GuideLLM's shape: one user at a time ("synchronous": the latency floor), then as
 * many as the server takes at once ("throughput": the ceiling), then {@code points} open-loop
 * rates evenly between the two achieved rates, strictly inside them. Each rate runs as an open
 * loop, so that a server falling behind shows as queueing rather than as a slower client (the
 * under-loading of GuideLLM's issue #272 came from a client that could not send at the rate).
 *
 * <p>Or, when the rates are known beforehand (a capacity the server predicts, a previous sweep,
 * a service level to check), an explicit list of open-loop rates, run in the order given, with
 * neither closed-loop point: {@link Plan#of}.
 */
public final class Sweep {
    /** Rates between the synchronous and throughput points when neither they nor a list is given. */
    public static final int DEFAULT_POINTS = 10;
    /** Users of the throughput point when not given. */
    public static final int DEFAULT_THROUGHPUT_USERS = 128;
    /** The most levels a sweep runs, either way. */
    public static final int MAX_LEVELS = 100;

    private Sweep() {}

    /**
     * What a sweep runs: the given open-loop {@code rates}, or (when that is empty) the synchronous
     * and throughput points and {@code points} rates between them.
     *
     * @param throughputUsers closed-loop users of the throughput point
     */
    public record Plan(List<Double> rates, int points, int throughputUsers) {
        public Plan {
            rates = List.copyOf(rates);
            if (rates.size() > MAX_LEVELS)
                throw new IllegalArgumentException("--rates: at most " + MAX_LEVELS + " rates, got " + rates.size());
            for (double r : rates) {
                if (!(r > 0) || Double.isInfinite(r)) {
                    throw new IllegalArgumentException(
                            "--rates: every rate must be a positive number of requests per second, got " + r);
                }
            }
            if (rates.isEmpty() && (points < 1 || points > MAX_LEVELS))
                throw new IllegalArgumentException("--points must be between 1 and " + MAX_LEVELS + ", got " + points);
            if (rates.isEmpty() && throughputUsers < 2)
                throw new IllegalArgumentException("--throughput-concurrency must be >= 2, got " + throughputUsers);
        }

        /** How many levels it runs: its rates, or the synchronous point, the throughput point and the points between. */
        public int levels() {
            return rates.isEmpty() ? points + 2 : rates.size();
        }

        /**
         * The plan the flags ask for, each null when not given. An explicit list of rates replaces
         * the synchronous and throughput points and the rates between them, so the flags that shape
         * those contradict it.
         *
         * @throws IllegalArgumentException naming the flag at fault
         */
        public static Plan of(List<Double> rates, Integer points, Integer throughputUsers) {
            if (rates != null) {
                if (rates.isEmpty()) throw new IllegalArgumentException("--rates needs at least one rate");
                if (points != null) {
                    throw new IllegalArgumentException("--rates lists the rates to run; --points counts rates "
                            + "between the synchronous and throughput points: give one or the other");
                }
                if (throughputUsers != null) {
                    throw new IllegalArgumentException("--rates runs only the rates given, with no throughput point: "
                            + "drop --throughput-concurrency");
                }
                return new Plan(rates, 0, 0);
            }
            return new Plan(
                    List.of(),
                    points == null ? DEFAULT_POINTS : points,
                    throughputUsers == null ? DEFAULT_THROUGHPUT_USERS : throughputUsers);
        }
    }

    /**
     * @param throughputUsers closed-loop users for the throughput point
     * @param slos            the targets each point is judged against, for the result's charts
     * @param onPoint         told of each point as it finishes (for a progress table)
     * @return the sweep (docs/bench.md)
     */
    public static dev.llmlab.bench.result.Sweep run(
            Prober prober,
            int points,
            int throughputUsers,
            Verdict verdict,
            List<TargetSpec> slos,
            Consumer<dev.llmlab.bench.result.Sweep.Point> onPoint) {
        return run(prober, new Plan(List.of(), points, throughputUsers), verdict, slos, onPoint);
    }

    /**
     * @param slos    the targets each point is judged against, for the result's charts
     * @param onPoint told of each point as it finishes (for a progress table)
     * @return the sweep (docs/bench.md)
     * @throws IllegalStateException when no request completed at a closed-loop point, so there is no rate to sweep
     */
    public static dev.llmlab.bench.result.Sweep run(
            Prober prober,
            Plan plan,
            Verdict verdict,
            List<TargetSpec> slos,
            Consumer<dev.llmlab.bench.result.Sweep.Point> onPoint) {
        List<dev.llmlab.bench.result.Sweep.Point> list = new ArrayList<>();
        if (!plan.rates().isEmpty()) {
            for (double rate : plan.rates()) {
                Load l = Load.rate(rate);
                probe(prober, l.label(), l, verdict, list, onPoint);
            }
            return new dev.llmlab.bench.result.Sweep(
                    dev.llmlab.bench.result.Sweep.Kind.SWEEP, LoadAxis.RATE, list, slos, null);
        }
        Load sync = Load.users(1);
        var first = probe(prober, "synchronous", sync, verdict, list, onPoint);
        Load max = Load.users(plan.throughputUsers());
        var last = probe(prober, "throughput", max, verdict, list, onPoint);
        double lo = first.rateAchieved();
        double hi = last.rateAchieved();
        if (!(lo > 0) || !(hi > 0)) {
            throw new IllegalStateException("no request completed at the " + (lo > 0 ? "throughput" : "synchronous")
                    + " point, so there is no rate to sweep");
        }
        int points = plan.points();
        for (int i = 1; i <= points; i++) {
            double rate = lo + (hi - lo) * i / (points + 1);
            Load l = Load.rate(rate);
            probe(prober, l.label(), l, verdict, list, onPoint);
        }
        return new dev.llmlab.bench.result.Sweep(
                dev.llmlab.bench.result.Sweep.Kind.SWEEP, LoadAxis.RATE, list, slos, null);
    }

    static dev.llmlab.bench.result.Sweep.Point probe(
            Prober prober,
            String label,
            Load load,
            Verdict verdict,
            List<dev.llmlab.bench.result.Sweep.Point> list,
            Consumer<dev.llmlab.bench.result.Sweep.Point> onPoint) {
        var result = prober.probe(load);
        var p = Points.point(label, load, result, verdict.reasons(load, result));
        list.add(p);
        if (onPoint != null) onPoint.accept(p);
        return p;
    }
}
