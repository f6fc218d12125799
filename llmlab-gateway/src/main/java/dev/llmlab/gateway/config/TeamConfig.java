package dev.llmlab.gateway.config;

import java.util.List;

/**
 * A team: client keys name it ({@code team:}), and its limits hold for all of its keys' requests
 * together, besides each key's own.
 *
 * @param limits what the team's keys may use together, or null for no limit
 * @param models the models its keys may ask for (names, or prefixes ending in {@code *}); null or
 *               empty for any
 */
public record TeamConfig(String name, KeyLimits limits, List<String> models) {
    public TeamConfig {
        models = ModelPatterns.check("models", models);
        if (name == null || name.isBlank()) throw new IllegalArgumentException("name is required");
    }
}
