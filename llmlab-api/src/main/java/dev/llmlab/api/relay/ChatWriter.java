package dev.llmlab.api.relay;

import dev.llmlab.api.Choice;
import dev.llmlab.api.Completion;
import dev.llmlab.api.FinishReason;
import dev.llmlab.api.GenerationRequest;
import dev.llmlab.api.ToolCall;
import dev.llmlab.api.Usage;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import tools.jackson.core.JsonGenerator;

/**
 * OpenAI chat completions and legacy completions for the client: {@code data: {chunk}} events,
 * one per text, reasoning or tool-call piece, a finish chunk per choice, a usage chunk (with
 * empty {@code choices}) only when the client asked for it with {@code stream_options}, and
 * {@code data: [DONE]}.
 *
 * <p>The first chunk of a choice carries {@code role: assistant} beside its first piece. A tool
 * call's first chunk has its {@code id} (the provider's; Gemini's calls may have none, and get a
 * {@code call_} id), {@code type} and name; its argument pieces follow under the same
 * {@code index}, which is the call's number in its choice, as OpenAI numbers them. Reasoning goes
 * out as {@code reasoning_content}, the field of OpenAI-compatible servers (vLLM, DeepSeek);
 * OpenAI's own chat API has none. Stop sequences have no field here: a stop is {@code stop}.
 * An error is a chunk {@code {"error":{...}}}, then {@code [DONE]}, as OpenAI's own streams end
 * one: its SDKs raise at the error and read no further, and a client that reads until {@code
 * [DONE]} still finds the end. The gateway's pass-through streams end the same way.
 */
final class ChatWriter extends IngressWriter {
    private final boolean chat;
    private final String id;
    private final long created;
    private boolean[] started = new boolean[1];

    ChatWriter(GenerationRequest request, String model, Stamps stamps) {
        super(request, model, stamps);
        this.chat = request.endpoint() == GenerationRequest.Endpoint.CHAT;
        this.id = stamps.id(chat ? Stamps.Kind.CHAT : Stamps.Kind.COMPLETION);
        this.created = stamps.now();
    }

    private JsonGenerator chunk() {
        Json.ascii(out, "data: ");
        JsonGenerator g = Json.MAPPER.createGenerator(out);
        g.writeStartObject();
        g.writeStringProperty("id", id);
        g.writeStringProperty("object", chat ? "chat.completion.chunk" : "text_completion");
        g.writeNumberProperty("created", created);
        g.writeStringProperty("model", model);
        g.writeArrayPropertyStart("choices");
        return g;
    }

    private void endChunk(JsonGenerator g) {
        g.writeEndArray();
        g.writeEndObject();
        g.close();
        Json.ascii(out, "\n\n");
    }

    /** Opens choice {@code k}'s delta object, with the role on the choice's first chunk. */
    private JsonGenerator delta(int k) {
        JsonGenerator g = chunk();
        g.writeStartObject();
        g.writeNumberProperty("index", k);
        g.writeObjectPropertyStart("delta");
        if (k >= started.length) started = Arrays.copyOf(started, k + 1);
        if (!started[k]) {
            started[k] = true;
            g.writeStringProperty("role", "assistant");
        }
        return g;
    }

    private void endDelta(JsonGenerator g) {
        g.writeEndObject();
        g.writeNullProperty("logprobs");
        g.writeNullProperty("finish_reason");
        g.writeEndObject();
        endChunk(g);
    }

    @Override
    public void text(int choice, String delta) {
        if (!chat) {
            JsonGenerator g = chunk();
            g.writeStartObject();
            g.writeStringProperty("text", delta);
            g.writeNumberProperty("index", choice);
            g.writeNullProperty("logprobs");
            g.writeNullProperty("finish_reason");
            g.writeEndObject();
            endChunk(g);
            return;
        }
        JsonGenerator g = delta(choice);
        g.writeStringProperty("content", delta);
        endDelta(g);
    }

    @Override
    public void reasoning(int choice, String delta) {
        if (!chat) return; // legacy completions have no place for it
        JsonGenerator g = delta(choice);
        g.writeStringProperty("reasoning_content", delta);
        endDelta(g);
    }

