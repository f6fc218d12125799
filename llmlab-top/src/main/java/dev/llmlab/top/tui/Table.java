package dev.llmlab.top.tui;

import dev.llmlab.top.Column;
import dev.llmlab.top.Row;
import java.util.ArrayList;
import java.util.List;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/**
 * The columns of the rows on screen, laid out for a width: the text table's columns (MODEL,
 * REPLICA, KIND and the figures, {@link Column}), with a trend after REQ/S and after TTFT99. Each
 * column is as wide as its widest cell; names are capped and cut with an ellipsis. Columns are
 * taken left to right while they fit, so a narrow terminal loses the rightmost ones, never half a
 * column.
 */
final class Table {
    static final int TREND_WIDTH = 12;
    static final String GAP = "  ";
    private static final char ELLIPSIS = '…';

    static final AttributedStyle HEAD =
            AttributedStyle.DEFAULT.foreground(AttributedStyle.BLACK).background(AttributedStyle.GREEN);
    static final AttributedStyle SELECTED = AttributedStyle.DEFAULT.inverse();
    static final AttributedStyle WARN = AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW);
    static final AttributedStyle BAD =
            AttributedStyle.DEFAULT.foreground(AttributedStyle.RED).bold();

    private enum Kind {
        MODEL,
        REPLICA,
        KIND,
        FIGURE,
        REQUESTS_TREND,
        TTFT_TREND
    }

    private record Col(Kind kind, Column figure, String head, int width) {
        boolean left() {
            return kind == Kind.MODEL || kind == Kind.REPLICA || kind == Kind.KIND;
        }
    }

    private final List<Col> cols;
    private final Sort sort;
    private final Frame frame;
    private final Thresholds thresholds;
    private final int width;

    private Table(List<Col> cols, Sort sort, Frame frame, Thresholds thresholds, int width) {
        this.cols = cols;
        this.sort = sort;
        this.frame = frame;
        this.thresholds = thresholds;
        this.width = width;
    }

    /** The columns for {@code rows} (every row that will be drawn) in {@code width} characters. */
    static Table layout(List<Row> rows, Sort sort, Frame frame, Thresholds thresholds, int width) {
        List<Col> all = new ArrayList<>();
        int nameCap = Math.max(16, width / 3);
        all.add(new Col(Kind.MODEL, null, "MODEL", Math.min(nameCap, widest(rows, Kind.MODEL, null, "MODEL", sort))));
        all.add(new Col(
                Kind.REPLICA, null, "REPLICA", Math.min(nameCap, widest(rows, Kind.REPLICA, null, "REPLICA", sort))));
        all.add(new Col(Kind.KIND, null, "KIND", Math.min(10, widest(rows, Kind.KIND, null, "KIND", sort))));
        for (Column c : Column.values()) {
            all.add(new Col(Kind.FIGURE, c, c.header(), widest(rows, Kind.FIGURE, c, c.header(), sort)));
            if (c == Column.REQUESTS_PER_SECOND)
                all.add(new Col(Kind.REQUESTS_TREND, null, "REQ/S TREND", TREND_WIDTH));
            if (c == Column.TTFT_P99) all.add(new Col(Kind.TTFT_TREND, null, "TTFT99 TREND", TREND_WIDTH));
        }
        List<Col> fit = new ArrayList<>();
        int used = 0;
        for (Col c : all) {
            int need = (fit.isEmpty() ? 0 : GAP.length()) + c.width();
            if (used + need > width) {
                if (fit.isEmpty()) fit.add(new Col(c.kind(), c.figure(), c.head(), Math.max(0, width)));
                break;
            }
            fit.add(c);
            used += need;
        }
        return new Table(List.copyOf(fit), sort, frame, thresholds, width);
    }

    /** How many columns fit (for tests: a narrow terminal drops the rightmost). */
    int columns() {
        return cols.size();
    }

    AttributedString header() {
        AttributedStringBuilder b = new AttributedStringBuilder();
        for (int i = 0; i < cols.size(); i++) {
            Col c = cols.get(i);
            if (i > 0) b.append(GAP, HEAD);
            b.append(align(heading(c.head(), c.kind(), c.figure(), sort), c.width(), c.left()), HEAD);
        }
        return fill(b, HEAD);
    }

    /** A row's line: a replica's shows its name under REPLICA and leaves MODEL blank, as the text table does. */
    AttributedString line(Row r, boolean selected) {
        AttributedStringBuilder b = new AttributedStringBuilder();
        AttributedStyle base = selected ? SELECTED : AttributedStyle.DEFAULT;
        for (int i = 0; i < cols.size(); i++) {
            Col c = cols.get(i);
            if (i > 0) b.append(GAP, base);
            AttributedStyle style = base;
            if (c.kind() == Kind.FIGURE) {
                switch (thresholds.level(r, c.figure())) {
                    case WARN -> style = selected ? base.foreground(AttributedStyle.YELLOW) : WARN;
                    case BAD ->
                        style = selected ? base.foreground(AttributedStyle.RED).bold() : BAD;
                    case OK -> {}
                }
            }
            b.append(align(cell(r, c.kind(), c.figure(), frame, c.width()), c.width(), c.left()), style);
        }
        return selected ? fill(b, SELECTED) : cut(b.toAttributedString(), width);
    }

    private static String heading(String head, Kind kind, Column figure, Sort sort) {
        boolean sorted = kind == Kind.FIGURE ? sort.column() == figure : kind == Kind.MODEL && sort.column() == null;
        return sorted ? head + (sort.descending() ? "▼" : "▲") : head;
    }

    private static String cell(Row r, Kind kind, Column figure, Frame frame, int width) {
        return switch (kind) {
            case MODEL -> r.replica() == null ? r.model() : "";
            case REPLICA ->
                r.replica() != null
                        ? r.replica()
                        : "(" + r.replicas() + (r.replicas() == 1 ? " replica)" : " replicas)");
            case KIND -> r.kind();
            case FIGURE -> figure.text(r.figures());
            case REQUESTS_TREND ->
                frame == null ? "" : Sparkline.render(frame.series(r).requests(), width);
            case TTFT_TREND ->
                frame == null ? "" : Sparkline.render(frame.series(r).ttftP99(), width);
        };
    }

    private static int widest(List<Row> rows, Kind kind, Column figure, String head, Sort sort) {
        int w = heading(head, kind, figure, sort).length();
        for (Row r : rows) w = Math.max(w, cell(r, kind, figure, null, 0).length());
        return w;
    }

    /**
     * {@code s} in exactly {@code w} characters: padded, or cut. A name cut loses its organisation
     * first ({@code meta-llama/}), then its middle, as names that share a prefix ({@code
     * Llama-3.1-8B-Instruct}, {@code Llama-3.1-70B-Instruct}) differ further on.
     */
    static String align(String s, int w, boolean left) {
        if (w <= 0) return "";
        if (s.length() > w && left && s.indexOf('/') >= 0) s = s.substring(s.lastIndexOf('/') + 1); // org/model
        if (s.length() > w) {
            if (w == 1) return String.valueOf(ELLIPSIS);
            int head = (w - 1) / 4;
            return s.substring(0, head) + ELLIPSIS + s.substring(s.length() - (w - 1 - head));
        }
        String pad = " ".repeat(w - s.length());
        return left ? s + pad : pad + s;
    }

    private AttributedString fill(AttributedStringBuilder b, AttributedStyle style) {
        if (b.length() < width) b.append(" ".repeat(width - b.length()), style);
        return cut(b.toAttributedString(), width);
    }

    static AttributedString cut(AttributedString s, int width) {
        return s.length() <= width ? s : s.subSequence(0, Math.max(0, width));
    }
}
