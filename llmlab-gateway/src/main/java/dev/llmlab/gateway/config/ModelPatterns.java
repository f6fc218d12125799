package dev.llmlab.gateway.config;

import java.util.List;

/** Model names as a key's or a team's {@code models} list them: a name, or a prefix ending in {@code *}. */
public final class ModelPatterns {
    private ModelPatterns() {}

    /** The list as given (empty for null), each pattern checked. */
    public static List<String> check(String field, List<String> patterns) {
        if (patterns == null) return List.of();
        for (String p : patterns) {
            if (p == null || p.isBlank()) throw new IllegalArgumentException(field + " has an empty name");
            int star = p.indexOf('*');
            if (star >= 0 && star != p.length() - 1)
                throw new IllegalArgumentException(
                        field + " may hold one '*' per name, at its end (such as claude-*), got " + p);
        }
        return List.copyOf(patterns);
    }

    /** Whether {@code model} is one of {@code patterns}; an empty list allows every model. */
    public static boolean allows(List<String> patterns, String model) {
        if (patterns.isEmpty()) return true;
        for (String p : patterns) {
            if (p.endsWith("*") ? model.startsWith(p.substring(0, p.length() - 1)) : model.equals(p)) return true;
        }
        return false;
    }
}
