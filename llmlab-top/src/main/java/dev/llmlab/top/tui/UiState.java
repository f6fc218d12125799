package dev.llmlab.top.tui;

import dev.llmlab.top.Row;
import java.util.List;

/**
 * Where the user is in the UI, immutable: what the keys have set. The rows themselves come from
 * the {@link Frame}; the selection is kept by name, so that it stays on its model when a refresh
 * re-sorts the rows, and by index, so that it stays in place when its model goes away.
 *
 * @param filter        the applied filter; empty for none
 * @param editing       the filter being typed after {@code /}; null when not typing
 * @param selected      the selected model's name; null before there is one
 * @param selectedIndex its place in the table
 * @param drilled       the model drilled into with Enter; null in the table
 * @param replicaIndex  the selected replica's place, drilled down
 * @param status        a message for the status line (an export's file); null for the key hints
 */
record UiState(
        boolean help,
        String filter,
        String editing,
        Sort sort,
        String selected,
        int selectedIndex,
        String drilled,
        int replicaIndex,
        boolean paused,
        String status) {
    static final UiState START = new UiState(false, "", null, Sort.BY_NAME, null, 0, null, 0, false, null);

    UiState withHelp(boolean h) {
        return new UiState(h, filter, editing, sort, selected, selectedIndex, drilled, replicaIndex, paused, status);
    }

    UiState withFilter(String f) {
        return new UiState(help, f, null, sort, selected, selectedIndex, drilled, replicaIndex, paused, status);
    }

    UiState withEditing(String e) {
        return new UiState(help, filter, e, sort, selected, selectedIndex, drilled, replicaIndex, paused, status);
    }

    UiState withSort(Sort s) {
        return new UiState(help, filter, editing, s, selected, selectedIndex, drilled, replicaIndex, paused, status);
    }

    UiState withDrilled(String model) {
        return new UiState(help, filter, editing, sort, selected, selectedIndex, model, 0, paused, status);
    }

    UiState withReplicaIndex(int i) {
        return new UiState(help, filter, editing, sort, selected, selectedIndex, drilled, i, paused, status);
    }

    UiState withPaused(boolean p) {
        return new UiState(help, filter, editing, sort, selected, selectedIndex, drilled, replicaIndex, p, status);
    }

    UiState withStatus(String s) {
        return new UiState(help, filter, editing, sort, selected, selectedIndex, drilled, replicaIndex, paused, s);
    }

    /** Selects the row at {@code index} of {@code rows} (clamped); none when there are no rows. */
    UiState select(List<Row> rows, int index) {
        int i = Math.max(0, Math.min(index, rows.size() - 1));
        String name = rows.isEmpty() ? null : rows.get(i).model();
        return new UiState(
                help, filter, editing, sort, name, rows.isEmpty() ? 0 : i, drilled, replicaIndex, paused, status);
    }

    /**
     * The selection after the rows changed (a refresh, a filter, a sort): the same model where it
     * still is, else the row now at its place.
     */
    UiState reselect(List<Row> rows) {
        for (int i = 0; i < rows.size(); i++) if (rows.get(i).model().equals(selected)) return select(rows, i);
        return select(rows, selectedIndex);
    }
}
