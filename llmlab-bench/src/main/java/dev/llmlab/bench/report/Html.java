package dev.llmlab.bench.report;

import dev.llmlab.core.io.InlineAssets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The HTML report's building blocks: escaping, number formatting, tables, badges, and the page
 * shell with its inlined assets (uPlot's script and stylesheet, the report's own). Every string
 * taken from a result passes through {@link #esc} before it reaches the page; chart data goes in
 * as JSON through {@link #scriptJson}, and the page's script hands labels to uPlot, which sets them
 * as text. Stateless.
 */
final class Html {
    /** Nothing leaves the page: no script, style, font or image but the inlined ones. */
    static final String CSP =
            "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";

    static final String DASH = "\u2013";

    private Html() {}

    /** {@code s} as HTML text or attribute value. */
    static String esc(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * JSON made safe inside {@code <script type="application/json">}: every {@code <} becomes
     * {@code \u003c}, so neither {@code </script>} nor {@code <!--} can end or change the block; the
     * JSON means the same.
     */
    static String scriptJson(String json) {
        return json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
    }

    /** A number as the tables show it: whole numbers as such, grouped from 1000, three significant digits or so below. */
    static String num(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return DASH;
        double a = Math.abs(v);
        if (v == Math.rint(v) || a >= 1000) return String.format(Locale.ROOT, "%,.0f", v);
        if (a >= 100) return String.format(Locale.ROOT, "%.1f", v);
        if (a >= 1) return String.format(Locale.ROOT, "%.2f", v);
        if (a == 0) return "0";
        return String.format(Locale.ROOT, "%.3g", v);
    }

    /** A figure formatted, or {@code absent} when it is unknown (NaN). */
    static String num(double v, String absent) {
        return Double.isNaN(v) ? absent : num(v);
    }

    /** A string escaped; {@code absent} (already HTML) when it is null. */
    static String str(String s, String absent) {
        return s == null ? absent : esc(s);
    }

    /** Any node as a table cell: strings as text, numbers and booleans as written, objects as JSON. */
    static String value(JsonNode n) {
        if (n == null || n.isMissingNode() || n.isNull()) return "<span class=\"muted\">none</span>";
        if (n.isString()) return esc(n.asString());
        if (n.isValueNode()) return esc(n.toString());
        String json = n.toString();
        if (json.length() <= 160) return "<code>" + esc(json) + "</code>";
        return "<details><summary>" + (n.isArray() ? n.size() + " entries" : n.size() + " fields") + "</summary><code>"
                + esc(json) + "</code></details>";
    }

    static String badge(String kind, String text) {
        return "<span class=\"badge " + kind + "\">" + esc(text) + "</span>";
    }

    static String section(String id, String title, String body) {
        return "<section id=\"" + id + "\"><h2>" + esc(title) + "</h2>\n" + body + "</section>\n";
    }

    static String note(String html) {
        return "<p class=\"note\">" + html + "</p>\n";
    }

    /**
     * A table.
     *
     * @param heads   header cells, escaped here
     * @param numeric which columns hold numbers (right-aligned)
     * @param rows    cells as HTML, already escaped
     */
    static String table(List<String> heads, boolean[] numeric, List<List<String>> rows) {
        StringBuilder b = new StringBuilder("<div class=\"scroll\"><table><thead><tr>");
        for (int i = 0; i < heads.size(); i++) {
            b.append(numeric[i] ? "<th class=\"n\">" : "<th>")
                    .append(esc(heads.get(i)))
                    .append("</th>");
        }
        b.append("</tr></thead><tbody>\n");
        for (List<String> row : rows) {
            b.append("<tr>");
            for (int i = 0; i < row.size(); i++) {
                b.append(i < numeric.length && numeric[i] ? "<td class=\"n\">" : "<td>")
                        .append(row.get(i))
                        .append("</td>");
            }
            b.append("</tr>\n");
        }
        return b.append("</tbody></table></div>\n").toString();
    }

    /** A two-column table of every field of {@code obj} (a part of a result as its JSON tree), in its order. */
    static String keyValues(JsonNode obj) {
        List<List<String>> rows = new java.util.ArrayList<>();
        for (Map.Entry<String, JsonNode> e : obj.properties())
            rows.add(List.of("<code>" + esc(e.getKey()) + "</code>", value(e.getValue())));
        return table(List.of("key", "value"), new boolean[] {false, false}, rows)
                .replace("<table>", "<table class=\"kv\">");
    }

    /** The whole page: head with inlined styles, the body, the chart data and the scripts that draw it. */
    static String page(String title, String body, String chartsJson) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<meta http-equiv=\"Content-Security-Policy\" content=\"" + CSP + "\">\n"
                + "<meta name=\"generator\" content=\"llmlab bench report\">\n"
                + "<title>" + esc(title) + "</title>\n"
                + "<style>\n" + asset(InlineAssets.UPLOT_CSS) + "\n</style>\n"
                + "<style>\n" + asset(InlineAssets.THEME_CSS) + asset("dev/llmlab/bench/report/report.css")
                + "</style>\n"
                + "</head>\n<body>\n" + body
                + "<noscript><p class=\"wrap note\">The charts need JavaScript; the tables above hold every figure.</p></noscript>\n"
                + "<script type=\"application/json\" id=\"llmlab-charts\">" + scriptJson(chartsJson) + "</script>\n"
                + "<script>\n" + asset(InlineAssets.UPLOT_JS) + "\n</script>\n"
                + "<script>\n" + asset("dev/llmlab/bench/report/report.js") + "</script>\n"
                + "</body>\n</html>\n";
    }

    /** A classpath resource as text, made unable to close the element it is inlined into. */
    static String asset(String path) {
        return InlineAssets.text(path);
    }
}
