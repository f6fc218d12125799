package dev.llmlab.gateway.account;

import dev.llmlab.api.Usage;

/**
 * The tokens one request used, as billed: the whole prompt ({@code inputTokens}, cached tokens
 * included, as OpenAI and Gemini count it and as the internal model {@link Usage} holds it), the
 * part of it read from the provider's prompt cache ({@code cachedInputTokens}), and the generated
 * tokens ({@code outputTokens}, reasoning tokens included). {@code estimated} is true when the
 * provider gave no usage and the gateway counted the text with a tokenizer ({@link UsageEstimate}).
 *
 * @throws IllegalArgumentException for a negative count, or more cached tokens than input tokens
 */
public record TokenUsage(long inputTokens, long outputTokens, long cachedInputTokens, boolean estimated) {
    public TokenUsage {
        if (inputTokens < 0 || outputTokens < 0 || cachedInputTokens < 0) {
            throw new IllegalArgumentException("token counts must not be negative: input " + inputTokens + ", output "
                    + outputTokens + ", cached " + cachedInputTokens);
        }
        if (cachedInputTokens > inputTokens) {
            throw new IllegalArgumentException(
                    "cached input tokens (" + cachedInputTokens + ") exceed input tokens (" + inputTokens + ")");
        }
    }

    /** The usage a provider reported, through the internal model (its prompt count includes cached tokens). */
    public static TokenUsage reported(Usage usage) {
        return new TokenUsage(usage.promptTokens(), usage.completionTokens(), usage.cachedTokens(), false);
    }

    /** Input tokens not read from the cache. */
    public long uncachedInputTokens() {
        return inputTokens - cachedInputTokens;
    }
}
