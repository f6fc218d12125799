package dev.llmlab.sim.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Measured points simulated as they were measured, for {@link Calibration}: each on the engine
 * with candidate costs, on its very send times, as its closed loop, or on Poisson arrivals at its
 * rate, for the length of its run, its figures over the requests sent after its warm-up and
 * before its cool-down. A point's figures are the mean of a few replays, and their spread says how
 * far one measurement may stray from that mean by chance.
 */
final class Replays {
    private Replays() {}

    /**
     * How many replays a point's simulated figures are the mean of: each draws its own Poisson
     * arrivals, or, on given sends or a closed loop, its own step noise only, for which two do.
     */
    static int count(Calibration.Load load) {
        return load instanceof Calibration.Load.Poisson ? 4 : 2;
    }

    /** Each point simulated with {@code cost}, as it was measured ({@code seconds} when it does not say how long). */
    static List<Calibration.Compared> of(
            List<Calibration.Measured> points, EngineSpec base, CostModel cost, double seconds, long seed) {
        EngineSpec spec = new EngineSpec(
                base.replicas(),
                base.routing(),
                base.maxNumSeqs(),
                base.maxNumBatchedTokens(),
                Integer.MAX_VALUE,
                base.numBlocks(),
                base.blockSize(),
                false,
                base.chunkedPrefill(),
                cost);
        List<Calibration.Compared> compared = new ArrayList<>();
        for (Calibration.Measured m : points) {
            double s = Double.isNaN(m.seconds()) ? seconds : m.seconds();
            // the very sends measured are all replayed, whatever length the level was said to have
            if (m.load() instanceof Calibration.Load.Sends sent && !sent.nanos().isEmpty())
                s = Math.max(s, sent.nanos().getLast() / 1e9 + 1e-6);
            double from = Math.min(m.warmupSeconds(), s);
            double until = s - m.cooldownSeconds();
            // Replays of the very sends measured, or of a closed loop, differ only in the steps' own noise;
            // Poisson ones in their draws as well.
            VirtualLoad.Point[] replays = new VirtualLoad.Point[count(m.load())];
            for (int r = 0; r < replays.length; r++) {
                replays[r] = switch (m.load()) {
                    case Calibration.Load.Sends sends ->
                        VirtualLoad.replay(
                                spec, m.prompt(), m.output(), unboxed(sends.nanos()), s, from, until, seed + r);
                    case Calibration.Load.Users users ->
                        VirtualLoad.closed(spec, m.prompt(), m.output(), users.count(), s, from, until, seed + r);
                    case Calibration.Load.Poisson p ->
                        VirtualLoad.run(spec, m.prompt(), m.output(), m.rate(), s, from, until, seed + r);
                };
            }
            compared.add(new Calibration.Compared(
                    m,
                    mean(replays),
                    relativeSpread(replays, VirtualLoad.Point::meanTtftNanos),
                    relativeSpread(replays, VirtualLoad.Point::meanTpotNanos)));
        }
        return compared;
    }

    private static long[] unboxed(List<Long> values) {
        long[] out = new long[values.size()];
        for (int i = 0; i < out.length; i++) out[i] = values.get(i);
        return out;
    }

    private static VirtualLoad.Point mean(VirtualLoad.Point[] ps) {
        double sent = 0;
        double achieved = 0;
        double ttft = 0;
        double tpot = 0;
        double tokens = 0;
        for (VirtualLoad.Point p : ps) {
            sent += p.sentRate() / ps.length;
            achieved += p.achievedRate() / ps.length;
            ttft += p.meanTtftNanos() / ps.length;
            tpot += p.meanTpotNanos() / ps.length;
            tokens += p.outputTokensPerSecond() / ps.length;
        }
        return new VirtualLoad.Point(ps[0].rate(), sent, achieved, ttft, tpot, tokens);
    }

    /** The sample standard deviation of a figure over the replays, relative to its mean. */
    private static double relativeSpread(VirtualLoad.Point[] ps, ToDoubleFunction<VirtualLoad.Point> f) {
        double mean = 0;
        for (VirtualLoad.Point p : ps) mean += f.applyAsDouble(p) / ps.length;
        double ss = 0;
        for (VirtualLoad.Point p : ps) ss += Math.pow(f.applyAsDouble(p) - mean, 2);
        return mean > 0 ? Math.sqrt(ss / (ps.length - 1)) / mean : 0;
    }
}
