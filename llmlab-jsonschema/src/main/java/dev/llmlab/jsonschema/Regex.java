package dev.llmlab.jsonschema;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A generator for the strings of a regular expression, for the subset of ECMA-262 / java.util.regex syntax that
 * means the same in both: literals, escapes ({@code \d \w \s \D \W \S \t \n \r \f \v \xHH \\uHHHH} and escaped
 * punctuation), {@code .}, character classes with ranges and negation, groups ({@code (...)}, {@code (?:...)},
 * {@code (?<name>...)}), alternation, greedy or lazy quantifiers {@code ? * + {n} {n,} {n,m}}, and {@code ^} / {@code $}
 * at the start / end of a top-level alternative. Anything else (look-around, back-references, word boundaries,
 * possessive quantifiers, inline flags, {@code \p{..}}, nested or intersected classes) is rejected by {@link #parse}
 * with an {@link IllegalArgumentException} naming the construct, so the compiler can refuse the schema instead of
 * producing strings that do not match.
 *
 * <p>Generating from the pattern's language is always sound for JSON Schema's unanchored {@code pattern}: a string
 * of the language contains a match of the pattern. Validation does not use this class; it uses the precompiled
 * {@link java.util.regex.Pattern}. Instances are immutable and thread-safe.
 */
final class Regex {

    /** Maximum length when a quantifier is unbounded. */
    static final int INF = Integer.MAX_VALUE;

    private static final int[] ALNUM_SPACE = {' ', ' ', '0', '9', 'A', 'Z', 'a', 'z'};
    private static final int[] DIGIT = {'0', '9'};
    private static final int[] WORD = {'0', '9', 'A', 'Z', '_', '_', 'a', 'z'};
    private static final int[] SPACE = {'\t', '\r', ' ', ' '}; // \t \n \u000B \f \r and space
    private static final int UNIVERSE_LO = 0x20;
    private static final int UNIVERSE_HI = 0x7E;

    private sealed interface Node permits Chars, Seq, Alt, Rep {}

    /** A set of code points as sorted, disjoint, inclusive ranges [lo0, hi0, lo1, hi1, ...]. */
    private record Chars(int[] ranges, int size) implements Node {
        static Chars of(int[] ranges) {
            int[] r = normalize(ranges);
            int size = 0;
            for (int i = 0; i < r.length; i += 2) {
                size += r[i + 1] - r[i] + 1;
            }
            return new Chars(r, size);
        }

        boolean contains(int cp) {
            for (int i = 0; i < ranges.length; i += 2) {
                if (cp < ranges[i]) {
                    return false;
                }
                if (cp <= ranges[i + 1]) {
                    return true;
                }
            }
            return false;
        }

        int pick(RandomGenerator rng) {
            int k = rng.nextInt(size);
            for (int i = 0; i < ranges.length; i += 2) {
                int n = ranges[i + 1] - ranges[i] + 1;
                if (k < n) {
                    return ranges[i] + k;
                }
                k -= n;
            }
            throw new AssertionError();
        }
    }

    private record Seq(Node[] parts) implements Node {}

    private record Alt(Node[] alternatives) implements Node {}

    private record Rep(Node node, int min, int max) implements Node {} // max == -1: unbounded

    private final String source;
    private final Node root;
    /** Lengths of the pattern's own language; a match can be embedded in longer strings unless anchored. */
    final int minLength;

    final int maxLength; // INF when unbounded
    /** Whether some top-level alternative starts with ^ (then nothing may precede a match) or ends with $. */
    final boolean anchoredStart;

    final boolean anchoredEnd;

    private Regex(String source, Node root, boolean anchoredStart, boolean anchoredEnd) {
        this.source = source;
        this.root = root;
        this.minLength = min(root);
        this.maxLength = max(root);
        this.anchoredStart = anchoredStart;
        this.anchoredEnd = anchoredEnd;
    }

    /** The longest string that can match, INF unless anchored at both ends. */
    int maxMatchingLength() {
        return anchoredStart && anchoredEnd ? maxLength : INF;
    }

    /**
     * Surrounds a string of the language with words where the pattern is not anchored, so that it still contains a
     * match: pad characters in total, split between the free sides.
     */
    static String pad(Regex rx, String core, int pad, RandomGenerator rng) {
        if (pad <= 0) {
            return core;
        }
        int before = rx.anchoredStart ? 0 : rx.anchoredEnd ? pad : rng.nextInt(pad + 1);
        int after = pad - before;
        StringBuilder sb = new StringBuilder(core.length() + pad);
        if (before > 0) {
            String words = filler(before, rng);
            sb.append(words, words.length() - before, words.length());
        }
        sb.append(core);
        if (after > 0) {
            sb.append(filler(after, rng), 0, after);
        }
        return sb.toString();
    }

    private static String filler(int n, RandomGenerator rng) {
        StringBuilder sb = new StringBuilder(n + 12).append(' ');
        while (sb.length() < n + 1) {
            sb.append(Words.pick(Words.WORDS, rng)).append(' ');
        }
        return sb.toString();
    }

    /** Parses a pattern known to compile with java.util.regex; throws IllegalArgumentException if outside the subset. */
    static Regex parse(String pattern) {
        Parser p = new Parser(pattern);
        Node n = p.alternation(0);
        if (p.pos != pattern.length()) {
            throw p.unsupported("unbalanced ')'");
        }
        return new Regex(pattern, n, p.anchoredStart, p.anchoredEnd);
    }

    /**
     * A random string of the language. {@code extra} bounds the repetitions added above a quantifier's minimum;
     * {@code bias} is -1 for the shortest choices, 0 for random ones, +1 to prefer longer alternatives.
     */
    String generate(RandomGenerator rng, int extra, int bias) {
        StringBuilder sb = new StringBuilder();
        gen(root, sb, rng, extra, bias);
        if (bias == 0 && !(anchoredStart && anchoredEnd) && rng.nextInt(4) == 0) {
            return pad(this, sb.toString(), 1 + rng.nextInt(8), rng); // a match inside other text is valid too
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return source;
    }

    private static void gen(Node node, StringBuilder sb, RandomGenerator rng, int extra, int bias) {
        switch (node) {
            case Chars c -> sb.appendCodePoint(c.pick(rng));
            case Seq s -> {
                for (Node part : s.parts) {
                    gen(part, sb, rng, extra, bias);
                }
            }
            case Alt a -> {
                Node chosen;
                if (bias < 0) {
                    chosen = a.alternatives[0];
                    for (Node alt : a.alternatives) {
                        if (min(alt) < min(chosen)) {
                            chosen = alt;
                        }
                    }
                } else if (bias > 0) {
                    chosen = a.alternatives[0];
                    for (Node alt : a.alternatives) {
                        if (max(alt) > max(chosen)) {
                            chosen = alt;
                        }
                    }
                } else {
                    chosen = a.alternatives[rng.nextInt(a.alternatives.length)];
                }
                gen(chosen, sb, rng, extra, bias);
            }
            case Rep r -> {
                int room = r.max < 0 ? extra : Math.min(r.max - r.min, Math.max(extra, 0));
                int n;
                if (bias < 0) {
                    n = r.min;
                } else if (bias > 0) {
                    n = r.min + room;
                } else {
                    n = r.min + (room <= 0 ? 0 : rng.nextInt(room + 1));
                }
                if (r.node instanceof Chars c && n > 0 && bias == 0 && rng.nextInt(10) < 7) {
                    int hi = r.max < 0 ? Math.max(n, r.min + extra + 6) : r.max;
                    String word = word(c, r.min, hi, rng);
                    if (word != null) {
                        sb.append(word);
                        return;
                    }
                }
                for (int i = 0; i < n; i++) {
                    gen(r.node, sb, rng, extra, bias);
                }
            }
        }
    }

    /** A dictionary word made only of characters of the class, with length in [lo, hi], or null. */
    private static String word(Chars c, int lo, int hi, RandomGenerator rng) {
        for (int attempt = 0; attempt < 4; attempt++) {
            String w = Words.WORDS[rng.nextInt(Words.WORDS.length)];
            if (w.length() < lo || w.length() > hi) {
                continue;
            }
            if (allIn(c, w)) {
                return w;
            }
            String upper = w.toUpperCase(java.util.Locale.ROOT);
            if (allIn(c, upper)) {
                return upper;
            }
        }
        return null;
    }

    private static boolean allIn(Chars c, String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!c.contains(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static int min(Node node) {
        return switch (node) {
            case Chars c -> 1;
            case Seq s -> {
                long sum = 0;
                for (Node p : s.parts) {
                    sum += min(p);
                }
                yield (int) Math.min(sum, INF);
            }
            case Alt a -> {
                int m = INF;
                for (Node p : a.alternatives) {
                    m = Math.min(m, min(p));
                }
                yield m;
            }
            case Rep r -> (int) Math.min((long) r.min * min(r.node), INF);
        };
    }

    private static int max(Node node) {
        return switch (node) {
            case Chars c -> 1;
            case Seq s -> {
                long sum = 0;
                for (Node p : s.parts) {
                    int m = max(p);
                    if (m == INF) {
                        yield INF;
                    }
                    sum += m;
                }
                yield (int) Math.min(sum, INF);
            }
            case Alt a -> {
                int m = 0;
                for (Node p : a.alternatives) {
                    m = Math.max(m, max(p));
                }
                yield m;
            }
            case Rep r -> {
                int inner = max(r.node);
                if (inner == 0) {
                    yield 0;
                }
                if (r.max < 0 || inner == INF) {
                    yield INF;
                }
                yield (int) Math.min((long) r.max * inner, INF);
            }
        };
    }

    /**
     * Generation to an exact length: for every node, the set of lengths it can produce (up to a cap), so that a target
     * length can be split among sequence parts and repetitions with every choice kept achievable. Built once per
     * (pattern, cap) at compile time; immutable.
     */
    static final class Sized {
        private final Regex rx;
        private final int cap;
        private final IdentityHashMap<Node, BitSet> sets = new IdentityHashMap<>();
        private final IdentityHashMap<Node, BitSet[]> parts = new IdentityHashMap<>(); // Seq suffixes, Rep r-folds

        Sized(Regex rx, int cap) {
            this.rx = rx;
            this.cap = cap;
            lengths(rx.root);
        }

        /** The achievable lengths of matching strings: the language's, or any longer one when padding is allowed. */
        private BitSet achievable() {
            BitSet root = sets.get(rx.root);
            if (rx.anchoredStart && rx.anchoredEnd) {
                return root;
            }
            BitSet padded = new BitSet(cap + 1);
            int first = root.nextSetBit(0);
            if (first >= 0 && first <= cap) {
                padded.set(first, cap + 1);
            }
            return padded;
        }

        /** Whether some length in [lo, hi] (hi < 0: unbounded, within the cap) is achievable. */
        boolean admits(int lo, int hi) {
            int i = achievable().nextSetBit(Math.max(lo, 0));
            return i >= 0 && (hi < 0 || i <= hi);
        }

        /** A random string containing a match, with a length in [lo, hi], preferring short ones; null if none. */
        String generate(RandomGenerator rng, int lo, int hi) {
            BitSet ok = achievable();
            int top = hi < 0 ? cap : Math.min(hi, cap);
            int preferredTop = Math.min(top, Math.max(lo, rx.minLength) + 16);
            int target = pick(ok, Math.max(lo, 0), preferredTop, rng);
            if (target < 0) {
                target = pick(ok, Math.max(lo, 0), top, rng);
            }
            if (target < 0) {
                return null;
            }
            BitSet root = sets.get(rx.root);
            int core = root.get(target) ? target : root.previousSetBit(target);
            StringBuilder sb = new StringBuilder(target);
            gen(rx.root, core, sb, rng);
            return pad(rx, sb.toString(), target - core, rng);
        }

        private static int pick(BitSet set, int lo, int hi, RandomGenerator rng) {
            int count = 0;
            for (int i = set.nextSetBit(lo); i >= 0 && i <= hi; i = set.nextSetBit(i + 1)) {
                count++;
            }
            if (count == 0) {
                return -1;
            }
            int k = rng.nextInt(count);
            for (int i = set.nextSetBit(lo); ; i = set.nextSetBit(i + 1)) {
                if (k-- == 0) {
                    return i;
                }
            }
        }

        private BitSet sum(BitSet a, BitSet b) {
            BitSet r = new BitSet(cap + 1);
            for (int i = a.nextSetBit(0); i >= 0 && i <= cap; i = a.nextSetBit(i + 1)) {
                for (int j = b.nextSetBit(0); j >= 0 && i + j <= cap; j = b.nextSetBit(j + 1)) {
                    r.set(i + j);
                }
            }
            return r;
        }

        private BitSet lengths(Node node) {
            BitSet known = sets.get(node);
            if (known != null) {
                return known;
            }
            BitSet r;
            switch (node) {
                case Chars c -> {
                    r = new BitSet();
                    r.set(1);
                }
                case Alt a -> {
                    r = new BitSet();
                    for (Node alt : a.alternatives) {
                        r.or(lengths(alt));
                    }
                }
                case Seq q -> {
                    BitSet[] suffix = new BitSet[q.parts.length + 1];
                    suffix[q.parts.length] = new BitSet();
                    suffix[q.parts.length].set(0);
                    for (int i = q.parts.length - 1; i >= 0; i--) {
                        suffix[i] = sum(lengths(q.parts[i]), suffix[i + 1]);
                    }
                    parts.put(node, suffix);
                    r = suffix[0];
                }
                case Rep p -> {
                    BitSet one = lengths(p.node);
                    int limit = p.max < 0 ? Math.max(p.min, cap) : Math.min(p.max, Math.max(p.min, cap));
                    BitSet[] folds = new BitSet[limit + 1];
                    folds[0] = new BitSet();
                    folds[0].set(0);
                    r = new BitSet();
                    for (int k = 1; k <= limit; k++) {
                        folds[k] = sum(folds[k - 1], one);
                        if (folds[k].isEmpty() && k >= p.min) {
                            folds = Arrays.copyOf(folds, k + 1);
                            break;
                        }
                    }
                    for (int k = p.min; k < folds.length; k++) {
                        r.or(folds[k]);
                    }
                    parts.put(node, folds);
                }
            }
            sets.put(node, r);
            return r;
        }

        private void gen(Node node, int length, StringBuilder sb, RandomGenerator rng) {
            switch (node) {
                case Chars c -> sb.appendCodePoint(c.pick(rng));
                case Alt a -> {
                    int count = 0;
                    for (Node alt : a.alternatives) {
                        if (sets.get(alt).get(length)) {
                            count++;
                        }
                    }
                    int k = rng.nextInt(count);
                    for (Node alt : a.alternatives) {
                        if (sets.get(alt).get(length) && k-- == 0) {
                            gen(alt, length, sb, rng);
                            return;
                        }
                    }
                }
                case Seq q -> {
                    BitSet[] suffix = parts.get(node);
                    int remaining = length;
                    for (int i = 0; i < q.parts.length; i++) {
                        int l = split(sets.get(q.parts[i]), suffix[i + 1], remaining, rng);
                        gen(q.parts[i], l, sb, rng);
                        remaining -= l;
                    }
                }
                case Rep p -> {
                    BitSet[] folds = parts.get(node);
                    int count = 0;
                    for (int k = p.min; k < folds.length; k++) {
                        if (folds[k].get(length)) {
                            count++;
                        }
                    }
                    int pick = rng.nextInt(count);
                    int reps = p.min;
                    for (int k = p.min; k < folds.length; k++) {
                        if (folds[k].get(length) && pick-- == 0) {
                            reps = k;
                            break;
                        }
                    }
                    if (p.node instanceof Chars c && reps > 0 && rng.nextInt(10) < 7) {
                        String word = word(c, reps, reps, rng);
                        if (word != null) {
                            sb.append(word);
                            return;
                        }
                    }
                    BitSet one = sets.get(p.node);
                    int remaining = length;
                    for (int k = reps; k > 0; k--) {
                        int l = split(one, folds[k - 1], remaining, rng);
                        gen(p.node, l, sb, rng);
                        remaining -= l;
                    }
                }
            }
        }

        /** A random l in first with (total - l) in rest. */
        private static int split(BitSet first, BitSet rest, int total, RandomGenerator rng) {
            int count = 0;
            for (int l = first.nextSetBit(0); l >= 0 && l <= total; l = first.nextSetBit(l + 1)) {
                if (rest.get(total - l)) {
                    count++;
                }
            }
            int k = rng.nextInt(count);
            for (int l = first.nextSetBit(0); ; l = first.nextSetBit(l + 1)) {
                if (rest.get(total - l) && k-- == 0) {
                    return l;
                }
            }
        }
    }

    /** Sorts and merges ranges. */
    private static int[] normalize(int[] ranges) {
        int n = ranges.length / 2;
        int[][] pairs = new int[n][];
        for (int i = 0; i < n; i++) {
            pairs[i] = new int[] {ranges[2 * i], ranges[2 * i + 1]};
        }
        Arrays.sort(pairs, (x, y) -> Integer.compare(x[0], y[0]));
        List<int[]> out = new ArrayList<>();
        for (int[] p : pairs) {
            if (!out.isEmpty() && p[0] <= out.get(out.size() - 1)[1] + 1) {
                int[] last = out.get(out.size() - 1);
                last[1] = Math.max(last[1], p[1]);
            } else {
                out.add(new int[] {p[0], p[1]});
            }
        }
        int[] r = new int[out.size() * 2];
        for (int i = 0; i < out.size(); i++) {
            r[2 * i] = out.get(i)[0];
            r[2 * i + 1] = out.get(i)[1];
        }
        return r;
    }

    /** The complement of a range set within the generation universe (printable ASCII). */
    private static int[] complement(int[] ranges) {
        int[] r = normalize(ranges);
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

    private static final class Parser {
        private final String s;
        int pos;
        boolean anchoredStart;
        boolean anchoredEnd;

        Parser(String s) {
            this.s = s;
        }

        IllegalArgumentException unsupported(String what) {
            return new IllegalArgumentException(
                    "pattern " + Json.NODES.stringNode(s) + " uses " + what + " at index " + pos
                            + ", outside the supported regex subset (literals, escapes \\d \\w \\s, classes, groups,"
                            + " alternation, quantifiers, leading ^ and trailing $)");
        }

        boolean more() {
            return pos < s.length();
        }

        int peek() {
            return s.codePointAt(pos);
        }

        int next() {
            int cp = s.codePointAt(pos);
            pos += Character.charCount(cp);
            return cp;
        }

        Node alternation(int depth) {
            List<Node> alts = new ArrayList<>();
            alts.add(sequence(depth));
            while (more() && peek() == '|') {
                pos++;
                alts.add(sequence(depth));
            }
            return alts.size() == 1 ? alts.get(0) : new Alt(alts.toArray(Node[]::new));
        }

        Node sequence(int depth) {
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

        Node quantified(Node atom) {
            if (!more()) {
                return atom;
            }
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
                throw unsupported("a repetition count above 1000");
            }
            return new Rep(atom, min, max);
        }

        int number() {
            int start = pos;
            long v = 0;
            while (more() && peek() >= '0' && peek() <= '9') {
                v = Math.min(v * 10 + (next() - '0'), Integer.MAX_VALUE);
            }
            return pos == start ? -1 : (int) v;
        }

        Node atom(int depth) {
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
        int[] escape(boolean inClass) {
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

        int hex(int digits) {
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

        int[] single(int cp) {
            return new int[] {cp, cp};
        }

        Node charClass() {
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
    }
}
