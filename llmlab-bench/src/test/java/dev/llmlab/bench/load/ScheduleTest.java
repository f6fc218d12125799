package dev.llmlab.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

class ScheduleTest {
    static int countBetween(Schedule s, double from, double to) {
        int n = 0;
        for (int i = 0; i < s.size(); i++) {
            double t = s.offsetNanos(i) / 1e9;
            if (t >= from && t < to) n++;
        }
        return n;
    }

    @Test
    void sameSeed_sameSchedule_otherSeed_otherSchedule() {
        Schedule a = Schedule.open(100, Arrivals.poisson(), 10, 0, Schedule.Ramp.NONE, 0, 7);
        Schedule b = Schedule.open(100, Arrivals.poisson(), 10, 0, Schedule.Ramp.NONE, 0, 7);
        Schedule c = Schedule.open(100, Arrivals.poisson(), 10, 0, Schedule.Ramp.NONE, 0, 8);
        assertThat(a.size()).isEqualTo(b.size());
        for (int i = 0; i < a.size(); i++) assertThat(a.offsetNanos(i)).isEqualTo(b.offsetNanos(i));
        assertThat(c.offsetNanos(5)).isNotEqualTo(a.offsetNanos(5));
    }

    @Test
    void constantRate_isExactAndBoundedByDurationOrCount() {
        Schedule s = Schedule.open(10, Arrivals.constant(), 1, 0, Schedule.Ramp.NONE, 0, 1);
        assertThat(s.size()).isEqualTo(10); // at 0, 0.1, ..., 0.9 s; 1.0 s is the end
        assertThat(s.offsetNanos(0)).isZero();
        assertThat(s.offsetNanos(9)).isEqualTo(900_000_000L);
        assertThat(Schedule.open(10, Arrivals.constant(), 0, 25, Schedule.Ramp.NONE, 0, 1)
                        .size())
                .isEqualTo(25);
        assertThat(Schedule.open(10, Arrivals.constant(), 1, 5, Schedule.Ramp.NONE, 0, 1)
                        .size())
                .isEqualTo(5);
    }

    @Test
    void linearRamp_deliversHalfTheRequestsOfItsLength_thenTheFullRate() {
        Schedule s = Schedule.open(1000, Arrivals.constant(), 30, 0, Schedule.Ramp.LINEAR, 10, 3);
        // the first 10 s average half the rate; the first 5 s a quarter of that
        assertThat((double) countBetween(s, 0, 10)).isCloseTo(5000, offset(1.0));
        assertThat((double) countBetween(s, 0, 5)).isCloseTo(1250, offset(1.0));
        assertThat((double) countBetween(s, 10, 30)).isCloseTo(20_000, offset(1.0));
        // Poisson arrivals through the same ramp: counts within four standard deviations (sqrt of the mean)
        Schedule p = Schedule.open(1000, Arrivals.poisson(), 30, 0, Schedule.Ramp.LINEAR, 10, 3);
        assertThat((double) countBetween(p, 0, 10)).isCloseTo(5000, offset(4 * Math.sqrt(5000)));
        assertThat((double) countBetween(p, 10, 30)).isCloseTo(20_000, offset(4 * Math.sqrt(20_000)));
    }

    @Test
    void exponentialRamp_startsAtAHundredthOfTheRate() {
        Schedule s = Schedule.open(1000, Arrivals.constant(), 20, 0, Schedule.Ramp.EXPONENTIAL, 10, 3);
        // integral of 1000 * 100^(t/10 - 1) over [0, 10] = 1000 * 10 * 0.99 / ln 100
        assertThat((double) countBetween(s, 0, 10)).isCloseTo(1000 * 10 * 0.99 / Math.log(100), offset(2.0));
        assertThat(countBetween(s, 0, 1)).isLessThan(20); // about 10-16 per second near the start
        assertThat(countBetween(s, 10, 20)).isCloseTo(10_000, offset(2));
    }

    @Test
    void wallTime_isContinuousAtTheRampsEnd() {
        for (Schedule.Ramp r : new Schedule.Ramp[] {Schedule.Ramp.LINEAR, Schedule.Ramp.EXPONENTIAL}) {
            double end = r == Schedule.Ramp.LINEAR ? 5 : 10 * 0.99 / Math.log(100);
            assertThat(Schedule.wallTime(end - 1e-9, r, 10)).isCloseTo(10, offset(1e-6));
            assertThat(Schedule.wallTime(end + 1, r, 10)).isCloseTo(11, offset(1e-9));
        }
    }

    @Test
    void badSchedules_areRefused() {
        assertThatThrownBy(() -> Schedule.open(0, Arrivals.poisson(), 1, 0, Schedule.Ramp.NONE, 0, 1))
                .hasMessageContaining("rate");
        assertThatThrownBy(() -> Schedule.open(1, Arrivals.poisson(), 0, 0, Schedule.Ramp.NONE, 0, 1))
                .hasMessageContaining("duration or a request count");
        assertThatThrownBy(() -> Schedule.open(1e9, Arrivals.poisson(), 3600, 0, Schedule.Ramp.NONE, 0, 1))
                .hasMessageContaining("50 million");
    }

    @Test
    void shards_partitionTheScheduleAndTheWorkload() {
        Schedule whole = Schedule.open(100, Arrivals.poisson(), 5, 0, Schedule.Ramp.NONE, 0, 9);
        java.util.List<Long> union = new java.util.ArrayList<>();
        for (int s = 0; s < 3; s++) {
            Schedule part = whole.shard(s, 3);
            for (int k = 0; k < part.size(); k++) {
                assertThat(part.offsetNanos(k)).isEqualTo(whole.offsetNanos(s + 3 * k));
                union.add(part.offsetNanos(k));
            }
        }
        assertThat(union).hasSize(whole.size());
        assertThatThrownBy(() -> whole.shard(3, 3)).hasMessageContaining("3/3");
        Workload w = new Workload(java.util.List.of(
                new Workload.Request(new byte[] {0}, 1, 1),
                new Workload.Request(new byte[] {1}, 1, 1),
                new Workload.Request(new byte[] {2}, 1, 1)));
        Workload second = w.shard(1, 2); // requests 1, 3, 5, ... of the whole
        assertThat(second.get(0).body()[0]).isEqualTo((byte) 1);
        assertThat(second.get(1).body()[0]).isEqualTo((byte) 0); // request 3, cycling over 3 prompts
        assertThat(second.shard(0, 2).get(1).body()[0]).isEqualTo((byte) 2); // request 5: shards of shards compose
        // a later level of a sweep goes on from where the last stopped
        assertThat(w.from(2).get(0).body()[0]).isEqualTo((byte) 2);
        assertThat(second.from(1).get(0).body()[0]).isEqualTo((byte) 0); // request 3 of the whole
    }
}
