package dev.llmlab.api;

import java.util.List;

/**
 * One finished choice: text (null when the model answered with tool calls only), tool calls
 * (empty when none), why it ended, and per-token log probabilities (null unless requested).
 */
public record Choice(int index, String text, List<ToolCall> toolCalls, FinishReason finishReason,
                     List<TokenLogprob> logprobs) {}