    @Override
    public void toolCall(int choice, int tool, String callId, String name, String arguments) {
        boolean first = callId != null || name != null;
        if (!first && (arguments == null || arguments.isEmpty())) return;
        JsonGenerator g = delta(choice);
        g.writeArrayPropertyStart("tool_calls");
        g.writeStartObject();
        g.writeNumberProperty("index", tool);
        if (first) {
            g.writeStringProperty("id", callId != null ? callId : stamps.id(Stamps.Kind.CALL));
            g.writeStringProperty("type", "function");
        }
        g.writeObjectPropertyStart("function");
        if (first) g.writeStringProperty("name", name);
        g.writeStringProperty("arguments", arguments == null ? "" : arguments);
        g.writeEndObject();
        g.writeEndObject();
        g.writeEndArray();
        endDelta(g);
    }

    @Override
    public void finish(int choice, FinishReason reason, String providerReason, String stopSequence) {
        JsonGenerator g = chunk();
        g.writeStartObject();
        if (chat) {
            g.writeNumberProperty("index", choice);
            g.writeObjectPropertyStart("delta");
            g.writeEndObject();
        } else {
            g.writeStringProperty("text", "");
            g.writeNumberProperty("index", choice);
        }
        g.writeNullProperty("logprobs");
        g.writeStringProperty("finish_reason", reason.wire());
        g.writeEndObject();
        endChunk(g);
    }

    @Override
    void complete(Usage usage) {
        if (request.includeUsage() && usage != null) {
            JsonGenerator g = chunk();
            g.writeEndArray();
            g.writeName("usage");
            writeUsage(g, usage);
            g.writeEndObject();
            g.close();
            Json.ascii(out, "\n\n");
        }
        Json.ascii(out, "data: [DONE]\n\n");
    }

    @Override
    void fail(int status, String message, String openAiType, String openAiCode) {
        Json.ascii(out, "data: ");
        Errors.writeOpenAi(out, message, openAiType != null ? openAiType : Errors.openAiType(status), null, openAiCode);
        Json.ascii(out, "\n\ndata: [DONE]\n\n");
    }

    static void writeUsage(JsonGenerator g, Usage u) {
        g.writeStartObject();
        g.writeNumberProperty("prompt_tokens", u.promptTokens());
        g.writeNumberProperty("completion_tokens", u.completionTokens());
        g.writeNumberProperty("total_tokens", u.totalTokens());
        g.writeObjectPropertyStart("prompt_tokens_details");
        g.writeNumberProperty("cached_tokens", u.cachedTokens());
        g.writeEndObject();
        g.writeEndObject();
    }

    @Override
    void whole(OutputStream out, Completion c, List<String> reasoning) {
        try (JsonGenerator g = Json.MAPPER.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringProperty("id", id);
            g.writeStringProperty("object", chat ? "chat.completion" : "text_completion");
            g.writeNumberProperty("created", created);
            g.writeStringProperty("model", model);
            g.writeArrayPropertyStart("choices");
            for (Choice ch : c.choices()) {
                g.writeStartObject();
                if (!chat) {
                    g.writeStringProperty("text", ch.text() == null ? "" : ch.text());
                    g.writeNumberProperty("index", ch.index());
                    g.writeNullProperty("logprobs");
                    g.writeStringProperty("finish_reason", wire(ch));
                    g.writeEndObject();
                    continue;
                }
                g.writeNumberProperty("index", ch.index());
                g.writeObjectPropertyStart("message");
                g.writeStringProperty("role", "assistant");
                g.writeStringProperty("content", ch.text());
                String r = ch.index() < reasoning.size() ? reasoning.get(ch.index()) : "";
                if (!r.isEmpty()) g.writeStringProperty("reasoning_content", r);
                g.writeNullProperty("refusal");
                if (!ch.toolCalls().isEmpty()) {
                    g.writeArrayPropertyStart("tool_calls");
                    for (ToolCall tc : ch.toolCalls()) {
                        g.writeStartObject();
                        g.writeStringProperty("id", tc.id() != null ? tc.id() : stamps.id(Stamps.Kind.CALL));
                        g.writeStringProperty("type", "function");
                        g.writeObjectPropertyStart("function");
                        g.writeStringProperty("name", tc.name());
                        g.writeStringProperty("arguments", tc.arguments());
                        g.writeEndObject();
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                }
                g.writeEndObject();
                g.writeNullProperty("logprobs");
                g.writeStringProperty("finish_reason", wire(ch));
                g.writeEndObject();
            }
            g.writeEndArray();
            if (c.usage() != null) {
                g.writeName("usage");
                writeUsage(g, c.usage());
            }
            g.writeEndObject();
        }
    }

    /** A choice's finish reason; a whole answer without one (a provider that said none) ended normally. */
    private static String wire(Choice ch) {
        return (ch.finishReason() == null ? FinishReason.STOP : ch.finishReason()).wire();
    }
}
