package dev.llmlab.top.tui;

import dev.llmlab.metrics.Histograms.Estimate;
import dev.llmlab.top.Row;
import dev.llmlab.top.Snapshot;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The recent requests/s and TTFT p99 of each row, one point per refresh, for the sparklines: a
 * ring of the last {@link #POINTS} per row, so memory is bounded by the fleet's size. A row that a
 * snapshot no longer has is forgotten. Not thread-safe: the UI's thread owns it.
 */
final class Trends {
    static final int POINTS = 60;

    /** The points of one row, oldest first: requests/s, and TTFT p99 in seconds (NaN: idle or not exported). */
    record Series(double[] requests, double[] ttftP99) {
        static final Series EMPTY = new Series(new double[0], new double[0]);
    }

    private static final class Ring {
        final double[] requests = new double[POINTS];
        final double[] ttft = new double[POINTS];
        int size;
        int next;

        void add(Row r) {
            requests[next] = r.figures().requestsPerSecond();
            Estimate e = r.figures().ttftP99();
            ttft[next] = e == null ? Double.NaN : e.value();
            next = (next + 1) % POINTS;
            size = Math.min(POINTS, size + 1);
        }

        Series series() {
            return new Series(ordered(requests), ordered(ttft));
        }

        private double[] ordered(double[] ring) {
            double[] out = new double[size];
            int start = (next - size + POINTS) % POINTS;
            for (int i = 0; i < size; i++) out[i] = ring[(start + i) % POINTS];
            return out;
        }
    }

    private final Map<String, Ring> rings = new HashMap<>();

    /** Adds a point to every row of {@code s}, and forgets the rows it does not have. */
    void record(Snapshot s) {
        Set<String> seen = new HashSet<>();
        for (Row r : s.models()) add(r, seen);
        for (Row r : s.replicas()) add(r, seen);
        rings.keySet().retainAll(seen);
    }

    private void add(Row r, Set<String> seen) {
        String k = key(r);
        if (seen.add(k)) rings.computeIfAbsent(k, x -> new Ring()).add(r);
    }

    /** A copy of every row's points, for a frame that must not change under the view. */
    Map<String, Series> copy() {
        Map<String, Series> out = new HashMap<>(rings.size() * 2);
        rings.forEach((k, ring) -> out.put(k, ring.series()));
        return out;
    }

    /** The key of a row: its model, and its replica for a replica's row. */
    static String key(Row r) {
        return r.replica() == null ? "m\0" + r.model() : "r\0" + r.model() + "\0" + r.replica();
    }
}
