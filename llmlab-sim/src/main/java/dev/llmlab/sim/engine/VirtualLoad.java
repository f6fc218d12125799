package dev.llmlab.sim.engine;

import dev.llmlab.core.random.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Open-loop Poisson load on a deployment in virtual time: what a benchmark at {@code rate} would
 * measure against the modelled server, in milliseconds of computation instead of minutes of
 * waiting. Requests are identical ({@code prompt} and {@code output} tokens, no shared prefix).
 * Figures cover the requests that arrive within the measured part of the run (after a warm-up,
 * before a cool-down), each followed until it finishes.
 */
public final class VirtualLoad {
    private VirtualLoad() {}

    /**
     * @param sentRate              the measured arrivals' own rate, as a benchmark reports what it sent:
     *                              (arrivals - 1) over the time from the first to the last (Poisson
     *                              arrivals stray from {@code rate} by chance)
     * @param achievedRate          completed requests per second of the measured window
     * @param meanTtftNanos         mean time from arrival to first token
     * @param meanTpotNanos         mean of (e2e - ttft) / (output - 1)
     * @param outputTokensPerSecond tokens delivered per second within the measured window
     */
    public record Point(
            double rate,
            double sentRate,
            double achievedRate,
            double meanTtftNanos,
            double meanTpotNanos,
            double outputTokensPerSecond) {}

    /** @param warmupFraction the share of the run at its start whose arrivals are not measured */
    public static Point run(
            EngineSpec spec, int prompt, int output, double rate, double seconds, double warmupFraction, long seed) {
        return run(spec, prompt, output, rate, seconds, seconds * warmupFraction, seconds, seed);
    }

    /**
     * A run whose measured requests are those that arrive from {@code fromSeconds} until {@code
     * untilSeconds}, as a benchmark with a warm-up and a cool-down measures them; every measured
     * request is followed until it finishes.
     */
    public static Point run(
            EngineSpec spec,
            int prompt,
            int output,
            double rate,
            double seconds,
            double fromSeconds,
            double untilSeconds,
            long seed) {
        RandomGenerator rng = Seeds.rng(Seeds.mix(seed, 0x10ad));
        long end = (long) (seconds * 1e9);
        long[] arrivals = new long[16];
        int n = 0;
        for (long t = 0; ; ) {
            t += (long) (-Math.log(1 - rng.nextDouble()) / rate * 1e9);
            if (t >= end) break;
            if (n == arrivals.length) arrivals = java.util.Arrays.copyOf(arrivals, 2 * n);
            arrivals[n++] = t;
        }
        Point p = replay(
                spec, prompt, output, java.util.Arrays.copyOf(arrivals, n), seconds, fromSeconds, untilSeconds, seed);
        return new Point(
                rate, p.sentRate(), p.achievedRate(), p.meanTtftNanos(), p.meanTpotNanos(), p.outputTokensPerSecond());
    }

    /**
     * The same on given arrivals, in nanoseconds from the start, ascending: a benchmark's very
     * schedule replayed. {@code seed} draws the steps' noise and the routing.
     */
    public static Point replay(
            EngineSpec spec,
            int prompt,
            int output,
            long[] arrivalsNanos,
            double seconds,
            double fromSeconds,
            double untilSeconds,
            long seed) {
        return simulate(spec, prompt, output, arrivalsNanos, 0, seconds, fromSeconds, untilSeconds, seed);
    }

    /**
     * A closed loop: {@code users} users, each sending its next request the moment its last one
     * finishes, from the start until {@code seconds}, as a benchmark's closed loop without a ramp
     * does. Requests sent from {@code fromSeconds} until {@code untilSeconds} are measured.
     */
    public static Point closed(
            EngineSpec spec,
            int prompt,
            int output,
            int users,
            double seconds,
            double fromSeconds,
            double untilSeconds,
            long seed) {
        if (users < 1) throw new IllegalArgumentException("a closed loop needs at least one user");
        return simulate(spec, prompt, output, null, users, seconds, fromSeconds, untilSeconds, seed);
    }

    private static Point simulate(
            EngineSpec spec,
            int prompt,
            int output,
            long[] arrivalsNanos,
            int users,
            double seconds,
            double fromSeconds,
            double untilSeconds,
            long seed) {
        VirtualEngineClock clock = new VirtualEngineClock();
        List<EngineClock> clocks = new ArrayList<>();
        for (int i = 0; i < spec.replicas(); i++) clocks.add(clock);
        Deployment d = new Deployment(spec, clocks, EngineObserver.NONE, seed);
        long end = (long) (seconds * 1e9);
        long warm = (long) (fromSeconds * 1e9);
        long until = Math.min(end, (long) (untilSeconds * 1e9));
        double[] sums = new double[2]; // ttft, tpot
        long[] counts = new long[2]; // finished, tokens in window
        // measured arrivals: how many, the first and the last
        long[] sent = {0, -1, -1};
        Runnable[] arrive = new Runnable[1];
        SequenceListener listener = new SequenceListener() {
            @Override
            public void onToken(Sequence s, long now) {
                if (now >= warm && now < end) counts[1]++;
            }

            @Override
            public void onFinished(Sequence s, long now) {
                // a closed loop's user sends again at once, once this step is done
                if (users > 0 && now < end) clock.schedule(now, arrive[0]);
                if (s.arrivalNanos() < warm || s.arrivalNanos() >= until) return;
                counts[0]++;
                sums[0] += s.firstTokenNanos() - s.arrivalNanos();
                if (output > 1) sums[1] += (double) (s.lastTokenNanos() - s.firstTokenNanos()) / (output - 1);
            }
        };
        arrive[0] = () -> {
            long t = clock.now();
            if (t >= warm && t < until) {
                sent[0]++;
                if (sent[1] < 0) sent[1] = t;
                sent[2] = t;
            }
            d.submit(new Sequence(prompt, 1, output, new long[0], listener));
        };
        if (arrivalsNanos != null) {
            for (long t : arrivalsNanos) {
                if (t >= end) break;
                clock.schedule(t, arrive[0]);
            }
        } else {
            for (int u = 0; u < users; u++) clock.schedule(0, arrive[0]);
        }
        clock.runUntil(end);
        long finishedInWindow = counts[0];
        clock.runAll();
        double window = (end - warm) / 1e9;
        double sentRate = sent[0] > 1 && sent[2] > sent[1] ? (sent[0] - 1) / ((sent[2] - sent[1]) / 1e9) : 0;
        return new Point(
                sentRate,
                sentRate,
                finishedInWindow / window,
                counts[0] == 0 ? 0 : sums[0] / counts[0],
                counts[0] == 0 ? 0 : sums[1] / counts[0],
                counts[1] / window);
    }
}
