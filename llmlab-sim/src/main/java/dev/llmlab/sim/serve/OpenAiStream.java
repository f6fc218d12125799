package dev.llmlab.sim.serve;

import dev.llmlab.api.FinishReason;
import dev.llmlab.api.GenerationRequest;
import dev.llmlab.api.GenerationRequest.Endpoint;
import dev.llmlab.api.TokenLogprob;
import dev.llmlab.api.Usage;
import dev.llmlab.api.Wire;
import dev.llmlab.api.openai.StreamEncoder;
import dev.llmlab.sim.text.ChoicePlan;
import java.io.OutputStream;
import java.util.List;

/** OpenAI chat and legacy completion chunks (see {@link StreamEncoder}), ending in {@code data: [DONE]}. */
final class OpenAiStream implements StreamFormat {
    private final StreamEncoder encoder;
    private final GenerationRequest req;

    OpenAiStream(StreamEncoder encoder, GenerationRequest req) {
        this.encoder = encoder;
        this.req = req;
    }

    @Override
    public void open(OutputStream out, int k, ChoicePlan plan, String echo, int cachedTokens) {
        if (plan.isToolCall()) encoder.toolCallStart(out, k, 0, plan.toolCallId(), plan.toolName());
        else if (req.endpoint() == Endpoint.CHAT) encoder.role(out, k);
        else if (echo != null) encoder.content(out, k, echo, null);
    }

    @Override
    public void text(OutputStream out, int k, String text, TokenLogprob logprob) {
        encoder.content(out, k, text, logprob != null ? List.of(logprob) : null);
    }

    @Override
    public void toolArguments(OutputStream out, int k, String json) {
        encoder.toolCallArguments(out, k, 0, json);
    }

    @Override
    public void finish(OutputStream out, int k, FinishReason reason, String stopSequence) {
        encoder.finish(out, k, reason);
    }

    @Override
    public void end(OutputStream out, Usage usage, boolean terminator) {
        if (req.includeUsage()) encoder.usage(out, usage);
        if (terminator) StreamEncoder.done(out);
    }

    @Override
    public void malformed(OutputStream out) {
        Wire.raw(
                out,
                "data: {\"id\":\"chatcmpl-\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"delta\":{\"content\":\n\n");
    }
}
