package dev.llmlab.top.tui;

import dev.llmlab.top.Snapshot;
import java.util.Map;
import java.util.Set;

/**
 * What the view draws from, frozen: a snapshot, each row's recent points, and which models each
 * target served when last read (a failing target has no rows, but its model's drill-down still
 * lists it).
 *
 * @param trends       by {@link Trends#key}
 * @param targetModels by target name
 */
record Frame(Snapshot snapshot, Map<String, Trends.Series> trends, Map<String, Set<String>> targetModels) {
    Trends.Series series(dev.llmlab.top.Row r) {
        return trends.getOrDefault(Trends.key(r), Trends.Series.EMPTY);
    }
}
