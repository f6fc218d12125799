package dev.llmlab.bench.client;

import java.util.Locale;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.JsonRecyclerPools;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The APIs a benchmark can drive: how a request is written and how its answer is read, the one
 * place that knows each wire format on the client side. Stateless.
 */
public enum Api {
    OPENAI_CHAT("openai-chat", "/chat/completions"),
    OPENAI_COMPLETIONS("openai-completions", "/completions"),
    OPENAI_EMBEDDINGS("openai-embeddings", "/embeddings"),
    ANTHROPIC_MESSAGES("anthropic-messages", "/messages");

    static final JsonMapper JSON = JsonMapper.builder().build();
    /**
     * Answers are read on the client's event loops, once per answer or event: buffers recycled per
     * thread, not through the default pool's shared queue (whose atomics showed in profiles).
     */
    private static final JsonFactory READ = JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.threadLocalPool())
            .build();

    private final String flag;
    private final String path;

    Api(String flag, String path) {
        this.flag = flag;
        this.path = path;
    }

    public String flag() {
        return flag;
    }

    /** The path under the base URL (which ends in {@code /v1} for every API here). */
    public String path() {
        return path;
    }

    public boolean streams() {
        return this != OPENAI_EMBEDDINGS;
    }

    public static Api parse(String flag) {
        for (Api a : values()) if (a.flag.equals(flag.toLowerCase(Locale.ROOT))) return a;
        throw new IllegalArgumentException("--api must be openai-chat, openai-completions, openai-embeddings or "
                + "anthropic-messages, got '" + flag + "'");
    }

    /** The request body for one prompt. */
    public byte[] body(String model, String prompt, int maxTokens, boolean stream) {
        tools.jackson.databind.node.ArrayNode messages = JSON.createArrayNode();
        messages.addObject().put("role", "user").put("content", prompt);
        return body(model, messages, prompt, maxTokens, stream);
    }

    /**
     * The request body for a conversation (chat APIs) or its text (completions, embeddings). For
     * Anthropic, system messages move to the top-level {@code system}.
     */
    public byte[] body(
            String model, tools.jackson.databind.node.ArrayNode messages, String text, int maxTokens, boolean stream) {
        ObjectNode b = JSON.createObjectNode();
        b.put("model", model);
        String prompt = text;
        switch (this) {
            case OPENAI_CHAT -> {
                b.set("messages", messages);
                if (maxTokens > 0) b.put("max_tokens", maxTokens);
                if (stream) {
                    b.put("stream", true);
                    b.putObject("stream_options").put("include_usage", true);
                }
            }
            case OPENAI_COMPLETIONS -> {
                b.put("prompt", prompt);
                if (maxTokens > 0) b.put("max_tokens", maxTokens);
                if (stream) {
                    b.put("stream", true);
                    b.putObject("stream_options").put("include_usage", true);
                }
            }
            case OPENAI_EMBEDDINGS -> b.put("input", prompt);
            case ANTHROPIC_MESSAGES -> {
                tools.jackson.databind.node.ArrayNode turns = b.putArray("messages");
                StringBuilder system = new StringBuilder();
                for (JsonNode m : messages) {
                    if (m.path("role").asString("").equals("system"))
                        system.append(m.path("content").asString(""));
                    else turns.add(m);
                }
                if (!system.isEmpty()) b.put("system", system.toString());
                b.put("max_tokens", maxTokens > 0 ? maxTokens : 1024); // required by the API
                if (stream) b.put("stream", true);
            }
        }
        return JSON.writeValueAsBytes(b);
    }

    /** What one streamed event said. */
    record Event(String text, int outputTokens, boolean end) {
        static final Event NOTHING = new Event(null, -1, false);
    }

    private static final byte[] DONE = "[DONE]".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /**
     * Reads one SSE event: the output text it carries (null if none, so it is not a token event),
     * the output tokens the server reports (-1 if none), whether it ends the stream. Read with the
     * streaming parser, like {@link #whole}: a stream has one of these per token, and building a
     * tree for each was a quarter of the client's time.
     *
     * @param data the event's data, UTF-8, in {@code data[0..length)}
     * @throws RuntimeException (Jackson's, or IllegalStateException) when the data is not one JSON
     *     object, or is an Anthropic {@code error} event
     */
    Event event(String eventName, byte[] data, int length) {
        if (this != ANTHROPIC_MESSAGES && java.util.Arrays.equals(data, 0, length, DONE, 0, DONE.length)) {
            return new Event(null, -1, true);
        }
        try (JsonParser p = READ.createParser(ObjectReadContext.empty(), data, 0, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT)
                throw new IllegalStateException("an event that is not a JSON object");
            Event e = this == ANTHROPIC_MESSAGES ? anthropicEvent(p) : openAiChunk(p);
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new IllegalStateException("an event that is not one JSON object");
            }
            return e;
        }
    }

    /** An OpenAI chunk: {@code choices[].delta} (chat) or {@code choices[].text}, and {@code usage}. */
    private Event openAiChunk(JsonParser p) {
        StringBuilder text = null;
        int usage = -1;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if (name.equals("choices") && v == JsonToken.START_ARRAY) {
                for (JsonToken c = p.nextToken(); c != JsonToken.END_ARRAY; c = p.nextToken()) {
                    if (c != JsonToken.START_OBJECT) {
                        p.skipChildren();
                        continue;
                    }
                    String t = null;
                    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                        String n = p.currentName();
                        JsonToken cv = p.nextToken();
                        if (this == OPENAI_CHAT && n.equals("delta") && cv == JsonToken.START_OBJECT) t = deltaText(p);
                        else if (this != OPENAI_CHAT && n.equals("text") && cv == JsonToken.VALUE_STRING)
                            t = p.getString();
                        else p.skipChildren();
                    }
                    if (t != null && !t.isEmpty()) {
                        if (text == null) text = new StringBuilder();
                        text.append(t);
                    }
                }
            } else if (name.equals("usage") && v == JsonToken.START_OBJECT) {
                usage = intField(p, "completion_tokens");
            } else {
                p.skipChildren();
            }
        }
        return new Event(text == null ? null : text.toString(), usage, false);
    }

    /** A chat delta's text: its content, else its first tool call's arguments, else its reasoning. */
    private static String deltaText(JsonParser p) {
        String content = null;
        String arguments = null;
        String reasoning = null;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String n = p.currentName();
            JsonToken v = p.nextToken();
            if (n.equals("content") && v == JsonToken.VALUE_STRING) {
                content = p.getString();
            } else if (n.equals("reasoning_content") && v == JsonToken.VALUE_STRING) {
                reasoning = p.getString();
            } else if (n.equals("tool_calls") && v == JsonToken.START_ARRAY) {
                for (JsonToken c = p.nextToken(); c != JsonToken.END_ARRAY; c = p.nextToken()) {
                    if (c == JsonToken.START_OBJECT && arguments == null) {
                        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                            String f = p.currentName();
                            if (p.nextToken() == JsonToken.START_OBJECT && f.equals("function")) {
                                while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                                    String a = p.currentName();
                                    if (p.nextToken() == JsonToken.VALUE_STRING && a.equals("arguments"))
                                        arguments = p.getString();
                                    else p.skipChildren();
                                }
                            } else {
                                p.skipChildren();
                            }
                        }
                    } else {
                        p.skipChildren();
                    }
                }
            } else {
                p.skipChildren();
            }
        }
        return content != null ? content : arguments != null ? arguments : reasoning;
    }

    /** An Anthropic event: {@code content_block_delta}'s text, {@code message_delta}'s usage, {@code message_stop}. */
    private static Event anthropicEvent(JsonParser p) {
        String type = "";
        String text = null;
        int usage = -1;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if (name.equals("type") && v == JsonToken.VALUE_STRING) {
                type = p.getString();
            } else if (name.equals("delta") && v == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                    String n = p.currentName();
                    JsonToken dv = p.nextToken();
                    if ((n.equals("text") || n.equals("partial_json")) && dv == JsonToken.VALUE_STRING)
                        text = p.getString();
                    else p.skipChildren();
                }
            } else if (name.equals("usage") && v == JsonToken.START_OBJECT) {
                usage = intField(p, "output_tokens");
            } else {
                p.skipChildren();
            }
        }
        return switch (type) {
            case "content_block_delta" -> new Event(text == null || text.isEmpty() ? null : text, -1, false);
            case "message_delta" -> new Event(null, usage, false);
            case "message_stop" -> new Event(null, -1, true);
            case "error" -> throw new IllegalStateException("an error event");
            default -> Event.NOTHING;
        };
    }

    /**
     * A whole (non-streamed) answer's text and the output tokens the server reports (-1 if none).
     * Read with Jackson's streaming parser, which skips everything else without building a tree: on a
     * fast target this runs once per request on the client's hot path.
     *
     * @param withText whether to collect the text (only to count it: skipping it is cheaper); without,
     *                 the text is ""
     * @throws RuntimeException (Jackson's, or IllegalStateException) when the body is not one JSON object
     */
    Event whole(byte[] body, int length, boolean withText) {
        try (JsonParser p = READ.createParser(ObjectReadContext.empty(), body, 0, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT)
                throw new IllegalStateException("the answer is not a JSON object");
            StringBuilder text = new StringBuilder();
            int usage = this == OPENAI_EMBEDDINGS ? 0 : -1;
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("usage") && value == JsonToken.START_OBJECT && this != OPENAI_EMBEDDINGS) {
                    usage = intField(p, this == ANTHROPIC_MESSAGES ? "output_tokens" : "completion_tokens");
                } else if (value == JsonToken.START_ARRAY
                        && (this == ANTHROPIC_MESSAGES
                                ? name.equals("content")
                                : name.equals("choices") && this != OPENAI_EMBEDDINGS)) {
                    texts(p, withText ? text : null);
                } else {
                    p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new IllegalStateException("the answer is not one JSON object");
            }
            return new Event(text.toString(), usage, true);
        }
    }

    /** Reads an object's int field {@code name}, skipping the rest; -1 if absent. */
    private static int intField(JsonParser p, String name) {
        int found = -1;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String n = p.currentName();
            JsonToken v = p.nextToken();
            if (n.equals(name) && v == JsonToken.VALUE_NUMBER_INT) found = p.getIntValue();
            else p.skipChildren();
        }
        return found;
    }

    /**
     * Appends the text of an array of choices (OpenAI: the first choice's {@code message.content} or
     * {@code text}) or content blocks (Anthropic: every block's {@code text}).
     */
    private void texts(JsonParser p, StringBuilder out) { // out null: validate and skip
        int i = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken(), i++) {
            if (t != JsonToken.START_OBJECT || (this != ANTHROPIC_MESSAGES && i > 0)) {
                p.skipChildren();
                continue;
            }
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String n = p.currentName();
                JsonToken v = p.nextToken();
                if (this == OPENAI_CHAT && n.equals("message") && v == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                        String m = p.currentName();
                        JsonToken mv = p.nextToken();
                        if (m.equals("content") && mv == JsonToken.VALUE_STRING && out != null)
                            out.append(p.getString());
                        else p.skipChildren();
                    }
                } else if (this != OPENAI_CHAT && n.equals("text") && v == JsonToken.VALUE_STRING) {
                    if (out != null) out.append(p.getString());
                } else {
                    p.skipChildren();
                }
            }
        }
    }
}
