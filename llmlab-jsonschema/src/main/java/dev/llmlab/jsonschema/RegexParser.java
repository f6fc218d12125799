package dev.llmlab.jsonschema;

import dev.llmlab.jsonschema.Regex.Alt;
import dev.llmlab.jsonschema.Regex.Chars;
import dev.llmlab.jsonschema.Regex.Node;
import dev.llmlab.jsonschema.Regex.Rep;
import dev.llmlab.jsonschema.Regex.Seq;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Parses a {@code pattern} into a {@link Regex}, for the subset of ECMA-262 / java.util.regex syntax that means the
 * same in both: literals, escapes ({@code \d \w \s \D \W \S \t \n \r \f \v \xHH \\uHHHH} and escaped
 * punctuation), {@code .}, character classes with ranges and negation, groups ({@code (...)}, {@code (?:...)},
 * {@code (?<name>...)}), alternation, greedy or lazy quantifiers {@code ? * + {n} {n,} {n,m}}, and {@code ^} / {@code $}
 * at the start / end of a top-level alternative.
 *
 * <p>Why a subset, and why refuse the rest. A schema's pattern is written for the dialect of whoever validates the
 * answer (ECMA-262, as JSON Schema specifies, in practice often Python's or Java's engine); the simulator validates
 * with java.util.regex and generates from this parser's tree. Constructs whose meaning differs between dialects
 * ({@code ]} first in a class, nested classes and {@code &&}, {@code \p{..}}, inline flags) or that a tree of sets,
 * sequences, alternations and repetitions cannot express (look-around, back-references, word boundaries, possessive
 * quantifiers) are refused with an {@link IllegalArgumentException} naming the construct and its index, so the
 * compiler can refuse the schema instead of producing strings that do not match. Counts above 1000 are refused too:
 * they would make the length planner's tables large for no realistic schema.
 *
 * <p>One approximation, always on the safe side: {@code .} draws from letters, digits and space, and the negated
 * escapes and classes from printable ASCII ({@code U+0020..U+007E}) less the class, rather than from every code
 * point. Every character drawn is in the class under either dialect, so generated strings stay in the language; only
 * some of its strings are never produced.
 *
 * <p>The parser is a recursive descent over the grammar of ECMA-262, section 22.2.1 (Patterns), restricted as
 * above: alternation, then sequence, then a quantified atom. Each call of {@link #parse} uses its own instance, so
 * parsing is thread-safe.
 */
final class RegexParser {

    private static final int[] ALNUM_SPACE = {' ', ' ', '0', '9', 'A', 'Z', 'a', 'z'};
    private static final int[] DIGIT = {'0', '9'};
    private static final int[] WORD = {'0', '9', 'A', 'Z', '_', '_', 'a', 'z'};
    private static final int[] SPACE = {'\t', '\r', ' ', ' '}; // \t \n \u000B \f \r and space
    private static final int UNIVERSE_LO = 0x20;
    private static final int UNIVERSE_HI = 0x7E;

    private final String s;
    private int pos;
    private boolean anchoredStart;
    private boolean anchoredEnd;

    private RegexParser(String s) {
        this.s = s;
    }

    /** Parses a pattern known to compile with java.util.regex; throws IllegalArgumentException if outside the subset. */
    static Regex parse(String pattern) {
        RegexParser p = new RegexParser(pattern);
        Node n = p.alternation(0);
        if (p.pos != pattern.length()) {
            throw p.unsupported("unbalanced ')'");
        }
        return new Regex(pattern, n, p.anchoredStart, p.anchoredEnd);
    }

    private IllegalArgumentException unsupported(String what) {
        return new IllegalArgumentException("pattern " + Json.NODES.stringNode(s) + " uses " + what + " at index " + pos
                + ", outside the supported regex subset (literals, escapes \\d \\w \\s, classes, groups,"
                + " alternation, quantifiers, leading ^ and trailing $)");
    }

    private boolean more() {
        return pos < s.length();
    }

    private int peek() {
        return s.codePointAt(pos);
    }

    private int next() {
        int cp = s.codePointAt(pos);
        pos += Character.charCount(cp);
        return cp;
    }

    private Node alternation(int depth) {
        List<Node> alts = new ArrayList<>();
        alts.add(sequence(depth));
        while (more() && peek() == '|') {
            pos++;
            alts.add(sequence(depth));
        }
        return alts.size() == 1 ? alts.get(0) : new Alt(alts.toArray(Node[]::new));
    }

    private Node sequence(int depth) {
        List<Node> parts = new ArrayList<>();
        boolean start = true;
        while (more() && peek() != '|' && peek() != ')') {
            int c = peek();
            if (c == '^') {
                if (depth != 0 || !start) {
                    throw unsupported("'^' not at the start of the pattern");
                }
                pos++;
                start = false;
                anchoredStart = true;
                continue;
            }
            if (c == '$') {
                pos++;
                if (depth != 0 || (more() && peek() != '|')) {
                    pos--;
                    throw unsupported("'$' not at the end of the pattern");
                }
                anchoredEnd = true;
                continue;
            }
            start = false;
            Node atom = atom(depth);
            parts.add(quantified(atom));
        }
        if (parts.size() == 1) {
            return parts.get(0);
        }
        return new Seq(parts.toArray(Node[]::new));
    }

    private Node quantified(Node atom) {
        if (!more()) {
            return atom;
        }
        int at = pos;
        int c = peek();
        int min;
        int max;
        if (c == '?') {
            min = 0;
            max = 1;
            pos++;
        } else if (c == '*') {
            min = 0;
            max = -1;
            pos++;
        } else if (c == '+') {
            min = 1;
            max = -1;
            pos++;
        } else if (c == '{') {
            int save = pos;
            pos++;
            int a = number();
            if (a < 0) {
                pos = save;
                throw unsupported("'{' that is not a quantifier");
            }
            if (more() && peek() == '}') {
                pos++;
                min = a;
                max = a;
            } else if (more() && peek() == ',') {
                pos++;
                if (more() && peek() == '}') {
                    pos++;
                    min = a;
                    max = -1;
                } else {
                    int b = number();
                    if (b < 0 || !more() || peek() != '}') {
                        pos = save;
                        throw unsupported("'{' that is not a quantifier");
                    }
                    pos++;
                    min = a;
                    max = b;
                }
            } else {
                pos = save;
                throw unsupported("'{' that is not a quantifier");
            }
        } else {
            return atom;
        }
        if (more() && peek() == '?') {
            pos++; // lazy: same language
        } else if (more() && peek() == '+') {
            throw unsupported("a possessive quantifier");
        }
        if (more() && (peek() == '?' || peek() == '*' || peek() == '+' || peek() == '{')) {
            throw unsupported("a repeated quantifier");
        }
        if (min > 1000 || max > 1000) {
            pos = at; // name the quantifier, not what follows it
            throw unsupported("a repetition count above 1000");
        }
        return new Rep(atom, min, max);
    }

    private int number() {
        int start = pos;
        long v = 0;
        while (more() && peek() >= '0' && peek() <= '9') {
            v = Math.min(v * 10 + (next() - '0'), Integer.MAX_VALUE);
        }
        return pos == start ? -1 : (int) v;
    }

    private Node atom(int depth) {
        int c = next();
        switch (c) {
            case '(': {
                if (more() && peek() == '?') {
                    pos++;
                    if (more() && peek() == ':') {
                        pos++;
                    } else if (more()
                            && peek() == '<'
                            && pos + 1 < s.length()
                            && Character.isLetter(s.charAt(pos + 1))) {
                        pos++;
                        while (more() && peek() != '>') {
                            int n = next();
                            if (!Character.isLetterOrDigit(n)) {
                                throw unsupported("a malformed group name");
                            }
                        }
                        pos++;
                    } else {
                        pos -= 2;
                        throw unsupported("a look-around, inline flag or special group '(?'");
                    }
                }
                Node inner = alternation(depth + 1);
                if (!more() || peek() != ')') {
                    throw unsupported("an unclosed group");
                }
                pos++;
                return inner;
            }
            case '[':
                return charClass();
            case '.':
                return Chars.of(ALNUM_SPACE);
            case '\\':
                return Chars.of(escape(false));
            case '*':
            case '+':
            case '?':
                pos--;
                throw unsupported("a dangling quantifier");
            case '{':
                pos--;
                throw unsupported("a literal '{' (escape it as \\{)");
            default:
                return Chars.of(new int[] {c, c});
        }
    }

    /** Parses an escape after the backslash; returns ranges. */
    private int[] escape(boolean inClass) {
        if (!more()) {
            throw unsupported("a trailing backslash");
        }
        int start = pos - 1;
        int c = next();
        switch (c) {
            case 'd':
                return DIGIT;
            case 'w':
                return WORD;
            case 's':
                return SPACE;
            case 'D':
                return complement(DIGIT);
            case 'W':
                return complement(WORD);
            case 'S':
                return complement(SPACE);
            case 't':
                return single('\t');
            case 'n':
                return single('\n');
            case 'r':
                return single('\r');
            case 'f':
                return single('\f');
            case 'v':
                return single(0x0B);
            case 'x': {
                if (more() && peek() == '{') {
                    pos++;
                    int v = hex(-1);
                    if (!more() || peek() != '}') {
                        pos = start;
                        throw unsupported("a malformed \\x{...} escape");
                    }
                    pos++;
                    return single(v);
                }
                return single(hex(2));
            }
            case 'u':
                return single(hex(4));
            default:
                if (c < 128 && !Character.isLetterOrDigit(c)) {
                    return single(c);
                }
                pos = start;
                throw unsupported("the escape \\" + Character.toString(c));
        }
    }

    private int hex(int digits) {
        int v = 0;
        int n = 0;
        while (more() && (digits < 0 || n < digits) && Character.digit(peek(), 16) >= 0) {
            v = v * 16 + Character.digit(next(), 16);
            n++;
            if (v > Character.MAX_CODE_POINT) {
                throw unsupported("a code point out of range");
            }
        }
        if (n == 0 || (digits > 0 && n != digits)) {
            throw unsupported("a malformed hex escape");
        }
        return v;
    }

    private int[] single(int cp) {
        return new int[] {cp, cp};
    }

    private Node charClass() {
        boolean negated = false;
        if (more() && peek() == '^') {
            negated = true;
            pos++;
        }
        if (more() && peek() == ']') {
            throw unsupported("']' first in a class (ambiguous between regex dialects)");
        }
        int[] ranges = new int[0];
        while (true) {
            if (!more()) {
                throw unsupported("an unclosed class");
            }
            int c = next();
            if (c == ']') {
                break;
            }
            if (c == '[') {
                pos--;
                throw unsupported("'[' inside a class (nested classes)");
            }
            if (c == '&' && more() && peek() == '&') {
                pos--;
                throw unsupported("class intersection '&&'");
            }
            int lo;
            if (c == '\\') {
                int[] esc = escape(true);
                if (esc.length != 2 || esc[0] != esc[1]) {
                    if (more() && peek() == '-' && pos + 1 < s.length() && s.charAt(pos + 1) != ']') {
                        throw unsupported("a range bounded by a class escape");
                    }
                    ranges = concat(ranges, esc);
                    continue;
                }
                lo = esc[0];
            } else {
                lo = c;
            }
            int hi = lo;
            if (more() && peek() == '-' && pos + 1 < s.length() && s.charAt(pos + 1) != ']') {
                pos++;
                int d = next();
                if (d == '\\') {
                    int[] esc = escape(true);
                    if (esc.length != 2 || esc[0] != esc[1]) {
                        throw unsupported("a range bounded by a class escape");
                    }
                    hi = esc[0];
                } else if (d == '[') {
                    pos--;
                    throw unsupported("'[' inside a class (nested classes)");
                } else {
                    hi = d;
                }
                if (hi < lo) {
                    throw unsupported("an inverted range");
                }
            }
            ranges = concat(ranges, new int[] {lo, hi});
        }
        if (negated) {
            int[] comp = complement(ranges);
            if (comp.length == 0) {
                throw unsupported("a negated class that excludes all printable ASCII");
            }
            return Chars.of(comp);
        }
        if (ranges.length == 0) {
            throw unsupported("an empty class");
        }
        return Chars.of(ranges);
    }

    /** The complement of a range set within the generation universe (printable ASCII). */
    private static int[] complement(int[] ranges) {
        int[] r = Chars.normalize(ranges);
        List<Integer> out = new ArrayList<>();
        int next = UNIVERSE_LO;
        for (int i = 0; i < r.length; i += 2) {
            if (r[i] > next) {
                out.add(next);
                out.add(Math.min(r[i] - 1, UNIVERSE_HI));
            }
            next = Math.max(next, r[i + 1] + 1);
            if (next > UNIVERSE_HI) {
                break;
            }
        }
        if (next <= UNIVERSE_HI) {
            out.add(next);
            out.add(UNIVERSE_HI);
        }
        int[] res = new int[out.size()];
        for (int i = 0; i < res.length; i++) {
            res[i] = out.get(i);
        }
        // drop empty or inverted pairs
        List<Integer> clean = new ArrayList<>();
        for (int i = 0; i < res.length; i += 2) {
            if (res[i] <= res[i + 1]) {
                clean.add(res[i]);
                clean.add(res[i + 1]);
            }
        }
        return clean.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int[] concat(int[] a, int[] b) {
        int[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
