package dev.llmlab.core.dist;

import dev.llmlab.core.dist.Distributions.Unit;
import dev.llmlab.core.time.Durations;
import java.time.Duration;

/** Formatting of parameter values and the checks shared by all kinds. Stateless, thread-safe. */
final class Values {

    private static final double MAX_SECONDS_AS_NANOS = Long.MAX_VALUE / 1e9;

    private Values() {}

    /** A value as a spec would write it: a duration for {@link Unit#SECONDS}, else a plain number. */
    static String format(double v, Unit unit) {
        if (unit == Unit.SECONDS && v >= 0 && v < MAX_SECONDS_AS_NANOS) {
            return Durations.format(Duration.ofNanos(Math.round(v * 1e9)));
        }
        return number(v);
    }

    /** A plain number, without a spurious ".0" on integers; parses back to the same double. */
    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    static void finite(String kind, String param, double v) {
        if (!Double.isFinite(v)) {
            throw new InvalidSpec(kind, param + " must be a finite number, got " + v);
        }
    }

    static void nonNegative(String kind, String param, double v, Unit unit) {
        finite(kind, param, v);
        if (v < 0) {
            throw new InvalidSpec(kind, param + " must be >= 0, got " + format(v, unit));
        }
    }

    static void positive(String kind, String param, double v, Unit unit) {
        finite(kind, param, v);
        if (v <= 0) {
            throw new InvalidSpec(kind, param + " must be > 0, got " + format(v, unit));
        }
    }

    static void atLeast(String kind, String param, double v, String otherParam, double other, Unit unit) {
        if (v < other) {
            throw new InvalidSpec(
                    kind,
                    param + " (" + format(v, unit) + ") must be >= " + otherParam + " (" + format(other, unit) + ")");
        }
    }
}
