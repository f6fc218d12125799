package dev.llmlab.gateway.config;

import dev.llmlab.core.config.Secret;
import java.util.List;

/**
 * Who may use the admin API ({@code /admin/...}: virtual keys, teams, the audit log, spend). Off
 * when no key is given. The audit log names the key each action was taken with.
 *
 * @param keys the admin keys, sent as {@code Authorization: Bearer KEY}
 */
public record AdminConfig(List<AdminKey> keys) {
    public AdminConfig {
        keys = keys == null ? List.of() : List.copyOf(keys);
    }

    public static AdminConfig off() {
        return new AdminConfig(List.of());
    }

    /** @param name what the audit log calls whoever uses it */
    public record AdminKey(String name, Secret key) {
        public AdminKey {
            if (name == null || name.isBlank()) throw new IllegalArgumentException("name is required");
            if (key == null) throw new IllegalArgumentException("key is required (such as \"${LLMLAB_ADMIN_KEY}\")");
            if (key.reveal().length() < 16)
                throw new IllegalArgumentException("key must be at least 16 characters: it guards every other key");
        }
    }
}
