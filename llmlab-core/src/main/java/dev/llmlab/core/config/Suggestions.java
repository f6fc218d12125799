package dev.llmlab.core.config;

import java.util.Collection;
import java.util.Locale;

/**
 * "Did you mean" for names a user types: config keys, profile and preset names, flag values. A
 * candidate is suggested only within a small edit distance of what was typed (one edit for short
 * names, up to three for long ones), so that a suggestion is a likely typo and not a guess.
 */
public final class Suggestions {
    private Suggestions() {}

    /** The candidate closest to {@code typed} if it is within a small edit distance, else null. */
    public static String nearest(String typed, Collection<String> candidates) {
        String best = null;
        int bestDistance = Math.max(1, Math.min(3, typed.length() / 3)) + 1;
        for (String c : candidates) {
            int d = editDistance(typed.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        return best;
    }

    /**
     * {@code unknown KIND 'typed' (did you mean 'x'?; known: a, b, c)}, the one phrasing for a name
     * that names nothing; the known names are listed sorted.
     */
    public static String unknown(String kind, String typed, Collection<String> known) {
        StringBuilder sb = new StringBuilder("unknown ")
                .append(kind)
                .append(" '")
                .append(typed)
                .append('\'');
        String near = nearest(typed, known);
        sb.append(" (");
        if (near != null) sb.append("did you mean '").append(near).append("'?; ");
        return sb.append("known: ")
                .append(String.join(", ", new java.util.TreeSet<>(known)))
                .append(')')
                .toString();
    }

    /** Optimal-string-alignment distance: Levenshtein plus adjacent transpositions, the commonest typo. */
    static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
