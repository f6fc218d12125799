package dev.llmlab.top.tui;

import dev.llmlab.top.Row;
import dev.llmlab.top.Snapshot;
import dev.llmlab.top.TargetState;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jline.utils.AttributedString;

/**
 * The UI without a terminal: snapshots and keys in, lines out. It keeps the state the keys set,
 * the frame on screen (the latest, or the one frozen by pause), each row's recent points, and does
 * what a key asks that is more than a change of state (export). Not thread-safe: one thread, the
 * terminal loop's or a test's, drives it.
 */
final class Controller {
    /** How far Page Up and Page Down move the selection. */
    private static final int PAGE = 10;
    /** How long a status message stays when no key clears it. */
    static final java.time.Duration STATUS_FOR = java.time.Duration.ofSeconds(5);
    /** The longest filter typed; more is ignored. */
    private static final int LONGEST_FILTER = 64;

    private final Settings settings;
    private final Path exportDir;
    private final Clock clock;
    private final Trends trends = new Trends();
    private final Map<String, Set<String>> targetModels = new HashMap<>();
    private Frame latest;
    private Frame shown;
    private UiState state = UiState.START;
    private Instant statusAt = Instant.MIN;

    Controller(Settings settings, Path exportDir, Clock clock) {
        this.settings = settings;
        this.exportDir = exportDir;
        this.clock = clock;
        Snapshot none = new Snapshot(
                Instant.now(clock), settings.window().toNanos() / 1e9, List.of(), List.of(), List.of(), null);
        this.latest = this.shown = new Frame(none, Map.of(), Map.of());
    }

    /** A new snapshot: recorded always, shown unless paused. */
    void refresh(Snapshot s) {
        trends.record(s);
        Map<String, Set<String>> now = new HashMap<>();
        for (Row r : s.replicas())
            now.computeIfAbsent(r.replica(), k -> new HashSet<>()).add(r.model());
        Set<String> listed = new HashSet<>();
        for (TargetState t : s.targets()) listed.add(t.name());
        targetModels.keySet().retainAll(listed);
        targetModels.putAll(now); // a target read now says what it serves; a failing one keeps what it said
        Map<String, Set<String>> served = new HashMap<>();
        targetModels.forEach((k, v) -> served.put(k, Set.copyOf(v)));
        latest = new Frame(s, trends.copy(), Map.copyOf(served));
        if (!state.paused()) shown = latest;
        if (state.status() != null && clock.instant().isAfter(statusAt.plus(STATUS_FOR)))
            state = state.withStatus(null);
        state = settle(state);
    }

    /** Handles a key; false when it asks to quit. */
    boolean key(Key k) {
        if (k.kind() == Key.Kind.INTERRUPT) return false;
        if (state.help()) {
            state = state.withHelp(false);
            return true;
        }
        if (state.editing() != null) {
            editFilter(k);
            return true;
        }
        UiState s = state.withStatus(null);
        List<Row> rows = Views.models(shown.snapshot(), s);
        switch (k.kind()) {
            case CHAR -> {
                char c = k.ch();
                if (c == 'q') return false;
                else if (c == '?') s = s.withHelp(true);
                else if (c == '/') s = s.withEditing(s.filter());
                else if (c == 's') s = s.withSort(s.sort().next());
                else if (c == 'S') s = s.withSort(s.sort().reversed());
                else if (c >= '0' && c <= '9') s = s.withSort(digit(s.sort(), c));
                else if (c == 'p') s = pause(s);
                else if (c == 'e') {
                    s = s.withStatus(export(s));
                    statusAt = clock.instant();
                } else if (c == 'k') s = move(s, rows, -1);
                else if (c == 'j') s = move(s, rows, 1);
                else if (c == 'g') s = move(s, rows, Integer.MIN_VALUE / 2);
                else if (c == 'G') s = move(s, rows, Integer.MAX_VALUE / 2);
            }
            case UP -> s = move(s, rows, -1);
            case DOWN -> s = move(s, rows, 1);
            case PAGE_UP -> s = move(s, rows, -PAGE);
            case PAGE_DOWN -> s = move(s, rows, PAGE);
            case HOME -> s = move(s, rows, Integer.MIN_VALUE / 2);
            case END -> s = move(s, rows, Integer.MAX_VALUE / 2);
            case ENTER -> {
                if (s.drilled() == null && s.selected() != null && !rows.isEmpty()) s = s.withDrilled(s.selected());
            }
            case ESCAPE -> {
                if (s.drilled() != null) s = s.withDrilled(null);
                else if (!s.filter().isEmpty()) s = s.withFilter("");
            }
            default -> {}
        }
        state = settle(s);
        return true;
    }

    List<AttributedString> render(int width, int height) {
        return Screen.render(settings, shown, state, width, height);
    }

    UiState state() {
        return state;
    }

    Frame shown() {
        return shown;
    }

    private void editFilter(Key k) {
        String e = state.editing();
        switch (k.kind()) {
            case CHAR -> {
                if (e.length() < LONGEST_FILTER) state = state.withEditing(e + k.ch());
            }
            case BACKSPACE -> state = state.withEditing(e.isEmpty() ? e : e.substring(0, e.length() - 1));
            case ENTER -> state = settle(state.withFilter(e.strip()));
            case ESCAPE -> state = state.withEditing(null);
            default -> {}
        }
    }

    /** The sort a digit asks for; the same digit again reverses it. */
    private static Sort digit(Sort now, char c) {
        Sort wanted = Sort.by(Sort.DIGITS.get(c == '0' ? 9 : c - '1'));
        return wanted.column() == now.column() ? now.reversed() : wanted;
    }

    private UiState pause(UiState s) {
        if (s.paused()) {
            shown = latest;
            return s.withPaused(false);
        }
        return s.withPaused(true);
    }

    /** Moves the selection: among the models in the table, among the replicas drilled down. */
    private UiState move(UiState s, List<Row> rows, int by) {
        if (s.drilled() != null) {
            int n = Views.replicas(shown.snapshot(), s.drilled(), s).size();
            return s.withReplicaIndex(Math.max(0, Math.min(n - 1, s.replicaIndex() + by)));
        }
        return s.select(rows, (int) Math.max(0, Math.min(Integer.MAX_VALUE, (long) s.selectedIndex() + by)));
    }

    /** The selection kept on its model (or its place) after the rows changed. */
    private UiState settle(UiState s) {
        s = s.reselect(Views.models(shown.snapshot(), s));
        if (s.drilled() != null) {
            int n = Views.replicas(shown.snapshot(), s.drilled(), s).size();
            s = s.withReplicaIndex(Math.max(0, Math.min(n - 1, s.replicaIndex())));
        }
        return s;
    }

    private String export(UiState s) {
        Snapshot view = Views.exported(shown, s);
        try {
            Path file = Export.write(view, exportDir, LocalDateTime.now(clock));
            return "exported " + view.models().size() + (view.models().size() == 1 ? " model" : " models") + ", "
                    + view.replicas().size() + (view.replicas().size() == 1 ? " replica" : " replicas") + " to "
                    + file.getFileName();
        } catch (IOException | RuntimeException e) {
            return "export failed: " + (e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }
}
