package dev.llmlab.gateway.config;

import dev.llmlab.core.config.Secret;
import java.util.List;

/**
 * A key a client sends ({@code Authorization: Bearer}, {@code x-api-key} or {@code
 * x-goog-api-key}, as its API does). The name is what logs and metrics show; the key never is.
 *
 * @param team   the team the key belongs to (one of {@code teams}), whose limits it shares; or null
 * @param limits what the key may use, or null for no limit
 * @param models the models the key may ask for (names, or prefixes ending in {@code *}); null or
 *               empty for any
 */
public record ClientKey(String name, Secret key, String team, KeyLimits limits, List<String> models) {
    public ClientKey {
        models = ModelPatterns.check("models", models);
        if (name == null || name.isBlank()) throw new IllegalArgumentException("name is required");
        if (key == null) throw new IllegalArgumentException("key is required (such as \"${TEAM_A_KEY}\")");
    }
}
