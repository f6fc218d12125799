package dev.llmlab.bench.scenario;

import dev.llmlab.bench.result.LoadAxis;
import java.util.Locale;

/** One load level on a scenario's axis: an open loop's rate (req/s) or a closed loop's users. */
public record Load(LoadAxis axis, double value) {
    public Load {
        if (!(value > 0) || Double.isInfinite(value))
            throw new IllegalArgumentException("a load must be positive, got " + value);
    }

    public static Load rate(double perSecond) {
        return new Load(LoadAxis.RATE, perSecond);
    }

    public static Load users(int n) {
        return new Load(LoadAxis.CONCURRENCY, n);
    }

    /** Users, for a closed loop. */
    public int users() {
        return (int) Math.round(value);
    }

    public String label() {
        return axis == LoadAxis.RATE ? String.format(Locale.ROOT, "rate %.4g", value) : "concurrency " + users();
    }
}
