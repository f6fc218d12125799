package dev.llmlab.top.tui;

import static dev.llmlab.top.tui.Fixtures.capped;
import static dev.llmlab.top.tui.Fixtures.figures;
import static dev.llmlab.top.tui.Fixtures.idle;
import static dev.llmlab.top.tui.Fixtures.model;
import static dev.llmlab.top.tui.Fixtures.ok;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.top.Column;
import dev.llmlab.top.Row;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SortTest {
    private static List<String> sorted(Sort s, Row... rows) {
        List<Row> l = new ArrayList<>(List.of(rows));
        l.sort(s.comparator(Row::model));
        return l.stream().map(Row::model).toList();
    }

    @Test
    void rowsWithoutTheFigure_areLast_inEitherDirection() {
        Row fast = model("fast", 1, figures(1, 0, 0, 0, ok(0.1)));
        Row slow = model("slow", 1, figures(1, 0, 0, 0, ok(0.9)));
        Row none = model("idle", 1, figures(1, 0, 0, 0, idle()));
        Sort ttft = Sort.by(Column.TTFT_P99);
        assertThat(sorted(ttft, fast, none, slow)).containsExactly("slow", "fast", "idle");
        assertThat(sorted(ttft.reversed(), fast, none, slow)).containsExactly("fast", "slow", "idle");
    }

    @Test
    void aCappedPercentile_sortsAboveAnExactOneOfTheSameValue_andTiesGoByName() {
        Row exact = model("exact", 1, figures(1, 0, 0, 0, ok(2.5)));
        Row cap = model("capped", 1, figures(1, 0, 0, 0, capped(2.5)));
        assertThat(sorted(Sort.by(Column.TTFT_P99), exact, cap)).containsExactly("capped", "exact");
        Row b = model("b", 1, figures(3, 0, 0, 0, ok(1)));
        Row a = model("a", 1, figures(3, 0, 0, 0, ok(1)));
        assertThat(sorted(Sort.by(Column.REQUESTS_PER_SECOND), b, a)).containsExactly("a", "b");
    }

    @Test
    void next_cyclesThroughTheNameAndEveryColumn() {
        Sort s = Sort.BY_NAME;
        int steps = 0;
        do {
            s = s.next();
            steps++;
        } while (!s.equals(Sort.BY_NAME));
        assertThat(steps).isEqualTo(Column.values().length + 1);
        assertThat(Sort.DIGITS).hasSize(10);
    }
}
