package dev.llmlab.api.relay;

import dev.llmlab.api.Choice;
import dev.llmlab.api.Completion;
import dev.llmlab.api.FinishReason;
import dev.llmlab.api.GenerationRequest;
import dev.llmlab.api.ToolCall;
import dev.llmlab.api.Usage;
import dev.llmlab.api.openai.ResponsesEncoder;
import dev.llmlab.api.openai.ResponsesEncoder.Item;
import dev.llmlab.api.openai.ResponsesEncoder.Snapshot;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JsonGenerator;

/**
 * The OpenAI Responses API for the client: {@code response.created} and {@code
 * response.in_progress}, then per output item (a message for a run of text, a function call per
 * tool call) {@code response.output_item.added}, its deltas ({@code response.output_text.delta}
 * inside a content part, or {@code response.function_call_arguments.delta}) and the matching
 * {@code .done} events, then {@code response.completed} (or {@code response.incomplete} with
 * {@code max_output_tokens} or {@code content_filter} as the reason). Events are numbered by
 * {@code sequence_number}.
 *
 * <p>The API's {@code .done} events and the final response repeat each item whole, so the text
 * and arguments of the answer are kept as they pass (the protocol asks for it; every delta is
 * still written as it arrives). Reasoning from the provider has no item here: the Responses API's
 * reasoning items carry the provider's own encrypted state, which no other provider makes, so
 * it is not relayed. An error is an {@code error} event followed by {@code response.failed}.
 */
final class ResponsesWriter extends IngressWriter {
    private final String id;
    private final long created;
    private final String instructions;
    private int seq;
    private boolean started;
    private final List<Item> items = new ArrayList<>(2);
    private final StringBuilder current = new StringBuilder();
    private Item open; // the item being written, in progress
    private String incomplete;

    ResponsesWriter(GenerationRequest request, String model, Stamps stamps, String instructions) {
        super(request, model, stamps);
        this.id = stamps.id(Stamps.Kind.RESPONSE);
        this.created = stamps.now();
        this.instructions = instructions;
    }

    private Snapshot snapshot(String status, Usage usage) {
        return new Snapshot(id, created, model, request, instructions, status, incomplete, List.copyOf(items), usage);
    }

    private JsonGenerator begin(String type) {
        Json.ascii(out, "event: " + type + "\ndata: ");
        JsonGenerator g = Json.MAPPER.createGenerator(out);
        g.writeStartObject();
        g.writeStringProperty("type", type);
        return g;
    }

    private void end(JsonGenerator g) {
        g.writeNumberProperty("sequence_number", seq++);
        g.writeEndObject();
        g.close();
        Json.ascii(out, "\n\n");
    }

    private void snapshotEvent(String type, Snapshot s) {
        Json.ascii(out, "event: " + type + "\ndata: {\"type\":\"" + type + "\",\"response\":");
        ResponsesEncoder.writeResponse(out, s);
        Json.ascii(out, ",\"sequence_number\":" + seq++ + "}\n\n");
    }

    private void start() {
        if (started) return;
        started = true;
        Snapshot s = snapshot("in_progress", null);
        snapshotEvent("response.created", s);
        snapshotEvent("response.in_progress", s);
    }

    private void itemEvent(String type, Item item) {
        JsonGenerator g = begin(type);
        g.writeNumberProperty("output_index", items.size());
        g.writeName("item");
        ResponsesEncoder.item(g, item);
        end(g);
    }

    private void partEvent(String type, String text) {
        JsonGenerator g = begin(type);
        g.writeStringProperty("item_id", open.id());
        g.writeNumberProperty("output_index", items.size());
        g.writeNumberProperty("content_index", 0);
        g.writeName("part");
        ResponsesEncoder.textPart(g, text);
        end(g);
    }

    @Override
    public void text(int choice, String delta) {
        start();
        if (open == null || open.functionCall()) {
            close();
            open = Item.message(stamps.id(Stamps.Kind.MESSAGE_ITEM), "", false);
            itemEvent("response.output_item.added", open);
            partEvent("response.content_part.added", "");
        }
        current.append(delta);
        JsonGenerator g = begin("response.output_text.delta");
        g.writeStringProperty("item_id", open.id());
        g.writeNumberProperty("output_index", items.size());
        g.writeNumberProperty("content_index", 0);
        g.writeStringProperty("delta", delta);
        g.writeArrayPropertyStart("logprobs");
        g.writeEndArray();
        end(g);
    }

