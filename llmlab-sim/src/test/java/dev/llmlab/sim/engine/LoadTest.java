package dev.llmlab.sim.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Percentage.withPercentage;

import dev.llmlab.core.random.Seeds;
import dev.llmlab.sim.engine.EngineSpec.Routing;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * The engine under open-loop Poisson load on virtual time: queueing theory's and the cost model's
 * predictions, checked on the simulated timeline.
 */
class LoadTest {
    private static final long S = 1_000_000_000L;
    static final int PROMPT = 256;
    static final int OUTPUT = 64;
    /** 5 ms a step, 20 us per prompt token, 50 us per decoding sequence, 20 ns per KV token read. */
    static final EngineSpec SPEC = new EngineSpec(
            1,
            Routing.ROUND_ROBIN,
            64,
            2048,
            100_000,
            100_000,
            16,
            false,
            true,
            new CostModel(5_000_000, 20_000, 50_000, 20, 0));

    static final Capacity CAP = Capacity.estimate(SPEC, PROMPT, OUTPUT);

    /** One run's observations. */
    record Run(
            double outputTokensPerSecond,
            double meanTtftNanos,
            int waitingAtMid,
            int waitingAtEnd,
            double meanInSystem,
            double arrivalRate,
            double meanSojournNanos) {}

    /** Poisson arrivals at {@code rate} per second for {@code seconds}; figures from the window [warm, seconds]. */
    static Run run(double rate, long seconds, long seed) {
        VirtualEngineClock clock = new VirtualEngineClock();
        Deployment d = new Deployment(SPEC, List.of(clock), EngineObserver.NONE, seed);
        RandomGenerator rng = Seeds.rng(seed);
        long warm = seconds * S / 4;
        long end = seconds * S;
        List<Sequence> inWindow = new ArrayList<>();
        List<Recorder> recs = new ArrayList<>();
        long[] tokensInWindow = new long[1];
        SequenceListener counting = new SequenceListener() {
            @Override
            public void onToken(Sequence s, long now) {
                if (now >= warm && now < end) tokensInWindow[0]++;
            }

            @Override
            public void onFinished(Sequence s, long now) {}
        };
        for (long t = 0; t < end; ) {
            t += (long) (-Math.log(1 - rng.nextDouble()) / rate * S);
            long at = t;
            clock.schedule(at, () -> {
                Recorder r = new Recorder();
                Sequence s = new Sequence(PROMPT, 1, OUTPUT, new long[0], new SequenceListener() {
                    @Override
                    public void onToken(Sequence s, long now) {
                        r.onToken(s, now);
                        counting.onToken(s, now);
                    }

                    @Override
                    public void onFinished(Sequence s, long now) {
                        r.onFinished(s, now);
                    }
                });
                assertThat(d.submit(s)).isNull();
                if (at >= warm) {
                    inWindow.add(s);
                    recs.add(r);
                }
            });
        }
        // Time-average number in the system, sampled every millisecond over the window.
        double[] area = new double[1];
        int[] samples = new int[1];
        for (long t = warm; t < end; t += 1_000_000) {
            clock.schedule(t, () -> {
                area[0] += d.outstanding(0);
                samples[0]++;
            });
        }
        int[] mid = new int[1];
        clock.schedule((warm + end) / 2, () -> mid[0] = d.waiting(0));
        clock.runUntil(end);
        int waitingAtEnd = d.waiting(0);
        clock.runAll();
        double ttft = 0;
        double sojourn = 0;
        for (int i = 0; i < inWindow.size(); i++) {
            ttft += recs.get(i).ttft(inWindow.get(i));
            sojourn += recs.get(i).finishedAt - inWindow.get(i).arrivalNanos();
        }
        double window = (end - warm) / (double) S;
        return new Run(
                tokensInWindow[0] / window,
                ttft / inWindow.size(),
                mid[0],
                waitingAtEnd,
                area[0] / samples[0],
                inWindow.size() / window,
                sojourn / inWindow.size());
    }

    @Test
    void littlesLaw_holdsInSteadyState() {
        Run r = run(0.7 * CAP.requestsPerSecond(), 120, 7);
        double lambdaW = r.arrivalRate() * r.meanSojournNanos() / S;
        assertThat(r.meanInSystem()).isCloseTo(lambdaW, withPercentage(5));
    }

    @Test
    void belowCapacity_ttftStaysNearTheLonePrefill_andThroughputFollowsTheOffer() {
        double rate = 0.5 * CAP.requestsPerSecond();
        Run r = run(rate, 60, 1);
        assertThat(r.outputTokensPerSecond()).isCloseTo(rate * OUTPUT, withPercentage(5));
        // A new request waits for the step in flight, then prefills in a step shared with the batch's
        // decodes: at half load that is at most about three lone prefills, never a growing queue.
        assertThat(r.meanTtftNanos()).isLessThan(3 * CAP.loneTtftNanos());
        assertThat(r.waitingAtEnd()).isLessThan(5);
    }

    @Test
    void pastCapacity_throughputPlateausAtThePrediction_whileQueueAndTtftGrow() {
        Run below = run(0.8 * CAP.requestsPerSecond(), 60, 2);
        Run over = run(1.3 * CAP.requestsPerSecond(), 60, 3);
        Run farOver = run(1.6 * CAP.requestsPerSecond(), 60, 4);
        // the knee: below it output follows the offer, above it output is flat at the predicted maximum
        assertThat(below.outputTokensPerSecond()).isCloseTo(0.8 * CAP.outputTokensPerSecond(), withPercentage(5));
        assertThat(over.outputTokensPerSecond()).isCloseTo(CAP.outputTokensPerSecond(), withPercentage(10));
        assertThat(farOver.outputTokensPerSecond()).isCloseTo(over.outputTokensPerSecond(), withPercentage(5));
        // and past it the queue grows without bound and with it the time to first token
        assertThat(over.waitingAtEnd()).isGreaterThan(over.waitingAtMid()).isGreaterThan(100);
        assertThat(farOver.waitingAtEnd()).isGreaterThan(over.waitingAtEnd());
        assertThat(over.meanTtftNanos()).isGreaterThan(20 * below.meanTtftNanos());
        assertThat(farOver.meanTtftNanos()).isGreaterThan(over.meanTtftNanos());
    }

    @Test
    void capacity_ofTheHandSpec() {
        // B = 64; a step: 5 + 64 * 256 / 64 * 0.02 + 64 * 63 / 64 * 0.05 + 64 * 288 * 0.00002 ms
        assertThat(CAP.batch()).isEqualTo(64);
        assertThat(CAP.stepNanos()).isCloseTo(5e6 + 5.12e6 + 3.15e6 + 368_640, withPercentage(1e-9));
        assertThat(CAP.loneTtftNanos()).isEqualTo(5e6 + 256 * 20_000 + 256 * 20);
    }
}
