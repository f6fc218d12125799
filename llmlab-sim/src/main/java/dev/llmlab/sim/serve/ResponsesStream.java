package dev.llmlab.sim.serve;

import dev.llmlab.api.FinishReason;
import dev.llmlab.api.GenerationRequest;
import dev.llmlab.api.TokenLogprob;
import dev.llmlab.api.Usage;
import dev.llmlab.api.Wire;
import dev.llmlab.api.openai.ResponsesEncoder;
import dev.llmlab.api.openai.ResponsesEncoder.Item;
import dev.llmlab.api.openai.ResponsesEncoder.Sequence;
import dev.llmlab.api.openai.ResponsesEncoder.Snapshot;
import dev.llmlab.sim.text.ChoicePlan;
import java.io.OutputStream;
import java.util.List;

/**
 * The Responses API's event sequence for the one output item a request has:
 * {@code response.created}, {@code response.in_progress}, {@code response.output_item.added},
 * then for a message {@code response.content_part.added}, a {@code response.output_text.delta}
 * per step, {@code response.output_text.done} and {@code response.content_part.done}, or for a
 * function call its {@code response.function_call_arguments.delta}s and {@code .done}; then
 * {@code response.output_item.done} and {@code response.completed} (or
 * {@code response.incomplete} when the output cap ended it).
 */
final class ResponsesStream implements StreamFormat {
    private final Sequence seq = new Sequence();
    private final String id;
    private final long createdAt;
    private final String model;
    private final GenerationRequest req;
    private final String instructions;
    private final StringBuilder text = new StringBuilder();
    private Item item;
    private String incomplete;

    ResponsesStream(String id, long createdAt, String model, GenerationRequest req, String instructions) {
        this.id = id;
        this.createdAt = createdAt;
        this.model = model;
        this.req = req;
        this.instructions = instructions;
    }

    @Override
    public void open(OutputStream out, int k, ChoicePlan plan, String echo, int cachedTokens) {
        ResponsesEncoder.created(out, seq, snapshot("in_progress", List.of(), null));
        item = plan.isToolCall()
                ? Item.call(ResponsesEncoder.newId("fc_"), plan.toolCallId(), plan.toolName(), "", false)
                : Item.message(ResponsesEncoder.newId("msg_"), "", false);
        ResponsesEncoder.itemAdded(out, seq, 0, item);
        if (!item.functionCall()) ResponsesEncoder.partAdded(out, seq, 0, item.id());
    }

    @Override
    public void text(OutputStream out, int k, String delta, TokenLogprob logprob) {
        text.append(delta);
        ResponsesEncoder.textDelta(out, seq, 0, item.id(), delta);
    }

    @Override
    public void toolArguments(OutputStream out, int k, String json) {
        text.append(json);
        ResponsesEncoder.argumentsDelta(out, seq, 0, item.id(), json);
    }

    @Override
    public void finish(OutputStream out, int k, FinishReason reason, String stopSequence) {
        String done = text.toString();
        if (item.functionCall()) {
            ResponsesEncoder.argumentsDone(out, seq, 0, item.id(), done);
            item = Item.call(item.id(), item.callId(), item.name(), done, true);
        } else {
            ResponsesEncoder.textDone(out, seq, 0, item.id(), done);
            ResponsesEncoder.partDone(out, seq, 0, item.id(), done);
            item = Item.message(item.id(), done, true);
        }
        ResponsesEncoder.itemDone(out, seq, 0, item);
        if (reason == FinishReason.LENGTH) incomplete = "max_output_tokens";
    }

    @Override
    public void end(OutputStream out, Usage usage, boolean terminator) {
        if (terminator)
            ResponsesEncoder.finished(
                    out, seq, snapshot(incomplete != null ? "incomplete" : "completed", List.of(item), usage));
    }

    @Override
    public void malformed(OutputStream out) {
        Wire.raw(
                out,
                "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"item_id\":\n\n");
    }

    private Snapshot snapshot(String status, List<Item> output, Usage usage) {
        return new Snapshot(
                id,
                createdAt,
                model,
                req,
                instructions,
                status,
                "incomplete".equals(status) ? incomplete : null,
                output,
                usage);
    }
}
