package dev.llmlab.jsonschema;

import dev.llmlab.jsonschema.Regex.Alt;
import dev.llmlab.jsonschema.Regex.Chars;
import dev.llmlab.jsonschema.Regex.Node;
import dev.llmlab.jsonschema.Regex.Rep;
import dev.llmlab.jsonschema.Regex.Seq;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * Random strings of a {@link Regex}'s language, by a random walk down its tree: a set of code points gives one of
 * them, a sequence each part in turn, an alternation one alternative, a repetition its minimum plus a random number
 * of extra rounds.
 *
 * <p>The walk has two knobs, because a caller under length bounds needs to steer it without knowing the tree.
 * {@code extra} bounds the rounds added above a quantifier's minimum (an unbounded {@code *} or {@code +} gets at
 * most that many); {@code bias} is -1 for the shortest choices everywhere, +1 for the longest, 0 for random ones. The
 * JSON Schema generator searches {@code extra} with bias +1 until the length fits; for exact lengths it uses
 * {@link RegexLengthPlanner} instead.
 *
 * <p>Two touches make values look less like line noise, neither at the cost of soundness. A repeated character class
 * often becomes a dictionary word whose letters all belong to the class ({@code ^[a-z]+$} gives "garden" rather than
 * "qxv"), and an unanchored pattern is sometimes surrounded by words: JSON Schema's {@code pattern} is an unanchored
 * search (JSON Schema Validation 2020-12, section 6.3.3), so any text containing a match is valid, and real values
 * often look like that.
 *
 * <p>Deterministic for a given state of the random generator, which it only advances. Stateless between calls;
 * thread-safe.
 */
final class RegexGenerator {

    private final RandomGenerator rng;
    private final int extra;
    private final int bias;

    private RegexGenerator(RandomGenerator rng, int extra, int bias) {
        this.rng = rng;
        this.extra = extra;
        this.bias = bias;
    }

    /**
     * A random string of the language. {@code extra} bounds the repetitions added above a quantifier's minimum;
     * {@code bias} is -1 for the shortest choices, 0 for random ones, +1 to prefer longer alternatives.
     */
    static String generate(Regex rx, RandomGenerator rng, int extra, int bias) {
        StringBuilder sb = new StringBuilder();
        new RegexGenerator(rng, extra, bias).walk(rx.root, sb);
        if (bias == 0 && !rx.anchoredBothEnds() && rng.nextInt(4) == 0) {
            return pad(rx, sb.toString(), 1 + rng.nextInt(8), rng); // a match inside other text is valid too
        }
        return sb.toString();
    }

    private void walk(Node node, StringBuilder sb) {
        switch (node) {
            case Chars c -> sb.appendCodePoint(c.pick(rng));
            case Seq s -> {
                for (Node part : s.parts()) {
                    walk(part, sb);
                }
            }
            case Alt a -> walk(choose(a), sb);
            case Rep r -> {
                int room = r.max() < 0 ? extra : Math.min(r.max() - r.min(), Math.max(extra, 0));
                int n;
                if (bias < 0) {
                    n = r.min();
                } else if (bias > 0) {
                    n = r.min() + room;
                } else {
                    n = r.min() + (room <= 0 ? 0 : rng.nextInt(room + 1));
                }
                if (r.node() instanceof Chars c && n > 0 && bias == 0 && rng.nextInt(10) < 7) {
                    int hi = r.max() < 0 ? Math.max(n, r.min() + extra + 6) : r.max();
                    String word = word(c, r.min(), hi, rng);
                    if (word != null) {
                        sb.append(word);
                        return;
                    }
                }
                for (int i = 0; i < n; i++) {
                    walk(r.node(), sb);
                }
            }
        }
    }

    private Node choose(Alt a) {
        Node[] alternatives = a.alternatives();
        if (bias == 0) {
            return alternatives[rng.nextInt(alternatives.length)];
        }
        Node chosen = alternatives[0];
        for (Node alt : alternatives) {
            if (bias < 0 ? Regex.min(alt) < Regex.min(chosen) : Regex.max(alt) > Regex.max(chosen)) {
                chosen = alt;
            }
        }
        return chosen;
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

    /** Words separated by spaces, starting and ending with one, at least n + 1 characters long. */
    private static String filler(int n, RandomGenerator rng) {
        StringBuilder sb = new StringBuilder(n + 12).append(' ');
        while (sb.length() < n + 1) {
            sb.append(Words.pick(Words.WORDS, rng)).append(' ');
        }
        return sb.toString();
    }

    /** A dictionary word made only of characters of the class, with length in [lo, hi], or null. */
    static String word(Chars c, int lo, int hi, RandomGenerator rng) {
        for (int attempt = 0; attempt < 4; attempt++) {
            String w = Words.WORDS[rng.nextInt(Words.WORDS.length)];
            if (w.length() < lo || w.length() > hi) {
                continue;
            }
            if (allIn(c, w)) {
                return w;
            }
            String upper = w.toUpperCase(Locale.ROOT);
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
}
