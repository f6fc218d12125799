package dev.llmlab.gateway.tenants;

import dev.llmlab.gateway.config.ClientKey;
import dev.llmlab.gateway.config.KeyLimits;
import dev.llmlab.gateway.config.ModelPatterns;
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
        if (!name.matches("[A-Za-z0-9._:@-]{1,200}"))
            throw new IllegalArgumentException(
                    "name may hold letters, digits and . _ : @ - (at most 200), got " + name);
        models = ModelPatterns.check("models", models);
        if (models.size() > 100)
            throw new IllegalArgumentException("models may list at most 100 names, got " + models.size());
        for (String m : models)
            if (m.length() > 200) throw new IllegalArgumentException("models has a name longer than 200 characters");
        if (expires != null) ClientKey.expiry(expires);
        if (team != null && !team.matches("[A-Za-z0-9._:@-]{1,200}"))
            throw new IllegalArgumentException(
                    "team may hold letters, digits and . _ : @ - (at most 200), got " + team);
    }

    public Instant expiresAt() {
        return expires == null ? null : ClientKey.expiry(expires);
    }
}
