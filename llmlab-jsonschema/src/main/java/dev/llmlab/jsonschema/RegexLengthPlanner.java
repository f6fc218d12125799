package dev.llmlab.jsonschema;

import dev.llmlab.jsonschema.Regex.Alt;
import dev.llmlab.jsonschema.Regex.Chars;
import dev.llmlab.jsonschema.Regex.Node;
import dev.llmlab.jsonschema.Regex.Rep;
import dev.llmlab.jsonschema.Regex.Seq;
import java.util.Arrays;
import java.util.BitSet;
import java.util.IdentityHashMap;
import java.util.random.RandomGenerator;

/**
 * Strings of a {@link Regex}'s language at an exact length, for a {@code pattern} under {@code minLength} /
 * {@code maxLength}: the random walk of {@link RegexGenerator} would hit a narrow length window only by luck (think of
 * {@code ^(ab|cde)+$} with length 7..7).
 *
 * <p>The model. For every node of the tree, the set of lengths it can produce up to a cap, as a bit set: a character
 * class produces {1}; an alternation, the union of its alternatives; a sequence, the sum set (every a + b) of its
 * parts, kept for each suffix of the sequence; a repetition, the union over its allowed counts k of the k-fold sum
 * set of its body, each fold kept. Generation then picks a target length the root can produce and walks down
 * splitting it: an alternation picks one alternative that can produce the length; a sequence gives its first part a
 * length l such that the rest of the sequence can produce what remains, and so on; a repetition picks a count whose
 * fold holds the length, then splits it among the rounds the same way. Every choice keeps the remainder achievable,
 * so the walk never backtracks and always ends at the target. This is the recursive method of Nijenhuis and Wilf
 * (Combinatorial Algorithms, 1978) and of Flajolet, Zimmermann and Van Cutsem ("A calculus for the random generation
 * of labelled combinatorial structures", 1994) with feasibility bits in place of counts: the strings are not uniform
 * over the language, and need not be, but every length in the plan is reached.
 *
 * <p>An unanchored pattern matches any text containing a match, so there every length from the language's shortest
 * up to the cap is achievable: the planner generates the longest core length not above the target and pads it with
 * words.
 *
 * <p>Cost: a sum set is O(cap^2) bit operations, so building a plan is O(nodes * cap^2), plus O(k * cap^2) for a
 * repetition's k folds (k at most the larger of the cap and its minimum count); the schema compiler keeps the cap
 * within 64 of the shortest length the schema and the pattern allow, and the parser refuses counts above 1000. Built once per (pattern, cap) at compile time; immutable after construction and thread-safe.
 */
final class RegexLengthPlanner {

    private final Regex rx;
    private final int cap;
    private final IdentityHashMap<Node, BitSet> sets = new IdentityHashMap<>();
    private final IdentityHashMap<Node, BitSet[]> parts = new IdentityHashMap<>(); // Seq suffixes, Rep k-folds

    /** Plans the lengths of {@code rx} up to {@code cap}. */
    RegexLengthPlanner(Regex rx, int cap) {
        this.rx = rx;
        this.cap = cap;
        lengths(rx.root);
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
        return RegexGenerator.pad(rx, sb.toString(), target - core, rng);
    }

    /** The achievable lengths of matching strings: the language's, or any longer one when padding is allowed. */
    private BitSet achievable() {
        BitSet root = sets.get(rx.root);
        if (rx.anchoredBothEnds()) {
            return root;
        }
        BitSet padded = new BitSet(cap + 1);
        int first = root.nextSetBit(0);
        if (first >= 0 && first <= cap) {
            padded.set(first, cap + 1);
        }
        return padded;
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

    /** The sum set {a + b <= cap}. */
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
                for (Node alt : a.alternatives()) {
                    r.or(lengths(alt));
                }
            }
            case Seq q -> {
                Node[] ps = q.parts();
                BitSet[] suffix = new BitSet[ps.length + 1];
                suffix[ps.length] = new BitSet();
                suffix[ps.length].set(0);
                for (int i = ps.length - 1; i >= 0; i--) {
                    suffix[i] = sum(lengths(ps[i]), suffix[i + 1]);
                }
                parts.put(node, suffix);
                r = suffix[0];
            }
            case Rep p -> {
                BitSet one = lengths(p.node());
                int limit = p.max() < 0 ? Math.max(p.min(), cap) : Math.min(p.max(), Math.max(p.min(), cap));
                BitSet[] folds = new BitSet[limit + 1];
                folds[0] = new BitSet();
                folds[0].set(0);
                r = new BitSet();
                for (int k = 1; k <= limit; k++) {
                    folds[k] = sum(folds[k - 1], one);
                    if (folds[k].isEmpty() && k >= p.min()) {
                        folds = Arrays.copyOf(folds, k + 1);
                        break;
                    }
                }
                for (int k = p.min(); k < folds.length; k++) {
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
                for (Node alt : a.alternatives()) {
                    if (sets.get(alt).get(length)) {
                        count++;
                    }
                }
                int k = rng.nextInt(count);
                for (Node alt : a.alternatives()) {
                    if (sets.get(alt).get(length) && k-- == 0) {
                        gen(alt, length, sb, rng);
                        return;
                    }
                }
            }
            case Seq q -> {
                Node[] ps = q.parts();
                BitSet[] suffix = parts.get(node);
                int remaining = length;
                for (int i = 0; i < ps.length; i++) {
                    int l = split(sets.get(ps[i]), suffix[i + 1], remaining, rng);
                    gen(ps[i], l, sb, rng);
                    remaining -= l;
                }
            }
            case Rep p -> {
                BitSet[] folds = parts.get(node);
                int count = 0;
                for (int k = p.min(); k < folds.length; k++) {
                    if (folds[k].get(length)) {
                        count++;
                    }
                }
                int pick = rng.nextInt(count);
                int reps = p.min();
                for (int k = p.min(); k < folds.length; k++) {
                    if (folds[k].get(length) && pick-- == 0) {
                        reps = k;
                        break;
                    }
                }
                if (p.node() instanceof Chars c && reps > 0 && rng.nextInt(10) < 7) {
                    String word = RegexGenerator.word(c, reps, reps, rng);
                    if (word != null) {
                        sb.append(word);
                        return;
                    }
                }
                BitSet one = sets.get(p.node());
                int remaining = length;
                for (int k = reps; k > 0; k--) {
                    int l = split(one, folds[k - 1], remaining, rng);
                    gen(p.node(), l, sb, rng);
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
