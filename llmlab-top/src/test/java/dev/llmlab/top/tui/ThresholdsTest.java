package dev.llmlab.top.tui;

import static dev.llmlab.top.tui.Fixtures.capped;
import static dev.llmlab.top.tui.Fixtures.figures;
import static dev.llmlab.top.tui.Fixtures.idle;
import static dev.llmlab.top.tui.Fixtures.model;
import static dev.llmlab.top.tui.Fixtures.ok;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.top.Column;
import dev.llmlab.top.Figures;
import dev.llmlab.top.Row;
import dev.llmlab.top.tui.Thresholds.Level;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThresholdsTest {
    private static final Thresholds T = Thresholds.DEFAULT;

    private static Row row(double err, double waiting, double kv, dev.llmlab.metrics.Histograms.Estimate ttft) {
        return model("m", 1, figures(1, err, waiting, kv, ttft));
    }

    @Test
    void aCappedPercentile_isBad_anExactOne_orAnIdleOne_isNot() {
        assertThat(T.level(row(0, 0, 0, capped(2.5)), Column.TTFT_P99)).isEqualTo(Level.BAD);
        assertThat(T.level(row(0, 0, 0, ok(30)), Column.TTFT_P99)).isEqualTo(Level.OK);
        assertThat(T.level(row(0, 0, 0, idle()), Column.TTFT_P99)).isEqualTo(Level.OK);
    }

    @Test
    void errorRate_warnsAbove1Percent_andIsBadAbove5() {
        assertThat(T.level(row(0.01, 0, 0, ok(0.1)), Column.ERROR_RATE)).isEqualTo(Level.OK);
        assertThat(T.level(row(0.011, 0, 0, ok(0.1)), Column.ERROR_RATE)).isEqualTo(Level.WARN);
        assertThat(T.level(row(0.051, 0, 0, ok(0.1)), Column.ERROR_RATE)).isEqualTo(Level.BAD);
        assertThat(T.level(row(Double.NaN, 0, 0, ok(0.1)), Column.ERROR_RATE))
                .as("not exported")
                .isEqualTo(Level.OK);
    }

    @Test
    void kvCache_warnsAbove90Percent_andWaitingOnAFullCacheIsBad() {
        assertThat(T.level(row(0, 0, 0.91, ok(0.1)), Column.KV_CACHE_USAGE)).isEqualTo(Level.WARN);
        assertThat(T.level(row(0, 0, 0.97, ok(0.1)), Column.KV_CACHE_USAGE))
                .as("full, nobody waiting")
                .isEqualTo(Level.WARN);
        assertThat(T.level(row(0, 0, 0.97, ok(0.1)), Column.WAITING)).isEqualTo(Level.OK);
        assertThat(T.level(row(0, 2, 0.97, ok(0.1)), Column.KV_CACHE_USAGE)).isEqualTo(Level.BAD);
        assertThat(T.level(row(0, 2, 0.97, ok(0.1)), Column.WAITING)).isEqualTo(Level.BAD);
        assertThat(T.level(row(0, 2, 0.5, ok(0.1)), Column.WAITING))
                .as("busy, not out of cache")
                .isEqualTo(Level.OK);
    }

    @Test
    void preemptions_warn() {
        Figures f = figures(1, 0, 0, 0.5, ok(0.1));
        Row preempting = model(
                "m",
                1,
                new Figures(
                        f.seconds(),
                        1,
                        0,
                        1,
                        0,
                        0.5,
                        f.ttftP50(),
                        f.ttftP99(),
                        f.itlP50(),
                        f.itlP99(),
                        f.e2eP99(),
                        1,
                        1,
                        0.2,
                        0.5,
                        Double.NaN));
        assertThat(T.level(preempting, Column.PREEMPTIONS_PER_SECOND)).isEqualTo(Level.WARN);
        assertThat(T.worst(preempting)).isEqualTo(Level.WARN);
        assertThat(T.worst(row(0, 0, 0.5, ok(0.1)))).isEqualTo(Level.OK);
    }

    @Test
    void anSlo_colorsLatencyAboveIt_andNear_it() {
        Thresholds slo = new Thresholds(0.01, 0.05, 0.9, 0.95, Map.of(Column.TTFT_P99, 0.5));
        assertThat(slo.level(row(0, 0, 0, ok(0.3)), Column.TTFT_P99)).isEqualTo(Level.OK);
        assertThat(slo.level(row(0, 0, 0, ok(0.45)), Column.TTFT_P99)).isEqualTo(Level.WARN);
        assertThat(slo.level(row(0, 0, 0, ok(0.6)), Column.TTFT_P99)).isEqualTo(Level.BAD);
        assertThat(slo.level(row(0, 0, 0, ok(0.6)), Column.ITL_P99))
                .as("no SLO for ITL")
                .isEqualTo(Level.OK);
    }

    @Test
    void theConfigsSlos_colourTheColumnsOfTheirPercentile() {
        dev.llmlab.top.Objectives o = new dev.llmlab.top.Objectives(
                java.util.List.of(
                        new dev.llmlab.top.Slo(
                                "t",
                                dev.llmlab.top.Slo.Metric.TTFT,
                                null,
                                99.0,
                                java.time.Duration.ofMillis(200),
                                null,
                                null,
                                null),
                        new dev.llmlab.top.Slo(
                                "i",
                                dev.llmlab.top.Slo.Metric.ITL,
                                null,
                                95.0,
                                java.time.Duration.ofMillis(20),
                                null,
                                null,
                                null)),
                null,
                null,
                null,
                null);
        Thresholds t = Thresholds.of(o);
        assertThat(t.latencySlo()).containsOnlyKeys(Column.TTFT_P99).containsEntry(Column.TTFT_P99, 0.2);
        assertThat(t.level(row(0, 0, 0.5, ok(0.25)), Column.TTFT_P99)).isEqualTo(Level.BAD);
        assertThat(t.level(row(0, 0, 0.5, ok(0.17)), Column.TTFT_P99)).isEqualTo(Level.WARN);
        assertThat(t.level(row(0, 0, 0.5, ok(0.1)), Column.TTFT_P99)).isEqualTo(Level.OK);
    }
}
