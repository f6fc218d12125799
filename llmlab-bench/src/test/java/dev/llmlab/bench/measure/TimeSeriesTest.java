package dev.llmlab.bench.measure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.bench.result.Second;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimeSeriesTest {
    static final long MS = 1_000_000;
    static final long ORIGIN = 5_000 * MS;

    private static RequestRecord stream(long sentMs, long[] eventsMs, long endMs, Fate fate) {
        long[] events = new long[eventsMs.length];
        for (int i = 0; i < events.length; i++) events[i] = ORIGIN + eventsMs[i] * MS;
        long sent = ORIGIN + sentMs * MS;
        return new RequestRecord(
                sent,
                0,
                sent,
                sent + MS,
                events,
                ORIGIN + endMs * MS,
                events.length,
                -1,
                10,
                fate,
                fate == Fate.OK ? 200 : 0);
    }

    @Test
    void record_countsTokenEventsBySecondOfArrival_requestsBySecondOfEnd() {
        TimeSeries series = new TimeSeries(ORIGIN);
        // one stream across four seconds, ending in the fourth
        series.record(stream(100, new long[] {500, 1_200, 1_900, 3_100}, 3_200, Fate.OK));
        // one that timed out after an event in second 2: its event arrived all the same
        series.record(stream(2_000, new long[] {2_500}, 4_000, Fate.TIMEOUT));
        // a whole answer: no events
        series.record(new RequestRecord(
                ORIGIN, 0, ORIGIN, ORIGIN + 30 * MS, new long[0], ORIGIN + 40 * MS, 7, -1, 10, Fate.OK, 200));
        List<Second> s = series.seconds();
        assertThat(s).extracting(Second::tokenEvents).containsExactly(1L, 2L, 1L, 1L, 0L);
        assertThat(s).extracting(Second::requests).containsExactly(1L, 0L, 0L, 1L, 0L);
        assertThat(s).extracting(Second::outputTokens).containsExactly(7L, 0L, 0L, 4L, 0L);
        assertThat(s).extracting(Second::errors).containsExactly(0L, 0L, 0L, 0L, 1L);
        assertThat(s.get(3).ttftP50()).isCloseTo(400.0, org.assertj.core.data.Offset.offset(4.0)); // 2 digits
        assertThat(s).extracting(Second::targetRate).containsOnlyNulls(); // a closed loop offers nothing
    }
}