    @Override
    public void toolCall(int choice, int tool, String callId, String name, String arguments) {
        start();
        if (callId != null || name != null || open == null || !open.functionCall()) {
            close();
            String call = callId != null ? callId : stamps.id(Stamps.Kind.CALL);
            open = Item.call(stamps.id(Stamps.Kind.CALL_ITEM), call, name, "", false);
            itemEvent("response.output_item.added", open);
        }
        if (arguments == null || arguments.isEmpty()) return;
        current.append(arguments);
        JsonGenerator g = begin("response.function_call_arguments.delta");
        g.writeStringProperty("item_id", open.id());
        g.writeNumberProperty("output_index", items.size());
        g.writeStringProperty("delta", arguments);
        end(g);
    }

    /** Closes the open item: its done events, and it joins the output. */
    private void close() {
        if (open == null) return;
        String text = current.toString();
        current.setLength(0);
        Item done;
        if (open.functionCall()) {
            if (text.isEmpty()) text = "{}";
            done = Item.call(open.id(), open.callId(), open.name(), text, true);
            JsonGenerator g = begin("response.function_call_arguments.done");
            g.writeStringProperty("item_id", open.id());
            g.writeNumberProperty("output_index", items.size());
            g.writeStringProperty("arguments", text);
            end(g);
        } else {
            done = Item.message(open.id(), text, true);
            JsonGenerator g = begin("response.output_text.done");
            g.writeStringProperty("item_id", open.id());
            g.writeNumberProperty("output_index", items.size());
            g.writeNumberProperty("content_index", 0);
            g.writeStringProperty("text", text);
            g.writeArrayPropertyStart("logprobs");
            g.writeEndArray();
            end(g);
            partEvent("response.content_part.done", text);
        }
        itemEvent("response.output_item.done", done);
        items.add(done);
        open = null;
    }

    @Override
    public void finish(int choice, FinishReason reason, String providerReason, String stopSequence) {
        start();
        close();
        incomplete = incompleteReason(reason);
    }

    private static String incompleteReason(FinishReason reason) {
        return switch (reason) {
            case LENGTH -> "max_output_tokens";
            case CONTENT_FILTER -> "content_filter";
            default -> null;
        };
    }

    @Override
    void complete(Usage usage) {
        start();
        close();
        Snapshot s = snapshot(incomplete != null ? "incomplete" : "completed", usage);
        snapshotEvent(incomplete != null ? "response.incomplete" : "response.completed", s);
    }

    @Override
    void fail(int status, String message, String openAiType, String openAiCode) {
        String code = openAiCode != null ? openAiCode : status >= 500 ? "server_error" : "invalid_request";
        JsonGenerator g = begin("error");
        g.writeStringProperty("code", code);
        g.writeStringProperty("message", message);
        g.writeNullProperty("param");
        end(g);
        g = begin("response.failed");
        g.writeObjectPropertyStart("response");
        g.writeStringProperty("id", id);
        g.writeStringProperty("object", "response");
        g.writeNumberProperty("created_at", created);
        g.writeStringProperty("status", "failed");
        g.writeObjectPropertyStart("error");
        g.writeStringProperty("code", code);
        g.writeStringProperty("message", message);
        g.writeEndObject();
        g.writeStringProperty("model", model);
        g.writeArrayPropertyStart("output");
        for (Item item : items) ResponsesEncoder.item(g, item);
        g.writeEndArray();
        g.writeNullProperty("usage");
        g.writeEndObject();
        end(g);
    }

    @Override
    void whole(OutputStream out, Completion c, List<String> reasoning) {
        Choice ch = c.choices().isEmpty()
                ? new Choice(0, "", List.of(), FinishReason.STOP, null, null)
                : c.choices().getFirst();
        List<Item> output = new ArrayList<>();
        if (ch.text() != null && (!ch.text().isEmpty() || ch.toolCalls().isEmpty()))
            output.add(Item.message(stamps.id(Stamps.Kind.MESSAGE_ITEM), ch.text(), true));
        for (ToolCall call : ch.toolCalls()) {
            output.add(Item.call(
                    stamps.id(Stamps.Kind.CALL_ITEM),
                    call.id() != null ? call.id() : stamps.id(Stamps.Kind.CALL),
                    call.name(),
                    call.arguments(),
                    true));
        }
        String reason = ch.finishReason() == null ? null : incompleteReason(ch.finishReason());
        ResponsesEncoder.writeResponse(
                out,
                new Snapshot(
                        id,
                        created,
                        model,
                        request,
                        instructions,
                        reason != null ? "incomplete" : "completed",
                        reason,
                        output,
                        c.usage()));
    }
}
