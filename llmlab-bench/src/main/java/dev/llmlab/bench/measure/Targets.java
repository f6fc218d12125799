package dev.llmlab.bench.measure;

import dev.llmlab.bench.result.SloVerdict;
import dev.llmlab.bench.result.SloVerdict.Kind;
import dev.llmlab.bench.result.Stats;
import dev.llmlab.bench.result.Summary;
import dev.llmlab.bench.result.TargetSpec;
import dev.llmlab.core.time.Durations;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * A run's service-level targets, judged on its result: {@code --slo} and {@code --targets}.
 *
 * <p>Kinds of target, in {@code --slo}'s syntax ({@code =} is read as {@code <=}):
 * <ul>
 *   <li>a latency percentile, {@code ttft_p95<=500ms}: met when the run's 95th percentile is within
 *       the bound; {@code ttft_mean<=...} bounds the mean. A bare {@code ttft<=500ms} is a
 *       per-request objective met by at least 90% of requests, so it is {@code ttft_p90}, the
 *       "SLO attainment" of DistServe (Zhong et al., OSDI 2024). Each latency target is also a
 *       per-request bound: goodput counts the requests that met every one.</li>
 *   <li>{@code error_rate<=0.1%}: failed requests over all requests.</li>
 *   <li>minimums: {@code stream_tokens_per_s>=30} (the median stream's decode speed, 1000 / TPOT p50
 *       in ms), {@code request_throughput>=R}, {@code output_token_throughput>=T}.</li>
 *   <li>a range: {@code itl_spike_rate=5%..15%}, the share of a metric's samples above mean + 3 sd.</li>
 * </ul>
 * In an open loop latencies are the ones from the intended send, as users felt them.
 *
 * <p>Confidence. A percentile target is a claim about the share q of all requests the server would
 * answer above the bound: met when q <= 1 - p/100. With k of n sampled requests above it, q's
 * posterior under Jeffreys' prior is Beta(k + 1/2, n - k + 1/2) (Brown, Cai and DasGupta, 2001),
 * and the confidence of a verdict is that posterior's mass on the verdict's side. Error rates are
 * judged the same way. Other targets get no confidence (null). The run's confidence that it passed
 * is bounded below, by Bonferroni, by 1 - the sum of its targets' doubts; that it failed, by the
 * surest failing target.
 */
public final class Targets {
    /** The seed benchmarking suite's targets (retrieval p95 < 20 ms waits for retrieval to exist). */
    public static final String SEED_PRESET = "stream_tokens_per_s>=30,ttft_p50<=5ms,itl_spike_rate=5%..15%";

    /**
     * One target. Latency bounds in ms; fractions as fractions.
     *
     * @param name   as the user wrote it, normalised: {@code ttft_p95}, {@code error_rate}, ...
     * @param metric the metric key for latency and spike-rate targets, else null
     */
    record Target(String name, Kind kind, String metric, double percentile, double low, double high, String unit) {}

    private final List<Target> targets;

    private Targets(List<Target> targets) {
        this.targets = List.copyOf(targets);
    }

    /**
     * Parses {@code --slo} and {@code --targets} (a preset name: {@code seed}, or none).
     *
     * @throws IllegalArgumentException naming the part that is wrong
     */
    public static Targets parse(String slo, String preset) {
        List<Target> out = new ArrayList<>();
        if (preset != null && !preset.isBlank()) {
            if (!preset.strip().equalsIgnoreCase("seed")) {
                throw new IllegalArgumentException("--targets: unknown preset '" + preset + "' (seed)");
            }
            for (String p : SEED_PRESET.split(",")) out.add(target(p));
        }
        if (slo != null && !slo.isBlank()) for (String p : slo.split(",")) out.add(target(p.strip()));
        return new Targets(out);
    }

    public boolean isEmpty() {
        return targets.isEmpty();
    }

    /** The per-request bounds goodput counts: one per latency target, in order. */
    public List<Slo> requestBounds() {
        List<Slo> out = new ArrayList<>();
        for (Target t : targets) {
            if (t.kind == Kind.PERCENTILE || t.kind == Kind.MEAN)
                out.add(new Slo(metric(t.metric), (long) (t.high * 1e6)));
        }
        return out;
    }

    /** The targets without verdicts, as a sweep lists them in {@code sweep.slos}. */
    public List<TargetSpec> describe() {
        List<TargetSpec> out = new ArrayList<>();
        for (Target t : targets) out.add(spec(t));
        return out;
    }

    private static TargetSpec spec(Target t) {
        return new TargetSpec(
                t.name,
                t.kind,
                t.metric,
                t.kind == Kind.PERCENTILE ? t.percentile : null,
                t.kind == Kind.RANGE ? t.low : null,
                t.kind == Kind.MINIMUM ? t.low : t.high,
                t.unit);
    }

