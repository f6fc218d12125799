package dev.llmlab.top.tui;

import dev.llmlab.top.Column;
import dev.llmlab.top.Row;
import dev.llmlab.top.Snapshot;
import dev.llmlab.top.SnapshotText;
import dev.llmlab.top.TargetState;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/**
 * Draws a frame: a pure function from (settings, frame, state, width, height) to exactly {@code
 * height} lines of at most {@code width} columns, so that all of the UI's drawing is tested
 * without a terminal, and the terminal's {@code Display} only diffs the result against what is on
 * screen.
 *
 * <p>The screen, top to bottom: a header bar (time, window, refresh, PAUSED, filter, sort, targets
 * read and failing); the body (the models table with the selected model's replicas below it, or a
 * model drilled into, or the help); the targets that failed and why; a footer with the key hints,
 * the filter being typed, or a status message.
 */
final class Screen {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final AttributedStyle BAR = AttributedStyle.DEFAULT.inverse();
    private static final AttributedStyle PAUSED = AttributedStyle.DEFAULT
            .foreground(AttributedStyle.BLACK)
            .background(AttributedStyle.YELLOW)
            .bold();
    private static final AttributedStyle ERROR = AttributedStyle.DEFAULT.foreground(AttributedStyle.RED);
    private static final AttributedStyle TITLE = AttributedStyle.DEFAULT.bold();
    private static final AttributedStyle KEY =
            AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN).bold();
    private static final AttributedStyle DIM = AttributedStyle.DEFAULT.faint();
    private static final java.util.regex.Pattern PAGE = java.util.regex.Pattern.compile("\\bPAGE\\b");
    private static final java.util.regex.Pattern TICKET = java.util.regex.Pattern.compile("\\bTICKET\\b");

    private Screen() {}

    static List<AttributedString> render(Settings set, Frame f, UiState st, int width, int height) {
        List<AttributedString> out = new ArrayList<>(Math.max(0, height));
        if (width <= 0 || height <= 0) return out;
        out.add(header(set, f.snapshot(), st, width));
        if (height == 1) return out;
        List<AttributedString> errors = st.help() ? List.of() : errors(f, st, width, Math.max(1, (height - 4) / 4));
        List<AttributedString> below = st.help() || st.drilled() != null
                ? List.of()
                : below(f.snapshot(), width, Math.max(0, (height - 4) / 3));
        int body = Math.max(0, height - 2 - errors.size() - below.size());
        List<AttributedString> lines;
        if (st.help()) lines = help(width);
        else if (st.drilled() != null) lines = drilled(set, f, st, width, body);
        else lines = table(set, f, st, width, body);
        for (int i = 0; i < body; i++)
            out.add(i < lines.size() ? Table.cut(lines.get(i), width) : AttributedString.EMPTY);
        for (AttributedString e : below) if (out.size() < height - 1) out.add(e);
        for (AttributedString e : errors) if (out.size() < height - 1) out.add(e);
        out.add(footer(st, width));
        return out;
    }

    /** GPUs, gateways and SLOs, as the text view has them; an SLO whose alert fires in its colour. */
    private static List<AttributedString> below(Snapshot s, int width, int most) {
        List<AttributedString> out = new ArrayList<>();
        for (String line : SnapshotText.below(s)) {
            AttributedStyle style = PAGE.matcher(line).find() || line.startsWith("!")
                    ? ERROR
                    : TICKET.matcher(line).find() ? AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW) : DIM;
            if (line.startsWith("SLO ") || line.startsWith("GPUS ") || line.startsWith("GATEWAY ")) style = TITLE;
            out.add(Table.cut(new AttributedString(line, style), width));
        }
        if (out.size() > most) {
            int more = out.size() - most + 1;
            out = new ArrayList<>(out.subList(0, Math.max(0, most - 1)));
            if (most > 0) out.add(new AttributedString("(" + more + " more lines: e exports them all)", DIM));
        }
        return out;
    }

    private static AttributedString header(Settings set, Snapshot s, UiState st, int width) {
        int read = 0, failing = 0, pending = 0;
        for (TargetState t : s.targets()) {
            if (t.error() != null) failing++;
            else if (t.agoMillis() < 0) pending++;
            else read++;
        }
        AttributedStringBuilder b = new AttributedStringBuilder();
        b.append(" llmlab top  ", BAR.bold());
        b.append(CLOCK.format(s.at().atZone(set.zone())), BAR);
        b.append("  window " + duration(set.window()) + "  refresh " + duration(set.interval()), BAR);
        if (st.paused()) b.append("  ", BAR).append(" PAUSED ", PAUSED);
        if (!st.filter().isEmpty()) b.append("  filter \"" + st.filter() + "\"", BAR);
        b.append("  sort " + st.sort().label() + (st.sort().descending() ? "▼" : "▲"), BAR);
        b.append("  targets " + read + " read", BAR);
        if (failing > 0) b.append(", ", BAR).append(failing + " failing", BAR.foreground(AttributedStyle.RED));
        if (pending > 0) b.append(", " + pending + " not read yet", BAR);
        if (b.length() < width) b.append(" ".repeat(width - b.length()), BAR);
        return Table.cut(b.toAttributedString(), width);
    }

    private static List<AttributedString> table(Settings set, Frame f, UiState st, int width, int body) {
        Snapshot s = f.snapshot();
        List<Row> models = Views.models(s, st);
        List<Row> replicas = st.selected() == null ? List.of() : Views.replicas(s, st.selected(), st);
        int room = Math.max(1, body - 1);
        int shownModels = Math.min(models.size(), room);
        int left = room - Math.max(1, shownModels);
        int shownReplicas = left >= 2 ? Math.min(replicas.size(), left - 1) : 0;
        int offset = Math.max(0, Math.min(st.selectedIndex() - shownModels + 1, models.size() - shownModels));
        List<Row> drawn = new ArrayList<>(models.subList(offset, offset + shownModels));
        drawn.addAll(replicas.subList(0, shownReplicas));
        Table t = Table.layout(drawn, st.sort(), f, set.thresholds(), width);
        List<AttributedString> lines = new ArrayList<>();
        lines.add(t.header());
        if (models.isEmpty()) lines.add(new AttributedString(empty(s, st), DIM));
        for (int i = offset; i < offset + shownModels; i++) lines.add(t.line(models.get(i), i == st.selectedIndex()));
        if (shownReplicas > 0) {
            lines.add(new AttributedString(
                    "replicas of " + st.selected() + " (" + replicas.size() + ")   Enter: drill down", TITLE));
            for (Row r : replicas.subList(0, shownReplicas)) lines.add(t.line(r, false));
        }
        return lines;
    }

    private static String empty(Snapshot s, UiState st) {
        if (!s.models().isEmpty()) return "no model or replica matches \"" + st.filter() + "\" (Esc clears the filter)";
        if (!s.targets().isEmpty() && s.targets().stream().allMatch(t -> t.error() != null))
            return "no target could be read (why: below)";
        return "waiting for two readings of a target (the first rows come after one refresh)";
    }

    private static List<AttributedString> drilled(Settings set, Frame f, UiState st, int width, int body) {
        Snapshot s = f.snapshot();
        Row m = Views.model(s, st.drilled());
        List<Row> replicas = Views.replicas(s, st.drilled(), st);
        List<AttributedString> lines = new ArrayList<>();
        AttributedStringBuilder title = new AttributedStringBuilder();
        title.append(st.drilled(), TITLE);
        if (m == null) title.append("  no rows in this window: its targets failed, or were not read twice yet", DIM);
        else
            title.append("  " + m.kind() + "  " + m.replicas() + (m.replicas() == 1 ? " replica" : " replicas"))
                    .append("   Esc: back", DIM);
        lines.add(title.toAttributedString());
        List<TargetState> targets = Views.targets(f, st.drilled());
        // the replicas get what the title, the model's row, its trends and a few targets leave,
        // scrolled so that the selected one is shown
        int below = (m == null ? 0 : 3) + 2 + Math.max(1, Math.min(targets.size(), 3));
        int shown = Math.min(replicas.size(), Math.max(1, body - 3 - below));
        int offset = Math.max(0, Math.min(st.replicaIndex() - shown + 1, replicas.size() - shown));
        List<Row> drawn = new ArrayList<>(replicas.subList(offset, offset + shown));
        if (m != null) drawn.add(m);
        Table t = Table.layout(drawn, st.sort(), f, set.thresholds(), width);
        lines.add(t.header());
        if (m != null) lines.add(t.line(m, false));
        for (int i = offset; i < offset + shown; i++) lines.add(t.line(replicas.get(i), i == st.replicaIndex()));
        if (m != null) {
            Trends.Series series = f.series(m);
            int w = Math.max(0, Math.min(Trends.POINTS, width - 40));
            lines.add(AttributedString.EMPTY);
            lines.add(trend(
                    "requests/s",
                    series.requests(),
                    w,
                    Column.REQUESTS_PER_SECOND.text(m.figures()),
                    rate(series.requests())));
            lines.add(trend(
                    "TTFT p99  ",
                    series.ttftP99(),
                    w,
                    Column.TTFT_P99.text(m.figures()),
                    seconds(max(series.ttftP99()))));
        }
        lines.add(AttributedString.EMPTY);
        lines.add(new AttributedString("targets", TITLE));
        if (targets.isEmpty()) lines.add(new AttributedString("  (none read yet)", DIM));
        for (TargetState ts : targets) lines.add(target(ts));
        return lines;
    }

    private static AttributedString trend(String name, double[] points, int w, String now, String max) {
        return new AttributedStringBuilder()
                .append("  " + name + "  ", TITLE)
                .append(Sparkline.render(points, w))
                .append("  now " + now + "  max " + max, DIM)
                .toAttributedString();
    }

    private static AttributedString target(TargetState t) {
        AttributedStringBuilder b =
                new AttributedStringBuilder().append("  " + t.name() + "  " + t.url() + "  " + t.kind() + "  ");
        if (t.error() != null) b.append(t.error(), ERROR);
        else if (t.agoMillis() < 0) b.append("not read yet", DIM);
        else b.append("read " + t.agoMillis() + " ms ago", DIM);
        return b.toAttributedString();
    }

    private static List<AttributedString> errors(Frame f, UiState st, int width, int most) {
        List<AttributedString> all = new ArrayList<>();
        Snapshot s = f.snapshot();
        if (s.recording() != null) {
            dev.llmlab.top.RecordingStatus r = s.recording();
            boolean wrong = r.lost() > 0 || r.note() != null;
            all.add(new AttributedString((wrong ? "! " : "") + r.describe(), wrong ? ERROR : DIM));
        }
        if (s.sourceError() != null) all.add(new AttributedString("! targets: " + s.sourceError(), ERROR));
        if (st.drilled() == null) // drilled down, the model's targets are listed with their errors
        for (TargetState t : s.targets())
                if (t.error() != null) all.add(new AttributedString("! " + t.name() + ": " + t.error(), ERROR));
        if (all.size() > most) {
            int more = all.size() - most + 1;
            all = new ArrayList<>(all.subList(0, most - 1));
            all.add(new AttributedString(
                    "! and " + more + " more (a model's targets are listed when drilled into)", ERROR));
        }
        all.replaceAll(a -> Table.cut(a, width));
        return all;
    }

    private static AttributedString footer(UiState st, int width) {
        AttributedStringBuilder b = new AttributedStringBuilder();
        if (st.editing() != null) {
            b.append("/", KEY).append(st.editing()).append("█").append("   Enter applies, Esc cancels", DIM);
        } else if (st.status() != null) {
            b.append(st.status(), TITLE);
        } else if (st.help()) {
            b.append("any key closes the help", DIM);
        } else {
            String[][] hints = st.drilled() != null
                    ? new String[][] {
                        {"Esc", "back"},
                        {"↑↓", "replica"},
                        {"s/S", "sort"},
                        {"e", "export"},
                        {"p", "pause"},
                        {"?", "help"},
                        {"q", "quit"}
                    }
                    : new String[][] {
                        {"?", "help"},
                        {"/", "filter"},
                        {"s/S", "sort"},
                        {"1-0", "column"},
                        {"↑↓", "select"},
                        {"Enter", "drill down"},
                        {"e", "export"},
                        {"p", "pause"},
                        {"q", "quit"}
                    };
            for (String[] h : hints) b.append(h[0], KEY).append(" " + h[1] + "  ");
        }
        return Table.cut(b.toAttributedString(), width);
    }

    private static List<AttributedString> help(int width) {
        List<AttributedString> l = new ArrayList<>();
        l.add(new AttributedString("Keys", TITLE));
        String[][] keys = {
            {"?", "this help; any key closes it"},
            {"/", "filter: type part of a model's or replica's name; Enter applies, Esc cancels"},
            {"Esc", "back from a model; in the table, clear the filter"},
            {"s  S", "sort by the next column; reverse the order"},
            {"1-9 0", "sort by " + digits() + " (the same key again reverses)"},
            {"↑ ↓  j k", "select a model (a replica, drilled down); PgUp PgDn, Home End (g G) jump"},
            {"Enter", "drill down into the selected model: its replicas, trends and targets"},
            {"e", "export what is on screen as JSON to llmlab-top-YYYYMMDD-HHMMSS.json here"},
            {"p", "pause the view (reading goes on); again to resume"},
            {"q  Ctrl-C", "quit"}
        };
        for (String[] k : keys)
            l.add(new AttributedStringBuilder()
                    .append("  " + Table.align(k[0], 10, true), KEY)
                    .append(k[1])
                    .toAttributedString());
        l.add(AttributedString.EMPTY);
        l.add(new AttributedString("Colours", TITLE));
        l.add(new AttributedStringBuilder()
                .append("  red       ", Table.BAD)
                .append("a capped percentile (>X, above the last bucket); ERR% > 5%; WAIT > 0 with KV% > 95%")
                .toAttributedString());
        l.add(new AttributedStringBuilder()
                .append("  yellow    ", Table.WARN)
                .append("ERR% > 1%; KV% > 90%; any preemption")
                .toAttributedString());
        l.add(AttributedString.EMPTY);
        l.add(new AttributedString("REQ/S TREND and TTFT99 TREND: one bar per refresh, the last " + Table.TREND_WIDTH
                + " (60 when drilled down), scaled to the largest shown."));
        l.replaceAll(a -> Table.cut(a, width));
        return l;
    }

    private static String digits() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Sort.DIGITS.size(); i++) {
            Column c = Sort.DIGITS.get(i);
            if (i > 0) b.append(", ");
            b.append((i + 1) % 10).append(' ').append(c == null ? "MODEL" : c.header());
        }
        return b.toString();
    }

    static String duration(Duration d) {
        long ms = d.toMillis();
        if (ms % 60_000 == 0 && ms >= 60_000) return ms / 60_000 + "m";
        if (ms % 1000 == 0) return ms / 1000 + "s";
        if (ms < 1000) return ms + "ms";
        return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
    }

    private static double max(double[] points) {
        double m = Double.NaN;
        for (double p : points) if (Double.isFinite(p) && !(p <= m)) m = p;
        return m;
    }

    private static String rate(double[] points) {
        double m = max(points);
        return Double.isNaN(m) ? "-" : String.format(Locale.ROOT, "%.1f", m);
    }

    private static String seconds(double s) {
        if (Double.isNaN(s)) return "-";
        return s < 1 ? String.format(Locale.ROOT, "%.1fms", s * 1e3) : String.format(Locale.ROOT, "%.2fs", s);
    }
}
