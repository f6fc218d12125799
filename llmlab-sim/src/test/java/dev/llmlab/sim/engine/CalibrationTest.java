package dev.llmlab.sim.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Percentage.withPercentage;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CalibrationTest {
    /** The 70B preset's costs, to be recovered from its own simulated measurements. */
    static final CostModel TRUE = new CostModel(15e6, 70e3, 120e3, 35, 0);

    static final EngineSpec SPEC =
            new EngineSpec(1, EngineSpec.Routing.ROUND_ROBIN, 1024, 8192, 100_000, 29_000, 16, false, true, TRUE);

    /** The 8B preset's costs, whose per-sequence and per-cached-token costs are of one size at 1000-token prompts. */
    static final CostModel EIGHT_B = new CostModel(6e6, 27e3, 50e3, 50, 0);

    static final EngineSpec SPEC_8B =
            new EngineSpec(1, EngineSpec.Routing.ROUND_ROBIN, 1024, 8192, 100_000, 27_500, 16, false, true, EIGHT_B);

    /**
     * {@code spec}'s engine measured at each fraction of its capacity, for {@code seconds} per level,
     * on Poisson arrivals drawn from {@code seed}: each point says its send times, as a benchmark's
     * open loop does.
     */
    static List<Calibration.Measured> sweep(
            EngineSpec spec, int prompt, int output, double[] fractions, double seconds, long seed) {
        double capacity = Capacity.estimate(spec, prompt, output).requestsPerSecond();
        java.util.Random rng = new java.util.Random(seed);
        List<Calibration.Measured> measured = new ArrayList<>();
        for (double f : fractions) {
            List<Long> sends = new ArrayList<>();
            for (double t = 0; ; ) {
                t += -Math.log(1 - rng.nextDouble()) / (f * capacity);
                if (t >= seconds) break;
                sends.add((long) (t * 1e9));
            }
            long[] at = sends.stream().mapToLong(Long::longValue).toArray();
            VirtualLoad.Point p = VirtualLoad.replay(spec, prompt, output, at, seconds, 0, seconds, seed);
            measured.add(new Calibration.Measured(
                    prompt,
                    output,
                    p.sentRate(),
                    p.meanTtftNanos(),
                    p.meanTpotNanos(),
                    seconds,
                    0,
                    0,
                    new Calibration.Load.Sends(sends)));
        }
        return measured;
    }

    static EngineSpec withCost(EngineSpec s, CostModel cost) {
        return new EngineSpec(
                s.replicas(),
                s.routing(),
                s.maxNumSeqs(),
                s.maxNumBatchedTokens(),
                s.maxWaiting(),
                s.numBlocks(),
                s.blockSize(),
                s.prefixCaching(),
                s.chunkedPrefill(),
                cost);
    }

    /** The same points without their send times: the fit must draw its own arrivals. */
    static List<Calibration.Measured> withoutSends(List<Calibration.Measured> points) {
        return points.stream()
                .map(m -> new Calibration.Measured(
                        m.prompt(), m.output(), m.rate(), m.ttftNanos(), m.tpotNanos(), m.seconds()))
                .toList();
    }

    @Test
    void fit_recoversTheCostsOfASimulatedSweep_andReproducesIt() {
        List<Calibration.Measured> measured =
                sweep(SPEC, 1000, 200, new double[] {0.05, 0.2, 0.35, 0.5, 0.65, 0.8}, 60, 11);
        Calibration.Fit fit = Calibration.fit(measured, SPEC, 0, 60, 12);
        // The fit's algebra approximates the engine; simulating the fitted model must land close to
        // what was measured, and the coefficients near the true ones.
        assertThat(fit.rmsError()).isLessThan(0.06);
        assertThat(fit.cost().c0Nanos()).isCloseTo(15e6, withPercentage(10));
        assertThat(fit.cost().prefillNanosPerToken()).isCloseTo(70e3, withPercentage(10));
        for (Calibration.Compared c : fit.points()) {
            assertThat(Math.abs(c.tpotError())).as("TPOT at %s", c.measured()).isLessThan(0.08);
            assertThat(Math.abs(c.ttftError())).as("TTFT at %s", c.measured()).isLessThan(0.08);
        }
        assertThat(fit.shapes()).isOne();
    }

    @Test
    void twoPromptLengths_onTheirVerySends_giveBackEveryCost_fromABaseFarFromIt() {
        double[] levels = {0.2, 0.45, 0.7};
        List<Calibration.Measured> both = new ArrayList<>(sweep(SPEC_8B, 1000, 200, levels, 20, 5));
        both.addAll(sweep(SPEC_8B, 4000, 200, levels, 20, 6));
        // The search starts from the base preset's costs as well as from its linear estimate: a base off by
        // half or double must not matter.
        EngineSpec base = withCost(SPEC_8B, new CostModel(12e6, 13.5e3, 100e3, 25, 0));
        Calibration.Fit fit = Calibration.fit(both, base, 0, 20, 7);
        assertThat(fit.shapes()).isEqualTo(2);
        CostModel c = fit.cost();
        assertThat(c.c0Nanos()).isCloseTo(6e6, withPercentage(3));
        assertThat(c.prefillNanosPerToken()).isCloseTo(27e3, withPercentage(3));
        assertThat(c.decodeNanosPerSeq()).isCloseTo(50e3, withPercentage(3));
        assertThat(c.attnNanosPerKvToken()).isCloseTo(50, withPercentage(3));
        for (Calibration.Compared p : fit.points()) {
            assertThat(Math.abs(p.ttftError())).as("TTFT at %s", p.measured()).isLessThan(0.01);
            assertThat(Math.abs(p.tpotError())).as("TPOT at %s", p.measured()).isLessThan(0.01);
        }
    }

    @Test
    void twoPromptLengths_pinTheCostPerSequenceAndPerCachedToken_asOneCannot() {
        // Poisson draws of their own, as for points whose send times are unknown: each point's misfit is
        // then the luck of its draw, and the intervals must say how far that leaves each cost.
        double[] levels = {0.2, 0.45, 0.7};
        List<Calibration.Measured> one = withoutSends(sweep(SPEC_8B, 1000, 200, levels, 20, 5));
        List<Calibration.Measured> both = new ArrayList<>(one);
        both.addAll(withoutSends(sweep(SPEC_8B, 4000, 200, levels, 20, 6)));
        Calibration.Fit fit = Calibration.fit(both, SPEC_8B, 0, 20, 7);
        Calibration.Fit single = Calibration.fit(one, SPEC_8B, 0, 20, 7);
        double[] truth = {6e6, 27e3, 50e3, 50};
        for (int i = 0; i < 4; i++) {
            Calibration.Interval in = fit.intervals().get(i);
            assertThat(in.determined()).as("cost %d", i).isTrue();
            assertThat(truth[i]).as("cost %d in %s", i, in).isBetween(in.low(), in.high());
        }
        for (int i : new int[] {2, 3}) {
            assertThat(ratio(fit.intervals().get(i)))
                    .as(
                            "cost %d: two shapes %s, one %s",
                            i, fit.intervals().get(i), single.intervals().get(i))
                    .isLessThan(ratio(single.intervals().get(i)));
        }
    }

    private static double ratio(Calibration.Interval in) {
        return in.determined() ? in.high() / in.low() : Double.POSITIVE_INFINITY;
    }

    @Test
    void intervals_needMoreErrorsThanCosts() {
        // Two levels give four errors for four costs: nothing is left to say how far off each is.
        Calibration.Fit fit =
                Calibration.fit(sweep(SPEC_8B, 1000, 200, new double[] {0.2, 0.6}, 30, 5), SPEC_8B, 0, 30, 7);
        assertThat(fit.intervals()).hasSize(4).allMatch(in -> !in.determined());
    }

    @Test
    void intervals_ofALinearModel_areTheTextbookOnes() {
        // e_i = x0 + x1 * i - y_i: a straight line through 6 points; J is [1, i], s^2 = RSS / 4.
        double[] y = {1.1, 1.9, 3.2, 3.9, 5.1, 6.0};
        java.util.function.Function<double[], double[]> residuals = x -> {
            double[] e = new double[y.length];
            for (int i = 0; i < y.length; i++) e[i] = x[0] + x[1] * i + 0 * x[2] + 0 * x[3] - y[i];
            return e;
        };
        double[] at = {1.0476190476, 0.9885714286, 0, 0}; // the least-squares line
        List<Calibration.Interval> in = Intervals.of(residuals, at);
        // x2 and x3 move no error: undetermined; the line's slope has se = sqrt(s^2 / Sxx), Sxx = 17.5
        assertThat(in.get(2).determined()).isFalse();
        assertThat(in.get(3).determined()).isFalse();
        double rss = 0;
        for (double v : residuals.apply(at)) rss += v * v;
        double se = Math.sqrt(rss / 2 / 17.5); // dof = 6 - 4 = 2 (the fit always counts four costs)
        double slope = Math.exp(at[1]);
        assertThat(in.get(1).high()).isCloseTo(slope * Math.exp(4.303 * se), withPercentage(0.5));
        assertThat(in.get(1).low()).isCloseTo(slope * Math.exp(-4.303 * se), withPercentage(0.5));
    }

    @Test
    void studentT_matchesTheTable() {
        assertThat(Intervals.studentT95(1)).isEqualTo(12.706);
        assertThat(Intervals.studentT95(30)).isEqualTo(2.042);
        assertThat(Intervals.studentT95(60)).isCloseTo(2.000, withPercentage(0.2));
        assertThat(Intervals.studentT95(1000)).isCloseTo(1.962, withPercentage(0.1));
    }

    @Test
    void eachPoint_isSimulatedForItsOwnWindow_whenItHasOne() {
        // Past capacity the queue grows for as long as arrivals go on: a level's window changes its TTFT.
        double rate = 2 * Capacity.estimate(SPEC, 1000, 200).requestsPerSecond();
        Calibration.Measured own = new Calibration.Measured(1000, 200, rate, 1e9, 1e7, 5);
        Calibration.Measured unsaid = new Calibration.Measured(1000, 200, rate, 1e9, 1e7);
        VirtualLoad.Point fiveSeconds =
                Replays.of(List.of(unsaid), SPEC, TRUE, 5, 3).getFirst().simulated();
        VirtualLoad.Point sixty =
                Replays.of(List.of(unsaid), SPEC, TRUE, 60, 3).getFirst().simulated();
        assertThat(Replays.of(List.of(own), SPEC, TRUE, 60, 3).getFirst().simulated())
                .isEqualTo(fiveSeconds)
                .isNotEqualTo(sixty);
        assertThat(sixty.meanTtftNanos()).isGreaterThan(fiveSeconds.meanTtftNanos());
    }

    @Test
    void aWarmUp_isLeftOutOfTheSimulatedPoint_asTheBenchmarkLeftItOut() {
        // Near capacity, the first seconds' requests meet an empty engine and start fast; a benchmark
        // that did not measure them saw slower ones, and so must the model it is compared with.
        double rate = 0.9 * Capacity.estimate(SPEC_8B, 1000, 200).requestsPerSecond();
        Calibration.Measured all = new Calibration.Measured(1000, 200, rate, 1e9, 1e7, 20);
        Calibration.Measured warmed = new Calibration.Measured(1000, 200, rate, 1e9, 1e7, 20, 3, 0);
        VirtualLoad.Point whole =
                Replays.of(List.of(all), SPEC_8B, EIGHT_B, 20, 3).getFirst().simulated();
        VirtualLoad.Point late =
                Replays.of(List.of(warmed), SPEC_8B, EIGHT_B, 20, 3).getFirst().simulated();
        assertThat(late.meanTpotNanos()).isGreaterThan(whole.meanTpotNanos());
    }

    @Test
    void aClosedLoop_isReplayedAsOne_andItsOneUserWaitsForNobody() {
        // One user: each request alone on the engine, its TTFT one prefill step, its TPOT one decode step.
        VirtualLoad.Point one = VirtualLoad.closed(SPEC_8B, 1000, 200, 1, 30, 0, 30, 3);
        double prefillStep = EIGHT_B.meanNanos(1000, 0, 1000);
        assertThat(one.meanTtftNanos()).isCloseTo(prefillStep, withPercentage(1));
        double e2e = one.meanTtftNanos() + 199 * one.meanTpotNanos();
        assertThat(one.achievedRate()).isCloseTo(1e9 / e2e, withPercentage(10));
        // 64 users keep 64 requests in flight: each waits behind the others' prefills and decodes with them
        VirtualLoad.Point many = VirtualLoad.closed(SPEC_8B, 1000, 200, 64, 30, 5, 30, 3);
        assertThat(many.meanTpotNanos()).isGreaterThan(2 * one.meanTpotNanos());
        assertThat(many.achievedRate()).isGreaterThan(10 * one.achievedRate());
        // and the fit replays a closed-loop point as that closed loop, not as open arrivals at its rate
        Calibration.Measured asMeasured = new Calibration.Measured(
                1000,
                200,
                many.achievedRate(),
                many.meanTtftNanos(),
                many.meanTpotNanos(),
                30,
                5,
                0,
                new Calibration.Load.Users(64));
        Calibration.Compared c =
                Replays.of(List.of(asMeasured), SPEC_8B, EIGHT_B, 30, 3).getFirst();
        assertThat(Math.abs(c.ttftError())).isLessThan(0.01);
        assertThat(Math.abs(c.tpotError())).isLessThan(0.01);
    }

    @Test
    void theVerySendTimes_replayWithoutTheLuckOfADraw() {
        List<Calibration.Measured> measured = sweep(SPEC_8B, 4000, 200, new double[] {0.3, 0.6, 0.8}, 30, 9);
        double sends =
                new Calibration.Fit(EIGHT_B, Replays.of(measured, SPEC_8B, EIGHT_B, 30, 9), List.of()).rmsError();
        double drawn = new Calibration.Fit(
                        EIGHT_B, Replays.of(withoutSends(measured), SPEC_8B, EIGHT_B, 30, 9), List.of())
                .rmsError();
        assertThat(sends).as("the true costs on the very sends").isLessThan(0.001);
        assertThat(drawn).as("the true costs on other draws").isGreaterThan(0.01);
    }

    @Test
    void leastSquares_solvesAnExactSystem_clampsNegativeCoefficients_andInverts() {
        // x = (2, 3): rows a . x = b, as relative rows (b = 1 after scaling)
        List<double[]> rows =
                List.of(new double[] {1 / 5.0, 1 / 5.0, 1}, new double[] {1 / 8.0, 2 / 8.0, 1}, new double[] {
                    3 / 15.0, 3 / 15.0, 1
                });
        assertThat(LeastSquares.nnls(rows))
                .containsExactly(new double[] {2, 3}, org.assertj.core.data.Offset.offset(1e-9));
        // the unconstrained optimum has x1 < 0: the constrained one pins it to 0
        List<double[]> neg = List.of(new double[] {1, 1, 1}, new double[] {1, 2, 0.5}, new double[] {1, 3, 0});
        double[] x = LeastSquares.nnls(neg);
        assertThat(x[1]).isZero();
        assertThat(x[0]).isPositive();
        // J = [[1, 0], [1, 1], [1, 2]]: J^T J = [[3, 3], [3, 5]], inverse [[5, -3], [-3, 3]] / 6
        double[][] inv = LeastSquares.inverseNormal(new double[][] {{1, 0}, {1, 1}, {1, 2}});
        assertThat(inv[0]).containsExactly(new double[] {5 / 6.0, -0.5}, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(inv[1]).containsExactly(new double[] {-0.5, 0.5}, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(LeastSquares.inverseNormal(new double[][] {{1, 2}, {2, 4}})).isNull();
    }

    @Test
    void badPoints_areRefused() {
        assertThatThrownBy(() -> Calibration.fit(List.of(), SPEC, 0, 10, 1)).hasMessageContaining("no measured points");
        assertThatThrownBy(() -> Calibration.fit(List.of(new Calibration.Measured(100, 10, 1, 0, 5)), SPEC, 0, 10, 1))
                .hasMessageContaining("positive");
        assertThatThrownBy(() -> new Calibration.Measured(100, 1, 1, 5, 5)).hasMessageContaining(">= 2 tokens");
    }
}
