package dev.llmlab.api.relay;

import dev.llmlab.api.Choice;
import dev.llmlab.api.Completion;
import dev.llmlab.api.FinishReason;
import dev.llmlab.api.GenerationRequest;
import dev.llmlab.api.ToolCall;
import dev.llmlab.api.Usage;
import dev.llmlab.api.anthropic.AnthropicResponses;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.List;
import tools.jackson.core.JsonGenerator;

/**
 * Anthropic Messages for the client: {@code message_start}, a content block per run of text,
 * thinking or tool call ({@code content_block_start}, its {@code text_delta}, {@code
 * thinking_delta} or {@code input_json_delta} events, {@code content_block_stop}), then
 * {@code message_delta} with the stop reason and usage, and {@code message_stop}.
 *
 * <h2>Usage in message_start</h2>
 * Anthropic's {@code message_start} carries the input tokens before any output; an OpenAI
 * provider says them only after the last token. The writer does not wait (that would hold back
 * the first token): {@code message_start} goes out with the first event of the provider that
 * brings anything, with the usage the provider has reported by then (Anthropic and Gemini
 * providers have, in that very event) or zeros when it has not (OpenAI). The closing {@code
 * message_delta} always carries the provider's final count: {@code input_tokens}, {@code
 * cache_read_input_tokens} and {@code output_tokens}; Anthropic's API makes those counts
 * cumulative, and its SDKs take the input counts from {@code message_delta} when present.
 *
 * <p>The input tokens written are the prompt less its cached part, as Anthropic counts them; the
 * cached part is {@code cache_read_input_tokens}. Tool-use ids are the provider's call ids with
 * {@code call_} turned into {@code toolu_} (as the simulator does), or fresh {@code toolu_} ids
 * for Gemini calls without one. A thinking block has no signature: no other provider makes one.
 * An error is an {@code error} event, which ends Anthropic's streams.
 */
final class AnthropicWriter extends IngressWriter {
    private enum Block {
        NONE,
        TEXT,
        THINKING,
        TOOL
    }

    private final String id;
    private final ByteArrayOutputStream early = new ByteArrayOutputStream(256);
    private OutputStream target;
    private boolean started;
    private Block open = Block.NONE;
    private int index = -1;
    private Usage usage;
    private String stopReason;
    private String stopSequence;

    AnthropicWriter(GenerationRequest request, String model, Stamps stamps) {
        super(request, model, stamps);
        this.id = stamps.id(Stamps.Kind.MESSAGE);
    }

    @Override
    void beginEvent(OutputStream out) {
        target = out;
        // until message_start is out, what the event brings waits in a small buffer, so that
        // message_start can carry the usage the same event reports
        this.out = started ? out : early;
    }

    @Override
    void endEvent() {
        if (!started && (early.size() > 0 || usage != null)) start();
    }

