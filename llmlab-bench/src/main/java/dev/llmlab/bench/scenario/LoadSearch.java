package dev.llmlab.bench.scenario;

import dev.llmlab.bench.result.BenchResult;
import dev.llmlab.bench.result.LoadAxis;
import dev.llmlab.bench.result.Sweep;
import dev.llmlab.bench.result.TargetSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Searches the load axis for the largest level a server sustains ({@link Verdict}: valid, keeping
 * up, within its error limit and targets).
 *
 * <p>{@link #sloSearch}: first a bracket, then a root-finder. The bracket starts from one user at a
 * time (whose achieved rate is the first passing rate: a server that fails even then has no
 * answer) and doubles the load until a level fails. Inside the bracket the search uses the
 * Illinois variant of false position (Dowell and Jarratt, 1971) on the verdict's margin, the
 * largest of each target's value over its bound minus one, which is near-linear in load below
 * saturation. A step that false position would put in the outer quarters of the bracket is a
 * bisection instead: latency curves have a knee at saturation, where the margin jumps (so does a
 * failure with no measure, such as a run that fell behind), and there interpolation crawls from
 * the low end while halving does not. Every probe thus takes at least a quarter off the bracket.
 * It stops when the bracket is narrower than {@code tolerance} of its upper end (one user, on the
 * concurrency axis) or after {@code maxProbes}.
 *
 * <p>The answer's confidence: each end's verdict has the confidence of its targets' judgement
 * (see {@link dev.llmlab.bench.measure.Targets}); both ends right is at least, by Bonferroni,
 * {@code c_low + c_high - 1}. Noise can make a server pass a level above one it failed; the search
 * assumes monotonicity and keeps the bracket it has, so every probe is reported for inspection.
 *
 * <p>A level whose run was invalid (the client missed its schedule, which says nothing of the
 * server) runs once more; only a second invalid run fails it.
 *
 * <p>{@link #breakingPoint}: raises the load by a factor per step from the start until a level
 * fails, and reports the last sustained level and the first failing one with what failed.
 */
public final class LoadSearch {
    /**
     * @param axis      rate (open loop) or concurrency (closed loop)
     * @param start     the first level; 0 to start from one user's achieved rate (or from 1 user)
     * @param max       never probe above this; 0 for no limit
     * @param tolerance stop when the bracket is narrower than this share of its upper end
     * @param maxProbes at most this many runs in all
     */
    public record Options(LoadAxis axis, double start, double max, double tolerance, int maxProbes, Verdict verdict) {
        public Options {
            if (!(tolerance > 0 && tolerance < 1))
                throw new IllegalArgumentException("--tolerance must be between 0 and 100%");
            if (maxProbes < 2) throw new IllegalArgumentException("--max-probes must be at least 2");
            if (start < 0 || max < 0) throw new IllegalArgumentException("--start and --max must not be negative");
            if (max > 0 && start > max) throw new IllegalArgumentException("--start must not be above --max");
        }
    }

    private LoadSearch() {}

    /**
     * @param slos    the targets each level is judged against, for the result's charts
     * @param onPoint told of each level as it ends (null: nothing is)
     * @return the search, of kind {@code slo-search}, with its answer
     */
    public static Sweep sloSearch(Prober prober, Options o, List<TargetSpec> slos, Consumer<Sweep.Point> onPoint) {
        List<Sweep.Point> list = new ArrayList<>();
        State s = new State();
        Sweep.Point first = startingPoint(prober, o, list, onPoint, s);
        if (first == null) return answer(Sweep.Kind.SLO_SEARCH, o, slos, list, s); // one user at a time already fails
        // Bracket: double until a level fails, or the limit is reached.
        while (s.high == null && list.size() < o.maxProbes()) {
            double next = o.axis() == LoadAxis.CONCURRENCY
                    ? Math.max(s.lowValue + 1, Math.round(s.lowValue * 2))
                    : s.lowValue * 2;
            if (o.max() > 0 && s.lowValue >= o.max()) break;
            if (o.max() > 0) next = Math.min(next, o.max());
            probe(prober, o, next, list, onPoint, s);
        }
        // Refine: Illinois false position on the margin, safeguarded.
        int lastSide = 0; // +1: the last probe passed (moved the low end), -1: it failed
        while (s.high != null && list.size() < o.maxProbes() && !narrow(o, s)) {
            double lo = s.lowValue;
            double hi = s.highValue;
            double mLo = s.lowMargin;
            double mHi = s.highMargin;
            double x = Double.isFinite(mLo) && Double.isFinite(mHi) && mHi > 0 && mLo <= 0
                    ? lo + (hi - lo) * (0 - mLo) / (mHi - mLo)
                    : (lo + hi) / 2;
            // Outside the middle half, the margin is not near-linear here (a knee): bisect instead.
            if (!(x >= lo + (hi - lo) / 4 && x <= hi - (hi - lo) / 4)) x = (lo + hi) / 2;
            if (o.axis() == LoadAxis.CONCURRENCY) x = Math.max(lo + 1, Math.min(hi - 1, Math.round(x)));
            int side = probe(prober, o, x, list, onPoint, s) ? 1 : -1;
            // Illinois: when the same end moves twice running, halve the other's margin so that it moves too.
            if (side == lastSide) {
                if (side == 1) s.highMargin /= 2;
                else s.lowMargin /= 2;
            }
            lastSide = side;
        }
        return answer(Sweep.Kind.SLO_SEARCH, o, slos, list, s);
    }

    /** @return the search, of kind {@code breaking-point}, with its answer */
    public static Sweep breakingPoint(
            Prober prober, Options o, double factor, List<TargetSpec> slos, Consumer<Sweep.Point> onPoint) {
        if (!(factor > 1) || Double.isInfinite(factor))
            throw new IllegalArgumentException("--factor must be above 1, got " + factor);
        List<Sweep.Point> list = new ArrayList<>();
        State s = new State();
        Sweep.Point first = startingPoint(prober, o, list, onPoint, s);
        if (first == null) return answer(Sweep.Kind.BREAKING_POINT, o, slos, list, s);
        double level = s.lowValue;
        while (s.high == null && list.size() < o.maxProbes() && !(o.max() > 0 && level >= o.max())) {
            level = o.axis() == LoadAxis.CONCURRENCY ? Math.max(level + 1, Math.round(level * factor)) : level * factor;
            if (o.max() > 0) level = Math.min(level, o.max());
            probe(prober, o, level, list, onPoint, s);
        }
        return answer(Sweep.Kind.BREAKING_POINT, o, slos, list, s);
    }

    /** What the search knows: the highest passing and lowest failing levels, with their points. */
    private static final class State {
        double lowValue;
        double lowMargin = -1;
        Sweep.Point low;
        double highValue;
        double highMargin;
        Sweep.Point high;
    }

    /** One user at a time (or {@code start}); null when it already fails. */
    private static Sweep.Point startingPoint(
            Prober prober, Options o, List<Sweep.Point> list, Consumer<Sweep.Point> onPoint, State s) {
        if (o.start() > 0) {
            return probe(prober, o, o.start(), list, onPoint, s) ? s.low : null;
        }
        Load sync = Load.users(1);
        BenchResult result = prober.probe(sync);
        var reasons = o.verdict().reasons(sync, result);
        Sweep.Point p = Points.point("synchronous", sync, result, reasons);
        list.add(p);
        if (onPoint != null) onPoint.accept(p);
        double level = o.axis() == LoadAxis.RATE ? p.rateAchieved() : 1;
        if (!reasons.isEmpty() || !(level > 0)) {
            s.high = p;
            s.highValue = level;
            s.highMargin = Verdict.margin(result, reasons);
            return null;
        }
        s.low = p;
        s.lowValue = level;
        s.lowMargin = Verdict.margin(result, reasons);
        return p;
    }

    private static boolean probe(
            Prober prober, Options o, double value, List<Sweep.Point> list, Consumer<Sweep.Point> onPoint, State s) {
        Load load = new Load(o.axis(), value);
        BenchResult result = prober.probe(load);
        var reasons = o.verdict().reasons(load, result);
        Sweep.Point p = Points.point(load.label(), load, result, reasons);
        list.add(p);
        if (onPoint != null) onPoint.accept(p);
        if (!result.summary().valid() && list.size() < o.maxProbes()) {
            // The client, not the server, missed its schedule (a pause on a shared machine): once more.
            result = prober.probe(load);
            reasons = o.verdict().reasons(load, result);
            p = Points.point(load.label() + " (again)", load, result, reasons);
            list.add(p);
            if (onPoint != null) onPoint.accept(p);
        }
        double margin = Verdict.margin(result, reasons);
        if (reasons.isEmpty()) {
            if (s.low == null || value > s.lowValue) {
                s.low = p;
                s.lowValue = value;
                s.lowMargin = margin;
            }
            return true;
        }
        if (s.high == null || value < s.highValue) {
            s.high = p;
            s.highValue = value;
            s.highMargin = margin;
        }
        return false;
    }

    private static boolean narrow(Options o, State s) {
        if (o.axis() == LoadAxis.CONCURRENCY) return s.highValue - s.lowValue <= 1;
        return (s.highValue - s.lowValue) <= o.tolerance() * s.highValue;
    }

    private static Sweep answer(Sweep.Kind kind, Options o, List<TargetSpec> slos, List<Sweep.Point> list, State s) {
        double cLow = s.low == null ? 1 : Points.confidence(s.low);
        double cHigh = s.high == null ? 1 : Points.confidence(s.high);
        Sweep.Answer a = new Sweep.Answer(
                s.low == null ? Double.NaN : s.lowValue,
                s.high == null ? Double.NaN : s.highValue,
                Math.max(0, cLow + cHigh - 1),
                s.low != null && s.high != null ? (s.highValue - s.lowValue) / s.highValue : Double.NaN,
                s.high == null ? List.of() : s.high.failedOn(),
                list.size());
        return new Sweep(kind, o.axis(), list, slos, a);
    }
}
