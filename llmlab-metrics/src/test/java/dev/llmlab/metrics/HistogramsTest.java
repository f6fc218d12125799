package dev.llmlab.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.llmlab.metrics.Histograms.Estimate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HistogramsTest {
    static final double INF = Double.POSITIVE_INFINITY;

    /** A series from alternating bounds and cumulative counts. */
    static HistogramPoint h(Labels labels, double created, double... leAndCount) {
        List<HistogramPoint.Bucket> b = new ArrayList<>();
        for (int i = 0; i < leAndCount.length; i += 2)
            b.add(new HistogramPoint.Bucket(leAndCount[i], leAndCount[i + 1]));
        double total = b.isEmpty() ? 0 : b.getLast().count();
        return new HistogramPoint(labels, b, total, 0, created);
    }

    static HistogramPoint h(double... leAndCount) {
        return h(Labels.EMPTY, Double.NaN, leAndCount);
    }

    static List<Double> counts(HistogramPoint p) {
        return p.buckets().stream().map(HistogramPoint.Bucket::count).toList();
    }

    @Test
    void quantile_interpolatesLinearlyInsideTheBucket_asHistogramQuantileDoes() {
        HistogramPoint p = h(0.1, 10, 0.2, 30, 0.4, 40, INF, 40);
        // rank 20 of 40: in (0.1, 0.2] holding 20, 10 below: 0.1 + 0.1 * 10/20
        Estimate median = Histograms.quantile(0.5, p);
        assertThat(median.value()).isCloseTo(0.15, within(1e-15));
        assertThat(median.status()).isEqualTo(Estimate.Status.OK);
        assertThat(median.observations()).isEqualTo(40);
        // rank 4 in the first bucket, lower bound 0: 0.1 * 4/10
        assertThat(Histograms.quantile(0.1, p).value()).isCloseTo(0.04, within(1e-15));
        // rank 40: the first bucket reaching it is (0.2, 0.4]
        assertThat(Histograms.quantile(1, p).value()).isEqualTo(0.4);
        assertThat(Histograms.quantile(0, p).value()).isZero();
    }

    @Test
    void quantile_inTheInfBucket_isCappedAtTheLastFiniteBound() {
        HistogramPoint p = h(0.1, 5, 0.5, 8, INF, 10);
        Estimate e = Histograms.quantile(0.9, p);
        assertThat(e.status()).isEqualTo(Estimate.Status.CAPPED);
        assertThat(e.lowerBound()).isTrue();
        assertThat(e.value()).isEqualTo(0.5);
        assertThat(e).hasToString(">0.5");
        assertThat(Histograms.quantile(0.8, p).lowerBound()).isFalse();
    }

    @Test
    void quantile_ofAnEmptyWindow_isEmpty() {
        Estimate e = Histograms.quantile(0.5, h(0.1, 0, INF, 0));
        assertThat(e.status()).isEqualTo(Estimate.Status.EMPTY);
        assertThat(e.value()).isNaN();
        assertThat(e).hasToString("empty");
        assertThat(Histograms.quantile(0.5, h()).status()).isEqualTo(Estimate.Status.EMPTY);
    }

    @Test
    void quantile_withoutAnInfBucket_takesTheCountAsTheTotal() {
        HistogramPoint p = new HistogramPoint(
                Labels.EMPTY,
                List.of(new HistogramPoint.Bucket(1, 3), new HistogramPoint.Bucket(2, 6)),
                10,
                Double.NaN,
                Double.NaN);
        assertThat(Histograms.quantile(0.5, p).value()).isCloseTo(1 + 2 / 3.0, within(1e-12));
        assertThat(Histograms.quantile(0.7, p).lowerBound()).isTrue();
    }

    @Test
    void quantile_liftsNonMonotonicBuckets_andAFirstBoundAtOrBelowZeroIsTheAnswer() {
        assertThat(Histograms.quantile(0.5, h(1, 4, 2, 3, 3, 8, INF, 8)).value())
                .isCloseTo(1.0, within(1e-12));
        assertThat(Histograms.quantile(0.25, h(-1, 4, 0, 6, INF, 8)).value()).isEqualTo(-1);
    }

    @Test
    void quantile_refusesAQuantileOutsideZeroToOne() {
        assertThatThrownBy(() -> Histograms.quantile(1.5, h(1, 1, INF, 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Histograms.quantile(Double.NaN, h(1, 1, INF, 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void delta_isTheDifferencePerBucket() {
        HistogramPoint before = h(0.1, 2, 1, 5, INF, 6);
        HistogramPoint after = h(0.1, 12, 1, 25, INF, 30);
        HistogramPoint d = Histograms.delta(before, after);
        assertThat(counts(d)).containsExactly(10.0, 20.0, 24.0);
        assertThat(d.count()).isEqualTo(24);
    }

    @Test
    void delta_afterARestart_isTheNewReading_asRateTreatsACounterThatWentDown() {
        HistogramPoint before = h(0.1, 50, 1, 90, INF, 100);
        HistogramPoint restarted = h(0.1, 3, 1, 4, INF, 4);
        assertThat(counts(Histograms.delta(before, restarted))).containsExactly(3.0, 4.0, 4.0);
        // one bucket down is enough, even if the total went up
        HistogramPoint oneDown = h(0.1, 40, 1, 120, INF, 130);
        assertThat(counts(Histograms.delta(before, oneDown))).containsExactly(40.0, 120.0, 130.0);
    }

    @Test
    void delta_aNewerCreatedTime_isARestart_evenWhenCountsGrewPastTheOldOnes() {
        HistogramPoint before = h(Labels.EMPTY, 1000, 0.1, 5, INF, 10);
        HistogramPoint after = h(Labels.EMPTY, 2000, 0.1, 6, INF, 12);
        assertThat(counts(Histograms.delta(before, after))).containsExactly(6.0, 12.0);
        HistogramPoint same = h(Labels.EMPTY, 1000, 0.1, 6, INF, 12);
        assertThat(counts(Histograms.delta(before, same))).containsExactly(1.0, 2.0);
    }

    @Test
    void delta_aChangedLayout_isARestart_andANewSeriesCountsWhole() {
        HistogramPoint before = h(0.1, 5, INF, 10);
        HistogramPoint after = h(0.1, 6, 0.5, 9, INF, 12);
        assertThat(counts(Histograms.delta(before, after))).containsExactly(6.0, 9.0, 12.0);
        assertThat(counts(Histograms.delta(null, after))).containsExactly(6.0, 9.0, 12.0);
    }

    @Test
    void merge_sumsPerLe_neverAveragesPercentiles() {
        // A fast replica (100 at <= 0.1) and a slow one (100 in (1, 2]): the union's median is at the
        // boundary between them, where the mean of the two medians (about 0.78) would be wrong.
        HistogramPoint fast = h(0.1, 100, 1, 100, 2, 100, INF, 100);
        HistogramPoint slow = h(0.1, 0, 1, 0, 2, 100, INF, 100);
        Histograms.Merged m = Histograms.merge(List.of(fast, slow));
        assertThat(m.coarsened()).isFalse();
        assertThat(counts(m.histogram())).containsExactly(100.0, 100.0, 200.0, 200.0);
        assertThat(Histograms.quantile(0.5, m.histogram()).value()).isEqualTo(0.1);
        assertThat(Histograms.quantile(0.75, m.histogram()).value()).isCloseTo(1.5, within(1e-12));
    }

    @Test
    void merge_ofDifferentLayouts_keepsTheCommonBounds_andSaysSo() {
        HistogramPoint a = h(0.1, 1, 0.5, 4, 1, 6, INF, 8);
        HistogramPoint b = h(0.5, 2, 2, 5, INF, 6);
        Histograms.Merged m = Histograms.merge(List.of(a, b));
        assertThat(m.coarsened()).isTrue();
        assertThat(m.histogram().buckets())
                .containsExactly(new HistogramPoint.Bucket(0.5, 6), new HistogramPoint.Bucket(INF, 14));
    }

    @Test
    void merge_withNoBoundInCommon_isUnbounded_notACapAtNaN() {
        HistogramPoint a = h(0.1, 1, 0.5, 4, INF, 8);
        HistogramPoint b = h(1, 2, 2, 5, INF, 6);
        Histograms.Merged m = Histograms.merge(List.of(a, b));
        assertThat(m.coarsened()).isTrue();
        assertThat(m.histogram().buckets()).containsExactly(new HistogramPoint.Bucket(INF, 14));
        for (double q : new double[] {0, 0.5, 1}) {
            Estimate e = Histograms.quantile(q, m.histogram());
            assertThat(e.status()).isEqualTo(Estimate.Status.UNBOUNDED);
            assertThat(e.value()).isNaN();
            assertThat(e.observations()).isEqualTo(14);
            assertThat(e.lowerBound()).isFalse();
            assertThat(e.toString()).isEqualTo("unbounded");
        }
    }

    @Test
    void merge_ofNothing_isEmpty() {
        Histograms.Merged m = Histograms.merge(List.of());
        assertThat(Histograms.quantile(0.5, m.histogram()).status()).isEqualTo(Estimate.Status.EMPTY);
    }

    @Test
    void window_deltasEachSeriesByLabels_thenMerges() {
        Labels e0 = Labels.of("engine", "0");
        Labels e1 = Labels.of("engine", "1");
        Labels e2 = Labels.of("engine", "2");
        List<HistogramPoint> before = List.of(h(e0, Double.NaN, 1, 10, INF, 10), h(e1, Double.NaN, 1, 50, INF, 60));
        List<HistogramPoint> after = List.of(
                h(e0, Double.NaN, 1, 15, INF, 20), // +5 / +10
                h(e1, Double.NaN, 1, 2, INF, 2), // restarted: 2 / 2
                h(e2, Double.NaN, 1, 1, INF, 3)); // new: 1 / 3
        HistogramPoint w = Histograms.window(before, after).histogram();
        assertThat(counts(w)).containsExactly(8.0, 15.0);
    }

    @Test
    void quantile_ofAWindow_matchesTheExactQuantile_withinTheBucket() {
        // Seeded observations on fine buckets: the estimate falls in the same bucket as the truth.
        Random r = new Random(42);
        double[] bounds = {0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5};
        double[] counts = new double[bounds.length + 1];
        double[] obs = new double[10_000];
        for (int i = 0; i < obs.length; i++) {
            obs[i] = Math.exp(r.nextGaussian() * 0.8 - 2);
            int b = 0;
            while (b < bounds.length && obs[i] > bounds[b]) b++;
            for (int j = b; j < counts.length; j++) counts[j]++;
        }
        double[] leAndCount = new double[2 * counts.length];
        for (int i = 0; i < counts.length; i++) {
            leAndCount[2 * i] = i < bounds.length ? bounds[i] : INF;
            leAndCount[2 * i + 1] = counts[i];
        }
        java.util.Arrays.sort(obs);
        for (double q : new double[] {0.5, 0.9, 0.99}) {
            double truth = obs[(int) Math.ceil(q * obs.length) - 1];
            double est = Histograms.quantile(q, h(leAndCount)).value();
            int bt = 0;
            while (bt < bounds.length && truth > bounds[bt]) bt++;
            int be = 0;
            while (be < bounds.length && est > bounds[be]) be++;
            assertThat(be).as("q=%s truth=%s estimate=%s", q, truth, est).isEqualTo(bt);
        }
    }

    @Test
    void countAtMost_exactAtABound_interpolatedInside_boundedAboveTheLast() {
        // 10 observations at most 0.1 s, 30 at most 0.5 s, 40 at most 1 s, 50 in all
        HistogramPoint h = h(0.1, 10, 0.5, 30, 1.0, 40, Double.POSITIVE_INFINITY, 50);

        assertThat(Histograms.countAtMost(0.5, h)).isEqualTo(new Histograms.AtMost(30, true, 50));
        assertThat(Histograms.countAtMost(0.3, h)).isEqualTo(new Histograms.AtMost(20, false, 50));
        assertThat(Histograms.countAtMost(0.05, h)).isEqualTo(new Histograms.AtMost(5, false, 50));
        assertThat(Histograms.countAtMost(2.0, h))
                .as("above the last bound: only that bound's count is known")
                .isEqualTo(new Histograms.AtMost(40, false, 50));
        HistogramPoint none = h(0.1, 10, 0.5, 30, 1.0, 40, Double.POSITIVE_INFINITY, 40);
        assertThat(Histograms.countAtMost(2.0, none)).isEqualTo(new Histograms.AtMost(40, true, 40));
        assertThat(Histograms.countAtMost(0.5, h(0.1, 0, 0.5, 0, Double.POSITIVE_INFINITY, 0)))
                .isEqualTo(new Histograms.AtMost(0, true, 0));
    }
}
