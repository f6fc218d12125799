package dev.llmlab.sim.catalog;

import dev.llmlab.core.dist.Distribution;
import dev.llmlab.core.token.Tokenizer;

/**
 * A served model id with everything resolved: tokenizer, limits, latency and reply length.
 * Aliases are separate instances sharing the settings of their entry. Immutable and thread-safe.
 *
 * @param fingerprint stable {@code system_fingerprint} for this model and server build
 * @param admission   the model's concurrency gate, shared by its aliases
 * @param engine      the batching-engine deployment serving it, shared by its aliases; null when
 *                    its latency profile times it
 */
public record ModelSpec(
        String id,
        Type type,
        Api api,
        String ownedBy,
        long created,
        Tokenizer tokenizer,
        int contextWindow,
        int maxOutputTokens,
        Distribution outputTokens,
        LatencyProfile profile,
        int dimensions,
        String fingerprint,
        Admission admission,
        EngineBinding engine) {

    public enum Type {
        CHAT,
        EMBEDDING
    }

    /** The provider API a model is served on; its ids are unknown on the other API's endpoints. */
    public enum Api {
        OPENAI,
        ANTHROPIC,
        GEMINI
    }
}
