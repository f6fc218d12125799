package dev.llmlab.top.tui;

import dev.llmlab.top.Column;
import dev.llmlab.top.Row;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The order of the rows: by name, or by a figure column. A figure sorts largest first unless
 * reversed; a row without the figure (not exported, idle) is last either way, so that reversing
 * the order does not bring the empty rows to the top. A capped percentile ({@code >X}) sorts above
 * an exact one of the same value, being only a lower bound. Ties go by name.
 *
 * @param column null: by name
 */
record Sort(Column column, boolean descending) {
    static final Sort BY_NAME = new Sort(null, false);

    /**
     * The columns the keys {@code 1} to {@code 9} and {@code 0} sort by, in that order (null: the
     * name): the ten most asked for; {@code s} cycles through them all.
     */
    static final List<Column> DIGITS = Arrays.asList(
            null,
            Column.REQUESTS_PER_SECOND,
            Column.ERROR_RATE,
            Column.RUNNING,
            Column.WAITING,
            Column.KV_CACHE_USAGE,
            Column.TTFT_P99,
            Column.ITL_P99,
            Column.E2E_P99,
            Column.OUTPUT_TOKENS_PER_SECOND);

    /** By {@code column} in its natural direction: names A to Z, figures largest first. */
    static Sort by(Column column) {
        return new Sort(column, column != null);
    }

    /** The column after this one, in the table's order, and the name after the last. */
    Sort next() {
        Column[] all = Column.values();
        if (column == null) return by(all[0]);
        return column.ordinal() + 1 < all.length ? by(all[column.ordinal() + 1]) : BY_NAME;
    }

    Sort reversed() {
        return new Sort(column, !descending);
    }

    /** The column's heading ({@code MODEL} for the name), as the header and help show it. */
    String label() {
        return column == null ? "MODEL" : column.header();
    }

    /** @param name a row's name: its model's, or its replica's in a list of replicas */
    Comparator<Row> comparator(java.util.function.Function<Row, String> name) {
        Comparator<Row> byName = Comparator.comparing(name);
        if (column == null) return descending ? byName.reversed() : byName;
        Comparator<Row> byValue = (a, b) -> {
            double x = column.value(a.figures());
            double y = column.value(b.figures());
            boolean xn = Double.isNaN(x);
            boolean yn = Double.isNaN(y);
            if (xn || yn) return xn && yn ? 0 : xn ? 1 : -1; // without a figure: last, either way
            int c = Double.compare(x, y);
            if (c == 0) c = Boolean.compare(capped(a), capped(b));
            return descending ? -c : c;
        };
        return byValue.thenComparing(byName);
    }

    private boolean capped(Row r) {
        var e = column.estimate(r.figures());
        return e != null && e.lowerBound();
    }
}
