package dev.llmlab.sim.serve;

import dev.llmlab.api.FinishReason;
import dev.llmlab.api.TokenLogprob;
import dev.llmlab.api.ToolCall;
import dev.llmlab.api.Usage;
import dev.llmlab.api.Wire;
import dev.llmlab.api.gemini.GeminiResponses;
import dev.llmlab.sim.text.ChoicePlan;
import java.io.OutputStream;
import java.util.List;

/**
 * Gemini's {@code alt=sse} stream: a {@code GenerateContentResponse} chunk per step and candidate
 * with that step's text, and per candidate a last chunk with its {@code finishReason}, carrying a
 * function call whole (Gemini does not stream call arguments) and the final usage. Chunks are
 * framed as {@code data: JSON\r\n\r\n}.
 */
final class GeminiStream implements StreamFormat {
    private final String model;
    private final String responseId;
    private final int promptTokens;
    private final ChoicePlan[] plans;
    private final StringBuilder[] arguments;
    private final String[] finish;
    private int steps;
    private int cachedTokens;

    GeminiStream(String model, String responseId, int promptTokens, ChoicePlan[] plans) {
        this.model = model;
        this.responseId = responseId;
        this.promptTokens = promptTokens;
        this.plans = plans;
        this.arguments = new StringBuilder[plans.length];
        this.finish = new String[plans.length];
    }

    @Override
    public void open(OutputStream out, int k, ChoicePlan plan, String echo, int cachedTokens) {
        this.cachedTokens = cachedTokens;
        if (plan.isToolCall()) arguments[k] = new StringBuilder();
    }

    @Override
    public void text(OutputStream out, int k, String text, TokenLogprob logprob) {
        steps++;
        GeminiResponses.writeChunk(
                out, k, text, List.of(), null, new Usage(promptTokens, tokensSoFar(), cachedTokens), model, responseId);
    }

    @Override
    public void toolArguments(OutputStream out, int k, String json) {
        arguments[k].append(json);
    }

    @Override
    public void finish(OutputStream out, int k, FinishReason reason, String stopSequence) {
        finish[k] = GeminiResponses.finishReason(reason);
    }

    @Override
    public void end(OutputStream out, Usage usage, boolean terminator) {
        if (!terminator) return;
        for (int k = 0; k < plans.length; k++) {
            List<ToolCall> calls = arguments[k] == null
                    ? List.of()
                    : List.of(new ToolCall(plans[k].toolCallId(), plans[k].toolName(), arguments[k].toString()));
            GeminiResponses.writeChunk(out, k, calls.isEmpty() ? "" : null, calls, finish[k], usage, model, responseId);
        }
    }

    @Override
    public void malformed(OutputStream out) {
        Wire.raw(out, "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\r\n\r\n");
    }

    private int tokensSoFar() {
        int n = 0;
        for (ChoicePlan p : plans) n += p.cursor().tokens();
        return n;
    }
}
