package dev.llmlab.api.openai;

import dev.llmlab.api.GenerationRequest;
import dev.llmlab.api.ResponseFormat;
import dev.llmlab.api.Tool;
import dev.llmlab.api.ToolChoice;
import dev.llmlab.api.Usage;
import dev.llmlab.api.Wire;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import tools.jackson.core.JsonGenerator;

/**
 * The OpenAI Responses API on the wire: the {@code response} object (whole answers, and the
 * snapshots inside {@code response.created} and {@code response.completed}), and the streaming
 * events, each framed as {@code event: TYPE\ndata: JSON\n\n} and numbered by
 * {@code sequence_number}. Shapes follow the public API reference ("Responses" and "Streaming
 * events"). Stateless helpers; the event counter lives in the caller's {@link Sequence}.
 */
public final class ResponsesEncoder {
    private ResponsesEncoder() {}

    /** An id as the API makes them: a prefix and 48 hex digits. */
    public static String newId(String prefix) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        StringBuilder b = new StringBuilder(prefix.length() + 48).append(prefix);
        for (int i = 0; i < 48; i++) b.append(Character.forDigit(r.nextInt(16), 16));
        return b.toString();
    }

    /** One output item: a message with its text, or a function call with its arguments. */
    public record Item(String id, boolean functionCall, String callId, String name, String text, boolean done) {
        public static Item message(String id, String text, boolean done) {
            return new Item(id, false, null, null, text, done);
        }

        public static Item call(String id, String callId, String name, String arguments, boolean done) {
            return new Item(id, true, callId, name, arguments, done);
        }
    }

    /**
     * The response object at one moment.
     *
     * @param status           in_progress, completed or incomplete
     * @param incompleteReason {@code max_output_tokens} when the output cap ended it, else null
     * @param usage            null until the response is finished
     * @param instructions     the request's {@code instructions}, echoed back, or null
     */
    public record Snapshot(
            String id,
            long createdAt,
            String model,
            GenerationRequest request,
            String instructions,
            String status,
            String incompleteReason,
            List<Item> output,
            Usage usage) {}

    /** A whole (non-streamed) response. */
    public static void writeResponse(OutputStream out, Snapshot s) {
        try (JsonGenerator g = OpenAiRequests.MAPPER.createGenerator(out)) {
            response(g, s);
        }
    }

    /** Event numbering of one stream. */
    public static final class Sequence {
        private int next;
    }

    public static void created(OutputStream out, Sequence seq, Snapshot s) {
        snapshotEvent(out, seq, "response.created", s);
        snapshotEvent(out, seq, "response.in_progress", s);
    }

    /** {@code response.completed}, or {@code response.incomplete} when the output cap ended it. */
    public static void finished(OutputStream out, Sequence seq, Snapshot s) {
        snapshotEvent(out, seq, s.incompleteReason() != null ? "response.incomplete" : "response.completed", s);
    }

    private static void snapshotEvent(OutputStream out, Sequence seq, String type, Snapshot s) {
        JsonGenerator g = begin(out, type);
        g.writeStartObject();
        g.writeStringProperty("type", type);
        g.writeName("response");
        response(g, s);
        end(g, out, seq);
    }

    public static void itemAdded(OutputStream out, Sequence seq, int index, Item item) {
        itemEvent(out, seq, "response.output_item.added", index, item);
    }

    public static void itemDone(OutputStream out, Sequence seq, int index, Item item) {
        itemEvent(out, seq, "response.output_item.done", index, item);
    }

    private static void itemEvent(OutputStream out, Sequence seq, String type, int index, Item item) {
        JsonGenerator g = begin(out, type);
        g.writeStartObject();
        g.writeStringProperty("type", type);
        g.writeNumberProperty("output_index", index);
        g.writeName("item");
        item(g, item);
        end(g, out, seq);
    }

    public static void partAdded(OutputStream out, Sequence seq, int index, String itemId) {
        partEvent(out, seq, "response.content_part.added", index, itemId, "");
    }

    public static void partDone(OutputStream out, Sequence seq, int index, String itemId, String text) {
        partEvent(out, seq, "response.content_part.done", index, itemId, text);
    }

    private static void partEvent(OutputStream out, Sequence seq, String type, int index, String itemId, String text) {
        JsonGenerator g = begin(out, type);
        g.writeStartObject();
        g.writeStringProperty("type", type);
        g.writeStringProperty("item_id", itemId);
        g.writeNumberProperty("output_index", index);
        g.writeNumberProperty("content_index", 0);
        g.writeName("part");
        textPart(g, text);
        end(g, out, seq);
    }

    public static void textDelta(OutputStream out, Sequence seq, int index, String itemId, String delta) {
        JsonGenerator g = begin(out, "response.output_text.delta");
        g.writeStartObject();
        g.writeStringProperty("type", "response.output_text.delta");
        g.writeStringProperty("item_id", itemId);
        g.writeNumberProperty("output_index", index);
        g.writeNumberProperty("content_index", 0);
        g.writeStringProperty("delta", delta);
        g.writeArrayPropertyStart("logprobs");
        g.writeEndArray();
        end(g, out, seq);
    }

    public static void textDone(OutputStream out, Sequence seq, int index, String itemId, String text) {
        JsonGenerator g = begin(out, "response.output_text.done");
        g.writeStartObject();
        g.writeStringProperty("type", "response.output_text.done");
        g.writeStringProperty("item_id", itemId);
        g.writeNumberProperty("output_index", index);
        g.writeNumberProperty("content_index", 0);
        g.writeStringProperty("text", text);
        g.writeArrayPropertyStart("logprobs");
        g.writeEndArray();
        end(g, out, seq);
    }

    public static void argumentsDelta(OutputStream out, Sequence seq, int index, String itemId, String delta) {
        JsonGenerator g = begin(out, "response.function_call_arguments.delta");
        g.writeStartObject();
        g.writeStringProperty("type", "response.function_call_arguments.delta");
        g.writeStringProperty("item_id", itemId);
        g.writeNumberProperty("output_index", index);
        g.writeStringProperty("delta", delta);
        end(g, out, seq);
    }

    public static void argumentsDone(OutputStream out, Sequence seq, int index, String itemId, String arguments) {
        JsonGenerator g = begin(out, "response.function_call_arguments.done");
        g.writeStartObject();
        g.writeStringProperty("type", "response.function_call_arguments.done");
        g.writeStringProperty("item_id", itemId);
        g.writeNumberProperty("output_index", index);
        g.writeStringProperty("arguments", arguments);
        end(g, out, seq);
    }

    // ------------------------------------------------------------------ objects

    private static void response(JsonGenerator g, Snapshot s) {
        GenerationRequest r = s.request();
        g.writeStartObject();
        g.writeStringProperty("id", s.id());
        g.writeStringProperty("object", "response");
        g.writeNumberProperty("created_at", s.createdAt());
        g.writeStringProperty("status", s.status());
        g.writeNullProperty("error");
        if (s.incompleteReason() != null) {
            g.writeObjectPropertyStart("incomplete_details");
            g.writeStringProperty("reason", s.incompleteReason());
            g.writeEndObject();
        } else {
            g.writeNullProperty("incomplete_details");
        }
        if (s.instructions() != null) g.writeStringProperty("instructions", s.instructions());
        else g.writeNullProperty("instructions");
        if (r.maxTokens() >= 0) g.writeNumberProperty("max_output_tokens", r.maxTokens());
        else g.writeNullProperty("max_output_tokens");
        g.writeStringProperty("model", s.model());
        g.writeArrayPropertyStart("output");
        for (Item item : s.output()) item(g, item);
        g.writeEndArray();
        g.writeBooleanProperty("parallel_tool_calls", r.parallelToolCalls());
        g.writeNullProperty("previous_response_id");
        g.writeObjectPropertyStart("reasoning");
        g.writeNullProperty("effort");
        g.writeNullProperty("summary");
        g.writeEndObject();
        g.writeBooleanProperty("store", false);
        g.writeNumberProperty("temperature", Double.isNaN(r.temperature()) ? 1.0 : r.temperature());
        g.writeObjectPropertyStart("text");
        g.writeObjectPropertyStart("format");
        ResponseFormat f = r.responseFormat();
        switch (f.kind()) {
            case TEXT -> g.writeStringProperty("type", "text");
            case JSON_OBJECT -> g.writeStringProperty("type", "json_object");
            case JSON_SCHEMA -> {
                g.writeStringProperty("type", "json_schema");
                g.writeStringProperty("name", f.name());
                g.writeName("schema");
                g.writeTree(f.schema());
                g.writeBooleanProperty("strict", f.strict());
            }
        }
        g.writeEndObject();
        g.writeEndObject();
        ToolChoice tc = r.toolChoice();
        if (tc.mode() == ToolChoice.Mode.NAMED) {
            g.writeObjectPropertyStart("tool_choice");
            g.writeStringProperty("type", "function");
            g.writeStringProperty("name", tc.name());
            g.writeEndObject();
        } else {
            g.writeStringProperty(
                    "tool_choice",
                    switch (tc.mode()) {
                        case NONE -> r.tools().isEmpty() ? "auto" : "none";
                        case REQUIRED -> "required";
                        default -> "auto";
                    });
        }
        g.writeArrayPropertyStart("tools");
        for (Tool t : r.tools()) {
            g.writeStartObject();
            g.writeStringProperty("type", "function");
            g.writeStringProperty("name", t.name());
            if (t.description() != null) g.writeStringProperty("description", t.description());
            else g.writeNullProperty("description");
            g.writeName("parameters");
            if (t.parameters() != null) g.writeTree(t.parameters());
            else g.writeNull();
            g.writeBooleanProperty("strict", t.strict());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeNumberProperty("top_p", Double.isNaN(r.topP()) ? 1.0 : r.topP());
        g.writeStringProperty("truncation", "disabled");
        if (s.usage() != null) {
            Usage u = s.usage();
            g.writeObjectPropertyStart("usage");
            g.writeNumberProperty("input_tokens", u.promptTokens());
            g.writeObjectPropertyStart("input_tokens_details");
            g.writeNumberProperty("cached_tokens", u.cachedTokens());
            g.writeEndObject();
            g.writeNumberProperty("output_tokens", u.completionTokens());
            g.writeObjectPropertyStart("output_tokens_details");
            g.writeNumberProperty("reasoning_tokens", 0);
            g.writeEndObject();
            g.writeNumberProperty("total_tokens", u.totalTokens());
            g.writeEndObject();
        } else {
            g.writeNullProperty("usage");
        }
        if (r.user() != null) g.writeStringProperty("user", r.user());
        else g.writeNullProperty("user");
        g.writeObjectPropertyStart("metadata");
        g.writeEndObject();
        g.writeEndObject();
    }

    /** An output item as the Responses API writes it, in events and in the whole response. */
    public static void item(JsonGenerator g, Item item) {
        g.writeStartObject();
        if (item.functionCall()) {
            g.writeStringProperty("type", "function_call");
            g.writeStringProperty("id", item.id());
            g.writeStringProperty("call_id", item.callId());
            g.writeStringProperty("name", item.name());
            g.writeStringProperty("arguments", item.text());
            g.writeStringProperty("status", item.done() ? "completed" : "in_progress");
        } else {
            g.writeStringProperty("type", "message");
            g.writeStringProperty("id", item.id());
            g.writeStringProperty("status", item.done() ? "completed" : "in_progress");
            g.writeStringProperty("role", "assistant");
            g.writeArrayPropertyStart("content");
            if (item.done()) textPart(g, item.text());
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    /** An {@code output_text} content part. */
    public static void textPart(JsonGenerator g, String text) {
        g.writeStartObject();
        g.writeStringProperty("type", "output_text");
        g.writeStringProperty("text", text);
        g.writeArrayPropertyStart("annotations");
        g.writeEndArray();
        g.writeArrayPropertyStart("logprobs");
        g.writeEndArray();
        g.writeEndObject();
    }

    private static JsonGenerator begin(OutputStream out, String type) {
        Wire.raw(out, "event: " + type + "\ndata: ");
        return OpenAiRequests.MAPPER.createGenerator(out);
    }

    private static void end(JsonGenerator g, OutputStream out, Sequence seq) {
        g.writeNumberProperty("sequence_number", seq.next++);
        g.writeEndObject();
        g.close();
        Wire.raw(out, "\n\n");
    }
}
