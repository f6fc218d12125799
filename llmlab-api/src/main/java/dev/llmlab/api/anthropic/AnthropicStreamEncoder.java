package dev.llmlab.api.anthropic;

import dev.llmlab.api.Wire;
import java.io.OutputStream;
import tools.jackson.core.JsonGenerator;

/**
 * The server-sent events of a streamed Anthropic message, in the order the API sends them:
 * {@code message_start}, then per content block {@code content_block_start},
 * {@code content_block_delta}s ({@code text_delta} or {@code input_json_delta}) and
 * {@code content_block_stop}, a {@code ping} after the first block starts, then
 * {@code message_delta} (stop reason and output tokens) and {@code message_stop}. Each event is
 * framed as {@code event: NAME\ndata: JSON\n\n}. One instance per stream; not thread-safe.
 */
public final class AnthropicStreamEncoder {
    private final String id;
    private final String model;

    public AnthropicStreamEncoder(String id, String model) {
        this.id = id;
        this.model = model;
    }

    /** {@code message_start}; {@code promptTokens} is the whole prompt, of which {@code cachedTokens} were cache reads. */
    public void messageStart(OutputStream out, int promptTokens, int cachedTokens) {
        JsonGenerator g = begin(out, "message_start");
        g.writeStartObject();
        g.writeStringProperty("type", "message_start");
        g.writeObjectPropertyStart("message");
        g.writeStringProperty("id", id);
        g.writeStringProperty("type", "message");
        g.writeStringProperty("role", "assistant");
        g.writeStringProperty("model", model);
        g.writeArrayPropertyStart("content");
        g.writeEndArray();
        g.writeNullProperty("stop_reason");
        g.writeNullProperty("stop_sequence");
        g.writeObjectPropertyStart("usage");
        AnthropicResponses.writeUsage(g, promptTokens, cachedTokens, 1);
        g.writeEndObject();
        g.writeEndObject();
        end(g, out);
    }

    public void textBlockStart(OutputStream out, int index) {
        JsonGenerator g = begin(out, "content_block_start");
        g.writeStartObject();
        g.writeStringProperty("type", "content_block_start");
        g.writeNumberProperty("index", index);
        g.writeObjectPropertyStart("content_block");
        g.writeStringProperty("type", "text");
        g.writeStringProperty("text", "");
        g.writeEndObject();
        end(g, out);
    }

    public void toolUseBlockStart(OutputStream out, int index, String callId, String name) {
        JsonGenerator g = begin(out, "content_block_start");
        g.writeStartObject();
        g.writeStringProperty("type", "content_block_start");
        g.writeNumberProperty("index", index);
        g.writeObjectPropertyStart("content_block");
        g.writeStringProperty("type", "tool_use");
        g.writeStringProperty("id", AnthropicResponses.toolUseId(callId));
        g.writeStringProperty("name", name);
        g.writeObjectPropertyStart("input");
        g.writeEndObject();
        g.writeEndObject();
        end(g, out);
    }

    public void ping(OutputStream out) {
        Wire.raw(out, "event: ping\ndata: {\"type\":\"ping\"}\n\n");
    }

    public void textDelta(OutputStream out, int index, String text) {
        delta(out, index, "text_delta", "text", text);
    }

    public void inputJsonDelta(OutputStream out, int index, String partialJson) {
        delta(out, index, "input_json_delta", "partial_json", partialJson);
    }

    private void delta(OutputStream out, int index, String type, String field, String value) {
        JsonGenerator g = begin(out, "content_block_delta");
        g.writeStartObject();
        g.writeStringProperty("type", "content_block_delta");
        g.writeNumberProperty("index", index);
        g.writeObjectPropertyStart("delta");
        g.writeStringProperty("type", type);
        g.writeStringProperty(field, value);
        g.writeEndObject();
        end(g, out);
    }

    public void blockStop(OutputStream out, int index) {
        JsonGenerator g = begin(out, "content_block_stop");
        g.writeStartObject();
        g.writeStringProperty("type", "content_block_stop");
        g.writeNumberProperty("index", index);
        end(g, out);
    }

    public void messageDelta(OutputStream out, String stopReason, String stopSequence, int outputTokens) {
        JsonGenerator g = begin(out, "message_delta");
        g.writeStartObject();
        g.writeStringProperty("type", "message_delta");
        g.writeObjectPropertyStart("delta");
        g.writeStringProperty("stop_reason", stopReason);
        if (stopSequence != null) g.writeStringProperty("stop_sequence", stopSequence);
        else g.writeNullProperty("stop_sequence");
        g.writeEndObject();
        g.writeObjectPropertyStart("usage");
        g.writeNumberProperty("output_tokens", outputTokens);
        g.writeEndObject();
        end(g, out);
    }

    public void messageStop(OutputStream out) {
        Wire.raw(out, "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
    }

    private static JsonGenerator begin(OutputStream out, String event) {
        Wire.raw(out, "event: " + event + "\ndata: ");
        return AnthropicRequests.MAPPER.createGenerator(out);
    }

    /** Closes the event's outermost object and the generator, then ends the frame. */
    private static void end(JsonGenerator g, OutputStream out) {
        g.writeEndObject();
        g.close();
        Wire.raw(out, "\n\n");
    }
}
