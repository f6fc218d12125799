package dev.llmlab.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * One pass over a page of Prometheus text (0.0.4) or OpenMetrics text (1.0), line by line, with an
 * index into the page instead of a split, a regex or a substring per token: a monitor scrapes
 * hundreds of pages a second, and a vLLM page is a few thousand lines of which most are histogram
 * buckets.
 *
 * <p>Tolerance is per line: a line that does not parse is counted in {@link Exposition#skippedLines}
 * and costs only itself; nothing on a page makes this throw. The grammar accepted is the union of
 * the two formats and of what servers print: spaces around {@code =} and after commas, a trailing
 * comma, quoted UTF-8 metric names inside the braces (Prometheus 3), Go's spellings of NaN and the
 * infinities in any case, timestamps (milliseconds in 0.0.4, seconds in OpenMetrics: kept as
 * written), exemplars after {@code " # "} (skipped), and {@code # EOF} (the page ends there). Label
 * values unescape {@code \\}, {@code \"} and {@code \n}; any other backslash is kept as written.
 * Hexadecimal floats, which Go would accept, are not.
 *
 * <p>Strings are reused where the page repeats itself: a metric name equal to the previous line's,
 * and a label name or value equal to the previous line's at the same position, are not copied
 * again. On a histogram only {@code le} values are new strings.
 *
 * <p>Numbers are read by {@link Numbers}, without a substring on the common path.
 */
final class TextParser {
    private final String s;
    private final FamilyAssembler families = new FamilyAssembler();
    private final List<Sample> samples = new ArrayList<>();
    private String[] scratch = new String[16];
    private Sample previous;
    private int skipped;
    private boolean eof;
    private String quoted;

    private final java.util.function.Predicate<String> keep;

    private TextParser(String s, java.util.function.Predicate<String> keep) {
        this.s = s;
        this.keep = keep;
    }

    static Exposition parse(CharSequence text) {
        return parse(text, null);
    }

    /** @param keep which sample names to keep (null: all); the others are passed over, not counted as skipped */
    static Exposition parse(CharSequence text, java.util.function.Predicate<String> keep) {
        TextParser p = new TextParser(text == null ? "" : text.toString(), keep);
        p.run();
        return new Exposition(p.samples, p.families.build(), p.skipped, p.eof);
    }

    private void run() {
        int n = s.length();
        int pos = 0;
        while (pos < n && !eof) {
            int next = s.indexOf('\n', pos);
            if (next < 0) next = n;
            int end = next;
            while (end > pos && isBlank(s.charAt(end - 1))) end--;
            int start = pos;
            while (start < end && isBlank(s.charAt(start))) start++;
            if (start < end) {
                if (s.charAt(start) == '#') comment(start + 1, end);
                else if (!sample(start, end)) skipped++;
            }
            pos = next + 1;
        }
    }

    /** {@code # TYPE}, {@code # HELP}, {@code # UNIT} and {@code # EOF}; other comments are ignored. */
    private void comment(int i, int end) {
        i = skipSpace(i, end);
        int w = i;
        while (i < end && !isSpace(s.charAt(i))) i++;
        String word = s.substring(w, i);
        if (word.equals("EOF")) {
            eof = true;
            return;
        }
        if (!word.equals("TYPE") && !word.equals("HELP") && !word.equals("UNIT")) return;
        i = skipSpace(i, end);
        String name;
        if (i < end && s.charAt(i) == '"') {
            int open = i;
            i = quoted(i, end);
            if (i < 0) return;
            name = quotedText(open, i);
        } else {
            int ns = i;
            while (i < end && !isSpace(s.charAt(i))) i++;
            name = s.substring(ns, i);
        }
        if (name.isEmpty()) return;
        String rest = s.substring(skipSpace(i, end), end);
        switch (word) {
            case "TYPE" -> families.type(name, MetricType.parse(rest));
            case "HELP" -> families.help(name, unescapeHelp(rest));
            default -> families.unit(name, rest);
        }
    }

    /** One sample line; false when it is malformed or belongs to no family it could join. */
    private boolean sample(int i, int end) {
        String name = null;
        char c = s.charAt(i);
        if (c != '{') {
            if (!isNameStart(c)) return false;
            int ns = i++;
            while (i < end && isNameChar(s.charAt(i))) i++;
            name = previous != null && regionIs(previous.name(), ns, i) ? previous.name() : s.substring(ns, i);
            if (keep != null && !keep.test(name)) return true;
            i = skipSpace(i, end);
        }
        int length = 0;
        if (i < end && s.charAt(i) == '{') {
            i++;
            while (true) {
                i = skipSpace(i, end);
                if (i >= end) return false;
                c = s.charAt(i);
                if (c == '}') {
                    i++;
                    break;
                }
                String key;
                boolean isQuoted = c == '"';
                if (isQuoted) {
                    int open = i;
                    i = quoted(i, end);
                    if (i < 0) return false;
                    key = quotedText(open, i);
                } else {
                    if (!isLabelStart(c)) return false;
                    int ks = i++;
                    while (i < end && isLabelChar(s.charAt(i))) i++;
                    key = reuse(ks, i, length / 2, true);
                }
                i = skipSpace(i, end);
                if (i < end && s.charAt(i) == '=') {
                    i = skipSpace(i + 1, end);
                    if (i >= end || s.charAt(i) != '"') return false;
                    int vs = i;
                    i = quoted(i, end);
                    if (i < 0) return false;
                    String value = quoted != null ? quoted : reuse(vs + 1, i - 1, length / 2, false);
                    if (length + 2 > scratch.length) scratch = java.util.Arrays.copyOf(scratch, scratch.length * 2);
                    scratch[length++] = key;
                    scratch[length++] = value;
                } else if (isQuoted && name == null) {
                    name = key; // a UTF-8 metric name inside the braces
                } else {
                    return false;
                }
                i = skipSpace(i, end);
                if (i < end && s.charAt(i) == ',') i++;
                else if (i >= end || s.charAt(i) != '}') return false;
            }
            i = skipSpace(i, end);
        }
        if (name == null || name.isEmpty()) return false;
        int vs = i;
        while (i < end && !isSpace(s.charAt(i))) i++;
        if (vs == i) return false;
        double value = Numbers.parse(s, vs, i);
        if (Double.isNaN(value) && !Numbers.spellsNaN(s, vs, i)) return false;
        i = skipSpace(i, end);
        double timestamp = Double.NaN;
        if (i < end && s.charAt(i) != '#') {
            int ts = i;
            while (i < end && !isSpace(s.charAt(i))) i++;
            timestamp = Numbers.parse(s, ts, i);
            if (!Double.isFinite(timestamp)) return false;
            i = skipSpace(i, end);
        }
        if (i < end && s.charAt(i) != '#') return false; // nothing but an exemplar may follow
        Labels labels = Labels.sorted(scratch, length);
        if (labels == null) return false;
        Sample sample = new Sample(name, labels, value, timestamp);
        if (!families.add(sample)) return false;
        samples.add(sample);
        previous = sample;
        return true;
    }

    /**
     * The string {@code s[from, to)}, or the previous line's label name (or value) at the same
     * position when it is the same text.
     */
    private String reuse(int from, int to, int index, boolean labelName) {
        if (previous != null) {
            Labels p = previous.labels();
            if (index < p.size()) {
                String candidate = labelName ? p.nameAt(index) : p.valueAt(index);
                if (regionIs(candidate, from, to)) return candidate;
            }
        }
        return s.substring(from, to);
    }

    private boolean regionIs(String candidate, int from, int to) {
        return candidate.length() == to - from && s.regionMatches(from, candidate, 0, to - from);
    }

    /**
     * Reads the quoted string at {@code s[i] == '"'}: the index after its closing quote, or -1 when
     * it does not close on this line. {@link #quoted} is the unescaped text when it had escapes,
     * else null: the text is then the page's own, taken by {@link #quotedText} or {@link #reuse}.
     */
    private int quoted(int i, int end) {
        for (int j = i + 1; j < end; j++) {
            char c = s.charAt(j);
            if (c == '"') {
                quoted = null;
                return j + 1;
            }
            if (c == '\\') return quotedSlow(i, end);
        }
        return -1;
    }

    /** The text of the quoted string that opened at {@code open} and ended before {@code after}. */
    private String quotedText(int open, int after) {
        return quoted != null ? quoted : s.substring(open + 1, after - 1);
    }

    private int quotedSlow(int i, int end) {
        StringBuilder out = new StringBuilder();
        for (int j = i + 1; j < end; j++) {
            char c = s.charAt(j);
            if (c == '"') {
                quoted = out.toString();
                return j + 1;
            }
            if (c == '\\' && j + 1 < end) {
                char e = s.charAt(++j);
                switch (e) {
                    case 'n' -> out.append('\n');
                    case '\\', '"' -> out.append(e);
                    default -> out.append('\\').append(e); // not an escape in either format: kept as written
                }
            } else {
                out.append(c);
            }
        }
        return -1;
    }

    /** HELP text escapes backslash and newline (and, in OpenMetrics, the double quote). */
    private static String unescapeHelp(String h) {
        if (h.indexOf('\\') < 0) return h;
        StringBuilder b = new StringBuilder(h.length());
        for (int i = 0; i < h.length(); i++) {
            char c = h.charAt(i);
            if (c == '\\' && i + 1 < h.length()) {
                char e = h.charAt(++i);
                switch (e) {
                    case 'n' -> b.append('\n');
                    case '\\', '"' -> b.append(e);
                    default -> b.append('\\').append(e);
                }
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private int skipSpace(int i, int end) {
        while (i < end && isSpace(s.charAt(i))) i++;
        return i;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\r';
    }

    private static boolean isNameStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    }

    private static boolean isNameChar(char c) {
        return isNameStart(c) || (c >= '0' && c <= '9');
    }

    private static boolean isLabelStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static boolean isLabelChar(char c) {
        return isLabelStart(c) || (c >= '0' && c <= '9');
    }
}
