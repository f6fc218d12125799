package dev.llmlab.api.openai;

import static dev.llmlab.api.openai.Fields.invalidType;
import static dev.llmlab.api.openai.Fields.invalidValue;

import dev.llmlab.api.ApiException;
import dev.llmlab.api.GenerationRequest;
import dev.llmlab.api.GenerationRequest.Endpoint;
import dev.llmlab.api.Message;
import dev.llmlab.api.ResponseFormat;
import dev.llmlab.api.Tool;
import dev.llmlab.api.ToolCall;
import dev.llmlab.api.ToolChoice;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Parses and validates OpenAI Responses API bodies ({@code POST /v1/responses}) into the internal
 * model: {@code instructions} becomes a leading system message; {@code input} is a string (one
 * user message) or a list of items, messages with string or part content ({@code input_text},
 * {@code output_text}; images and files add no text), and the function calls and their outputs
 * of earlier turns, which count towards the prompt. Flat function tools, {@code tool_choice},
 * {@code text.format} and {@code max_output_tokens} (at least 16, as the API requires) are
 * honoured; unknown fields are tolerated. Stateless: {@code previous_response_id} is refused,
 * since the simulator keeps no responses. Errors are OpenAI's, naming the parameter.
 */
public final class ResponsesRequests {
    private static final Set<String> ROLES = Set.of("user", "assistant", "system", "developer");
    private static final Pattern FUNCTION_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

    private ResponsesRequests() {}

    /** POST /v1/responses. */
    public static GenerationRequest parse(JsonNode root) {
        String model = OpenAiRequests.model(root);
        if (!Fields.absent(root.get("previous_response_id"))) {
            throw ApiException.invalid(
                    "previous_response_id",
                    "previous_response_not_found",
                    "Previous response with id '"
                            + root.get("previous_response_id").asString("") + "' not found.");
        }
        List<Message> messages = new ArrayList<>();
        String instructions = Fields.optString(root, "instructions", "instructions");
        if (instructions != null) messages.add(new Message("system", instructions, null, null, null));
        JsonNode input = root.get("input");
        if (Fields.absent(input)) throw Fields.missing("input");
        if (input.isString()) {
            messages.add(new Message("user", input.stringValue(), null, null, null));
        } else if (input.isArray()) {
            for (int i = 0; i < input.size(); i++) {
                Message m = item(input.get(i), "input[" + i + "]");
                if (!m.toolCalls().isEmpty()
                        && !messages.isEmpty()
                        && messages.getLast().role().equals("assistant")) {
                    // A function call continues the assistant turn before it (its text, or earlier calls):
                    // one assistant message with all its calls, as the chat shape has it.
                    messages.add(withCall(messages.removeLast(), m));
                } else {
                    messages.add(m);
                }
            }
        } else {
            throw invalidType("input", "a string or an array", input);
        }
        if (messages.stream().noneMatch(m -> !m.role().equals("system"))) {
            throw invalidValue("input", "Invalid 'input': expected at least one input item.");
        }
        long maxOutput = Fields.optLong(root, "max_output_tokens", "max_output_tokens", -1, 16, Integer.MAX_VALUE);
        double temperature = Fields.optDouble(root, "temperature", "temperature", Double.NaN, 0, 2);
        double topP = Fields.optDouble(root, "top_p", "top_p", Double.NaN, 0, 1);
        boolean stream = Fields.optBool(root, "stream", "stream", false);
        List<Tool> tools = tools(root);
        ToolChoice toolChoice = toolChoice(root, tools);
        boolean parallel = Fields.optBool(root, "parallel_tool_calls", "parallel_tool_calls", true);
        ResponseFormat format = format(root);
        String user = Fields.optString(root, "user", "user");
        Fields.optBool(root, "store", "store", true);
        Fields.optObject(root, "metadata", "metadata");
        return new GenerationRequest(
                Endpoint.RESPONSES,
                model,
                messages,
                List.of(),
                (int) maxOutput,
                1,
                List.of(),
                null,
                temperature,
                topP,
                stream,
                true,
                tools,
                toolChoice,
                parallel,
                format,
                false,
                0,
                false,
                user);
    }

    private static Message item(JsonNode item, String p) {
        if (!item.isObject()) throw invalidType(p, "an object", item);
        String type = Fields.optString(item, "type", p + ".type");
        if (type == null || type.equals("message")) {
            String role = Fields.requiredString(item, "role", p + ".role");
            if (!ROLES.contains(role)) {
                throw invalidValue(
                        p + ".role",
                        "Invalid value: '" + role + "'. Supported values are: 'assistant', 'system', "
                                + "'developer', and 'user'.");
            }
            JsonNode content = item.get("content");
            if (Fields.absent(content)) throw Fields.missing(p + ".content");
            if (content.isString()) return new Message(role, content.stringValue(), null, null, null);
            if (!content.isArray()) throw invalidType(p + ".content", "a string or an array", content);
            StringBuilder text = new StringBuilder();
            for (int k = 0; k < content.size(); k++) {
                JsonNode part = content.get(k);
                String pp = p + ".content[" + k + "]";
                if (!part.isObject()) throw invalidType(pp, "an object", part);
                String pt = Fields.requiredString(part, "type", pp + ".type");
                switch (pt) {
                    case "input_text", "output_text" -> {
                        if (!text.isEmpty()) text.append('\n');
                        text.append(Fields.requiredString(part, "text", pp + ".text"));
                    }
                    case "input_image", "input_file", "input_audio", "refusal" -> {} // no text towards the prompt
                    default ->
                        throw invalidValue(
                                pp + ".type",
                                "Invalid value: '" + pt + "'. Supported values are: "
                                        + "'input_text', 'input_image', 'input_file', 'input_audio', 'output_text' and 'refusal'.");
                }
            }
            return new Message(role, text.toString(), null, null, null);
        }
        return switch (type) {
            case "function_call" -> {
                String name = Fields.requiredString(item, "name", p + ".name");
                String arguments = Fields.requiredString(item, "arguments", p + ".arguments");
                String callId = Fields.requiredString(item, "call_id", p + ".call_id");
                yield new Message(
                        "assistant",
                        "",
                        null,
                        null,
                        "{\"name\":\"" + name + "\",\"arguments\":"
                                + OpenAiRequests.MAPPER.writeValueAsString(arguments) + "}",
                        List.of(new ToolCall(callId, name, arguments)));
            }
            case "function_call_output" ->
                new Message(
                        "tool",
                        Fields.requiredString(item, "output", p + ".output"),
                        null,
                        Fields.requiredString(item, "call_id", p + ".call_id"),
                        null);
            case "reasoning" -> new Message("assistant", "", null, null, null);
            default ->
                throw invalidValue(
                        p + ".type",
                        "Invalid value: '" + type + "'. Supported values are: 'message', "
                                + "'function_call', 'function_call_output' and 'reasoning'.");
        };
    }