    private static Target target(String p) {
        String spec = p.toLowerCase(Locale.ROOT);
        String op;
        int at;
        if ((at = spec.indexOf(">=")) > 0) op = ">=";
        else if ((at = spec.indexOf("<=")) > 0) op = "<=";
        else if ((at = spec.indexOf('<')) > 0) op = "<";
        else if ((at = spec.indexOf('=')) > 0) op = "=";
        else
            throw new IllegalArgumentException(
                    "SLO '" + p + "' is not NAME<=VALUE, e.g. ttft_p95<=500ms or error_rate<=1%");
        String name = spec.substring(0, at).strip();
        String value = spec.substring(at + op.length()).strip();
        try {
            if (name.equals("error_rate")) {
                requireUpper(p, op);
                return new Target(name, Kind.ERROR_RATE, null, 0, 0, fraction(value), "fraction");
            }
            if (name.equals("stream_tokens_per_s")
                    || name.equals("request_throughput")
                    || name.equals("output_token_throughput")) {
                if (!op.equals(">=")) throw new IllegalArgumentException("a throughput is a minimum: use >=");
                return new Target(
                        name,
                        Kind.MINIMUM,
                        null,
                        0,
                        number(value),
                        Double.POSITIVE_INFINITY,
                        name.equals("request_throughput") ? "req/s" : "tok/s");
            }
            if (name.endsWith("_spike_rate")) {
                String m = metric(name.substring(0, name.length() - "_spike_rate".length()), true)
                        .key();
                String[] range = value.split("\\.\\.");
                double lo = range.length == 2 ? fraction(range[0]) : 0;
                double hi = fraction(range[range.length - 1]);
                if (range.length == 1) requireUpper(p, op);
                if (lo > hi) throw new IllegalArgumentException("the range's low end is above its high end");
                return new Target(name, Kind.RANGE, m, 0, lo, hi, "fraction");
            }
            requireUpper(p, op);
            double bound = Durations.parse(value).toNanos() / 1e6;
            int us = name.lastIndexOf('_');
            String suffix = us < 0 ? "" : name.substring(us + 1);
            if (suffix.equals("mean")) {
                return new Target(name, Kind.MEAN, metric(name.substring(0, us)).key(), 0, 0, bound, "ms");
            }
            if (suffix.matches("p[0-9]+(\\.[0-9]+)?")) {
                double pct = Double.parseDouble(suffix.substring(1));
                if (!(pct > 0 && pct < 100))
                    throw new IllegalArgumentException("the percentile must be between 0 and 100");
                return new Target(
                        name, Kind.PERCENTILE, metric(name.substring(0, us)).key(), pct, 0, bound, "ms");
            }
            String m = metric(name).key();
            return new Target(m + "_p90", Kind.PERCENTILE, m, 90, 0, bound, "ms");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("SLO '" + p + "': " + e.getMessage());
        }
    }

    private static void requireUpper(String p, String op) {
        if (op.equals(">=")) throw new IllegalArgumentException("this target is an upper bound: use <=");
    }

    private static Metric metric(String key) {
        return metric(key, false);
    }

    /** @param pooled whether a metric pooling every gap (itl) will do: it does for a spike rate */
    private static Metric metric(String key, boolean pooled) {
        for (Metric m : Metric.values()) {
            if (m.key().equals(key)) {
                if (m == Metric.ITL && !pooled)
                    throw new IllegalArgumentException("itl pools every gap; per request use itl_per_request");
                return m;
            }
        }
        throw new IllegalArgumentException(
                "unknown metric '" + key + "' (ttft, ttst, tpot, itl_per_request, ntpot, e2e, "
                        + "queue_wait; error_rate, stream_tokens_per_s, request_throughput, output_token_throughput, NAME_spike_rate)");
    }

    private static double fraction(String v) {
        return Fraction.parse(v, "", true);
    }

