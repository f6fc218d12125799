package dev.llmlab.api.anthropic;

import dev.llmlab.api.GenerationRequest;
import dev.llmlab.api.Message;
import dev.llmlab.api.ResponseFormat;
import dev.llmlab.api.Tool;
import dev.llmlab.api.ToolCall;
import dev.llmlab.api.ToolChoice;
import dev.llmlab.api.client.ClientApi;
import dev.llmlab.api.client.ClientCodec;
import dev.llmlab.api.client.ClientListener;
import dev.llmlab.api.client.ClientRequest;
import dev.llmlab.api.client.ProviderError;
import dev.llmlab.api.client.StreamDecoder;
import dev.llmlab.api.client.internal.ClientJson;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;

/**
 * The Anthropic Messages API ({@code POST /messages}, {@code anthropic-version: 2023-06-01}, the
 * key in {@code x-api-key}) on the client side.
 *
 * <p>System messages, wherever they stand, become the top-level {@code system} (a string, or one
 * text block each); an assistant's tool calls become {@code tool_use} blocks after its text; each
 * run of tool results becomes one user message of {@code tool_result} blocks, as the API wants
 * them. {@code max_tokens} is required: {@value #DEFAULT_MAX_TOKENS} when the request has no cap.
 * The API has no {@code n} and no JSON mode: several choices and a JSON response format are
 * refused, as the answer would differ (free text where JSON was asked for). It has no seed and no
 * logprobs either: those are not sent (the seed is a best-effort hint on every API, and no decoder
 * reports logprobs). Its temperature runs
 * from 0 to 1 (OpenAI's to 2): a higher one is refused rather than changed. Recent models refuse
 * {@code temperature} and {@code top_p} together, so a request with both sends the temperature only
 * (Anthropic advises changing one of the two). Stateless.
 */
final class MessagesClient implements ClientCodec {
    static final String VERSION = "2023-06-01";
    static final int DEFAULT_MAX_TOKENS = 4096;

    @Override
    public ClientApi api() {
        return ClientApi.ANTHROPIC_MESSAGES;
    }

