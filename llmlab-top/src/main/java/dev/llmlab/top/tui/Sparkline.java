package dev.llmlab.top.tui;

/**
 * A row of block characters, one per point, each as high as its value over the largest value
 * shown: {@code ▁} for zero (or nearly), {@code █} for the largest. The scale starts at zero, not at
 * the smallest value, so that a flat, busy series does not read as a jagged one. A point with no
 * value (not exported, an idle window) is a blank.
 */
final class Sparkline {
    static final String BARS = "▁▂▃▄▅▆▇█";

    private Sparkline() {}

    /**
     * The last {@code width} points, oldest first, right-aligned: blanks on the left while fewer
     * points are kept.
     */
    static String render(double[] points, int width) {
        if (width <= 0) return "";
        int n = Math.min(width, points.length);
        int from = points.length - n;
        double max = 0;
        for (int i = from; i < points.length; i++) if (Double.isFinite(points[i])) max = Math.max(max, points[i]);
        StringBuilder out = new StringBuilder(width);
        out.append(" ".repeat(width - n));
        for (int i = from; i < points.length; i++) {
            double v = points[i];
            if (!Double.isFinite(v)) out.append(' ');
            else if (max <= 0 || v <= 0) out.append(BARS.charAt(0));
            else out.append(BARS.charAt((int) Math.min(BARS.length() - 1, Math.round(v / max * (BARS.length() - 1)))));
        }
        return out.toString();
    }
}
