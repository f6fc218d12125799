package dev.llmlab.api.openai;

import static dev.llmlab.api.openai.Fields.absent;
import static dev.llmlab.api.openai.Fields.invalidType;
import static dev.llmlab.api.openai.Fields.invalidValue;

import dev.llmlab.api.ApiException;
import dev.llmlab.api.EmbeddingRequest;
import dev.llmlab.api.GenerationRequest;
import dev.llmlab.api.GenerationRequest.Endpoint;
import dev.llmlab.api.Message;
import dev.llmlab.api.Prompt;
import dev.llmlab.api.ResponseFormat;
import dev.llmlab.api.Tool;
import dev.llmlab.api.ToolCall;
import dev.llmlab.api.ToolChoice;
import dev.llmlab.api.Wire;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Parses and validates OpenAI request bodies into the internal model.
 *
 * <p>Validation follows the public API reference (parameter types and ranges) and OpenAI's error
 * wording, and it tolerates unknown fields as OpenAI does, because SDKs add new parameters long
 * before a simulator learns them. Stateless and thread-safe.
 */
public final class OpenAiRequests {
    // Generators must not close the caller's stream: encoders append to buffers the caller owns.
    static final JsonMapper MAPPER =
            JsonMapper.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");
    private static final Pattern FUNCTION_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
    private static final int MAX_STOP = 4;
    private static final int MAX_N = 128;
    private static final int MAX_EMBEDDING_INPUTS = 2048;

    private OpenAiRequests() {}

    /** Reads a request body as a JSON object, or fails like OpenAI does on a body it cannot parse. */
    public static JsonNode readBody(byte[] body, int offset, int length) {
        JsonNode root = Wire.readObject(MAPPER, body, offset, length);
        if (root == null) {
            throw ApiException.invalid(
                    null,
                    null,
                    "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP "
                            + "library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. "
                            + "If you have trouble figuring out how to fix this, please contact us through our help center at "
                            + "help.openai.com.)");
        }
        return root;
    }

    /** The {@code model} field of any request; every OpenAI generation and embedding request needs one. */
    public static String model(JsonNode root) {
        return Fields.requiredString(root, "model", "model");
    }

    /** POST /v1/chat/completions. */
    public static GenerationRequest parseChat(JsonNode root) {
        return parseChat(new ChatBody(root, null));
    }

    /** POST /v1/chat/completions from a body read by {@link ChatBody#read}. */
    public static GenerationRequest parseChat(ChatBody body) {
        JsonNode root = body.root();
        String model = model(root);
        List<Message> messages = body.messages() != null ? body.messages() : parseMessages(root);

        boolean stream = Fields.optBool(root, "stream", "stream", false);
        boolean includeUsage = parseStreamOptions(root, stream);
        long maxCompletion =
                Fields.optLong(root, "max_completion_tokens", "max_completion_tokens", -1, 1, Integer.MAX_VALUE);
        long maxTokens = Fields.optLong(root, "max_tokens", "max_tokens", -1, 1, Integer.MAX_VALUE);
        int cap = (int) (maxCompletion >= 0 ? maxCompletion : maxTokens);
        int n = (int) Fields.optLong(root, "n", "n", 1, 1, MAX_N);
        Sampling sampling = parseSampling(root);
        boolean logprobs = Fields.optBool(root, "logprobs", "logprobs", false);
        int topLogprobs = (int) Fields.optLong(root, "top_logprobs", "top_logprobs", 0, 0, 20);
        if (!absent(root.get("top_logprobs")) && !logprobs) {
            throw invalidValue(
                    "top_logprobs",
                    "Invalid value for 'top_logprobs': 'logprobs' must be set to true in order"
                            + " to use 'top_logprobs'.");
        }
        List<Tool> tools = parseTools(root);
        ToolChoice toolChoice = parseToolChoice(root, tools);
        boolean parallel = Fields.optBool(root, "parallel_tool_calls", "parallel_tool_calls", true);
        ResponseFormat format = parseResponseFormat(root);
        String user = Fields.optString(root, "user", "user");
        Lengths lengths = parseLengths(root, cap);

        return new GenerationRequest(
                Endpoint.CHAT,
                model,
                messages,
                List.of(),
                cap,
                n,
                sampling.stop,
                sampling.seed,
                sampling.temperature,
                sampling.topP,
                stream,
                includeUsage,
                tools,
                toolChoice,
                parallel,
                format,
                logprobs,
                topLogprobs,
                false,
                user,
                lengths.ignoreEos,
                lengths.minTokens);
    }

