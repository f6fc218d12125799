package dev.llmlab.gateway.config;

import dev.llmlab.core.config.Secret;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * A key a client sends ({@code Authorization: Bearer}, {@code x-api-key} or {@code
 * x-goog-api-key}, as its API does). The name is what logs and metrics show; the key never is.
 *
 * @param team   the team the key belongs to (one of {@code teams}), whose limits it shares; or null
 * @param limits what the key may use, or null for no limit
 * @param models  the models the key may ask for (names, or prefixes ending in {@code *}); null or
 *                empty for any
 * @param expires when the key stops working: a UTC time ({@code 2027-01-01T00:00:00Z}) or a date
 *                ({@code 2027-01-01}, its first instant in UTC); null for never
 */
public record ClientKey(String name, Secret key, String team, KeyLimits limits, List<String> models, String expires) {
    public ClientKey {
        models = ModelPatterns.check("models", models);
        if (expires != null) expiry(expires);
        if (name == null || name.isBlank()) throw new IllegalArgumentException("name is required");
        if (key == null) throw new IllegalArgumentException("key is required (such as \"${TEAM_A_KEY}\")");
    }

    /** When the key stops working, or null for never. */
    public Instant expiresAt() {
        return expires == null ? null : expiry(expires);
    }

    /** {@code s} as an instant: a UTC time, or a date's first instant in UTC. */
    public static Instant expiry(String s) {
        try {
            return s.contains("T")
                    ? Instant.parse(s)
                    : LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "expires must be a UTC time such as 2027-01-01T00:00:00Z or a date such as 2027-01-01, got " + s);
        }
    }
}
