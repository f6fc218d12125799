package dev.llmlab.top.tui;

import dev.llmlab.top.Row;
import dev.llmlab.top.Snapshot;
import dev.llmlab.top.TargetState;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The rows a state shows, filtered and sorted, and the view as a snapshot for export. The filter is
 * a case-insensitive substring of a model's or a replica's name: a model is shown when its name
 * matches or one of its replicas' does; under it, all its replicas when its own name matched, else
 * those that match.
 */
final class Views {
    private Views() {}

    static List<Row> models(Snapshot s, UiState st) {
        List<Row> out = new ArrayList<>();
        for (Row m : s.models()) {
            if (matches(m.model(), st.filter())
                    || s.replicas().stream()
                            .anyMatch(r -> r.model().equals(m.model()) && matches(r.replica(), st.filter())))
                out.add(m);
        }
        out.sort(st.sort().comparator(Row::model));
        return out;
    }

    /** A model's replicas: in the table those the filter lets through, drilled down all of them. */
    static List<Row> replicas(Snapshot s, String model, UiState st) {
        boolean all = st.drilled() != null || matches(model, st.filter());
        List<Row> out = new ArrayList<>();
        for (Row r : s.replicas())
            if (r.model().equals(model) && (all || matches(r.replica(), st.filter()))) out.add(r);
        out.sort(st.sort().comparator(Row::replica));
        return out;
    }

    static Row model(Snapshot s, String model) {
        for (Row m : s.models()) if (m.model().equals(model)) return m;
        return null;
    }

    /** The targets a model's drill-down lists: those that served it when last read. */
    static List<TargetState> targets(Frame f, String model) {
        List<TargetState> out = new ArrayList<>();
        for (TargetState t : f.snapshot().targets())
            if (f.targetModels().getOrDefault(t.name(), Set.of()).contains(model)) out.add(t);
        return out;
    }

    static boolean matches(String name, String filter) {
        return filter.isEmpty() || name.toLowerCase(Locale.ROOT).contains(filter.toLowerCase(Locale.ROOT));
    }

    /**
     * What is on screen, as a snapshot: the table's models and their replicas as filtered and
     * sorted, and every target; or, drilled down, the one model, its replicas and its targets.
     */
    static Snapshot exported(Frame f, UiState st) {
        Snapshot s = f.snapshot();
        List<Row> models;
        List<TargetState> targets;
        if (st.drilled() != null) {
            Row m = model(s, st.drilled());
            models = m == null ? List.of() : List.of(m);
            targets = targets(f, st.drilled());
        } else {
            models = models(s, st);
            targets = s.targets();
        }
        List<Row> replicas = new ArrayList<>();
        for (Row m : models) replicas.addAll(replicas(s, m.model(), st));
        return s.withRows(List.copyOf(models), List.copyOf(replicas), targets);
    }
}
