package dev.llmlab.gateway.config;

import dev.llmlab.core.config.Secret;

/**
 * One of a deployment's keys, with the limits the provider set on it.
 *
 * @param name how logs and metrics name it; {@code key-1}, {@code key-2}, ... by default
 * @param key  the key, usually {@code ${NAME}} from the environment
 * @param rpm  requests per minute it may send; null for none known (then learned from the
 *             provider's rate-limit headers)
 * @param tpm  tokens per minute, the same way
 */
public record KeyConfig(String name, Secret key, Integer rpm, Integer tpm) {
    public KeyConfig {
        if (key == null) throw new IllegalArgumentException("key is required (such as \"${OPENAI_API_KEY}\")");
        if (rpm != null && rpm < 1) throw new IllegalArgumentException("rpm must be >= 1, got " + rpm);
        if (tpm != null && tpm < 1) throw new IllegalArgumentException("tpm must be >= 1, got " + tpm);
    }
}
