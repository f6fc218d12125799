package dev.llmlab.sim.config;

import java.util.List;

/**
 * API keys. With none configured every request is served, as a local simulator should be; with
 * keys, each API request must present one the way its API expects ({@code Authorization: Bearer}
 * for OpenAI, {@code x-api-key} for Anthropic, which also accepts the Bearer form).
 *
 * @param keys     accepted API keys
 * @param adminKey the key of the admin API ({@code /admin/...}), which stays off without one
 */
public record AuthConfig(List<String> keys, String adminKey) {
    public static final AuthConfig DEFAULT = new AuthConfig(null, null);

    public AuthConfig {
        if (keys != null) {
            for (String k : keys) {
                if (k == null || k.isBlank()) throw new IllegalArgumentException("keys must not contain empty keys");
            }
            keys = List.copyOf(keys);
        } else {
            keys = List.of();
        }
        if (adminKey != null && adminKey.isBlank()) throw new IllegalArgumentException("admin_key must not be empty");
    }

    /** Keys are secrets: never print them, not even in a configuration dump. */
    @Override
    public String toString() {
        return "AuthConfig[keys=" + keys.size() + " configured, adminKey=" + (adminKey != null ? "set" : "none") + "]";
    }
}
