package dev.llmlab.gateway.tenants;

import dev.llmlab.gateway.config.KeyLimits;
import java.time.Instant;
import java.util.List;

/**
 * A key made through the admin API, as it is stored: everything but its secret, of which only a
 * hash is kept (and the first characters, to tell keys apart in a list).
 *
 * @param team      its team, or null
 * @param limits    its own limits, or null for none
 * @param models    the models it may ask for; empty for any
 * @param expiresAt when it stops working, or null for never
 * @param revokedAt when it was revoked, or null while it works
 * @param prefix    the secret's first characters, such as {@code sk-llmlab-Ab3x}
 */
public record VirtualKey(
        String id,
        String name,
        String team,
        KeyLimits limits,
        List<String> models,
        Instant expiresAt,
        Instant createdAt,
        Instant revokedAt,
        String prefix) {
    public VirtualKey {
        models = models == null ? List.of() : List.copyOf(models);
    }

    public boolean revoked() {
        return revokedAt != null;
    }
}
