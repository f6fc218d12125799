package dev.llmlab.bench.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class ValidityTest {
    /** {@code n} sends, of which the slowest 2% (at least one) lag {@code slowMs} and the rest 0.1 ms. */
    private static Histogram lag(int n, double slowMs) {
        Histogram h = new Histogram(3_600_000_000_000L, 3);
        int slow = Math.max(1, n / 50);
        for (int i = 0; i < n - slow; i++) h.recordValue(100_000);
        for (int i = 0; i < slow; i++) h.recordValue((long) (slowMs * 1e6));
        return h;
    }

    @Test
    void lagBound_isTheLargerOfOneMillisecondAndTwoPercentOfTheMedian() {
        assertThat(Validity.lagBoundMs(100)).isEqualTo(2.0);
        assertThat(Validity.lagBoundMs(20)).isEqualTo(1.0);
        assertThat(Validity.lagBoundMs(0.3)).isEqualTo(1.0);
        assertThat(Validity.lagBoundMs(Double.NaN)).isEqualTo(1.0);
    }

    @Test
    void lag_ofOneAndAHalfMillisecondsBeforeA100MsTtft_isValid() {
        // the run: lag p99 1.43 ms in front of a 100 ms time to first token
        assertThat(Validity.lag(lag(200, 1.43), 100.6, "ttft")).isNull();
    }

    @Test
    void lag_ofOneAndAHalfMillisecondsBeforeAFastAnswer_isInvalid() {
        assertThat(Validity.lag(lag(1000, 1.5), 0.4, "e2e"))
                .isEqualTo("client saturated: schedule lag p99 1.50 ms > 1 ms");
    }

    @Test
    void lag_aboveTwoPercentOfTheMedian_isInvalidAndSaysSo() {
        assertThat(Validity.lag(lag(1000, 2.5), 100, "ttft"))
                .isEqualTo("client saturated: schedule lag p99 2.50 ms > 2.00 ms (2% of the ttft median 100.0 ms)");
    }

    @Test
    void lag_withFewerThan100Sends_isJudgedByItsMedian() {
        // one slow send of 50: its p99 would be that send, its median is not
        assertThat(Validity.lag(lag(50, 40), 10, "ttft")).isNull();
        Histogram allLate = new Histogram(3_600_000_000_000L, 3);
        for (int i = 0; i < 50; i++) allLate.recordValue(5_000_000);
        assertThat(Validity.lag(allLate, 10, "ttft"))
                .startsWith("client saturated: schedule lag p50 (fewer than 100 sends) 5.00 ms");
    }

    @Test
    void lag_ofAClosedLoop_isNotJudged() {
        assertThat(Validity.lag(new Histogram(3), 10, "ttft")).isNull();
    }

    @Test
    void behind_byLessThanOnePercent_isValid_byMore_isNot() {
        assertThat(Validity.behind(10, 10.09)).isNull();
        assertThat(Validity.behind(10, 10.2)).isEqualTo("client saturated: sent at 98.0% of the scheduled rate");
        assertThat(Validity.behind(0, 3)).isNull(); // a one-send schedule has no span to keep to
    }

    @Test
    void judgeLag_keepsAnInvalidDeliveryAsItIs_andMarksALateOne() {
        Delivery behind = new Delivery(
                10, 100, 10, lag(1000, 50), false, "client saturated: sent at 90.0% of the scheduled rate", 1);
        assertThat(behind.judgeLag(100, "ttft")).isSameAs(behind);
        Delivery late = new Delivery(10, 1000, 100, lag(1000, 50), true, null, 1);
        Delivery judged = late.judgeLag(100, "ttft");
        assertThat(judged.valid()).isFalse();
        assertThat(judged.invalidReason()).startsWith("client saturated: schedule lag p99 50.0");
        Delivery punctual = new Delivery(10, 1000, 100, lag(1000, 1.5), true, null, 1);
        assertThat(punctual.judgeLag(100, "ttft")).isSameAs(punctual);
    }
}
