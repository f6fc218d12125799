package dev.llmlab.api.anthropic;

import dev.llmlab.api.ApiException;
import dev.llmlab.api.GenerationRequest;
import dev.llmlab.api.GenerationRequest.Endpoint;
import dev.llmlab.api.Message;
import dev.llmlab.api.ResponseFormat;
import dev.llmlab.api.Tool;
import dev.llmlab.api.ToolCall;
import dev.llmlab.api.ToolChoice;
import dev.llmlab.api.Wire;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Parses and validates Anthropic Messages API bodies ({@code POST /v1/messages} and
 * {@code /v1/messages/count_tokens}) into the internal model.
 *
 * <p>Error messages follow the API's own validation wording, {@code "<path>: <problem>"} with a
 * dotted path such as {@code messages.0.role}, and every error is an
 * {@code invalid_request_error} (400). Unknown fields are tolerated, because SDKs send new
 * parameters long before a simulator learns them. Content blocks are flattened to their text as
 * the internal {@link Message} expects: text blocks, tool results, and the JSON input of tool
 * calls count towards the prompt; images and documents contribute no text. Stateless and
 * thread-safe.
 */
public final class AnthropicRequests {
    // Generators must not close the caller's stream: encoders append to buffers the caller owns.
    static final JsonMapper MAPPER =
            JsonMapper.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();
    private static final Pattern TOOL_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,128}");

    private AnthropicRequests() {}

    /** Reads a request body as a JSON object, or fails as the API does on a body it cannot parse. */
    public static JsonNode readBody(byte[] body, int offset, int length) {
        JsonNode root = Wire.readObject(MAPPER, body, offset, length);
        if (root == null) {
            throw invalid("There was an issue with your request body: the body must be a JSON object.");
        }
        return root;
    }

    /** The required {@code model} field. */
    public static String model(JsonNode root) {
        JsonNode m = root.get("model");
        if (m == null || m.isNull()) throw invalid("model: Field required");
        if (!m.isString()) throw invalid("model: Input should be a valid string");
        return m.stringValue();
    }

    /** POST /v1/messages. */
    public static GenerationRequest parseMessages(JsonNode root) {
        String model = model(root);
        JsonNode mt = root.get("max_tokens");
        if (mt == null || mt.isNull()) throw invalid("max_tokens: Field required");
        int maxTokens = intIn(root, "max_tokens", 1, Integer.MAX_VALUE, -1);
        List<Message> messages = conversation(root);
        List<String> stop = stopSequences(root);
        double temperature = numberIn(root, "temperature", 0, 1);
        double topP = numberIn(root, "top_p", 0, 1);
        intIn(root, "top_k", 0, Integer.MAX_VALUE, 0);
        boolean stream = bool(root, "stream");
        List<Tool> tools = tools(root);
        JsonNode choice = root.get("tool_choice");
        ToolChoice toolChoice = toolChoice(choice, tools);
        boolean parallel = choice == null
                || !choice.isObject()
                || !choice.path("disable_parallel_tool_use").asBoolean(false);
        String user = null;
        JsonNode metadata = root.get("metadata");
        if (metadata != null && !metadata.isNull()) {
            if (!metadata.isObject()) throw invalid("metadata: Input should be a valid dictionary");
            JsonNode id = metadata.get("user_id");
            if (id != null && !id.isNull() && !id.isString())
                throw invalid("metadata.user_id: Input should be a valid string");
            user = id == null || id.isNull() ? null : id.stringValue();
        }
        return new GenerationRequest(
                Endpoint.MESSAGES,
                model,
                messages,
                List.of(),
                maxTokens,
                1,
                stop,
                null,
                temperature,
                topP,
                stream,
                true,
                tools,
                toolChoice,
                parallel,
                ResponseFormat.TEXT,
                false,
                0,
                false,
                user);
    }

    /**
     * POST /v1/messages/count_tokens: the same fields as a message request without
     * {@code max_tokens}; what counts is the system prompt, the messages and the tools.
     */
    public static GenerationRequest parseCountTokens(JsonNode root) {
        String model = model(root);
        List<Message> messages = conversation(root);
        List<Tool> tools = tools(root);
        return new GenerationRequest(
                Endpoint.MESSAGES,
                model,
                messages,
                List.of(),
                -1,
                1,
                List.of(),
                null,
                Double.NaN,
                Double.NaN,
                false,
                true,
                tools,
                toolChoice(root.get("tool_choice"), tools),
                true,
                ResponseFormat.TEXT,
                false,
                0,
                false,
                null);
    }

    // ------------------------------------------------------------------ conversation

    /** The system prompt (as a leading system message) and the messages. */
    private static List<Message> conversation(JsonNode root) {
        List<Message> out = new ArrayList<>();
        JsonNode system = root.get("system");
        if (system != null && !system.isNull()) {
            if (system.isString()) {
                out.add(new Message("system", system.stringValue(), null, null, null));
            } else if (system.isArray()) {
                StringBuilder text = new StringBuilder();
                for (int i = 0; i < system.size(); i++) {
                    JsonNode block = system.get(i);
                    if (!block.isObject()
                            || !"text".equals(block.path("type").asString(null))
                            || !block.path("text").isString()) {
                        throw invalid(
                                "system." + i + ": Input should be a text block ({\"type\": \"text\", \"text\": ...})");
                    }
                    if (!text.isEmpty()) text.append('\n');
                    text.append(block.get("text").stringValue());
                }
                out.add(new Message("system", text.toString(), null, null, null));
            } else {
                throw invalid("system: Input should be a valid string or a list of text blocks");
            }
        }
        JsonNode messages = root.get("messages");
        if (messages == null || messages.isNull()) throw invalid("messages: Field required");
        if (!messages.isArray()) throw invalid("messages: Input should be a valid list");
        if (messages.isEmpty()) throw invalid("messages: List should have at least 1 item after validation, not 0");
        for (int i = 0; i < messages.size(); i++) message(messages.get(i), "messages." + i, out);
        return out;
    }

    /**
     * One message of the conversation, added to {@code out}. An assistant's {@code tool_use} blocks
     * become its tool calls; each {@code tool_result} block of a user message becomes a {@code
     * tool} message of its own (the chat shape), followed by the user's text if there is any.
     */
    private static void message(JsonNode m, String path, List<Message> out) {
        if (!m.isObject()) throw invalid(path + ": Input should be a valid dictionary");
        JsonNode role = m.get("role");
        if (role == null || role.isNull()) throw invalid(path + ".role: Field required");
        String r = role.isString() ? role.stringValue() : "";
        if (!r.equals("user") && !r.equals("assistant")) {
            throw invalid(path + ".role: Input should be 'user' or 'assistant'");
        }
        JsonNode content = m.get("content");
        if (content == null || content.isNull()) throw invalid(path + ".content: Field required");
        if (content.isString()) {
            out.add(new Message(r, content.stringValue(), null, null, null));
            return;
        }
        if (!content.isArray())
            throw invalid(path + ".content: Input should be a valid string or a list of content blocks");
        StringBuilder text = new StringBuilder();
        StringBuilder toolCallsText = null;
        List<ToolCall> calls = new ArrayList<>();
        List<Message> results = new ArrayList<>();
        for (int i = 0; i < content.size(); i++) {
            JsonNode block = content.get(i);
            String at = path + ".content." + i;
            if (!block.isObject()) throw invalid(at + ": Input should be a valid dictionary");
            String type = block.path("type").asString("");
            switch (type) {
                case "text" -> append(text, requireString(block, "text", at));
                case "tool_use" -> {
                    if (!r.equals("assistant"))
                        throw invalid(at + ": tool_use blocks are only allowed in assistant messages");
                    String id = requireString(block, "id", at);
                    String name = requireString(block, "name", at);
                    JsonNode input = block.get("input");
                    if (input == null || !input.isObject())
                        throw invalid(at + ".input: Input should be a valid dictionary");
                    if (toolCallsText == null) toolCallsText = new StringBuilder();
                    append(toolCallsText, "{\"name\":\"" + name + "\",\"input\":" + input + "}");
                    calls.add(new ToolCall(id, name, input.toString()));
                }
                case "tool_result" -> {
                    if (!r.equals("user")) throw invalid(at + ": tool_result blocks are only allowed in user messages");
                    String id = requireString(block, "tool_use_id", at);
                    StringBuilder result = new StringBuilder();
                    JsonNode c = block.get("content");
                    if (c != null && c.isString()) append(result, c.stringValue());
                    else if (c != null && c.isArray()) {
                        for (JsonNode part : c)
                            if (part.path("type").asString("").equals("text"))
                                append(result, part.path("text").asString(""));
                    }
                    results.add(new Message("tool", result.toString(), null, id, null));
                }
                case "image",
                        "document",
                        "thinking",
                        "redacted_thinking",
                        "search_result",
                        "server_tool_use",
                        "web_search_tool_result" -> {} // no text of their own towards the prompt
                case "" -> throw invalid(at + ".type: Field required");
                default ->
                    throw invalid(
                            at + ".type: Input tag '" + type + "' found using 'type' does not match any of the"
                                    + " expected tags: 'text', 'image', 'document', 'tool_use', 'tool_result', 'thinking', 'redacted_thinking'");
            }
        }
        out.addAll(results);
        if (results.isEmpty() || !text.isEmpty()) {
            out.add(new Message(
                    r, text.toString(), null, null, toolCallsText == null ? null : toolCallsText.toString(), calls));
        }
    }

    private static void append(StringBuilder b, String s) {
        if (!b.isEmpty()) b.append('\n');
        b.append(s);
    }

    private static String requireString(JsonNode obj, String field, String at) {
        JsonNode v = obj.get(field);
        if (v == null || v.isNull()) throw invalid(at + "." + field + ": Field required");
        if (!v.isString()) throw invalid(at + "." + field + ": Input should be a valid string");
        return v.stringValue();
    }

    // ------------------------------------------------------------------ parameters

    private static List<String> stopSequences(JsonNode root) {
        JsonNode s = root.get("stop_sequences");
        if (s == null || s.isNull()) return List.of();
        if (!s.isArray()) throw invalid("stop_sequences: Input should be a valid list");
        List<String> out = new ArrayList<>(s.size());
        for (int i = 0; i < s.size(); i++) {
            if (!s.get(i).isString()) throw invalid("stop_sequences." + i + ": Input should be a valid string");
            if (s.get(i).stringValue().isEmpty())
                throw invalid("stop_sequences." + i + ": stop sequences must not be empty");
            out.add(s.get(i).stringValue());
        }
        return out;
    }

    private static List<Tool> tools(JsonNode root) {
        JsonNode t = root.get("tools");
        if (t == null || t.isNull()) return List.of();
        if (!t.isArray()) throw invalid("tools: Input should be a valid list");
        List<Tool> out = new ArrayList<>(t.size());
        for (int i = 0; i < t.size(); i++) {
            JsonNode tool = t.get(i);
            String at = "tools." + i;
            if (!tool.isObject()) throw invalid(at + ": Input should be a valid dictionary");
            String type = tool.path("type").asString("custom");
            if (!type.equals("custom"))
                continue; // server tools (web search, code execution) run on the provider's side
            String name = requireString(tool, "name", at);
            if (!TOOL_NAME.matcher(name).matches()) {
                throw invalid(at + ".name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'");
            }
            JsonNode schema = tool.get("input_schema");
            if (schema == null || schema.isNull()) throw invalid(at + ".input_schema: Field required");
            if (!schema.isObject() || !"object".equals(schema.path("type").asString(null))) {
                throw invalid(at + ".input_schema.type: Input should be 'object'");
            }
            for (Tool prior : out) {
                if (prior.name().equals(name)) throw invalid("tools: Tool names must be unique.");
            }
            JsonNode d = tool.get("description");
            out.add(new Tool(name, d != null && d.isString() ? d.stringValue() : null, schema, false));
        }
        return out;
    }

    private static ToolChoice toolChoice(JsonNode c, List<Tool> tools) {
        if (c == null || c.isNull()) return tools.isEmpty() ? ToolChoice.NONE : ToolChoice.AUTO;
        if (!c.isObject()) throw invalid("tool_choice: Input should be a valid dictionary");
        String type = c.path("type").asString("");
        return switch (type) {
            case "auto" -> tools.isEmpty() ? ToolChoice.NONE : ToolChoice.AUTO;
            case "none" -> ToolChoice.NONE;
            case "any" -> {
                if (tools.isEmpty()) throw invalid("tool_choice: tool_choice.type 'any' requires tools to be defined");
                yield ToolChoice.REQUIRED;
            }
            case "tool" -> {
                String name = requireString(c, "name", "tool_choice");
                if (tools.stream().noneMatch(t -> t.name().equals(name))) {
                    throw invalid("tool_choice.name: Tool '" + name + "' not found in tools");
                }
                yield ToolChoice.named(name);
            }
            case "" -> throw invalid("tool_choice.type: Field required");
            default ->
                throw invalid("tool_choice.type: Input tag '" + type + "' found using 'type' does not match any of the"
                        + " expected tags: 'auto', 'any', 'tool', 'none'");
        };
    }

    private static int intIn(JsonNode root, String field, int min, int max, int absent) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) return absent;
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            if (v.isIntegralNumber()) throw invalid(field + ": Input should be less than or equal to " + max);
            throw invalid(field + ": Input should be a valid integer");
        }
        int n = v.intValue();
        if (n < min) throw invalid(field + ": Input should be greater than or equal to " + min);
        if (n > max) throw invalid(field + ": Input should be less than or equal to " + max);
        return n;
    }

    private static double numberIn(JsonNode root, String field, double min, double max) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) return Double.NaN;
        if (!v.isNumber()) throw invalid(field + ": Input should be a valid number");
        double d = v.doubleValue();
        if (d < min) throw invalid(field + ": Input should be greater than or equal to " + plain(min));
        if (d > max) throw invalid(field + ": Input should be less than or equal to " + plain(max));
        return d;
    }

    private static boolean bool(JsonNode root, String field) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) return false;
        if (!v.isBoolean()) throw invalid(field + ": Input should be a valid boolean");
        return v.booleanValue();
    }

    private static String plain(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    static ApiException invalid(String message) {
        return new ApiException(400, "invalid_request_error", null, null, message);
    }
}
