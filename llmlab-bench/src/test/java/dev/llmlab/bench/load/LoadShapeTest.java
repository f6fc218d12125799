package dev.llmlab.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LoadShapeTest {
    static final List<LoadShape> SHAPES = List.of(
            LoadShape.steady(7.5),
            LoadShape.ramp(0, 40, 12),
            LoadShape.ramp(30, 5, 8),
            LoadShape.spike(5, 20, 10, 2, 4),
            LoadShape.spike(0, 50, 6, 1.5, 0),
            LoadShape.step(10, 10, 5, 35));

    static int count(Schedule s, double from, double to) {
        return ScheduleTest.countBetween(s, from, to);
    }

    @Test
    void steadyConstant_isEvenlySpacedToTheNanosecond() {
        Schedule s = LoadShape.steady(10).schedule(5, Arrivals.constant(), 1);
        assertThat(s.size()).isEqualTo(50);
        for (int i = 0; i < s.size(); i++) assertThat(s.offsetNanos(i)).isEqualTo(i * 100_000_000L);
    }

    @Test
    void steadyPoisson_drawsTheScheduleThatScheduleOpenDraws() {
        Schedule a = LoadShape.steady(40).schedule(30, Arrivals.poisson(), 9);
        Schedule b = Schedule.open(40, Arrivals.poisson(), 30, 0, Schedule.Ramp.NONE, 0, 9);
        assertThat(a.size()).isEqualTo(b.size());
        for (int i = 0; i < a.size(); i++)
            assertThat((double) a.offsetNanos(i)).isCloseTo(b.offsetNanos(i), offset(1.0));
    }

    @Test
    void spikeConstant_isEvenWithinEachPiece_andCountsFollowTheShape() {
        LoadShape shape = LoadShape.spike(5, 20, 10, 2, 4);
        Schedule s = shape.schedule(30, Arrivals.constant(), 1);
        // ceil(Λ(30)) arrivals, at u = 0, 1, ...: 5 * 30 + 15 * 2 * 3 bursts = 240
        assertThat(s.size()).isEqualTo(240);
        for (int sec = 0; sec < 30; sec++) {
            assertThat((double) count(s, sec, sec + 1)).isCloseTo(shape.rateAt(sec + 0.5), offset(1.0));
        }
        assertThat(count(s, 4, 6)).isEqualTo(40);
        for (int i = 1; i < s.size(); i++) {
            double t = s.offsetNanos(i) / 1e9;
            double prev = s.offsetNanos(i - 1) / 1e9;
            if (shape.rateAt(prev) == shape.rateAt(t) && shape.rateAt(t) == shape.rateAt((t + prev) / 2)) {
                assertThat((double) (s.offsetNanos(i) - s.offsetNanos(i - 1)))
                        .isCloseTo(1e9 / shape.rateAt(t), offset(1.0));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42})
    void spikePoisson_countsPerPhaseWithinFourStandardDeviations(long seed) {
        LoadShape shape = LoadShape.spike(50, 400, 10, 2, 3);
        Schedule s = shape.schedule(60, Arrivals.poisson(), seed);
        for (LoadShape.Phase b : shape.bursts(60)) {
            double mean = shape.cumulative(b.endS()) - shape.cumulative(b.startS());
            assertThat(mean).isCloseTo(800, offset(1e-9));
            assertThat((double) count(s, b.startS(), b.endS())).isCloseTo(mean, offset(4 * Math.sqrt(mean)));
            double until = Math.min(b.endS() + 8, 60);
            double gap = shape.cumulative(until) - shape.cumulative(b.endS());
            assertThat((double) count(s, b.endS(), until)).isCloseTo(gap, offset(4 * Math.sqrt(gap)));
        }
    }

    @Test
    void rampConstant_followsTheTrapezoid() {
        Schedule s = LoadShape.ramp(0, 1000, 10).schedule(30, Arrivals.constant(), 3);
        assertThat((double) count(s, 0, 10)).isCloseTo(5000, offset(1.0));
        assertThat((double) count(s, 0, 5)).isCloseTo(1250, offset(1.0));
        assertThat((double) count(s, 10, 30)).isCloseTo(20_000, offset(1.0));
        Schedule down = LoadShape.ramp(100, 20, 8).schedule(10, Arrivals.constant(), 3);
        assertThat((double) count(down, 0, 8)).isCloseTo(480, offset(1.0));
        assertThat((double) count(down, 8, 10)).isCloseTo(40, offset(1.0));
    }

    @Test
    void gamma_sameSeedSameSchedule_andCountsStillFollowTheShape() {
        LoadShape shape = LoadShape.step(100, 100, 10, 300);
        Schedule a = shape.schedule(40, Arrivals.gamma(4), 5);
        Schedule b = shape.schedule(40, Arrivals.gamma(4), 5);
        assertThat(a.size()).isEqualTo(b.size());
        for (int i = 0; i < a.size(); i++) assertThat(a.offsetNanos(i)).isEqualTo(b.offsetNanos(i));
        // gamma gaps of shape 4 have a quarter of Poisson's variance
        assertThat((double) count(a, 0, 10)).isCloseTo(1000, offset(2 * Math.sqrt(1000)));
        assertThat((double) count(a, 20, 40)).isCloseTo(6000, offset(2 * Math.sqrt(6000)));
    }

    @Test
    void cumulative_matchesNumericIntegrationOfTheRate() {
        for (LoadShape shape : SHAPES) {
            double sum = 0;
            int steps = 400_000;
            double h = 40.0 / steps;
            for (int i = 0; i < steps; i++) {
                sum += shape.rateAt((i + 0.5) * h) * h;
                if ((i + 1) % 40_000 == 0) {
                    assertThat(shape.cumulative((i + 1) * h))
                            .as(shape + " at " + (i + 1) * h)
                            .isCloseTo(sum, offset(1e-3));
                }
            }
            assertThat(shape.cumulative(Double.POSITIVE_INFINITY)).isInfinite();
            assertThat(shape.cumulative(0)).isZero();
            assertThat(shape.cumulative(-1)).isZero();
        }
    }

    @Test
    void wallTime_invertsCumulative() {
        for (LoadShape shape : SHAPES) {
            Pieces.Walker w = new Pieces.Walker(shape);
            for (double u = 0; u < shape.cumulative(40); u += 0.37) {
                double t = w.wallTime(u);
                assertThat(shape.cumulative(t)).as(shape + " at u=" + u).isCloseTo(u, offset(1e-9 * Math.max(1, u)));
                if (u > 0)
                    assertThat(shape.rateAt(t - 1e-9) + shape.rateAt(t))
                            .as(shape + " at " + t)
                            .isPositive();
            }
        }
        // a pause at rate 0 sends its next arrival when the rate comes back
        assertThat(new Pieces.Walker(LoadShape.spike(0, 10, 10, 1, 3)).wallTime(0))
                .isEqualTo(3.0);
    }

    @Test
    void bursts_listSpikesAndStepLevels_clippedToTheRun() {
        assertThat(LoadShape.spike(5, 20, 30, 5, 10).bursts(75))
                .containsExactly(
                        new LoadShape.Phase(10, 15, 20),
                        new LoadShape.Phase(40, 45, 20),
                        new LoadShape.Phase(70, 75, 20));
        assertThat(LoadShape.spike(5, 20, 30, 5, 10).bursts(72)).last().isEqualTo(new LoadShape.Phase(70, 72, 20));
        assertThat(LoadShape.step(10, 10, 5, 35).bursts(30))
                .containsExactly(
                        new LoadShape.Phase(0, 5, 10),
                        new LoadShape.Phase(5, 10, 20),
                        new LoadShape.Phase(10, 15, 30),
                        new LoadShape.Phase(15, 30, 35));
        assertThat(LoadShape.step(10, 10, 5, 35).bursts(12))
                .hasSize(3)
                .last()
                .isEqualTo(new LoadShape.Phase(10, 12, 30));
        assertThat(LoadShape.steady(3).bursts(60)).isEmpty();
        assertThat(LoadShape.ramp(1, 3, 10).bursts(60)).isEmpty();
    }

    @Test
    void rates_andMaxRate() {
        LoadShape step = LoadShape.step(0.1, 0.1, 1, 0.3);
        assertThat(step.rateAt(0.5)).isEqualTo(0.1);
        assertThat(step.rateAt(1.5)).isCloseTo(0.2, offset(1e-12));
        assertThat(step.rateAt(2.5)).isEqualTo(0.3); // no level a hair below 0.3 first
        assertThat(step.rateAt(99)).isEqualTo(0.3);
        assertThat(LoadShape.ramp(30, 5, 8).maxRate()).isEqualTo(30);
        assertThat(LoadShape.spike(5, 20, 10, 2, 4).maxRate()).isEqualTo(20);
        LoadShape spike = LoadShape.spike(5, 20, 10, 2, 4);
        assertThat(spike.rateAt(3.99)).isEqualTo(5);
        assertThat(spike.rateAt(4)).isEqualTo(20);
        assertThat(spike.rateAt(6)).isEqualTo(5);
        assertThat(spike.rateAt(14.5)).isEqualTo(20);
    }

    @Test
    void of_readsParams_andRoundTrips() {
        for (LoadShape shape : SHAPES) {
            Map<String, Number> numbers = new HashMap<>();
            shape.params().forEach((k, v) -> numbers.put(k, (Number) v));
            assertThat(LoadShape.of(shape.name(), numbers)).isEqualTo(shape);
        }
        assertThat(LoadShape.spike(5, 20, 30, 5, 10).params())
                .containsExactly(
                        Map.entry("base_rate", 5L),
                        Map.entry("peak_rate", 20L),
                        Map.entry("period_s", 30L),
                        Map.entry("width_s", 5L),
                        Map.entry("first_at_s", 10L));
        assertThat(LoadShape.of("Spike", Map.of("base_rate", 5, "peak_rate", 20, "period_s", 30, "width_s", 2.5)))
                .isEqualTo(LoadShape.spike(5, 20, 30, 2.5, 30));
    }

    @Test
    void badShapes_areRefusedNamingTheParameter() {
        assertThatThrownBy(() -> LoadShape.of("wave", Map.of())).hasMessageContaining("steady, ramp, spike or step");
        assertThatThrownBy(() -> LoadShape.of("ramp", Map.of("from_rate", 1, "to_rate", 2)))
                .hasMessage("ramp needs ramp_s");
        assertThatThrownBy(() -> LoadShape.of("steady", Map.of("rate", 1, "peak_rate", 2)))
                .hasMessageContaining("not peak_rate");
        assertThatThrownBy(() -> LoadShape.steady(0)).hasMessage("steady: rate must be positive, got 0");
        assertThatThrownBy(() -> LoadShape.steady(Double.NaN)).hasMessageContaining("rate");
        assertThatThrownBy(() -> LoadShape.spike(-1, 20, 30, 5, 0))
                .hasMessageContaining("base_rate must be at least 0");
        assertThatThrownBy(() -> LoadShape.spike(5, 20, 30, 30, 0))
                .hasMessage("spike: width_s must be less than period_s (got width_s=30, period_s=30)");
        assertThatThrownBy(() -> LoadShape.spike(20, 20, 30, 5, 0))
                .hasMessageContaining("peak_rate must exceed base_rate");
        assertThatThrownBy(() -> LoadShape.spike(5, 20, 30, 5, -1)).hasMessageContaining("first_at_s");
        assertThatThrownBy(() -> LoadShape.ramp(1, 2, 0)).hasMessageContaining("ramp_s must be positive");
        assertThatThrownBy(() -> LoadShape.step(10, 5, 5, 8))
                .hasMessageContaining("to_rate must be at least from_rate");
        assertThatThrownBy(() -> LoadShape.step(1, 1e-9, 5, 8)).hasMessageContaining("step_rate");
        assertThatThrownBy(() -> LoadShape.steady(1).schedule(0, Arrivals.poisson(), 1))
                .hasMessageContaining("duration");
        assertThatThrownBy(() -> LoadShape.spike(1e5, 1e6, 10, 1, 0).schedule(3600, Arrivals.poisson(), 1))
                .hasMessageContaining("50 million");
        assertThatThrownBy(() -> LoadShape.spike(0, 1, 1e-6, 1e-7, 0).schedule(3600, Arrivals.poisson(), 1))
                .hasMessageContaining("period_s");
    }
}
