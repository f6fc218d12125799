package dev.llmlab.gateway.tenants;

import dev.llmlab.gateway.config.ClientKey;
import dev.llmlab.gateway.config.KeyLimits;
import java.time.Instant;
import java.util.List;

/**
 * What the admin API's {@code POST /admin/keys} asks for (and {@code llmlab gateway keys create}
 * sends): a key's name, team, limits, models and expiry. Validated as the config's client keys
 * are.
 *
 * @param expires a UTC time ({@code 2027-01-01T00:00:00Z}) or a date ({@code 2027-01-01}); null for never
 */
public record NewKey(String name, String team, KeyLimits limits, List<String> models, String expires) {
    public NewKey {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("name is required");
        Checks.name("name", name);
        models = Checks.models(models);
        if (expires != null) ClientKey.expiry(expires);
        if (team != null) Checks.name("team", team);
    }

    public Instant expiresAt() {
        return expires == null ? null : ClientKey.expiry(expires);
    }
}