    /** POST /v1/completions (legacy). */
    public static GenerationRequest parseCompletion(JsonNode root) {
        String model = model(root);
        List<Prompt> prompts = parseInputs(root, "prompt", false);
        if (prompts.isEmpty()) prompts = List.of(Prompt.ofText("<|endoftext|>"));
        boolean stream = Fields.optBool(root, "stream", "stream", false);
        boolean includeUsage = parseStreamOptions(root, stream);
        // The legacy endpoint's documented default is 16 tokens, unlike chat's "until done".
        int maxTokens = (int) Fields.optLong(root, "max_tokens", "max_tokens", 16, 0, Integer.MAX_VALUE);
        int n = (int) Fields.optLong(root, "n", "n", 1, 1, MAX_N);
        long bestOf = Fields.optLong(root, "best_of", "best_of", n, 0, 20);
        if (bestOf < n) {
            throw invalidValue("best_of", "best_of must be greater than or equal to n.");
        }
        if (stream && bestOf > n) {
            throw invalidValue("best_of", "Invalid value for 'best_of': streaming is not supported when best_of > n.");
        }
        Sampling sampling = parseSampling(root);
        Lengths lengths = parseLengths(root, maxTokens);
        JsonNode lp = root.get("logprobs");
        int logprobs = (int) Fields.optLong(root, "logprobs", "logprobs", -1, 0, 5);
        boolean echo = Fields.optBool(root, "echo", "echo", false);
        Fields.optString(root, "suffix", "suffix");
        String user = Fields.optString(root, "user", "user");
        return new GenerationRequest(
                Endpoint.COMPLETION,
                model,
                List.of(),
                prompts,
                maxTokens,
                n,
                sampling.stop,
                sampling.seed,
                sampling.temperature,
                sampling.topP,
                stream,
                includeUsage,
                List.of(),
                ToolChoice.NONE,
                false,
                ResponseFormat.TEXT,
                !absent(lp),
                Math.max(0, logprobs),
                echo,
                user,
                lengths.ignoreEos,
                lengths.minTokens);
    }

    /** POST /v1/embeddings. */
    public static EmbeddingRequest parseEmbedding(JsonNode root) {
        String model = model(root);
        if (absent(root.get("input"))) throw Fields.missing("input");
        List<Prompt> inputs = parseInputs(root, "input", true);
        if (inputs.size() > MAX_EMBEDDING_INPUTS) {
            throw ApiException.invalid(
                    "input",
                    "array_above_max_length",
                    "Invalid 'input': array too long. Expected an "
                            + "array with maximum length " + MAX_EMBEDDING_INPUTS + ", but got an array with length "
                            + inputs.size()
                            + " instead.");
        }
        String format = Fields.optString(root, "encoding_format", "encoding_format");
        if (format != null && !format.equals("float") && !format.equals("base64")) {
            throw invalidValue(
                    "encoding_format", "Invalid value: '" + format + "'. Supported values are: 'float' and 'base64'.");
        }
        int dimensions = (int) Fields.optLong(root, "dimensions", "dimensions", -1, 1, 65536);
        String user = Fields.optString(root, "user", "user");
        return new EmbeddingRequest(model, inputs, dimensions, "base64".equals(format), user);
    }

