package dev.llmlab.sim.serve;

import dev.llmlab.api.FinishReason;
import dev.llmlab.api.TokenLogprob;
import dev.llmlab.api.Usage;
import dev.llmlab.api.Wire;
import dev.llmlab.api.anthropic.AnthropicResponses;
import dev.llmlab.api.anthropic.AnthropicStreamEncoder;
import dev.llmlab.sim.text.ChoicePlan;
import java.io.OutputStream;

/**
 * Anthropic's event sequence for the one choice a Messages request has: {@code message_start}
 * and the content block's start (then a {@code ping}, as the API sends one) with the first step,
 * a delta per step, {@code content_block_stop} when the text ends, then {@code message_delta}
 * with the stop reason and output tokens, and {@code message_stop}.
 */
final class AnthropicStream implements StreamFormat {
    private final AnthropicStreamEncoder encoder;
    private final int promptTokens;
    private String stopReason = "end_turn";
    private String stopSequence;

    AnthropicStream(String messageId, String model, int promptTokens) {
        this.encoder = new AnthropicStreamEncoder(messageId, model);
        this.promptTokens = promptTokens;
    }

    @Override
    public void open(OutputStream out, int k, ChoicePlan plan, String echo, int cachedTokens) {
        encoder.messageStart(out, promptTokens, cachedTokens);
        if (plan.isToolCall()) encoder.toolUseBlockStart(out, k, plan.toolCallId(), plan.toolName());
        else encoder.textBlockStart(out, k);
        encoder.ping(out);
    }

    @Override
    public void text(OutputStream out, int k, String text, TokenLogprob logprob) {
        encoder.textDelta(out, k, text);
    }

    @Override
    public void toolArguments(OutputStream out, int k, String json) {
        encoder.inputJsonDelta(out, k, json);
    }

    @Override
    public void finish(OutputStream out, int k, FinishReason reason, String stopSequence) {
        encoder.blockStop(out, k);
        this.stopReason = AnthropicResponses.stopReason(reason, stopSequence);
        this.stopSequence = stopSequence;
    }

    @Override
    public void end(OutputStream out, Usage usage, boolean terminator) {
        encoder.messageDelta(out, stopReason, stopSequence, usage.completionTokens());
        if (terminator) encoder.messageStop(out);
    }

    @Override
    public void malformed(OutputStream out) {
        Wire.raw(
                out,
                "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_del\n\n");
    }
}
