package dev.llmlab.sim.engine;

import dev.llmlab.core.random.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Open-loop Poisson load on a deployment in virtual time: what a benchmark at {@code rate} would
 * measure against the modelled server, in milliseconds of computation instead of minutes of
 * waiting. Requests are identical ({@code prompt} and {@code output} tokens, no shared prefix).
 * Figures cover requests that arrive after the first fifth of the run (the warm-up) and finish.
 */
public final class VirtualLoad {
    private VirtualLoad() {}

    /**
     * @param achievedRate          completed requests per second of the measured window
     * @param meanTtftNanos         mean time from arrival to first token
     * @param meanTpotNanos         mean of (e2e - ttft) / (output - 1)
     * @param outputTokensPerSecond tokens delivered per second within the measured window
     */
    public record Point(
            double rate,
            double achievedRate,
            double meanTtftNanos,
            double meanTpotNanos,
            double outputTokensPerSecond) {}

    /** @param warmupFraction the share of the run at its start whose arrivals are not measured */
    public static Point run(
            EngineSpec spec, int prompt, int output, double rate, double seconds, double warmupFraction, long seed) {
        VirtualEngineClock clock = new VirtualEngineClock();
        List<EngineClock> clocks = new ArrayList<>();
        for (int i = 0; i < spec.replicas(); i++) clocks.add(clock);
        Deployment d = new Deployment(spec, clocks, EngineObserver.NONE, seed);
        RandomGenerator rng = Seeds.rng(Seeds.mix(seed, 0x10ad));
        long end = (long) (seconds * 1e9);
        long warm = (long) (end * warmupFraction);
        double[] sums = new double[2]; // ttft, tpot
        long[] counts = new long[2]; // finished, tokens in window
        SequenceListener listener = new SequenceListener() {
            @Override
            public void onToken(Sequence s, long now) {
                if (now >= warm && now < end) counts[1]++;
            }

            @Override
            public void onFinished(Sequence s, long now) {
                if (s.arrivalNanos() < warm) return;
                counts[0]++;
                sums[0] += s.firstTokenNanos() - s.arrivalNanos();
                if (output > 1) sums[1] += (double) (s.lastTokenNanos() - s.firstTokenNanos()) / (output - 1);
            }
        };
        long arrivals = 0;
        for (long t = 0; ; ) {
            t += (long) (-Math.log(1 - rng.nextDouble()) / rate * 1e9);
            if (t >= end) break;
            arrivals++;
            clock.schedule(t, () -> d.submit(new Sequence(prompt, 1, output, new long[0], listener)));
        }
        clock.runUntil(end);
        long finishedInWindow = counts[0];
        clock.runAll();
        double window = (end - warm) / 1e9;
        return new Point(
                rate,
                finishedInWindow / window,
                counts[0] == 0 ? 0 : sums[0] / counts[0],
                counts[0] == 0 ? 0 : sums[1] / counts[0],
                counts[1] / window);
    }
}