    private static List<Message> parseMessages(JsonNode root) {
        JsonNode arr = root.get("messages");
        if (absent(arr)) throw Fields.missing("messages");
        if (!arr.isArray()) throw invalidType("messages", "an array", arr);
        if (arr.isEmpty()) {
            throw ApiException.invalid(
                    "messages",
                    "empty_array",
                    "Invalid 'messages': empty array. Expected an array with"
                            + " minimum length 1, but got an empty array instead.");
        }
        List<Message> out = new ArrayList<>(arr.size());
        for (int i = 0; i < arr.size(); i++) {
            JsonNode m = arr.get(i);
            // Parameter paths such as "messages[3].content" are built only when something is wrong:
            // on the success path they would be most of what parsing a long conversation allocates.
            if (!m.isObject()) throw invalidType(messageParam(i, ""), "an object", m);
            JsonNode roleNode = m.get("role");
            if (absent(roleNode) || !roleNode.isString()) Fields.requiredString(m, "role", messageParam(i, ".role"));
            String role = roleNode.stringValue();
            if (!ROLES.contains(role)) {
                throw invalidValue(
                        messageParam(i, ".role"),
                        "Invalid value: '" + role + "'. Supported values are: 'system',"
                                + " 'assistant', 'user', 'function', 'tool', and 'developer'.");
            }
            JsonNode toolCalls = m.get("tool_calls");
            boolean hasToolCalls = role.equals("assistant") && !absent(toolCalls);
            if (hasToolCalls) validateAssistantToolCalls(toolCalls, messageParam(i, ".tool_calls"));
            JsonNode content = m.get("content");
            String text = content != null && content.isString()
                    ? content.stringValue()
                    : parseContent(
                            content,
                            messageParam(i, ".content"),
                            role.equals("assistant")
                                    && (hasToolCalls || !absent(m.get("function_call")) || !absent(m.get("refusal"))));
            String toolCallId = null;
            if (role.equals("tool"))
                toolCallId = Fields.requiredString(m, "tool_call_id", messageParam(i, ".tool_call_id"));
            JsonNode nameNode = m.get("name");
            String name = absent(nameNode) ? null : Fields.optString(m, "name", messageParam(i, ".name"));
            out.add(new Message(
                    role,
                    text,
                    name,
                    toolCallId,
                    hasToolCalls ? toolCalls.toString() : null,
                    hasToolCalls ? toolCalls(toolCalls) : List.of()));
        }
        return out;
    }

    private static String messageParam(int i, String field) {
        return "messages[" + i + "]" + field;
    }

    /** A message's text: a string, or an array of content parts whose text parts are concatenated. */
    private static String parseContent(JsonNode content, String param, boolean mayBeNull) {
        if (absent(content)) {
            if (mayBeNull) return "";
            throw Fields.missing(param);
        }
        if (content.isString()) return content.stringValue();
        if (!content.isArray()) throw invalidType(param, "one of a string or array of objects", content);
        StringBuilder text = new StringBuilder();
        for (int j = 0; j < content.size(); j++) {
            String pp = param + "[" + j + "]";
            JsonNode part = content.get(j);
            if (!part.isObject()) throw invalidType(pp, "an object", part);
            String type = Fields.requiredString(part, "type", pp + ".type");
            switch (type) {
                case "text" -> {
                    if (!text.isEmpty()) text.append('\n');
                    text.append(Fields.requiredString(part, "text", pp + ".text"));
                }
                case "refusal" -> Fields.requiredString(part, "refusal", pp + ".refusal");
                case "image_url" -> {
                    JsonNode img = Fields.optObject(part, "image_url", pp + ".image_url");
                    if (img == null) throw Fields.missing(pp + ".image_url");
                    Fields.requiredString(img, "url", pp + ".image_url.url");
                }
                case "input_audio" -> {
                    if (Fields.optObject(part, "input_audio", pp + ".input_audio") == null) {
                        throw Fields.missing(pp + ".input_audio");
                    }
                }
                case "file" -> {
                    if (Fields.optObject(part, "file", pp + ".file") == null) throw Fields.missing(pp + ".file");
                }
                default ->
                    throw invalidValue(
                            pp + ".type",
                            "Invalid value: '" + type + "'. Supported values are: 'text', "
                                    + "'image_url', 'input_audio', 'refusal', and 'file'.");
            }
        }
        return text.toString();
    }

