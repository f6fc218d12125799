package dev.llmlab.top;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The SLO table under top's text view: one line per SLO and model, each window as attainment and
 * burn rate ({@code 97.1% 0.6x}; a dash without events), the alert, and the trend of the burn.
 */
final class SloText {
    private SloText() {}

    static String render(List<SloStatus> slos) {
        if (slos.isEmpty()) return "";
        List<String[]> lines = new ArrayList<>();
        List<String> head = new ArrayList<>(List.of("SLO", "MODEL", "OBJECTIVE"));
        for (SloStatus.Window w : slos.getFirst().windows()) head.add(w.label());
        head.addAll(List.of("ALERT", "TREND"));
        lines.add(head.toArray(String[]::new));
        for (SloStatus s : slos) {
            List<String> l = new ArrayList<>(List.of(s.slo(), s.model(), s.objective() + (s.estimate() ? " ~" : "")));
            for (SloStatus.Window w : s.windows()) l.add(s.unmeasurable() != null ? "n/a" : window(w));
            l.add(s.alert() == null ? "" : s.alert().toUpperCase(Locale.ROOT));
            l.add(s.unmeasurable() != null ? "cannot measure: " + s.unmeasurable() : trend(s.trend()));
            lines.add(l.toArray(String[]::new));
        }
        int[] width = new int[head.size()];
        for (String[] l : lines) for (int i = 0; i < l.length; i++) width[i] = Math.max(width[i], l[i].length());
        StringBuilder out = new StringBuilder(System.lineSeparator());
        for (String[] l : lines) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < l.length; i++) {
                boolean left = i < 3 || i >= l.length - 2;
                line.append(
                        left
                                ? l[i] + " ".repeat(width[i] - l[i].length())
                                : " ".repeat(width[i] - l[i].length()) + l[i]);
                if (i + 1 < l.length) line.append("  ");
            }
            out.append(line.toString().stripTrailing()).append(System.lineSeparator());
        }
        if (slos.stream().anyMatch(SloStatus::estimate))
            out.append(
                            "~ some good-event counts are estimates (a threshold between bucket bounds; goodput's lower bound)")
                    .append(System.lineSeparator());
        double watched = slos.stream()
                .flatMap(s -> s.windows().stream())
                .mapToDouble(SloStatus.Window::covered)
                .max()
                .orElse(0);
        SloStatus.Window longest = slos.getFirst().windows().getLast();
        if (watched < longest.seconds())
            out.append(String.format(
                            Locale.ROOT, "windows longer than %.0f s hold what top has watched so far", watched))
                    .append(System.lineSeparator());
        return out.toString();
    }

    private static String window(SloStatus.Window w) {
        if (!(w.total() > 0)) return "-";
        return String.format(Locale.ROOT, "%.2f%% %.1fx", 100 * w.attainment(), w.burnRate());
    }

    /** {@code burn 0.4x +0.10/min, r2 0.81 over 5m (30 slots): 1x in 6 min}; empty with too few slots. */
    static String trend(SloStatus.Trend t) {
        if (t.points() < 3) return "";
        String when = t.minutesToViolation() == 0
                ? "at or over 1x now"
                : Double.isNaN(t.minutesToViolation())
                        ? "not heading to 1x"
                        : String.format(Locale.ROOT, "1x in ~%.0f min", Math.max(1, t.minutesToViolation()));
        return String.format(
                Locale.ROOT,
                "burn %.2fx %+.2f/min, r2 %.2f over %s (%d slots): %s",
                t.burnNow(),
                t.slopePerMinute(),
                t.r2(),
                dev.llmlab.core.time.Durations.format(java.time.Duration.ofSeconds((long) t.seconds())),
                t.points(),
                when);
    }
}
