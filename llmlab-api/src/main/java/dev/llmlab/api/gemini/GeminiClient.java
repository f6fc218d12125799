package dev.llmlab.api.gemini;

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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;

/**
 * The Gemini API on the client side: {@code POST /models/{model}:generateContent}, or {@code
 * :streamGenerateContent?alt=sse} for a stream, under a {@code /v1beta} base, the key in {@code
 * x-goog-api-key}.
 *
 * <p>System messages become {@code systemInstruction} (a text part each); the assistant is role
 * {@code model}, its tool calls {@code functionCall} parts (with their id, which the API echoes);
 * each run of tool results is one user content of {@code functionResponse} parts, named by
 * function (a result without a name takes the name of the call it answers) and holding the result
 * as an object: a result that is a JSON object as it is, any other text as {@code
 * {"output": text}}, the key the API documents for a function's output. Schemas go as JSON Schema
 * ({@code parametersJsonSchema}, {@code responseJsonSchema}), not as the OpenAPI subset, so
 * nothing is lost in translation. The API has no field for the end user's id and no limit to one
 * call per turn: {@code user} and {@code parallel_tool_calls: false} are not sent (an answer may
 * then hold several calls; see {@link ClientCodec#request(GenerationRequest, String)}). Stateless.
 */
final class GeminiClient implements ClientCodec {
    @Override
    public ClientApi api() {
        return ClientApi.GEMINI;
    }

    @Override
    public ClientRequest request(GenerationRequest r, String apiKey) {
        List<Message> messages = ClientJson.conversation(r, "gemini");
        ByteArrayOutputStream body = new ByteArrayOutputStream(256);
        try (JsonGenerator g = ClientJson.MAPPER.createGenerator(body)) {
            g.writeStartObject();
            writeContents(g, messages);
            writeSystem(g, messages);
            writeConfig(g, r);
            writeTools(g, r);
            g.writeEndObject();
        }
        List<ClientRequest.Header> headers = new ArrayList<>(3);
        headers.add(new ClientRequest.Header("content-type", "application/json"));
        headers.add(new ClientRequest.Header("accept", r.stream() ? "text/event-stream" : "application/json"));
        if (apiKey != null) headers.add(new ClientRequest.Header("x-goog-api-key", apiKey));
        String method = r.stream() ? ":streamGenerateContent?alt=sse" : ":generateContent";
        return new ClientRequest("/models/" + pathSegment(r.model()) + method, headers, body.toByteArray());
    }

