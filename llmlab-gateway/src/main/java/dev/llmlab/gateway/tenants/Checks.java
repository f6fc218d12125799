package dev.llmlab.gateway.tenants;

import dev.llmlab.gateway.config.ModelPatterns;
import java.util.List;

/** What the admin API checks of the names and lists it stores: what fits the database's columns. */
final class Checks {
    private Checks() {}

    /** A key's or a team's name: it is a path segment of the admin API and a column of 200. */
    static String name(String field, String value) {
        if (!value.matches("[A-Za-z0-9._:@-]{1,200}"))
            throw new IllegalArgumentException(
                    field + " may hold letters, digits and . _ : @ - (at most 200), got " + value);
        return value;
    }

    /** A models list: names or prefixes ending in {@code *}, at most 100 of at most 200 characters. */
    static List<String> models(List<String> models) {
        List<String> m = ModelPatterns.check("models", models);
        if (m.size() > 100) throw new IllegalArgumentException("models may list at most 100 names, got " + m.size());
        for (String s : m)
            if (s.length() > 200) throw new IllegalArgumentException("models has a name longer than 200 characters");
        return m;
    }
}
