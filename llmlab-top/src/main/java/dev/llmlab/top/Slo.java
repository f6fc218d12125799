package dev.llmlab.top;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A service-level objective, as written in top's config: which share of a model's requests must be
 * good over time. Immutable; validated here, so that the config loader reports a bad one with its
 * file and line.
 *
 * <ul>
 *   <li>{@code ttft}, {@code itl}, {@code e2e}: at least {@code percentile}% within {@code
 *       threshold} ("TTFT p95 under 500 ms" is {@code {metric: ttft, percentile: 95, threshold:
 *       500ms}}). ITL counts token gaps, not requests: that is what its histogram observes.
 *   <li>{@code errors}: at least {@code objective}% of the requests that ended succeeded.
 *   <li>{@code goodput}: at least {@code objective}% of the requests that ended succeeded within
 *       {@code ttft} and {@code e2e} (either may be left out).
 * </ul>
 *
 * @param name   how the view and alerts name it
 * @param models a glob ({@code llama-*}) of the models it applies to; every model when absent
 */
public record Slo(
        String name,
        Metric metric,
        String models,
        Double percentile,
        Duration threshold,
        Double objective,
        Duration ttft,
        Duration e2e) {
    /** What an SLO counts. */
    public enum Metric {
        TTFT,
        ITL,
        E2E,
        ERRORS,
        GOODPUT;

        boolean latency() {
            return this == TTFT || this == ITL || this == E2E;
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Slo {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("an SLO needs a name");
        if (metric == null)
            throw new IllegalArgumentException("SLO '" + name + "' needs a metric: ttft, itl, e2e, errors or goodput");
        if (metric.latency()) {
            if (percentile == null || threshold == null)
                throw new IllegalArgumentException("SLO '" + name + "' (" + metric.label()
                        + ") needs a percentile and a threshold, e.g. percentile: 95, threshold: 500ms");
            if (!(percentile > 0 && percentile < 100))
                throw new IllegalArgumentException(
                        "SLO '" + name + "': percentile must be more than 0 and less than 100, got " + percentile);
            if (threshold.isNegative() || threshold.isZero())
                throw new IllegalArgumentException("SLO '" + name + "': threshold must be more than 0");
            if (objective != null || ttft != null || e2e != null)
                throw new IllegalArgumentException("SLO '" + name + "' (" + metric.label()
                        + ") takes a percentile and a threshold; objective, ttft and e2e are for errors and goodput");
        } else {
            if (objective == null)
                throw new IllegalArgumentException("SLO '" + name + "' (" + metric.label()
                        + ") needs an objective in percent, e.g. objective: 99.9");
            if (!(objective > 0 && objective < 100))
                throw new IllegalArgumentException(
                        "SLO '" + name + "': objective must be more than 0 and less than 100, got " + objective);
            if (percentile != null || threshold != null)
                throw new IllegalArgumentException("SLO '" + name + "' (" + metric.label()
                        + ") takes an objective; percentile and threshold are for ttft, itl and e2e");
            if (metric == Metric.ERRORS && (ttft != null || e2e != null))
                throw new IllegalArgumentException("SLO '" + name + "' (errors) takes no ttft or e2e");
            if (metric == Metric.GOODPUT && ttft == null && e2e == null)
                throw new IllegalArgumentException(
                        "SLO '" + name + "' (goodput) needs a ttft or an e2e bound, e.g. ttft: 1s, e2e: 20s");
        }
        if (models != null && models.isBlank()) models = null;
    }

    /** The share of events that must be good, as a fraction. */
    public double target() {
        return (metric.latency() ? percentile : objective) / 100;
    }

    /** Whether this SLO applies to {@code model}. */
    boolean covers(String model) {
        return models == null || glob(models).matcher(model).matches();
    }

    /** A glob as a regular expression: {@code *} any run, {@code ?} one character, the rest literal. */
    static Pattern glob(String glob) {
        StringBuilder re = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*') re.append(".*");
            else if (c == '?') re.append('.');
            else re.append(Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(re.toString());
    }

    /** How the view writes it: {@code ttft p95 <= 500ms}, {@code errors 99.9%}. */
    public String describe() {
        if (metric.latency())
            return metric.label() + " p" + trim(percentile) + " <= " + dev.llmlab.core.time.Durations.format(threshold);
        StringBuilder s = new StringBuilder(metric.label() + " " + trim(objective) + "%");
        if (ttft != null) s.append(" ttft <= ").append(dev.llmlab.core.time.Durations.format(ttft));
        if (e2e != null) s.append(" e2e <= ").append(dev.llmlab.core.time.Durations.format(e2e));
        return s.toString();
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
