package dev.llmlab.metrics;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A series' label set: names and values, kept sorted by name so that two sets written in different
 * orders are equal, as Prometheus treats them. Immutable and thread-safe.
 *
 * <p>Stored as one array of alternating names and values: a page has thousands of label sets, most
 * of two to five pairs, and a map per set would cost more than the numbers it labels.
 */
public final class Labels {
    /** The empty set. */
    public static final Labels EMPTY = new Labels(new String[0]);

    private final String[] pairs; // name0, value0, name1, value1, ... sorted by name
    private int hash;

    private Labels(String[] sortedPairs) {
        this.pairs = sortedPairs;
    }

    /**
     * A set from alternating names and values, {@code of("model_name", "m", "engine", "0")}.
     *
     * @throws IllegalArgumentException for an odd count, a null, or a name given twice
     */
    public static Labels of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name, value pairs; got " + namesAndValues.length);
        }
        for (String s : namesAndValues)
            if (s == null) throw new IllegalArgumentException("a label name or value is null");
        Labels l = sorted(namesAndValues.clone(), namesAndValues.length);
        if (l == null)
            throw new IllegalArgumentException("a label name is given twice: " + Arrays.toString(namesAndValues));
        return l;
    }

    /**
     * The parser's constructor: takes the first {@code length} slots of {@code pairs} (a scratch array
     * it may reorder), or null when a name repeats, which the exposition formats forbid.
     */
    static Labels sorted(String[] pairs, int length) {
        if (length == 0) return EMPTY;
        // Pages write labels sorted or nearly so: an insertion sort of the pairs is linear then.
        for (int i = 2; i < length; i += 2) {
            String name = pairs[i];
            String value = pairs[i + 1];
            int j = i - 2;
            while (j >= 0 && pairs[j].compareTo(name) > 0) {
                pairs[j + 2] = pairs[j];
                pairs[j + 3] = pairs[j + 1];
                j -= 2;
            }
            pairs[j + 2] = name;
            pairs[j + 3] = value;
        }
        for (int i = 2; i < length; i += 2) if (pairs[i].equals(pairs[i - 2])) return null;
        return new Labels(Arrays.copyOf(pairs, length));
    }

    /** The value of label {@code name}, or null when the set has no such label. */
    public String get(String name) {
        for (int i = 0; i < pairs.length; i += 2) if (pairs[i].equals(name)) return pairs[i + 1];
        return null;
    }

    public int size() {
        return pairs.length / 2;
    }

    public boolean isEmpty() {
        return pairs.length == 0;
    }

    /** The label names, sorted. */
    public List<String> names() {
        String[] n = new String[size()];
        for (int i = 0; i < n.length; i++) n[i] = pairs[2 * i];
        return List.of(n);
    }

    /** The set as an unmodifiable map, in name order. */
    public Map<String, String> asMap() {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) m.put(pairs[i], pairs[i + 1]);
        return Collections.unmodifiableMap(m);
    }

    /** This set without label {@code name} (this set itself when it has none). */
    public Labels without(String name) {
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i].equals(name)) {
                String[] p = new String[pairs.length - 2];
                System.arraycopy(pairs, 0, p, 0, i);
                System.arraycopy(pairs, i + 2, p, i, pairs.length - i - 2);
                return p.length == 0 ? EMPTY : new Labels(p);
            }
        }
        return this;
    }

    /** Whether this set equals {@code other} once label {@code ignored} is taken out of both; allocates nothing. */
    boolean equalsIgnoring(Labels other, String ignored) {
        int i = 0;
        int j = 0;
        while (true) {
            if (i < pairs.length && pairs[i].equals(ignored)) i += 2;
            if (j < other.pairs.length && other.pairs[j].equals(ignored)) j += 2;
            if (i >= pairs.length || j >= other.pairs.length) return i >= pairs.length && j >= other.pairs.length;
            if (!pairs[i].equals(other.pairs[j]) || !pairs[i + 1].equals(other.pairs[j + 1])) return false;
            i += 2;
            j += 2;
        }
    }

    /** The name at {@code index} in name order, for the parser's reuse of repeated strings. */
    String nameAt(int index) {
        return pairs[2 * index];
    }

    String valueAt(int index) {
        return pairs[2 * index + 1];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Labels l && Arrays.equals(pairs, l.pairs);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) hash = h = Arrays.hashCode(pairs);
        return h;
    }

    /** In the exposition format's own spelling: {@code {engine="0",model_name="m"}}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < pairs.length; i += 2) {
            if (i > 0) b.append(',');
            b.append(pairs[i]).append("=\"");
            String v = pairs[i + 1];
            for (int k = 0; k < v.length(); k++) {
                char c = v.charAt(k);
                switch (c) {
                    case '\\' -> b.append("\\\\");
                    case '"' -> b.append("\\\"");
                    case '\n' -> b.append("\\n");
                    default -> b.append(c);
                }
            }
            b.append('"');
        }
        return b.append('}').toString();
    }
}
