package dev.llmlab.jsonschema;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A parsed {@code pattern}: the syntax tree of its language and what the rest of the package asks of it, the
 * lengths of the language and whether it is anchored. Three classes work on it, one job each:
 * {@link RegexParser} turns the source into this tree (and refuses what is outside the subset),
 * {@link RegexGenerator} draws random strings of the language, and {@link RegexLengthPlanner} draws them at an exact
 * length.
 *
 * <p>The tree has four kinds of node: a set of code points ({@link Chars}), a sequence, an alternation, and a bounded
 * or unbounded repetition. Groups, lazy quantifiers and group names leave no trace: they do not change the language.
 * Anchors are kept as two flags rather than nodes because the subset allows them only at the ends of a top-level
 * alternative, where they mean "nothing may precede (follow) the match".
 *
 * <p>Generating from the language is always sound for JSON Schema's unanchored {@code pattern}: a string of the
 * language contains a match of the pattern. Validation does not use this class; it uses the precompiled
 * {@link java.util.regex.Pattern}. Instances are immutable and thread-safe.
 */
final class Regex {

    /** Maximum length when a quantifier is unbounded. */
    static final int INF = Integer.MAX_VALUE;

    sealed interface Node permits Chars, Seq, Alt, Rep {}

    /** A set of code points as sorted, disjoint, inclusive ranges [lo0, hi0, lo1, hi1, ...]. */
    record Chars(int[] ranges, int size) implements Node {
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

        /** Sorts and merges ranges. */
        static int[] normalize(int[] ranges) {
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
    }

    record Seq(Node[] parts) implements Node {}

    record Alt(Node[] alternatives) implements Node {}

    /** {@code max == -1}: unbounded. */
    record Rep(Node node, int min, int max) implements Node {}

    private final String source;
    final Node root;
    /** Lengths of the pattern's own language; a match can be embedded in longer strings unless anchored. */
    final int minLength;

    final int maxLength; // INF when unbounded
    /** Whether some top-level alternative starts with ^ (then nothing may precede a match) or ends with $. */
    final boolean anchoredStart;

    final boolean anchoredEnd;

    Regex(String source, Node root, boolean anchoredStart, boolean anchoredEnd) {
        this.source = source;
        this.root = root;
        this.minLength = min(root);
        this.maxLength = max(root);
        this.anchoredStart = anchoredStart;
        this.anchoredEnd = anchoredEnd;
    }

    /** Parses a pattern known to compile with java.util.regex; throws IllegalArgumentException if outside the subset. */
    static Regex parse(String pattern) {
        return RegexParser.parse(pattern);
    }

    /** The longest string that can match, INF unless anchored at both ends. */
    int maxMatchingLength() {
        return anchoredStart && anchoredEnd ? maxLength : INF;
    }

    /** Whether a match must be the whole string, so that no padding may surround it. */
    boolean anchoredBothEnds() {
        return anchoredStart && anchoredEnd;
    }

    @Override
    public String toString() {
        return source;
    }

    /** The shortest string a node produces. */
    static int min(Node node) {
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

    /** The longest string a node produces, INF when unbounded. */
    static int max(Node node) {
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
}
