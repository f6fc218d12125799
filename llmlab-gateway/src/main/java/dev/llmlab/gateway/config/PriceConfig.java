package dev.llmlab.gateway.config;

/**
 * A price that replaces or adds to the built-in table, in US dollars per million tokens.
 *
 * @param model       the model name as the provider is asked for it (dated names match their
 *                    undated entry unless given their own)
 * @param input       per million input tokens not read from a cache
 * @param cachedInput per million input tokens read from the provider's prompt cache; omitted: the
 *                    input price
 * @param output      per million output tokens
 */
public record PriceConfig(String model, Double input, Double cachedInput, Double output) {
    public PriceConfig {
        if (model == null || model.isBlank()) throw new IllegalArgumentException("model is required");
        if (input == null || !(input >= 0)) throw new IllegalArgumentException("input is required, >= 0");
        if (output == null || !(output >= 0)) throw new IllegalArgumentException("output is required, >= 0");
        if (cachedInput != null && !(cachedInput >= 0)) throw new IllegalArgumentException("cached_input must be >= 0");
    }
}
