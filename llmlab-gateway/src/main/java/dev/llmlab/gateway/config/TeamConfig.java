package dev.llmlab.gateway.config;

/**
 * A team: client keys name it ({@code team:}), and its limits hold for all of its keys' requests
 * together, besides each key's own.
 *
 * @param limits what the team's keys may use together, or null for no limit
 */
public record TeamConfig(String name, KeyLimits limits) {
    public TeamConfig {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("name is required");
    }
}
