package dev.llmlab.metrics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Counter increases between two scrapes, with Prometheus' reset rule ({@code promql/functions.go},
 * {@code extrapolatedRate}): a counter that went down was reset by a restart, so what it counted
 * since is its whole new value. A series whose {@code _created} moved on was reset too, even if it
 * has already counted past its old value. A rate is the increase over the seconds between the
 * scrapes; unlike {@code rate()} nothing is extrapolated to a window's edges, since the two scrapes
 * are the window.
 */
public final class Counters {
    private Counters() {}

    /** {@code after - before}, or {@code after} when the counter went down; NaN when either is NaN. */
    public static double increase(double before, double after) {
        if (Double.isNaN(before) || Double.isNaN(after)) return Double.NaN;
        return after < before ? after : after - before;
    }

    /** The increase of one series; {@code before} null when the series is new (it then counts whole). */
    public static double increase(Point before, Point after) {
        if (before == null || after.created() > before.created()) return after.value();
        return increase(before.value(), after.value());
    }

    /**
     * The summed increase of every series of {@code after} since {@code before}, series matched by
     * labels; a series new at the second scrape counts whole, one gone from it counts nothing, and
     * NaN series are left out.
     */
    public static double window(List<Point> before, List<Point> after) {
        Map<Labels, Point> earlier = new HashMap<>();
        for (Point p : before) earlier.put(p.labels(), p);
        double sum = 0;
        for (Point p : after) {
            double d = increase(earlier.get(p.labels()), p);
            if (!Double.isNaN(d)) sum += d;
        }
        return sum;
    }
}
