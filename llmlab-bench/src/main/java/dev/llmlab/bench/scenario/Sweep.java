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
 */
public final class Sweep {
    private Sweep() {}

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
        if (points < 1 || points > 100)
            throw new IllegalArgumentException("--points must be between 1 and 100, got " + points);
        if (throughputUsers < 2) throw new IllegalArgumentException("the throughput point needs at least 2 users");
        List<dev.llmlab.bench.result.Sweep.Point> list = new ArrayList<>();
        Load sync = Load.users(1);
        var first = probe(prober, "synchronous", sync, verdict, list, onPoint);
        Load max = Load.users(throughputUsers);
        var last = probe(prober, "throughput", max, verdict, list, onPoint);
        double lo = first.rateAchieved();
        double hi = last.rateAchieved();
        if (!(lo > 0) || !(hi > 0)) {
            throw new IllegalStateException("no request completed at the " + (lo > 0 ? "throughput" : "synchronous")
                    + " point, so there is no rate to sweep");
        }
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
