package dev.llmlab.gateway.account;

import dev.llmlab.api.GenerationRequest;
import dev.llmlab.api.Message;
import dev.llmlab.api.Prompt;
import dev.llmlab.api.Tool;
import dev.llmlab.core.token.Tokenizer;
import dev.llmlab.core.token.Tokenizers;

/**
 * A tokenizer count of a request and its answer, for when the provider gave no usage (an
 * OpenAI-compatible server that ignores {@code stream_options.include_usage}, a stream cut short
 * before its usage chunk). The result is marked {@link TokenUsage#estimated()}.
 *
 * <p>The count follows OpenAI's published recipe for its chat format (the "How to count tokens
 * with tiktoken" cookbook), as the simulator's usage does, so that an estimate and a simulated
 * usage agree: 3 tokens per message, plus the tokens of its role, content and name (+1 when a name
 * is given), plus 3 to prime the reply; assistant tool calls count as the tokens of their JSON, and
 * tool definitions as the tokens of their name, description and parameter schema (OpenAI's own
 * rendering of tools is unpublished). Legacy completion prompts count their text; token-array
 * prompts count their length.
 *
 * <p>It is exact for OpenAI models of the tokenizer's encoding and an approximation for every
 * other model: Anthropic and Google do not publish their tokenizers, and counts for the same text
 * differ by model family, typically by tens of percent. That is what {@code estimated} says.
 *
 * <p>A stream's answer need not be held whole: {@link #countText} of each text delta, summed, is
 * the estimate without buffering. It can differ from counting the joined text only where a delta
 * ends inside what the tokenizer would have merged into one token; providers stream whole tokens,
 * so the sum is close. Thread-safe; counting allocates (the tokenizer's work), so the gateway
 * counts once per answer or delta, never per byte.
 */
public final class UsageEstimate {
    private final Tokenizer tokenizer;

    public UsageEstimate(Tokenizer tokenizer) {
        if (tokenizer == null) throw new IllegalArgumentException("a tokenizer is required");
        this.tokenizer = tokenizer;
    }

    /**
     * The default: {@code o200k_base}, the encoding of OpenAI's current models. Its table loads on
     * first use (a few hundred milliseconds): warm it up before serving ({@link Tokenizers#warmUp}).
     */
    public static UsageEstimate defaultEstimate() {
        return new UsageEstimate(Tokenizers.forEncoding("o200k_base"));
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** The estimated usage of {@code request} answered with {@code answerText} (all choices' text together). */
    public TokenUsage estimate(GenerationRequest request, CharSequence answerText) {
        return new TokenUsage(promptTokens(request), countText(answerText), 0, true);
    }

    /** The estimated usage of a prompt and an answer given as raw text. */
    public TokenUsage estimate(CharSequence promptText, CharSequence answerText) {
        return new TokenUsage(countText(promptText), countText(answerText), 0, true);
    }

    /** The estimated usage of a request whose answer's token count is known (summed deltas). */
    public TokenUsage estimate(GenerationRequest request, long outputTokens) {
        return new TokenUsage(promptTokens(request), outputTokens, 0, true);
    }

    /** Tokens of the request's prompt: the chat recipe above for messages, else the sum of its prompts. */
    public int promptTokens(GenerationRequest request) {
        if (request.messages().isEmpty()) {
            int n = 0;
            for (Prompt p : request.prompts()) n += p.isTokens() ? p.tokens().length : countText(p.text());
            return n;
        }
        int n = 3;
        for (Message m : request.messages()) {
            n += 3 + countText(m.role()) + countText(m.content());
            if (m.name() != null) n += 1 + countText(m.name());
            if (m.toolCallsText() != null) n += countText(m.toolCallsText());
        }
        for (Tool t : request.tools()) {
            n += countText(t.name());
            if (t.description() != null) n += countText(t.description());
            if (t.parameters() != null) n += countText(t.parameters().toString());
        }
        return n;
    }

    /** Tokens of a piece of text; 0 for null or empty. */
    public int countText(CharSequence text) {
        return text == null || text.isEmpty() ? 0 : tokenizer.count(text);
    }
}
