package dev.llmlab.api.openai;

import dev.llmlab.api.GenerationRequest;
import dev.llmlab.api.Message;
import dev.llmlab.api.Prompt;
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
import java.util.List;
import tools.jackson.core.JsonGenerator;

/**
 * OpenAI chat completions ({@code POST /chat/completions}) and legacy completions ({@code POST
 * /completions}) on the client side. The two share their answer shape ({@code choices[]} with a
 * {@code message} or {@code delta}, or {@code text}), so one decoder ({@link ChatStream}) reads
 * both. Legacy completions have no tools and no response format: a request with either (or with
 * tool calls in its conversation) is refused; a conversation is sent as its messages' text, one per
 * line. Stateless.
 */
final class ChatClient implements ClientCodec {
    private final boolean chat;

    ChatClient(boolean chat) {
        this.chat = chat;
    }

    @Override
    public ClientApi api() {
        return chat ? ClientApi.OPENAI_CHAT : ClientApi.OPENAI_COMPLETIONS;
    }

    @Override
    public ClientRequest request(GenerationRequest r, String apiKey) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(256);
        try (JsonGenerator g = ClientJson.MAPPER.createGenerator(body)) {
            g.writeStartObject();
            g.writeStringProperty("model", r.model());
            if (chat) {
                writeMessages(g, ClientJson.conversation(r, "openai-chat"));
                if (r.maxTokens() >= 0) g.writeNumberProperty("max_tokens", r.maxTokens());
            } else {
                refuseForCompletions(r);
                writePrompt(g, r);
                if (r.maxTokens() >= 0) g.writeNumberProperty("max_tokens", r.maxTokens());
                if (r.echo()) g.writeBooleanProperty("echo", true);
            }
            if (r.n() != 1) g.writeNumberProperty("n", r.n());
            if (!r.stop().isEmpty()) {
                g.writeArrayPropertyStart("stop");
                for (String s : r.stop()) g.writeString(s);
                g.writeEndArray();
            }
            if (r.seed() != null) g.writeNumberProperty("seed", r.seed());
            if (!Double.isNaN(r.temperature())) g.writeNumberProperty("temperature", r.temperature());
            if (!Double.isNaN(r.topP())) g.writeNumberProperty("top_p", r.topP());
            if (r.logprobs()) {
                if (chat) {
                    g.writeBooleanProperty("logprobs", true);
                    if (r.topLogprobs() > 0) g.writeNumberProperty("top_logprobs", r.topLogprobs());
                } else {
                    g.writeNumberProperty("logprobs", r.topLogprobs());
                }
            }
            if (chat) {
                writeTools(g, r);
                writeFormat(g, r.responseFormat());
            }
            if (r.stream()) {
                g.writeBooleanProperty("stream", true);
                if (r.includeUsage()) {
                    g.writeObjectPropertyStart("stream_options");
                    g.writeBooleanProperty("include_usage", true);
                    g.writeEndObject();
                }
            }
            if (r.user() != null) g.writeStringProperty("user", r.user());
            g.writeEndObject();
        }
        return new ClientRequest(
                chat ? "/chat/completions" : "/completions", headers(apiKey, r.stream()), body.toByteArray());
    }

    /** The headers of every OpenAI request: JSON in, JSON or SSE out, the key as a bearer token. */
    static List<ClientRequest.Header> headers(String apiKey, boolean stream) {
        ClientRequest.Header type = new ClientRequest.Header("content-type", "application/json");
        ClientRequest.Header accept =
                new ClientRequest.Header("accept", stream ? "text/event-stream" : "application/json");
        return apiKey == null
                ? List.of(type, accept)
                : List.of(type, accept, new ClientRequest.Header("authorization", "Bearer " + apiKey));
    }

    private static void writeMessages(JsonGenerator g, List<Message> messages) {
        g.writeArrayPropertyStart("messages");
        for (Message m : messages) {
            g.writeStartObject();
            g.writeStringProperty("role", m.role());
            boolean calls = m.role().equals("assistant") && !m.toolCalls().isEmpty();
            if (calls && m.content().isEmpty()) g.writeNullProperty("content");
            else g.writeStringProperty("content", m.content());
            if (m.role().equals("tool")) {
                g.writeStringProperty("tool_call_id", m.toolCallId() == null ? "" : m.toolCallId());
            } else if (m.name() != null) {
                g.writeStringProperty("name", m.name());
            }
            if (calls) {
                g.writeArrayPropertyStart("tool_calls");
                for (ToolCall c : m.toolCalls()) {
                    g.writeStartObject();
                    g.writeStringProperty("id", c.id());
                    g.writeStringProperty("type", "function");
                    g.writeObjectPropertyStart("function");
                    g.writeStringProperty("name", c.name());
                    g.writeStringProperty(
                            "arguments", c.arguments() == null || c.arguments().isBlank() ? "{}" : c.arguments());
                    g.writeEndObject();
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /**
     * What legacy completions cannot carry and would change the answer if dropped: tools (declared,
     * or calls in the conversation, which its one-prompt text would lose) and a JSON response format.
     */
    private static void refuseForCompletions(GenerationRequest r) {
        if (!r.tools().isEmpty())
            throw new IllegalArgumentException("openai-completions has no tools: the model could not call them");
        for (Message m : r.messages()) {
            if (!m.toolCalls().isEmpty())
                throw new IllegalArgumentException(
                        "openai-completions has no tools: the conversation's tool calls have no place in its prompt");
        }
        if (r.responseFormat().kind() != ResponseFormat.Kind.TEXT)
            throw new IllegalArgumentException(
                    "openai-completions has no response_format: a JSON answer cannot be asked for");
    }

    /**
     * A legacy request's prompt: one string, an array of strings, or token ids; a chat request
     * (no prompts) asks with its messages' text, one per line.
     */
    private static void writePrompt(JsonGenerator g, GenerationRequest r) {
        List<Prompt> prompts = r.prompts();
        g.writeName("prompt");
        if (prompts.isEmpty()) {
            StringBuilder text = new StringBuilder();
            for (Message m : r.messages()) {
                if (!text.isEmpty()) text.append('\n');
                text.append(m.content());
            }
            g.writeString(text.toString());
        } else if (prompts.size() == 1 && !prompts.getFirst().isTokens()) {
            g.writeString(prompts.getFirst().text());
        } else if (prompts.size() == 1) {
            writeTokens(g, prompts.getFirst().tokens());
        } else {
            g.writeStartArray();
            for (Prompt p : prompts) {
                if (p.isTokens()) writeTokens(g, p.tokens());
                else g.writeString(p.text());
            }
            g.writeEndArray();
        }
    }

    private static void writeTokens(JsonGenerator g, int[] tokens) {
        g.writeStartArray();
        for (int t : tokens) g.writeNumber(t);
        g.writeEndArray();
    }

    private static void writeTools(JsonGenerator g, GenerationRequest r) {
        if (r.tools().isEmpty()) return;
        g.writeArrayPropertyStart("tools");
        for (Tool t : r.tools()) {
            g.writeStartObject();
            g.writeStringProperty("type", "function");
            g.writeObjectPropertyStart("function");
            g.writeStringProperty("name", t.name());
            if (t.description() != null) g.writeStringProperty("description", t.description());
            if (t.parameters() != null) {
                g.writeName("parameters");
                g.writeTree(t.parameters());
            }
            if (t.strict()) g.writeBooleanProperty("strict", true);
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeEndArray();
        ToolChoice c = r.toolChoice();
        switch (c.mode()) {
            case NONE -> g.writeStringProperty("tool_choice", "none");
            case REQUIRED -> g.writeStringProperty("tool_choice", "required");
            case NAMED -> {
                g.writeObjectPropertyStart("tool_choice");
                g.writeStringProperty("type", "function");
                g.writeObjectPropertyStart("function");
                g.writeStringProperty("name", c.name());
                g.writeEndObject();
                g.writeEndObject();
            }
            case AUTO -> {} // the default with tools
        }
        if (!r.parallelToolCalls()) g.writeBooleanProperty("parallel_tool_calls", false);
    }

    private static void writeFormat(JsonGenerator g, ResponseFormat f) {
        switch (f.kind()) {
            case TEXT -> {}
            case JSON_OBJECT -> {
                g.writeObjectPropertyStart("response_format");
                g.writeStringProperty("type", "json_object");
                g.writeEndObject();
            }
            case JSON_SCHEMA -> {
                g.writeObjectPropertyStart("response_format");
                g.writeStringProperty("type", "json_schema");
                g.writeObjectPropertyStart("json_schema");
                g.writeStringProperty("name", f.name() == null ? "response" : f.name());
                if (f.schema() != null) {
                    g.writeName("schema");
                    g.writeTree(f.schema());
                }
                if (f.strict()) g.writeBooleanProperty("strict", true);
                g.writeEndObject();
                g.writeEndObject();
            }
        }
    }

    @Override
    public void decode(byte[] body, int offset, int length, ClientListener listener) {
        new ChatStream(chat, listener).whole(body, offset, length);
    }

    @Override
    public StreamDecoder streamDecoder(GenerationRequest request, ClientListener listener) {
        return new ChatStream(chat, listener);
    }

    @Override
    public StreamDecoder streamDecoder(GenerationRequest request, ClientListener listener, boolean lean) {
        return new ChatStream(chat, listener, !lean);
    }

    @Override
    public ProviderError error(int status, byte[] body, int offset, int length) {
        return OpenAiErrors.body(status, body, offset, length);
    }
}
