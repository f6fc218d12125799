package dev.llmlab.api;

/**
 * One prompt of a legacy completion or one input of an embedding request: either text or, as the
 * OpenAI API also accepts, an array of token ids (then {@code text} is null until decoded).
 */
public record Prompt(String text, int[] tokens) {
    public static Prompt ofText(String text) {
        return new Prompt(text, null);
    }

    public static Prompt ofTokens(int[] tokens) {
        return new Prompt(null, tokens);
    }

    public boolean isTokens() {
        return tokens != null;
    }
}
