package dev.llmlab.bench.scenario;

import java.util.function.Consumer;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

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
     * @param onPoint         told of each point as it finishes (for a progress table)
     * @return the {@code sweep} object (docs/bench.md)
     */
    public static ObjectNode run(
            Prober prober,
            int points,
            int throughputUsers,
            Verdict verdict,
            ArrayNode slos,
            Consumer<ObjectNode> onPoint) {
        if (points < 1 || points > 100)
            throw new IllegalArgumentException("--points must be between 1 and 100, got " + points);
        if (throughputUsers < 2) throw new IllegalArgumentException("the throughput point needs at least 2 users");
        ObjectNode sweep = Points.sweep("sweep", Load.Axis.RATE, slos);
        ArrayNode list = (ArrayNode) sweep.get("points");
        Load sync = Load.users(1);
        ObjectNode first = probe(prober, "synchronous", sync, verdict, list, onPoint);
        Load max = Load.users(throughputUsers);
        ObjectNode last = probe(prober, "throughput", max, verdict, list, onPoint);
        double lo = first.path("rate_achieved").asDouble();
        double hi = last.path("rate_achieved").asDouble();
        if (!(lo > 0) || !(hi > 0)) {
            throw new IllegalStateException("no request completed at the " + (lo > 0 ? "throughput" : "synchronous")
                    + " point, so there is no rate to sweep");
        }
        for (int i = 1; i <= points; i++) {
            double rate = lo + (hi - lo) * i / (points + 1);
            Load l = Load.rate(rate);
            probe(prober, l.label(), l, verdict, list, onPoint);
        }
        return sweep;
    }

    static ObjectNode probe(
            Prober prober, String label, Load load, Verdict verdict, ArrayNode list, Consumer<ObjectNode> onPoint) {
        ObjectNode result = prober.probe(load);
        ObjectNode p = Points.point(label, load, result, verdict.reasons(load, result));
        list.add(p);
        if (onPoint != null) onPoint.accept(p);
        return p;
    }
}