    private static double number(String v) {
        try {
            double d = Double.parseDouble(v.strip());
            if (!(d >= 0) || Double.isInfinite(d)) throw new NumberFormatException();
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + v + "' is not a non-negative number");
        }
    }

    /**
     * The targets judged on a run's figures (docs/bench.md, {@code slo}): each target's value, verdict
     * and confidence, whether all passed, goodput, and the grade.
     *
     * @param metrics the run's metrics by key
     */
    public SloVerdict evaluate(Summary summary, Map<String, Stats> metrics) {
        List<SloVerdict.Target> list = new ArrayList<>();
        int met = 0;
        double doubt = 0;
        double failSure = 0;
        int bound = 0;
        for (Target t : targets) {
            Verdict v = judge(t, summary, metrics);
            Double goodput = null;
            if (t.kind.latency()) {
                List<Double> each = summary.goodputPerSlo();
                goodput = bound < each.size() ? each.get(bound) : Double.NaN;
                bound++;
            }
            TargetSpec s = spec(t);
            list.add(new SloVerdict.Target(
                    s.name(),
                    s.kind(),
                    s.metric(),
                    s.percentile(),
                    s.low(),
                    s.bound(),
                    s.unit(),
                    v.value,
                    v.met,
                    v.confidence,
                    v.samples >= 0 ? v.samples : null,
                    v.samples >= 0 ? v.exceeding : null,
                    goodput));
            if (v.met) met++;
            double c = Double.isNaN(v.confidence) ? 1 : v.confidence;
            if (v.met) doubt += 1 - c;
            else failSure = Math.max(failSure, c);
        }
        boolean passed = met == targets.size();
        return new SloVerdict(
                list,
                passed,
                passed ? Math.max(0, 1 - doubt) : failSure,
                summary.goodput(),
                SloVerdict.Grade.of(met, targets.size()));
    }

    /** Excellent when at least 90% of targets are met, Good at 80%, Acceptable at 60%, else Poor. */
    public static String grade(double share) {
        return SloVerdict.Grade.name(share);
    }

    private record Verdict(double value, boolean met, double confidence, long samples, long exceeding) {}

    private static Verdict judge(Target t, Summary sum, Map<String, Stats> metrics) {
        switch (t.kind) {
            case ERROR_RATE -> {
                long ok = sum.requestsCompleted();
                long failed = sum.requestsFailed();
                long n = ok + failed;
                if (n == 0) return new Verdict(Double.NaN, false, Double.NaN, 0, 0);
                double rate = (double) failed / n;
                boolean met = rate <= t.high;
                if (t.high == 0)
                    return new Verdict(rate, met, Double.NaN, n, failed); // no sample shows a share of exactly 0
                double below = Beta.jeffreysBelow(failed, n, t.high);
                return new Verdict(rate, met, met ? below : 1 - below, n, failed);
            }
            case MINIMUM -> {
                double v = switch (t.name) {
                    case "request_throughput" -> sum.requestThroughput();
                    case "output_token_throughput" -> sum.outputTokenThroughput();
                    default -> {
                        double tpot = p50(metrics.get("tpot"));
                        if (Double.isNaN(tpot)) tpot = p50(metrics.get("ntpot"));
                        yield tpot > 0 ? 1000 / tpot : Double.NaN;
                    }
                };
                return new Verdict(v, !Double.isNaN(v) && v >= t.low, Double.NaN, -1, -1);
            }
            case RANGE -> {
                Stats m = metrics.get(t.metric);
                if (m == null || m.count() == 0) return new Verdict(Double.NaN, false, Double.NaN, -1, -1);
                double v = m.spikeRate();
                return new Verdict(v, v >= t.low && v <= t.high, Double.NaN, -1, -1);
            }
            default -> {
                Stats m = metrics.get(t.metric + "_intended");
                if (m == null) m = metrics.get(t.metric);
                long n = m == null ? 0 : m.count();
                if (n == 0) return new Verdict(Double.NaN, false, Double.NaN, 0, 0);
                if (t.kind == Kind.MEAN) {
                    double v = m.mean();
                    return new Verdict(v, v <= t.high, Double.NaN, n, -1);
                }
                Histogram h = m.histogram() == null ? null : Stats.decode(m.histogram());
                if (h == null) { // a result without histograms: the named percentile, no confidence
                    double value = m.percentile(t.percentile);
                    return new Verdict(value, !Double.isNaN(value) && value <= t.high, Double.NaN, n, -1);
                }
                double value = h.getValueAtPercentile(t.percentile) / 1e6;
                long b = (long) (t.high * 1e6);
                long above = b >= h.getMaxValue()
                        ? 0
                        : h.getCountBetweenValues(h.nextNonEquivalentValue(b), h.getMaxValue());
                // Met when at most (100 - p)% of samples exceed the bound: the same test as the percentile's,
                // without the histogram's rounding of the value up to its bucket's top.
                boolean met = above <= (long) Math.floor(n * (1 - t.percentile / 100) + 1e-9);
                double below = Beta.jeffreysBelow(above, n, 1 - t.percentile / 100);
                return new Verdict(value, met, met ? below : 1 - below, n, above);
            }
        }
    }

    /** A metric's median, NaN when it has no sample. */
    private static double p50(Stats m) {
        return m == null || m.count() == 0 ? Double.NaN : m.p50();
    }
}
