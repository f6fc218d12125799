package dev.llmlab.api;

/** Token accounting of one response: what was read, what was cached, what was generated. */
public record Usage(int promptTokens, int completionTokens, int cachedTokens) {
    public int totalTokens() {
        return promptTokens + completionTokens;
    }
}
