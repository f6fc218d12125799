package dev.llmlab.sim.serve;

import dev.llmlab.api.Choice;
import dev.llmlab.api.Completion;
import dev.llmlab.api.FinishReason;
import dev.llmlab.api.GenerationRequest;
import dev.llmlab.api.anthropic.AnthropicResponses;
import dev.llmlab.api.gemini.GeminiResponses;
import dev.llmlab.api.openai.OpenAiResponses;
import dev.llmlab.api.openai.ResponsesEncoder;
import dev.llmlab.api.openai.StreamEncoder;
import dev.llmlab.sim.text.ChoicePlan;
import java.io.OutputStream;
import java.util.List;

/**
 * Which wire format a generation speaks, chosen by the endpoint it came in on: its ids, its whole
 * answer, and its stream framing. The generation itself (timing, text, faults) knows none of them.
 */
final class Wires {
    private Wires() {}

    /** A response id in the API's form. */
    static String newId(GenerationRequest req) {
        return switch (req.endpoint()) {
            case MESSAGES -> AnthropicResponses.newMessageId();
            case RESPONSES -> ResponsesEncoder.newId("resp_");
            case GEMINI -> GeminiResponses.newResponseId();
            default -> OpenAiResponses.newId(req.endpoint());
        };
    }

    /** A whole (non-streamed) answer. */
    static void writeWhole(OutputStream out, GenerationRequest req, Completion c, String instructions) {
        switch (req.endpoint()) {
            case CHAT -> OpenAiResponses.writeChatCompletion(out, c);
            case COMPLETION -> OpenAiResponses.writeTextCompletion(out, c);
            case RESPONSES -> ResponsesEncoder.writeResponse(out, responseSnapshot(req, c, instructions));
            case MESSAGES -> AnthropicResponses.writeMessage(out, c);
            case GEMINI -> GeminiResponses.writeResponse(out, c);
        }
    }

    /** The framing of a stream. */
    static StreamFormat stream(
            GenerationRequest req,
            String model,
            String fingerprint,
            int promptTokens,
            ChoicePlan[] plans,
            String instructions) {
        long created = System.currentTimeMillis() / 1000;
        return switch (req.endpoint()) {
            case MESSAGES -> new AnthropicStream(newId(req), model, promptTokens);
            case RESPONSES -> new ResponsesStream(newId(req), created, model, req, instructions);
            case GEMINI -> new GeminiStream(model, newId(req), promptTokens, plans);
            case CHAT, COMPLETION ->
                new OpenAiStream(
                        new StreamEncoder(req.endpoint(), newId(req), created, model, fingerprint, req.includeUsage()),
                        req);
        };
    }

    /** A finished completion as the Responses API's response object: one output item. */
    private static ResponsesEncoder.Snapshot responseSnapshot(
            GenerationRequest req, Completion c, String instructions) {
        Choice choice = c.choices().getFirst();
        ResponsesEncoder.Item item = choice.toolCalls().isEmpty()
                ? ResponsesEncoder.Item.message(ResponsesEncoder.newId("msg_"), choice.text(), true)
                : ResponsesEncoder.Item.call(
                        ResponsesEncoder.newId("fc_"),
                        choice.toolCalls().getFirst().id(),
                        choice.toolCalls().getFirst().name(),
                        choice.toolCalls().getFirst().arguments(),
                        true);
        boolean capped = choice.finishReason() == FinishReason.LENGTH;
        return new ResponsesEncoder.Snapshot(
                c.id(),
                c.created(),
                c.model(),
                req,
                instructions,
                capped ? "incomplete" : "completed",
                capped ? "max_output_tokens" : null,
                List.of(item),
                c.usage());
    }
}