    private void start() {
        started = true;
        out = target;
        JsonGenerator g = begin("message_start");
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
        writeUsage(g, usage != null ? usage : new Usage(0, 0, 0));
        g.writeEndObject();
        g.writeEndObject();
        end(g);
        if (early.size() > 0) {
            try {
                early.writeTo(target);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            early.reset();
        }
    }

    private JsonGenerator begin(String event) {
        Json.ascii(out, "event: " + event + "\ndata: ");
        JsonGenerator g = Json.MAPPER.createGenerator(out);
        g.writeStartObject();
        return g;
    }

    private void end(JsonGenerator g) {
        g.writeEndObject();
        g.close();
        Json.ascii(out, "\n\n");
    }

    private void open(Block kind, String callId, String name) {
        close();
        open = kind;
        index++;
        JsonGenerator g = begin("content_block_start");
        g.writeStringProperty("type", "content_block_start");
        g.writeNumberProperty("index", index);
        g.writeObjectPropertyStart("content_block");
        switch (kind) {
            case TEXT -> {
                g.writeStringProperty("type", "text");
                g.writeStringProperty("text", "");
            }
            case THINKING -> {
                g.writeStringProperty("type", "thinking");
                g.writeStringProperty("thinking", "");
            }
            default -> {
                g.writeStringProperty("type", "tool_use");
                g.writeStringProperty("id", toolUseId(callId));
                g.writeStringProperty("name", name);
                g.writeObjectPropertyStart("input");
                g.writeEndObject();
            }
        }
        g.writeEndObject();
        end(g);
    }

    private String toolUseId(String callId) {
        return callId != null ? AnthropicResponses.toolUseId(callId) : stamps.id(Stamps.Kind.TOOL_USE);
    }

    private void close() {
        if (open == Block.NONE) return;
        JsonGenerator g = begin("content_block_stop");
        g.writeStringProperty("type", "content_block_stop");
        g.writeNumberProperty("index", index);
        end(g);
        open = Block.NONE;
    }

    private void delta(String type, String field, String value) {
        JsonGenerator g = begin("content_block_delta");
        g.writeStringProperty("type", "content_block_delta");
        g.writeNumberProperty("index", index);
        g.writeObjectPropertyStart("delta");
        g.writeStringProperty("type", type);
        g.writeStringProperty(field, value);
        g.writeEndObject();
        end(g);
    }

    @Override
    public void text(int choice, String delta) {
        if (open != Block.TEXT) open(Block.TEXT, null, null);
        delta("text_delta", "text", delta);
    }

    @Override
    public void reasoning(int choice, String delta) {
        if (open != Block.THINKING) open(Block.THINKING, null, null);
        delta("thinking_delta", "thinking", delta);
    }

    @Override
    public void toolCall(int choice, int tool, String callId, String name, String arguments) {
        if (callId != null || name != null || open != Block.TOOL) open(Block.TOOL, callId, name);
        if (arguments != null && !arguments.isEmpty()) delta("input_json_delta", "partial_json", arguments);
    }

    @Override
    public void usage(int promptTokens, int completionTokens, int cachedTokens) {
        usage = new Usage(promptTokens, completionTokens, cachedTokens);
    }

    @Override
    public void finish(int choice, FinishReason reason, String providerReason, String stopSequence) {
        close();
        this.stopReason = AnthropicResponses.stopReason(reason, stopSequence);
        this.stopSequence = stopSequence;
    }

    @Override
    void complete(Usage usage) {
        if (!started) start();
        close();
        JsonGenerator g = begin("message_delta");
        g.writeStringProperty("type", "message_delta");
        g.writeObjectPropertyStart("delta");
        g.writeStringProperty("stop_reason", stopReason != null ? stopReason : "end_turn");
        g.writeStringProperty("stop_sequence", stopSequence);
        g.writeEndObject();
        g.writeObjectPropertyStart("usage");
        writeUsage(g, usage != null ? usage : new Usage(0, 0, 0));
        g.writeEndObject();
        end(g);
        Json.ascii(out, "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
    }

    @Override
    void fail(int status, String message, String openAiType, String openAiCode) {
        if (!started) out = target; // an error before anything else: no message_start
        Json.ascii(out, "event: error\ndata: ");
        try (JsonGenerator g = Json.MAPPER.createGenerator(out)) {
            Errors.writeAnthropicError(g, status, message);
            g.writeEndObject();
        }
        Json.ascii(out, "\n\n");
    }

    static void writeUsage(JsonGenerator g, Usage u) {
        g.writeNumberProperty("input_tokens", u.promptTokens() - u.cachedTokens());
        g.writeNumberProperty("cache_creation_input_tokens", 0);
        g.writeNumberProperty("cache_read_input_tokens", u.cachedTokens());
        g.writeNumberProperty("output_tokens", u.completionTokens());
    }

    @Override
    void whole(OutputStream out, Completion c, List<String> reasoning) {
        Choice choice = c.choices().isEmpty()
                ? new Choice(0, "", List.of(), FinishReason.STOP, null, null)
                : c.choices().getFirst();
        try (JsonGenerator g = Json.MAPPER.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringProperty("id", id);
            g.writeStringProperty("type", "message");
            g.writeStringProperty("role", "assistant");
            g.writeStringProperty("model", model);
            g.writeArrayPropertyStart("content");
            String r = reasoning.isEmpty() ? "" : reasoning.getFirst();
            if (!r.isEmpty()) {
                g.writeStartObject();
                g.writeStringProperty("type", "thinking");
                g.writeStringProperty("thinking", r);
                g.writeEndObject();
            }
            if (choice.text() != null
                    && (!choice.text().isEmpty() || choice.toolCalls().isEmpty())) {
                g.writeStartObject();
                g.writeStringProperty("type", "text");
                g.writeStringProperty("text", choice.text());
                g.writeEndObject();
            }
            for (ToolCall call : choice.toolCalls()) {
                g.writeStartObject();
                g.writeStringProperty("type", "tool_use");
                g.writeStringProperty("id", toolUseId(call.id()));
                g.writeStringProperty("name", call.name());
                g.writeName("input");
                g.writeTree(Json.MAPPER.readTree(call.arguments()));
                g.writeEndObject();
            }
            g.writeEndArray();
            FinishReason reason = choice.finishReason() == null ? FinishReason.STOP : choice.finishReason();
            g.writeStringProperty("stop_reason", AnthropicResponses.stopReason(reason, choice.stopSequence()));
            g.writeStringProperty("stop_sequence", choice.stopSequence());
            g.writeObjectPropertyStart("usage");
            writeUsage(g, c.usage() != null ? c.usage() : new Usage(0, 0, 0));
            g.writeEndObject();
            g.writeEndObject();
        }
    }
}
