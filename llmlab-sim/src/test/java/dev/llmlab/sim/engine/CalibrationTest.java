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

    @Test
    void fit_recoversTheCostsOfASimulatedSweep_andReproducesIt() {
        Capacity cap = Capacity.estimate(SPEC, 1000, 200);
        List<Calibration.Measured> measured = new ArrayList<>();
        for (double f : new double[] {0.05, 0.2, 0.35, 0.5, 0.65, 0.8}) {
            VirtualLoad.Point p = VirtualLoad.run(SPEC, 1000, 200, f * cap.requestsPerSecond(), 120, 0, 11);
            measured.add(new Calibration.Measured(p.rate(), p.meanTtftNanos(), p.meanTpotNanos()));
        }
        Calibration.Fit fit = Calibration.fit(measured, 1000, 200, SPEC, 0, 120, 12);
        // The fit's algebra approximates the engine; simulating the fitted model must land close to
        // what was measured, and the coefficients near the true ones.
        assertThat(fit.rmsError()).isLessThan(0.06);
        assertThat(fit.cost().c0Nanos()).isCloseTo(15e6, withPercentage(10));
        assertThat(fit.cost().prefillNanosPerToken()).isCloseTo(70e3, withPercentage(10));
        for (Calibration.Compared c : fit.points()) {
            assertThat(Math.abs(c.tpotError())).as("TPOT at %s", c.measured()).isLessThan(0.08);
            assertThat(Math.abs(c.ttftError())).as("TTFT at %s", c.measured()).isLessThan(0.08);
        }
    }

    @Test
    void nnls_solvesAnExactSystemAndClampsNegativeCoefficients() {
        // x = (2, 3): rows a . x = b, as relative rows (b = 1 after scaling)
        List<double[]> rows =
                List.of(new double[] {1 / 5.0, 1 / 5.0, 1}, new double[] {1 / 8.0, 2 / 8.0, 1}, new double[] {
                    3 / 15.0, 3 / 15.0, 1
                });
        assertThat(Calibration.nnls(rows))
                .containsExactly(new double[] {2, 3}, org.assertj.core.data.Offset.offset(1e-9));
        // the unconstrained optimum has x1 < 0: the constrained one pins it to 0
        List<double[]> neg = List.of(new double[] {1, 1, 1}, new double[] {1, 2, 0.5}, new double[] {1, 3, 0});
        double[] x = Calibration.nnls(neg);
        assertThat(x[1]).isZero();
        assertThat(x[0]).isPositive();
    }

    @Test
    void eachPoint_isSimulatedForItsOwnWindow_whenItHasOne() {
        // Past capacity the queue grows for as long as arrivals go on: a level's window changes its TTFT.
        double rate = 2 * Capacity.estimate(SPEC, 1000, 200).requestsPerSecond();
        Calibration.Measured own = new Calibration.Measured(rate, 1e9, 1e7, 5);
        Calibration.Measured unsaid = new Calibration.Measured(rate, 1e9, 1e7);
        VirtualLoad.Point fiveSeconds = Calibration.compare(List.of(unsaid), 1000, 200, SPEC, TRUE, 5, 3)
                .getFirst()
                .simulated();
        VirtualLoad.Point sixty = Calibration.compare(List.of(unsaid), 1000, 200, SPEC, TRUE, 60, 3)
                .getFirst()
                .simulated();
        assertThat(Calibration.compare(List.of(own), 1000, 200, SPEC, TRUE, 60, 3)
                        .getFirst()
                        .simulated())
                .isEqualTo(fiveSeconds)
                .isNotEqualTo(sixty);
        assertThat(sixty.meanTtftNanos()).isGreaterThan(fiveSeconds.meanTtftNanos());
    }

    @Test
    void badPoints_areRefused() {
        assertThatThrownBy(() -> Calibration.fit(List.of(), 100, 10, SPEC, 0, 10, 1))
                .hasMessageContaining("no measured points");
        assertThatThrownBy(() -> Calibration.fit(List.of(new Calibration.Measured(1, 0, 5)), 100, 10, SPEC, 0, 10, 1))
                .hasMessageContaining("positive");
    }
}
