package dev.llmlab.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CountersTest {
    @Test
    void increase_isTheDifference_orTheNewValueAfterAReset() {
        assertThat(Counters.increase(10, 25)).isEqualTo(15);
        assertThat(Counters.increase(10, 10)).isZero();
        assertThat(Counters.increase(100, 7)).isEqualTo(7);
        assertThat(Counters.increase(Double.NaN, 7)).isNaN();
    }

    @Test
    void increase_ofASeries_honoursCreated_andANewSeriesCountsWhole() {
        Point before = new Point(Labels.EMPTY, 100, 1000);
        assertThat(Counters.increase(before, new Point(Labels.EMPTY, 150, 1000)))
                .isEqualTo(50);
        assertThat(Counters.increase(before, new Point(Labels.EMPTY, 150, 2000)))
                .isEqualTo(150);
        assertThat(Counters.increase(null, new Point(Labels.EMPTY, 9, Double.NaN)))
                .isEqualTo(9);
    }

    @Test
    void window_sumsIncreasesBySeries() {
        Labels a = Labels.of("finished_reason", "stop");
        Labels b = Labels.of("finished_reason", "length");
        Labels c = Labels.of("finished_reason", "abort");
        List<Point> before = List.of(new Point(a, 10, Double.NaN), new Point(b, 5, Double.NaN));
        List<Point> after = List.of(
                new Point(a, 14, Double.NaN), // +4
                new Point(b, 2, Double.NaN), // reset: 2
                new Point(c, 1, Double.NaN)); // new: 1
        assertThat(Counters.window(before, after)).isEqualTo(7);
    }
}