    /** A model id as a path segment: {@code models/} dropped if given, anything but unreserved characters escaped. */
    static String pathSegment(String model) {
        String m = model.startsWith("models/") ? model.substring(7) : model;
        StringBuilder b = new StringBuilder(m.length());
        for (byte x : m.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (x & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                b.append(c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
                b.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return b.toString();
    }

    private static boolean isSystem(Message m) {
        return m.role().equals("system") || m.role().equals("developer");
    }

    private static void writeSystem(JsonGenerator g, List<Message> messages) {
        if (messages.stream().noneMatch(GeminiClient::isSystem)) return;
        g.writeObjectPropertyStart("systemInstruction");
        g.writeArrayPropertyStart("parts");
        for (Message m : messages) {
            if (!isSystem(m)) continue;
            g.writeStartObject();
            g.writeStringProperty("text", m.content());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void writeContents(JsonGenerator g, List<Message> messages) {
        g.writeArrayPropertyStart("contents");
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            if (isSystem(m)) continue;
            g.writeStartObject();
            if (m.role().equals("tool")) {
                g.writeStringProperty("role", "user");
                g.writeArrayPropertyStart("parts");
                for (; i < messages.size() && messages.get(i).role().equals("tool"); i++) {
                    functionResponse(g, messages.get(i), messages.subList(0, i));
                }
                i--;
                g.writeEndArray();
            } else if (m.role().equals("assistant")) {
                g.writeStringProperty("role", "model");
                g.writeArrayPropertyStart("parts");
                if (!m.content().isEmpty() || m.toolCalls().isEmpty()) {
                    g.writeStartObject();
                    g.writeStringProperty("text", m.content());
                    g.writeEndObject();
                }
                for (ToolCall c : m.toolCalls()) {
                    g.writeStartObject();
                    g.writeObjectPropertyStart("functionCall");
                    if (c.id() != null) g.writeStringProperty("id", c.id());
                    g.writeStringProperty("name", c.name());
                    g.writeName("args");
                    g.writeTree(arguments(c));
                    g.writeEndObject();
                    g.writeEndObject();
                }
                g.writeEndArray();
            } else {
                g.writeStringProperty("role", "user");
                g.writeArrayPropertyStart("parts");
                g.writeStartObject();
                g.writeStringProperty("text", m.content());
                g.writeEndObject();
                g.writeEndArray();
            }
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void functionResponse(JsonGenerator g, Message result, List<Message> before) {
        String name = result.name() != null ? result.name() : callName(result.toolCallId(), before);
        g.writeStartObject();
        g.writeObjectPropertyStart("functionResponse");
        if (result.toolCallId() != null) g.writeStringProperty("id", result.toolCallId());
        g.writeStringProperty("name", name);
        g.writeName("response");
        JsonNode object = jsonObject(result.content());
        if (object != null) {
            g.writeTree(object);
        } else {
            g.writeStartObject();
            g.writeStringProperty("output", result.content());
            g.writeEndObject();
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    /** The function a tool result answers: the call with its id among the messages before it. */
    private static String callName(String callId, List<Message> before) {
        for (int i = before.size() - 1; i >= 0; i--) {
            for (ToolCall c : before.get(i).toolCalls()) if (c.id() != null && c.id().equals(callId)) return c.name();
        }
        throw new IllegalArgumentException(
                "gemini: the tool result for call " + callId + " names no function, and no earlier call has that id");
    }

    private static JsonNode arguments(ToolCall c) {
        String args = c.arguments() == null || c.arguments().isBlank() ? "{}" : c.arguments();
        JsonNode n = jsonObject(args);
        if (n == null) {
            throw new IllegalArgumentException(
                    "gemini: the arguments of tool call " + c.id() + " are not a JSON object");
        }
        return n;
    }

    private static JsonNode jsonObject(String text) {
        if (text.isEmpty() || text.charAt(0) != '{') return null;
        try {
            JsonNode n = ClientJson.MAPPER.readTree(text);
            return n != null && n.isObject() ? n : null;
        } catch (JacksonException e) {
            return null;
        }
    }

    private static void writeConfig(JsonGenerator g, GenerationRequest r) {
        g.writeObjectPropertyStart("generationConfig");
        if (r.maxTokens() >= 0) g.writeNumberProperty("maxOutputTokens", r.maxTokens());
        if (!Double.isNaN(r.temperature())) g.writeNumberProperty("temperature", r.temperature());
        if (!Double.isNaN(r.topP())) g.writeNumberProperty("topP", r.topP());
        if (!r.stop().isEmpty()) {
            g.writeArrayPropertyStart("stopSequences");
            for (String s : r.stop()) g.writeString(s);
            g.writeEndArray();
        }
        if (r.n() != 1) g.writeNumberProperty("candidateCount", r.n());
        if (r.seed() != null) g.writeNumberProperty("seed", r.seed());
        ResponseFormat f = r.responseFormat();
        if (f.kind() != ResponseFormat.Kind.TEXT) {
            g.writeStringProperty("responseMimeType", "application/json");
            if (f.kind() == ResponseFormat.Kind.JSON_SCHEMA && f.schema() != null) {
                g.writeName("responseJsonSchema");
                g.writeTree(f.schema());
            }
        }
        if (r.logprobs()) {
            g.writeBooleanProperty("responseLogprobs", true);
            if (r.topLogprobs() > 0) g.writeNumberProperty("logprobs", r.topLogprobs());
        }
        g.writeEndObject();
    }

    private static void writeTools(JsonGenerator g, GenerationRequest r) {
        if (r.tools().isEmpty()) return;
        g.writeArrayPropertyStart("tools");
        g.writeStartObject();
        g.writeArrayPropertyStart("functionDeclarations");
        for (Tool t : r.tools()) {
            g.writeStartObject();
            g.writeStringProperty("name", t.name());
            if (t.description() != null) g.writeStringProperty("description", t.description());
            if (t.parameters() != null) {
                g.writeName("parametersJsonSchema");
                g.writeTree(t.parameters());
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndArray();
        ToolChoice c = r.toolChoice();
        if (c.mode() == ToolChoice.Mode.AUTO) return; // the default with tools
        g.writeObjectPropertyStart("toolConfig");
        g.writeObjectPropertyStart("functionCallingConfig");
        switch (c.mode()) {
            case NONE -> g.writeStringProperty("mode", "NONE");
            case REQUIRED -> g.writeStringProperty("mode", "ANY");
            case NAMED -> {
                g.writeStringProperty("mode", "ANY");
                g.writeArrayPropertyStart("allowedFunctionNames");
                g.writeString(c.name());
                g.writeEndArray();
            }
            case AUTO -> {}
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    @Override
    public void decode(byte[] body, int offset, int length, ClientListener listener) {
        new GeminiStream(1, listener).whole(body, offset, length);
    }

    @Override
    public StreamDecoder streamDecoder(GenerationRequest request, ClientListener listener) {
        return new GeminiStream(Math.max(1, request.n()), listener);
    }

    @Override
    public StreamDecoder streamDecoder(GenerationRequest request, ClientListener listener, boolean lean) {
        return new GeminiStream(Math.max(1, request.n()), listener, !lean);
    }

    @Override
    public ProviderError error(int status, byte[] body, int offset, int length) {
        return GeminiErrors.body(status, body, offset, length);
    }
}
