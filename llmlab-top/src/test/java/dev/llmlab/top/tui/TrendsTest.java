package dev.llmlab.top.tui;

import static dev.llmlab.top.tui.Fixtures.model;
import static dev.llmlab.top.tui.Fixtures.quiet;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.top.Row;
import dev.llmlab.top.Snapshot;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrendsTest {
    private static Snapshot of(Row... models) {
        return new Snapshot(Fixtures.AT, 10, List.of(models), List.of(), List.of(), null);
    }

    @Test
    void eachRowKeepsItsLast60Points_andARowThatWentAwayIsForgotten() {
        Trends t = new Trends();
        for (int i = 0; i < 100; i++) t.record(of(model("a", 1, quiet(i)), model("b", 1, quiet(1))));
        Trends.Series a = t.copy().get(Trends.key(model("a", 1, quiet(0))));
        assertThat(a.requests()).hasSize(Trends.POINTS);
        assertThat(a.requests()[0]).isEqualTo(40);
        assertThat(a.requests()[Trends.POINTS - 1]).isEqualTo(99);
        assertThat(a.ttftP99()[0]).isEqualTo(0.1);

        t.record(of(model("a", 1, quiet(100))));
        assertThat(t.copy()).hasSize(1);
    }
}
