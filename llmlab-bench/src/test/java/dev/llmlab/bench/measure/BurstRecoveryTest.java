package dev.llmlab.bench.measure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.bench.load.LoadShape;
import dev.llmlab.bench.result.Second;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BurstRecoveryTest {
    /** Seconds with the given per-second median TTFT (NaN: not streamed), e2e and errors. */
    static List<Second> series(double[] ttft, double[] e2e, long[] errors) {
        List<Second> out = new ArrayList<>();
        for (int s = 0; s < e2e.length; s++) {
            out.add(new Second(s, 10, 100, errors[s], ttft[s], ttft[s] * 2, null, e2e[s], e2e[s] * 2, null, 10L, null));
        }
        return out;
    }

    static double[] filled(int n, double v) {
        double[] a = new double[n];
        Arrays.fill(a, v);
        return a;
    }

    static void set(double[] a, int from, double... values) {
        System.arraycopy(values, 0, a, from, values.length);
    }

    @Test
    void spikeThatRecoversThreeSecondsAfterItsEnd_gives3() {
        double[] ttft = filled(40, 100);
        set(ttft, 0, 98, 102, 99, 101, 100, 97, 103, 100, 99, 101); // baseline median 100
        set(ttft, 10, 150, 300, 500, 700, 800, 600, 400, 200, 110, 105);
        double[] e2e = filled(40, 300);
        set(e2e, 10, 350, 500, 700, 900, 1100, 900, 700, 500);
        long[] errors = new long[40];
        errors[12] = 2;
        errors[13] = 2;
        List<BurstRecovery.Burst> out =
                BurstRecovery.analyse(series(ttft, e2e, errors), List.of(new LoadShape.Phase(10, 15, 40)));
        assertThat(out).containsExactly(new BurstRecovery.Burst(10, 15, 40, 100, 800, 1100, 4, 3.0));
    }

    @Test
    void neverRecovering_givesNull_andCountsErrorsToTheEnd() {
        double[] ttft = filled(30, 100);
        for (int s = 10; s < 30; s++) ttft[s] = 100 + 50 * (s - 9);
        long[] errors = new long[30];
        errors[25] = 3;
        errors[29] = 1;
        BurstRecovery.Burst b = BurstRecovery.analyse(
                        series(ttft, filled(30, 200), errors),
                        LoadShape.spike(5, 40, 100, 5, 10).bursts(30))
                .getFirst();
        assertThat(b.recoveredAfterS()).isNull();
        assertThat(b.baselineMs()).isEqualTo(100);
        assertThat(b.peakTtftMs()).isEqualTo(100 + 50 * 20);
        assertThat(b.errors()).isEqualTo(4);
    }

    @Test
    void burstAtTheStart_hasNoBaseline_soNoRecovery_butPeaksAndErrors() {
        double[] ttft = filled(20, 100);
        set(ttft, 0, 500, 900, 700, 300);
        long[] errors = new long[20];
        errors[1] = 5;
        BurstRecovery.Burst b = BurstRecovery.analyse(
                        series(ttft, filled(20, 200), errors), List.of(new LoadShape.Phase(0, 3, 30)))
                .getFirst();
        assertThat(b.baselineMs()).isNaN();
        assertThat(b.recoveredAfterS()).isNull();
        assertThat(b.peakTtftMs()).isEqualTo(900);
        assertThat(b.errors()).isEqualTo(5);
    }

    @Test
    void nonStreamedSeries_usesE2e_andWaitsOneRequestLifetimeBeforeJudging() {
        double[] ttft = filled(30, Double.NaN);
        double[] e2e = filled(30, 4000);
        // requests sent before the burst still end fast in 12 and 13; the burst's own end slow from 14
        set(e2e, 10, 4000, 4100, 4000, 4050, 6000, 9000, 9000, 8000, 7000, 4200, 4100);
        List<Second> series = series(ttft, e2e, new long[30]);
        assertThat(BurstRecovery.usesTtft(series)).isFalse();
        BurstRecovery.Burst b = BurstRecovery.analyse(series, List.of(new LoadShape.Phase(10, 12, 50)))
                .getFirst();
        // s0 = floor(12 + 4 s) = 16; back within 25% of 4000 ms at 19 and 20
        assertThat(b.baselineMs()).isEqualTo(4000);
        assertThat(b.peakE2eMs()).isEqualTo(9000);
        assertThat(b.peakTtftMs()).isNaN();
        assertThat(b.recoveredAfterS()).isEqualTo(3.0);
    }

    @Test
    void errorsAfterTheBurst_delayRecovery_andOneGoodSecondIsNotEnough() {
        double[] ttft = filled(30, 100);
        set(ttft, 10, 400, 400, 100, 400, 100, 100, 100);
        long[] errors = new long[30];
        errors[15] = 1;
        BurstRecovery.Burst b = BurstRecovery.analyse(
                        series(ttft, filled(30, 200), errors), List.of(new LoadShape.Phase(10, 11, 30)))
                .getFirst();
        // 12 is good but 13 is not; 14 good but 15 has an error; 16 and 17 hold
        assertThat(b.recoveredAfterS()).isEqualTo(5.0);
        assertThat(b.errors()).isEqualTo(1);
    }

    @Test
    void millisecondLatencies_recoverWithinTheFiveMsFloor() {
        double[] ttft = filled(30, 2);
        set(ttft, 10, 40, 6, 6);
        BurstRecovery.Burst b = BurstRecovery.analyse(
                        series(ttft, filled(30, 3), new long[30]), List.of(new LoadShape.Phase(10, 11, 30)))
                .getFirst();
        assertThat(b.recoveredAfterS()).isEqualTo(0.0);
    }

    @Test
    void secondBurst_takesItsBaselineAfterTheFirstsRecovery_orHasNone() {
        double[] ttft = filled(60, 100);
        set(ttft, 10, 900, 500, 100, 100, 300, 300, 300, 300, 300, 300); // recovered at 12; 14-19 at 300
        for (int s = 20; s < 40; s++) ttft[s] = 900; // never back before the third
        List<BurstRecovery.Burst> out = BurstRecovery.analyse(
                series(ttft, filled(60, 200), new long[60]),
                List.of(
                        new LoadShape.Phase(40, 41, 30),
                        new LoadShape.Phase(10, 11, 30),
                        new LoadShape.Phase(20, 21, 30)));
        assertThat(out).extracting(BurstRecovery.Burst::startS).containsExactly(10.0, 20.0, 40.0);
        assertThat(out.get(0).recoveredAfterS()).isEqualTo(1.0);
        assertThat(out.get(1).baselineMs()).isEqualTo(300); // median of 12..19
        assertThat(out.get(1).recoveredAfterS()).isNull();
        assertThat(out.get(2).baselineMs()).isNaN();
    }
}
