package dev.llmlab.api.openai;

import dev.llmlab.api.GenerationRequest;
import dev.llmlab.api.Message;
import dev.llmlab.api.ResponseFormat;
import dev.llmlab.api.Tool;
import dev.llmlab.api.ToolCall;
import dev.llmlab.api.client.ClientApi;
import dev.llmlab.api.client.ClientCodec;
import dev.llmlab.api.client.ClientListener;
import dev.llmlab.api.client.ClientRequest;
import dev.llmlab.api.client.ProviderError;
import dev.llmlab.api.client.StreamDecoder;
import dev.llmlab.api.client.internal.ClientJson;
import java.io.ByteArrayOutputStream;
import java.util.List;
import tools.jackson.core.JsonGenerator;

/**
 * The OpenAI Responses API ({@code POST /responses}) on the client side. A leading system message
 * becomes {@code instructions}; the conversation becomes {@code input} items: messages, an
 * assistant's tool calls as {@code function_call} items after its text, tool results as {@code
 * function_call_output}. The API has no {@code n}, {@code stop}, {@code seed} or logprobs: several
 * choices and stop sequences are refused (the answer would differ), the seed (a best-effort hint
 * on every API) and logprobs (which no decoder reports) are not sent. {@code store} is false: a
 * load test or a gateway call leaves nothing stored. Stateless.
 */
final class ResponsesClient implements ClientCodec {
    @Override
    public ClientApi api() {
        return ClientApi.OPENAI_RESPONSES;
    }

    @Override
    public ClientRequest request(GenerationRequest r, String apiKey) {
        if (r.n() > 1) throw new IllegalArgumentException("openai-responses has no n: one choice per request");
        if (!r.stop().isEmpty())
            throw new IllegalArgumentException(
                    "openai-responses has no stop: stop sequences cannot be sent, and the answer would run past them");
        ByteArrayOutputStream body = new ByteArrayOutputStream(256);
        try (JsonGenerator g = ClientJson.MAPPER.createGenerator(body)) {
            g.writeStartObject();
            g.writeStringProperty("model", r.model());
            List<Message> messages = ClientJson.conversation(r, "openai-responses");
            int first = 0;
            if (messages.getFirst().role().equals("system")) {
                g.writeStringProperty("instructions", messages.getFirst().content());
                first = 1;
            }
            g.writeArrayPropertyStart("input");
            for (Message m : messages.subList(first, messages.size())) writeItems(g, m);
            g.writeEndArray();
            if (r.maxTokens() >= 0) g.writeNumberProperty("max_output_tokens", r.maxTokens());
            if (!Double.isNaN(r.temperature())) g.writeNumberProperty("temperature", r.temperature());
            if (!Double.isNaN(r.topP())) g.writeNumberProperty("top_p", r.topP());
            writeTools(g, r);
            writeFormat(g, r.responseFormat());
            if (r.stream()) g.writeBooleanProperty("stream", true);
            if (r.user() != null) g.writeStringProperty("user", r.user());
            g.writeBooleanProperty("store", false);
            g.writeEndObject();
        }
        return new ClientRequest("/responses", ChatClient.headers(apiKey, r.stream()), body.toByteArray());
    }

    private static void writeItems(JsonGenerator g, Message m) {
        if (m.role().equals("tool")) {
            g.writeStartObject();
            g.writeStringProperty("type", "function_call_output");
            g.writeStringProperty("call_id", m.toolCallId() == null ? "" : m.toolCallId());
            g.writeStringProperty("output", m.content());
            g.writeEndObject();
            return;
        }
        boolean calls = m.role().equals("assistant") && !m.toolCalls().isEmpty();
        if (!calls || !m.content().isEmpty()) {
            g.writeStartObject();
            g.writeStringProperty("role", m.role());
            g.writeStringProperty("content", m.content());
            g.writeEndObject();
        }
        for (ToolCall c : m.toolCalls()) {
            g.writeStartObject();
            g.writeStringProperty("type", "function_call");
            g.writeStringProperty("call_id", c.id());
            g.writeStringProperty("name", c.name());
            g.writeStringProperty(
                    "arguments", c.arguments() == null || c.arguments().isBlank() ? "{}" : c.arguments());
            g.writeEndObject();
        }
    }

    /** Function tools are flat here; {@code strict} is always written, as the API's default is true. */
    private static void writeTools(JsonGenerator g, GenerationRequest r) {
        if (r.tools().isEmpty()) return;
        g.writeArrayPropertyStart("tools");
        for (Tool t : r.tools()) {
            g.writeStartObject();
            g.writeStringProperty("type", "function");
            g.writeStringProperty("name", t.name());
            if (t.description() != null) g.writeStringProperty("description", t.description());
            if (t.parameters() != null) {
                g.writeName("parameters");
                g.writeTree(t.parameters());
            }
            g.writeBooleanProperty("strict", t.strict());
            g.writeEndObject();
        }
        g.writeEndArray();
        switch (r.toolChoice().mode()) {
            case NONE -> g.writeStringProperty("tool_choice", "none");
            case REQUIRED -> g.writeStringProperty("tool_choice", "required");
            case NAMED -> {
                g.writeObjectPropertyStart("tool_choice");
                g.writeStringProperty("type", "function");
                g.writeStringProperty("name", r.toolChoice().name());
                g.writeEndObject();
            }
            case AUTO -> {}
        }
        if (!r.parallelToolCalls()) g.writeBooleanProperty("parallel_tool_calls", false);
    }

    private static void writeFormat(JsonGenerator g, ResponseFormat f) {
        if (f.kind() == ResponseFormat.Kind.TEXT) return;
        g.writeObjectPropertyStart("text");
        g.writeObjectPropertyStart("format");
        if (f.kind() == ResponseFormat.Kind.JSON_OBJECT) {
            g.writeStringProperty("type", "json_object");
        } else {
            g.writeStringProperty("type", "json_schema");
            g.writeStringProperty("name", f.name() == null ? "response" : f.name());
            g.writeName("schema");
            if (f.schema() != null) g.writeTree(f.schema());
            else g.writeRawValue("{\"type\":\"object\"}");
            g.writeBooleanProperty("strict", f.strict());
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    @Override
    public void decode(byte[] body, int offset, int length, ClientListener listener) {
        new ResponsesStream(listener).whole(body, offset, length);
    }

    @Override
    public StreamDecoder streamDecoder(GenerationRequest request, ClientListener listener) {
        return new ResponsesStream(listener);
    }

    @Override
    public StreamDecoder streamDecoder(GenerationRequest request, ClientListener listener, boolean lean) {
        return new ResponsesStream(listener, !lean);
    }

    @Override
    public ProviderError error(int status, byte[] body, int offset, int length) {
        return OpenAiErrors.body(status, body, offset, length);
    }
}