    /** An assistant's validated {@code tool_calls}, in order; a call without a function has no name or arguments. */
    private static List<ToolCall> toolCalls(JsonNode calls) {
        List<ToolCall> out = new ArrayList<>(calls.size());
        for (JsonNode c : calls) {
            JsonNode fn = c.get("function");
            boolean hasFn = fn != null && fn.isObject();
            out.add(new ToolCall(
                    c.get("id").stringValue(),
                    hasFn ? fn.get("name").stringValue() : null,
                    hasFn ? fn.get("arguments").stringValue() : null));
        }
        return out;
    }

    private static void validateAssistantToolCalls(JsonNode calls, String param) {
        if (!calls.isArray()) throw invalidType(param, "an array", calls);
        for (int i = 0; i < calls.size(); i++) {
            String p = param + "[" + i + "]";
            JsonNode c = calls.get(i);
            if (!c.isObject()) throw invalidType(p, "an object", c);
            Fields.requiredString(c, "id", p + ".id");
            JsonNode fn = Fields.optObject(c, "function", p + ".function");
            if (fn != null) {
                Fields.requiredString(fn, "name", p + ".function.name");
                Fields.requiredString(fn, "arguments", p + ".function.arguments");
            }
        }
    }

    /** The sampling parameters chat and completions share, validated with OpenAI's ranges. */
    private record Sampling(double temperature, double topP, Long seed, List<String> stop) {}

    /** vLLM's extra sampling parameters for the answer's length, which its OpenAI server accepts. */
    private record Lengths(boolean ignoreEos, int minTokens) {}

    private static Lengths parseLengths(JsonNode root, int maxTokens) {
        boolean ignoreEos = Fields.optBool(root, "ignore_eos", "ignore_eos", false);
        int minTokens = (int) Fields.optLong(root, "min_tokens", "min_tokens", 0, 0, Integer.MAX_VALUE);
        if (maxTokens >= 0 && minTokens > maxTokens) {
            // vLLM's own check (SamplingParams._verify_args)
            throw invalidValue(
                    "min_tokens",
                    "min_tokens must be less than or equal to max_tokens=" + maxTokens + ", got " + minTokens + ".");
        }
        return new Lengths(ignoreEos, minTokens);
    }

    private static Sampling parseSampling(JsonNode root) {
        double temperature = Fields.optDouble(root, "temperature", "temperature", Double.NaN, 0, 2);
        double topP = Fields.optDouble(root, "top_p", "top_p", Double.NaN, 0, 1);
        Fields.optDouble(root, "presence_penalty", "presence_penalty", 0, -2, 2);
        Fields.optDouble(root, "frequency_penalty", "frequency_penalty", 0, -2, 2);
        validateLogitBias(root);
        return new Sampling(temperature, topP, parseSeed(root), parseStop(root));
    }

    private static boolean parseStreamOptions(JsonNode root, boolean stream) {
        JsonNode opts = Fields.optObject(root, "stream_options", "stream_options");
        if (opts == null) return false;
        if (!stream) {
            throw invalidValue(
                    "stream_options", "The 'stream_options' parameter is only allowed when 'stream' is enabled.");
        }
        return Fields.optBool(opts, "include_usage", "stream_options.include_usage", false);
    }