    private static Message withCall(Message turn, Message call) {
        List<ToolCall> calls = new ArrayList<>(turn.toolCalls());
        calls.addAll(call.toolCalls());
        String text = turn.toolCallsText() == null
                ? call.toolCallsText()
                : turn.toolCallsText() + "\n" + call.toolCallsText();
        return new Message(turn.role(), turn.content(), turn.name(), turn.toolCallId(), text, calls);
    }

    /** Function tools are flat in this API: {@code {"type":"function","name","parameters","strict"}}. */
    private static List<Tool> tools(JsonNode root) {
        JsonNode arr = Fields.optArray(root, "tools", "tools");
        if (arr == null) return List.of();
        List<Tool> tools = new ArrayList<>(arr.size());
        for (int i = 0; i < arr.size(); i++) {
            String p = "tools[" + i + "]";
            JsonNode t = arr.get(i);
            if (!t.isObject()) throw invalidType(p, "an object", t);
            String type = Fields.requiredString(t, "type", p + ".type");
            if (!type.equals("function")) continue; // hosted tools (web search, file search) run on OpenAI's side
            String name = Fields.requiredString(t, "name", p + ".name");
            if (!FUNCTION_NAME.matcher(name).matches()) {
                throw ApiException.invalid(
                        p + ".name",
                        "invalid_value",
                        "Invalid '" + p + ".name': string does not match "
                                + "pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.");
            }
            tools.add(new Tool(
                    name,
                    Fields.optString(t, "description", p + ".description"),
                    Fields.optObject(t, "parameters", p + ".parameters"),
                    Fields.optBool(t, "strict", p + ".strict", true)));
        }
        return List.copyOf(tools);
    }

    private static ToolChoice toolChoice(JsonNode root, List<Tool> tools) {
        JsonNode c = root.get("tool_choice");
        if (Fields.absent(c)) return tools.isEmpty() ? ToolChoice.NONE : ToolChoice.AUTO;
        if (c.isString()) {
            return switch (c.stringValue()) {
                case "none" -> ToolChoice.NONE;
                case "auto" -> tools.isEmpty() ? ToolChoice.NONE : ToolChoice.AUTO;
                case "required" -> {
                    if (tools.isEmpty())
                        throw invalidValue(
                                "tool_choice", "Tool choice 'required' must be specified with 'tools' parameter.");
                    yield ToolChoice.REQUIRED;
                }
                default ->
                    throw invalidValue(
                            "tool_choice",
                            "Invalid value: '" + c.stringValue() + "'. Supported values are: "
                                    + "'none', 'auto', and 'required'.");
            };
        }
        if (!c.isObject()) throw invalidType("tool_choice", "a string or an object", c);
        String name = Fields.requiredString(c, "name", "tool_choice.name");
        if (tools.stream().noneMatch(t -> t.name().equals(name))) {
            throw invalidValue("tool_choice", "Tool choice '" + name + "' not found in 'tools' parameter.");
        }
        return ToolChoice.named(name);
    }

    /** {@code text.format}: text, json_object, or json_schema with the schema inline. */
    private static ResponseFormat format(JsonNode root) {
        JsonNode text = Fields.optObject(root, "text", "text");
        if (text == null) return ResponseFormat.TEXT;
        JsonNode f = Fields.optObject(text, "format", "text.format");
        if (f == null) return ResponseFormat.TEXT;
        String type = Fields.requiredString(f, "type", "text.format.type");
        return switch (type) {
            case "text" -> ResponseFormat.TEXT;
            case "json_object" -> ResponseFormat.JSON_OBJECT;
            case "json_schema" ->
                new ResponseFormat(
                        ResponseFormat.Kind.JSON_SCHEMA,
                        Fields.requiredString(f, "name", "text.format.name"),
                        requiredObject(f, "schema", "text.format.schema"),
                        Fields.optBool(f, "strict", "text.format.strict", false));
            default ->
                throw invalidValue(
                        "text.format.type",
                        "Invalid value: '" + type + "'. Supported values are: 'text', "
                                + "'json_object', and 'json_schema'.");
        };
    }

    private static JsonNode requiredObject(JsonNode obj, String field, String param) {
        JsonNode v = Fields.optObject(obj, field, param);
        if (v == null) throw Fields.missing(param);
        return v;
    }
}
