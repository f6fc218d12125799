package dev.llmlab.top;

import dev.llmlab.metrics.Histograms.Estimate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A snapshot as a plain text table: the models, then each replica under its model, then targets
 * that could not be read. A dash is a figure the server does not export; {@code >2.5s} is a
 * percentile whose true value is above the last finite bucket; {@code idle} a percentile of a
 * window that observed nothing.
 */
public final class SnapshotText {
    private static final String[] HEAD = head();

    private SnapshotText() {}

    /**
     * The lines under the models table: GPU and gateway tables, the SLO table, and an alert that
     * could not be delivered; empty when there are none. For views that lay out the table
     * themselves (the terminal UI).
     */
    public static List<String> below(Snapshot s) {
        String text = InfraText.render(s) + SloText.render(s.slos());
        List<String> out = new ArrayList<>();
        for (String line : text.split("\\R")) if (!line.isBlank()) out.add(line);
        if (s.alertError() != null) out.add("! alerts: " + s.alertError());
        return out;
    }

    public static String render(Snapshot s) {
        List<String[]> lines = new ArrayList<>();
        lines.add(HEAD);
        for (Row m : s.models()) {
            lines.add(cells(m, m.model(), "(" + m.replicas() + (m.replicas() == 1 ? " replica)" : " replicas)")));
            for (Row r : s.replicas()) if (r.model().equals(m.model())) lines.add(cells(r, "", r.replica()));
        }
        int[] width = new int[HEAD.length];
        for (String[] l : lines) for (int i = 0; i < l.length; i++) width[i] = Math.max(width[i], l[i].length());
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "llmlab top  %s  window %.0f s%n", s.at().toString(), s.windowSeconds()));
        if (s.recording() != null) {
            RecordingStatus r = s.recording();
            boolean wrong = r.lost() > 0 || r.note() != null;
            out.append(wrong ? "! " : "").append(r.describe()).append(System.lineSeparator());
        }
        for (String[] l : lines) {
            for (int i = 0; i < l.length; i++) {
                boolean left = i < 3;
                String cell = left ? pad(l[i], width[i]) : padLeft(l[i], width[i]);
                out.append(cell).append(i + 1 < l.length ? "  " : "");
            }
            out.append(System.lineSeparator());
        }
        out.append(InfraText.render(s));
        out.append(SloText.render(s.slos()));
        if (s.alertError() != null)
            out.append("! alerts: ").append(s.alertError()).append(System.lineSeparator());
        if (s.sourceError() != null)
            out.append("! targets: ").append(s.sourceError()).append(System.lineSeparator());
        for (TargetState t : s.targets()) {
            if (t.error() != null)
                out.append("! ").append(t.name()).append(": ").append(t.error()).append(System.lineSeparator());
            else if (t.agoMillis() < 0)
                out.append("! ").append(t.name()).append(": not read yet").append(System.lineSeparator());
        }
        if (s.models().isEmpty()
                && s.sourceError() == null
                && !s.targets().isEmpty() // none at all: the source's line says why
                && s.targets().stream().allMatch(t -> t.error() == null && t.agoMillis() >= 0))
            out.append("(fewer than two readings of every target yet)").append(System.lineSeparator());
        return out.toString();
    }

    private static String[] head() {
        List<String> h = new ArrayList<>(List.of("MODEL", "REPLICA", "KIND"));
        for (Column c : Column.values()) h.add(c.header());
        return h.toArray(String[]::new);
    }

    private static String[] cells(Row r, String model, String replica) {
        String[] cells = new String[3 + Column.values().length];
        cells[0] = model;
        cells[1] = replica;
        cells[2] = r.kind();
        for (Column c : Column.values()) cells[3 + c.ordinal()] = c.text(r.figures());
        return cells;
    }

    static String num(double v, int decimals) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + decimals + "f", v) : "-";
    }

    static String pct(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.1f", 100 * v) : "-";
    }

    /** {@code 12.3ms}, {@code 1.52s}, {@code >2.5s} when capped, {@code idle} without observations, a dash when not exported. */
    static String latency(Estimate e) {
        if (e == null) return "-";
        return switch (e.status()) {
            case EMPTY -> "idle";
            case UNBOUNDED -> "?";
            case OK -> seconds(e.value());
            case CAPPED -> ">" + seconds(e.value());
        };
    }

    private static String seconds(double s) {
        if (s < 0.001) return String.format(Locale.ROOT, "%.0fus", s * 1e6);
        if (s < 1) return String.format(Locale.ROOT, s < 0.01 ? "%.2fms" : "%.1fms", s * 1e3);
        return String.format(Locale.ROOT, "%.2fs", s);
    }

    private static String pad(String s, int w) {
        return s + " ".repeat(w - s.length());
    }

    private static String padLeft(String s, int w) {
        return " ".repeat(w - s.length()) + s;
    }
}