    private static Long parseSeed(JsonNode root) {
        JsonNode n = root.get("seed");
        if (absent(n)) return null;
        return Fields.optLong(root, "seed", "seed", 0, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    private static void validateLogitBias(JsonNode root) {
        JsonNode bias = Fields.optObject(root, "logit_bias", "logit_bias");
        if (bias == null) return;
        for (var e : bias.properties()) {
            String p = "logit_bias." + e.getKey();
            if (!e.getKey().chars().allMatch(Character::isDigit) || e.getKey().isEmpty()) {
                throw invalidValue(
                        "logit_bias", "Invalid key in 'logit_bias': " + e.getKey() + ". Expected a token id.");
            }
            JsonNode v = e.getValue();
            if (!v.isNumber()) throw invalidType(p, "a number", v);
            if (v.doubleValue() < -100 || v.doubleValue() > 100) {
                throw invalidValue(
                        p,
                        "Invalid value for 'logit_bias': bias must be between -100 and 100, but got " + v.doubleValue()
                                + ".");
            }
        }
    }

    private static List<String> parseStop(JsonNode root) {
        JsonNode n = root.get("stop");
        if (absent(n)) return List.of();
        if (n.isString()) return n.stringValue().isEmpty() ? List.of() : List.of(n.stringValue());
        if (!n.isArray()) throw invalidType("stop", "one of a string or array of strings", n);
        if (n.size() > MAX_STOP) {
            throw ApiException.invalid(
                    "stop",
                    "array_above_max_length",
                    "Invalid 'stop': array too long. Expected an array" + " with maximum length " + MAX_STOP
                            + ", but got an array with length " + n.size() + " instead.");
        }
        List<String> out = new ArrayList<>(n.size());
        for (int i = 0; i < n.size(); i++) {
            JsonNode s = n.get(i);
            if (!s.isString()) throw invalidType("stop[" + i + "]", "a string", s);
            if (!s.stringValue().isEmpty()) out.add(s.stringValue());
        }
        return List.copyOf(out);
    }

    private static List<Tool> parseTools(JsonNode root) {
        JsonNode arr = Fields.optArray(root, "tools", "tools");
        if (arr == null) return List.of();
        List<Tool> tools = new ArrayList<>(arr.size());
        for (int i = 0; i < arr.size(); i++) {
            String p = "tools[" + i + "]";
            JsonNode t = arr.get(i);
            if (!t.isObject()) throw invalidType(p, "an object", t);
            String type = Fields.requiredString(t, "type", p + ".type");
            if (!type.equals("function")) {
                throw invalidValue(p + ".type", "Invalid value: '" + type + "'. Supported values are: 'function'.");
            }
            JsonNode fn = Fields.optObject(t, "function", p + ".function");
            if (fn == null) throw Fields.missing(p + ".function");
            String name = Fields.requiredString(fn, "name", p + ".function.name");
            if (!FUNCTION_NAME.matcher(name).matches()) {
                throw ApiException.invalid(
                        p + ".function.name",
                        "invalid_value",
                        "Invalid '" + p + ".function.name': string "
                                + "does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$' and is at most "
                                + "64 characters long.");
            }
            String description = Fields.optString(fn, "description", p + ".function.description");
            JsonNode params = Fields.optObject(fn, "parameters", p + ".function.parameters");
            boolean strict = Fields.optBool(fn, "strict", p + ".function.strict", false);
            tools.add(new Tool(name, description, params, strict));
        }
        return List.copyOf(tools);
    }

    private static ToolChoice parseToolChoice(JsonNode root, List<Tool> tools) {
        JsonNode n = root.get("tool_choice");
        if (absent(n)) return tools.isEmpty() ? ToolChoice.NONE : ToolChoice.AUTO;
        if (tools.isEmpty()) {
            throw invalidValue(
                    "tool_choice",
                    "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.");
        }
        if (n.isString()) {
            return switch (n.stringValue()) {
                case "none" -> ToolChoice.NONE;
                case "auto" -> ToolChoice.AUTO;
                case "required" -> ToolChoice.REQUIRED;
                default ->
                    throw invalidValue(
                            "tool_choice",
                            "Invalid value: '" + n.stringValue()
                                    + "'. Supported values are: 'none', 'auto', and 'required'.");
            };
        }
        if (!n.isObject()) throw invalidType("tool_choice", "one of a string or object", n);
        String type = Fields.requiredString(n, "type", "tool_choice.type");
        if (!type.equals("function")) {
            throw invalidValue("tool_choice.type", "Invalid value: '" + type + "'. Supported values are: 'function'.");
        }
        JsonNode fn = Fields.optObject(n, "function", "tool_choice.function");
        if (fn == null) throw Fields.missing("tool_choice.function");
        String name = Fields.requiredString(fn, "name", "tool_choice.function.name");
        if (tools.stream().noneMatch(t -> t.name().equals(name))) {
            throw invalidValue(
                    "tool_choice",
                    "Invalid value for 'tool_choice': function '" + name + "' is not one of the functions in 'tools'.");
        }
        return ToolChoice.named(name);
    }

    private static ResponseFormat parseResponseFormat(JsonNode root) {
        JsonNode rf = Fields.optObject(root, "response_format", "response_format");
        if (rf == null) return ResponseFormat.TEXT;
        String type = Fields.requiredString(rf, "type", "response_format.type");
        return switch (type) {
            case "text" -> ResponseFormat.TEXT;
            case "json_object" -> ResponseFormat.JSON_OBJECT;
            case "json_schema" -> {
                JsonNode js = Fields.optObject(rf, "json_schema", "response_format.json_schema");
                if (js == null) throw Fields.missing("response_format.json_schema");
                String name = Fields.requiredString(js, "name", "response_format.json_schema.name");
                JsonNode schema = Fields.optObject(js, "schema", "response_format.json_schema.schema");
                boolean strict = Fields.optBool(js, "strict", "response_format.json_schema.strict", false);
                yield new ResponseFormat(ResponseFormat.Kind.JSON_SCHEMA, name, schema, strict);
            }
            default ->
                throw invalidValue(
                        "response_format.type",
                        "Invalid value: '" + type
                                + "'. Supported values are: 'text', 'json_object', and 'json_schema'.");
        };
    }

    /**
     * A prompt or input field: a string, an array of strings, an array of token ids, or an array of
     * token-id arrays, as both the completions and embeddings endpoints accept.
     */
    private static List<Prompt> parseInputs(JsonNode root, String field, boolean rejectEmpty) {
        JsonNode n = root.get(field);
        if (absent(n)) return List.of();
        String expected = "one of a string, array of strings, array of integers, or array of arrays of integers";
        if (n.isString()) {
            if (rejectEmpty && n.stringValue().isEmpty()) throw emptyInput(field);
            return List.of(Prompt.ofText(n.stringValue()));
        }
        if (!n.isArray()) throw invalidType(field, expected, n);
        if (n.isEmpty()) throw emptyInput(field);
        if (n.get(0).isIntegralNumber()) return List.of(Prompt.ofTokens(tokenArray(n, field)));
        List<Prompt> out = new ArrayList<>(n.size());
        for (int i = 0; i < n.size(); i++) {
            JsonNode e = n.get(i);
            String p = field + "[" + i + "]";
            if (e.isString()) {
                if (rejectEmpty && e.stringValue().isEmpty()) throw emptyInput(p);
                out.add(Prompt.ofText(e.stringValue()));
            } else if (e.isArray()) {
                if (e.isEmpty()) throw emptyInput(p);
                out.add(Prompt.ofTokens(tokenArray(e, p)));
            } else {
                throw invalidType(p, "one of a string or array of integers", e);
            }
        }
        return List.copyOf(out);
    }

    private static int[] tokenArray(JsonNode arr, String param) {
        int[] tokens = new int[arr.size()];
        for (int i = 0; i < tokens.length; i++) {
            JsonNode t = arr.get(i);
            if (!t.isIntegralNumber() || !t.canConvertToInt() || t.intValue() < 0) {
                throw invalidType(param + "[" + i + "]", "a non-negative integer token id", t);
            }
            tokens[i] = t.intValue();
        }
        return tokens;
    }

    private static ApiException emptyInput(String param) {
        return ApiException.invalid(
                param,
                "invalid_value",
                "'$." + param + "' is invalid. Please check the API "
                        + "reference: https://platform.openai.com/docs/api-reference.");
    }
}
