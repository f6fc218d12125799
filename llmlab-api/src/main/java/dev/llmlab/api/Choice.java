package dev.llmlab.api;

import java.util.List;

/**
 * One finished choice: text (null when the model answered with tool calls only), tool calls
 * (empty when none), why it ended, per-token log probabilities (null unless requested), and the
 * stop sequence that ended it (null unless one did; Anthropic's API reports it).
 */
public record Choice(
        int index,
        String text,
        List<ToolCall> toolCalls,
        FinishReason finishReason,
        List<TokenLogprob> logprobs,
        String stopSequence) {

    public Choice(
            int index, String text, List<ToolCall> toolCalls, FinishReason finishReason, List<TokenLogprob> logprobs) {
        this(index, text, toolCalls, finishReason, logprobs, null);
    }
}