    @Override
    public ClientRequest request(GenerationRequest r, String apiKey) {
        if (r.n() > 1) throw new IllegalArgumentException("anthropic-messages has no n: one choice per request");
        if (r.responseFormat().kind() != ResponseFormat.Kind.TEXT)
            throw new IllegalArgumentException("anthropic-messages has no response_format: the API has no JSON mode,"
                    + " so a " + r.responseFormat().kind().name().toLowerCase(Locale.ROOT)
                    + " answer cannot be asked for");
        if (r.temperature() > 1)
            throw new IllegalArgumentException(
                    "anthropic-messages takes a temperature from 0 to 1, got " + r.temperature());
        List<Message> messages = ClientJson.conversation(r, "anthropic-messages");
        ByteArrayOutputStream body = new ByteArrayOutputStream(256);
        try (JsonGenerator g = ClientJson.MAPPER.createGenerator(body)) {
            g.writeStartObject();
            g.writeStringProperty("model", r.model());
            g.writeNumberProperty("max_tokens", r.maxTokens() >= 0 ? r.maxTokens() : DEFAULT_MAX_TOKENS);
            writeSystem(g, messages);
            writeMessages(g, messages);
            if (!r.stop().isEmpty()) {
                g.writeArrayPropertyStart("stop_sequences");
                for (String s : r.stop()) g.writeString(s);
                g.writeEndArray();
            }
            if (!Double.isNaN(r.temperature())) g.writeNumberProperty("temperature", r.temperature());
            if (!Double.isNaN(r.topP()) && Double.isNaN(r.temperature())) g.writeNumberProperty("top_p", r.topP());
            writeTools(g, r);
            if (r.stream()) g.writeBooleanProperty("stream", true);
            if (r.user() != null) {
                g.writeObjectPropertyStart("metadata");
                g.writeStringProperty("user_id", r.user());
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        List<ClientRequest.Header> headers = new ArrayList<>(4);
        headers.add(new ClientRequest.Header("content-type", "application/json"));
        headers.add(new ClientRequest.Header("accept", r.stream() ? "text/event-stream" : "application/json"));
        headers.add(new ClientRequest.Header("anthropic-version", VERSION));
        if (apiKey != null) headers.add(new ClientRequest.Header("x-api-key", apiKey));
        return new ClientRequest("/messages", headers, body.toByteArray());
    }

    private static void writeSystem(JsonGenerator g, List<Message> messages) {
        List<String> system = new ArrayList<>(1);
        for (Message m : messages) if (isSystem(m)) system.add(m.content());
        if (system.isEmpty()) return;
        if (system.size() == 1) {
            g.writeStringProperty("system", system.getFirst());
            return;
        }
        g.writeArrayPropertyStart("system");
        for (String s : system) {
            g.writeStartObject();
            g.writeStringProperty("type", "text");
            g.writeStringProperty("text", s);
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static boolean isSystem(Message m) {
        return m.role().equals("system") || m.role().equals("developer");
    }

    private static void writeMessages(JsonGenerator g, List<Message> messages) {
        g.writeArrayPropertyStart("messages");
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            if (isSystem(m)) continue;
            g.writeStartObject();
            if (m.role().equals("tool")) {
                g.writeStringProperty("role", "user");
                g.writeArrayPropertyStart("content");
                for (; i < messages.size() && messages.get(i).role().equals("tool"); i++) {
                    Message result = messages.get(i);
                    g.writeStartObject();
                    g.writeStringProperty("type", "tool_result");
                    g.writeStringProperty("tool_use_id", result.toolCallId() == null ? "" : result.toolCallId());
                    g.writeStringProperty("content", result.content());
                    g.writeEndObject();
                }
                i--;
                g.writeEndArray();
            } else if (m.role().equals("assistant") && !m.toolCalls().isEmpty()) {
                g.writeStringProperty("role", "assistant");
                g.writeArrayPropertyStart("content");
                if (!m.content().isEmpty()) {
                    g.writeStartObject();
                    g.writeStringProperty("type", "text");
                    g.writeStringProperty("text", m.content());
                    g.writeEndObject();
                }
                for (ToolCall c : m.toolCalls()) {
                    g.writeStartObject();
                    g.writeStringProperty("type", "tool_use");
                    g.writeStringProperty("id", c.id());
                    g.writeStringProperty("name", c.name());
                    g.writeName("input");
                    g.writeTree(input(c));
                    g.writeEndObject();
                }
                g.writeEndArray();
            } else {
                g.writeStringProperty("role", m.role().equals("assistant") ? "assistant" : "user");
                g.writeStringProperty("content", m.content());
            }
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** A call's arguments as the object {@code tool_use.input} must be. */
    private static JsonNode input(ToolCall c) {
        String args = c.arguments() == null || c.arguments().isBlank() ? "{}" : c.arguments();
        try {
            JsonNode n = ClientJson.MAPPER.readTree(args);
            if (n != null && n.isObject()) return n;
        } catch (JacksonException e) {
            // reported below
        }
        throw new IllegalArgumentException(
                "anthropic-messages: the arguments of tool call " + c.id() + " are not a JSON object");
    }

    private static void writeTools(JsonGenerator g, GenerationRequest r) {
        if (r.tools().isEmpty()) return;
        g.writeArrayPropertyStart("tools");
        for (Tool t : r.tools()) {
            g.writeStartObject();
            g.writeStringProperty("name", t.name());
            if (t.description() != null) g.writeStringProperty("description", t.description());
            g.writeName("input_schema");
            if (t.parameters() != null) g.writeTree(t.parameters());
            else g.writeRawValue("{\"type\":\"object\",\"properties\":{}}");
            g.writeEndObject();
        }
        g.writeEndArray();
        ToolChoice c = r.toolChoice();
        if (c.mode() == ToolChoice.Mode.AUTO && r.parallelToolCalls()) return; // the default with tools
        g.writeObjectPropertyStart("tool_choice");
        switch (c.mode()) {
            case NONE -> g.writeStringProperty("type", "none");
            case AUTO -> g.writeStringProperty("type", "auto");
            case REQUIRED -> g.writeStringProperty("type", "any");
            case NAMED -> {
                g.writeStringProperty("type", "tool");
                g.writeStringProperty("name", c.name());
            }
        }
        if (!r.parallelToolCalls() && c.mode() != ToolChoice.Mode.NONE)
            g.writeBooleanProperty("disable_parallel_tool_use", true);
        g.writeEndObject();
    }

    @Override
    public void decode(byte[] body, int offset, int length, ClientListener listener) {
        MessagesStream.whole(body, offset, length, listener);
    }

    @Override
    public StreamDecoder streamDecoder(GenerationRequest request, ClientListener listener) {
        return new MessagesStream(listener);
    }

    @Override
    public StreamDecoder streamDecoder(GenerationRequest request, ClientListener listener, boolean lean) {
        return new MessagesStream(listener, !lean);
    }

    @Override
    public ProviderError error(int status, byte[] body, int offset, int length) {
        return AnthropicErrors.body(status, body, offset, length);
    }
}
