package dev.llmlab.api.gemini;

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
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Parses and validates Gemini API bodies ({@code models/{model}:generateContent},
 * {@code :streamGenerateContent}, {@code :countTokens}) into the internal model.
 *
 * <p>Keys are read in both spellings the API accepts (protobuf JSON): {@code systemInstruction}
 * or {@code system_instruction}, {@code generationConfig} or {@code generation_config}, and so on.
 * {@code contents} become messages (role {@code model} is the assistant; text parts give the text,
 * function calls and responses count towards the prompt, inline data adds none);
 * {@code generationConfig} gives the output cap, sampling, stop sequences, the candidate count
 * (choices) and JSON output ({@code responseMimeType}, with {@code responseJsonSchema} or the
 * OpenAPI-style {@code responseSchema}, whose upper-case type names are read as JSON Schema's);
 * function declarations and {@code toolConfig} the tools. Unknown fields are tolerated. Errors
 * are {@code INVALID_ARGUMENT} (400). Stateless and thread-safe.
 */
public final class GeminiRequests {
    static final JsonMapper MAPPER =
            JsonMapper.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

    private GeminiRequests() {}

    public static JsonNode readBody(byte[] body, int offset, int length) {
        JsonNode root = Wire.readObject(MAPPER, body, offset, length);
        if (root == null) throw invalid("Invalid JSON payload received. The body must be a JSON object.");
        return root;
    }

    /** :generateContent and :streamGenerateContent. */
    public static GenerationRequest parseGenerate(JsonNode root, String model, boolean stream) {
        List<Message> messages = conversation(root);
        JsonNode cfg = field(root, "generationConfig", "generation_config");
        int maxOutput = -1;
        int n = 1;
        double temperature = Double.NaN;
        double topP = Double.NaN;
        List<String> stop = List.of();
        ResponseFormat format = ResponseFormat.TEXT;
        Long seed = null;
        boolean logprobs = false;
        int topLogprobs = 0;
        if (cfg != null) {
            if (!cfg.isObject()) throw invalid("generation_config: expected an object");
            maxOutput = intIn(cfg, "maxOutputTokens", "max_output_tokens", 1, Integer.MAX_VALUE, -1);
            n = intIn(cfg, "candidateCount", "candidate_count", 1, 8, 1);
            temperature = numberIn(cfg, "temperature", "temperature", 0, 2);
            topP = numberIn(cfg, "topP", "top_p", 0, 1);
            intIn(cfg, "topK", "top_k", 1, Integer.MAX_VALUE, 0);
            JsonNode s = field(cfg, "stopSequences", "stop_sequences");
            if (s != null) {
                if (!s.isArray() || s.size() > 5)
                    throw invalid("generation_config.stop_sequences: expected at most 5 strings");
                List<String> out = new ArrayList<>();
                for (JsonNode x : s) {
                    if (!x.isString()) throw invalid("generation_config.stop_sequences: expected strings");
                    out.add(x.stringValue());
                }
                stop = List.copyOf(out);
            }
            format = format(cfg);
            JsonNode seedNode = field(cfg, "seed", "seed");
            if (seedNode != null) {
                if (!seedNode.isIntegralNumber() || !seedNode.canConvertToInt())
                    throw invalid("generation_config.seed: expected an integer");
                seed = seedNode.longValue();
            }
            JsonNode lp = field(cfg, "responseLogprobs", "response_logprobs");
            if (lp != null) {
                if (!lp.isBoolean()) throw invalid("generation_config.response_logprobs: expected a boolean");
                logprobs = lp.booleanValue();
            }
            topLogprobs = intIn(cfg, "logprobs", "logprobs", 0, 20, 0);
        }
        List<Tool> tools = tools(root);
        ToolChoice choice = toolChoice(root, tools);
        return new GenerationRequest(
                Endpoint.GEMINI,
                model,
                messages,
                List.of(),
                maxOutput,
                n,
                stop,
                seed,
                temperature,
                topP,
                stream,
                true,
                tools,
                choice,
                true,
                format,
                logprobs,
                topLogprobs,
                false,
                null);
    }

    /** :countTokens: {@code contents} (or a whole {@code generateContentRequest}) counted. */
    public static GenerationRequest parseCountTokens(JsonNode root, String model) {
        JsonNode inner = field(root, "generateContentRequest", "generate_content_request");
        JsonNode body = inner != null && inner.isObject() ? inner : root;
        List<Message> messages = conversation(body);
        return new GenerationRequest(
                Endpoint.GEMINI,
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
                tools(body),
                ToolChoice.NONE,
                true,
                ResponseFormat.TEXT,
                false,
                0,
                false,
                null);
    }

    private static List<Message> conversation(JsonNode root) {
        List<Message> out = new ArrayList<>();
        JsonNode sys = field(root, "systemInstruction", "system_instruction");
        if (sys != null) {
            if (!sys.isObject()) throw invalid("system_instruction: expected a Content object");
            out.add(new Message("system", parts(sys, "system_instruction", null, null), null, null, null));
        }
        JsonNode contents = root.get("contents");
        if (contents == null || contents.isNull() || (contents.isArray() && contents.isEmpty())) {
            throw invalid("* GenerateContentRequest.contents: contents is not specified");
        }
        if (!contents.isArray()) throw invalid("contents: expected a list of Content objects");
        for (int i = 0; i < contents.size(); i++) {
            JsonNode c = contents.get(i);
            String at = "contents[" + i + "]";
            if (!c.isObject()) throw invalid(at + ": expected a Content object");
            JsonNode role = c.get("role");
            String r = role == null || role.isNull() ? "user" : role.asString("");
            if (!r.equals("user") && !r.equals("model") && !r.equals("function")) {
                throw invalid("Please use a valid role: user, model.");
            }
            List<ToolCall> calls = new ArrayList<>();
            List<Message> results = new ArrayList<>();
            String text = parts(c, at, calls, results);
            out.addAll(results);
            if (results.isEmpty() || !text.isEmpty()) {
                out.add(new Message(
                        r.equals("model") ? "assistant" : "user",
                        text,
                        null,
                        null,
                        calls.isEmpty() ? null : callsText(calls),
                        calls));
            }
        }
        return out;
    }

    /** The JSON of function calls as the prompt counts them: one {@code functionCall} object per line. */
    private static String callsText(List<ToolCall> calls) {
        StringBuilder b = new StringBuilder();
        for (ToolCall c : calls) {
            if (!b.isEmpty()) b.append('\n');
            b.append("{\"name\":").append(MAPPER.writeValueAsString(c.name()));
            b.append(",\"args\":").append(c.arguments()).append('}');
        }
        return b.toString();
    }

    /**
     * The text of a Content's parts. Function calls go to {@code calls}, each function response
     * becomes a {@code tool} message in {@code results}; both are null where the content cannot
     * hold them (the system instruction).
     */
    private static String parts(JsonNode content, String at, List<ToolCall> calls, List<Message> results) {
        JsonNode parts = content.get("parts");
        if (parts == null || !parts.isArray() || parts.isEmpty()) {
            throw invalid("* GenerateContentRequest." + at + ".parts: contents.parts must not be empty.");
        }
        StringBuilder text = new StringBuilder();
        for (int k = 0; k < parts.size(); k++) {
            JsonNode p = parts.get(k);
            String pat = at + ".parts[" + k + "]";
            if (!p.isObject()) throw invalid(pat + ": expected a Part object");
            JsonNode t = p.get("text");
            JsonNode call = field(p, "functionCall", "function_call");
            JsonNode response = field(p, "functionResponse", "function_response");
            if (t != null) {
                if (!t.isString()) throw invalid(pat + ".text: expected a string");
                if (p.path("thought").asBoolean(false)) continue; // the model's thoughts are not part of the prompt
                if (!text.isEmpty()) text.append('\n');
                text.append(t.stringValue());
            } else if (call != null && calls != null) {
                if (!call.isObject() || !call.path("name").isString())
                    throw invalid(pat + ".function_call.name: name is required");
                JsonNode args = call.get("args");
                calls.add(new ToolCall(
                        optString(call, "id"),
                        call.get("name").stringValue(),
                        args == null || args.isNull() ? "{}" : args.toString()));
            } else if (response != null && results != null) {
                if (!response.isObject() || !response.path("name").isString())
                    throw invalid(pat + ".function_response.name: name is required");
                results.add(new Message(
                        "tool",
                        responseText(response.get("response")),
                        response.get("name").stringValue(),
                        optString(response, "id"),
                        null));
            } else if (field(p, "inlineData", "inline_data") == null
                    && field(p, "fileData", "file_data") == null
                    && !p.has("thought")
                    && field(p, "executableCode", "executable_code") == null) {
                throw invalid(pat + ": a part needs text, inline_data, file_data, function_call or function_response");
            }
        }
        return text.toString();
    }

    /**
     * A function response's text. The API documents {@code output} (and {@code error}) as the keys
     * for a function's result, the whole object otherwise: a response that is just
     * {@code {"output": "..."}} is that string.
     */
    private static String responseText(JsonNode response) {
        if (response == null || response.isNull()) return "";
        if (response.isObject()
                && response.size() == 1
                && response.path("output").isString())
            return response.get("output").stringValue();
        return response.toString();
    }

    private static String optString(JsonNode obj, String name) {
        JsonNode v = obj.get(name);
        return v != null && v.isString() ? v.stringValue() : null;
    }

    private static List<Tool> tools(JsonNode root) {
        JsonNode t = root.get("tools");
        if (t == null || t.isNull()) return List.of();
        if (!t.isArray()) throw invalid("tools: expected a list of Tool objects");
        List<Tool> out = new ArrayList<>();
        for (int i = 0; i < t.size(); i++) {
            JsonNode decls = field(t.get(i), "functionDeclarations", "function_declarations");
            if (decls == null) continue; // search grounding, code execution: the provider's own tools
            if (!decls.isArray()) throw invalid("tools[" + i + "].function_declarations: expected a list");
            for (int k = 0; k < decls.size(); k++) {
                JsonNode d = decls.get(k);
                String at = "tools[" + i + "].function_declarations[" + k + "]";
                JsonNode name = d.get("name");
                if (name == null || !name.isString() || name.stringValue().isEmpty())
                    throw invalid(at + ".name: name is required");
                JsonNode schema = field(d, "parametersJsonSchema", "parameters_json_schema");
                if (schema == null) {
                    JsonNode openApi = d.get("parameters");
                    schema = openApi == null || openApi.isNull() ? null : lowerTypes(openApi);
                }
                JsonNode desc = d.get("description");
                out.add(new Tool(
                        name.stringValue(),
                        desc != null && desc.isString() ? desc.stringValue() : null,
                        schema,
                        false));
            }
        }
        return List.copyOf(out);
    }

    private static ToolChoice toolChoice(JsonNode root, List<Tool> tools) {
        if (tools.isEmpty()) return ToolChoice.NONE;
        JsonNode cfg = field(root, "toolConfig", "tool_config");
        JsonNode fc = cfg == null ? null : field(cfg, "functionCallingConfig", "function_calling_config");
        if (fc == null) return ToolChoice.AUTO;
        String mode = fc.path("mode").asString("AUTO").toUpperCase(Locale.ROOT);
        JsonNode allowed = field(fc, "allowedFunctionNames", "allowed_function_names");
        return switch (mode) {
            case "AUTO", "MODE_UNSPECIFIED", "VALIDATED" -> ToolChoice.AUTO;
            case "NONE" -> ToolChoice.NONE;
            case "ANY" -> {
                if (allowed != null && allowed.isArray() && allowed.size() == 1) {
                    String name = allowed.get(0).asString("");
                    if (tools.stream().noneMatch(t -> t.name().equals(name))) {
                        throw invalid("tool_config.function_calling_config.allowed_function_names: function '" + name
                                + "' is not declared");
                    }
                    yield ToolChoice.named(name);
                }
                yield ToolChoice.REQUIRED;
            }
            default -> throw invalid("tool_config.function_calling_config.mode: unknown mode '" + mode + "'");
        };
    }

    private static ResponseFormat format(JsonNode cfg) {
        JsonNode mime = field(cfg, "responseMimeType", "response_mime_type");
        String m = mime == null ? "text/plain" : mime.asString("");
        if (m.equals("text/plain") || m.isEmpty()) return ResponseFormat.TEXT;
        if (!m.equals("application/json")) {
            throw invalid(
                    "generation_config.response_mime_type: allowed mimetypes are `text/plain`, `application/json`");
        }
        JsonNode schema = field(cfg, "responseJsonSchema", "response_json_schema");
        if (schema == null) {
            JsonNode openApi = field(cfg, "responseSchema", "response_schema");
            schema = openApi == null ? null : lowerTypes(openApi);
        }
        return schema == null
                ? ResponseFormat.JSON_OBJECT
                : new ResponseFormat(ResponseFormat.Kind.JSON_SCHEMA, "response", schema, false);
    }

    /** The API's OpenAPI-style schemas name types in upper case ({@code OBJECT}); JSON Schema in lower. */
    static JsonNode lowerTypes(JsonNode schema) {
        if (schema.isObject()) {
            ObjectNode copy = MAPPER.createObjectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = schema.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode v = e.getValue();
                if (e.getKey().equals("type") && v.isString())
                    copy.put("type", v.stringValue().toLowerCase(Locale.ROOT));
                else if (e.getKey().equals("nullable")
                        || e.getKey().equals("propertyOrdering")
                        || e.getKey().equals("format")) continue;
                else copy.set(e.getKey(), lowerTypes(v));
            }
            return copy;
        }
        if (schema.isArray()) {
            var arr = MAPPER.createArrayNode();
            for (JsonNode x : schema) arr.add(lowerTypes(x));
            return arr;
        }
        return schema;
    }

    private static JsonNode field(JsonNode obj, String camel, String snake) {
        JsonNode v = obj.get(camel);
        if (v == null || v.isNull()) v = obj.get(snake);
        return v == null || v.isNull() ? null : v;
    }

    private static int intIn(JsonNode obj, String camel, String snake, int min, int max, int absent) {
        JsonNode v = field(obj, camel, snake);
        if (v == null) return absent;
        if (!v.isIntegralNumber() || !v.canConvertToInt())
            throw invalid("generation_config." + snake + ": expected an integer");
        int n = v.intValue();
        if (n < min || n > max)
            throw invalid("generation_config." + snake + ": must be between " + min + " and " + max);
        return n;
    }

    private static double numberIn(JsonNode obj, String camel, String snake, double min, double max) {
        JsonNode v = field(obj, camel, snake);
        if (v == null) return Double.NaN;
        if (!v.isNumber()) throw invalid("generation_config." + snake + ": expected a number");
        double d = v.doubleValue();
        if (d < min || d > max)
            throw invalid("generation_config." + snake + ": must be between " + min + " and " + max);
        return d;
    }

    static ApiException invalid(String message) {
        return new ApiException(400, "INVALID_ARGUMENT", null, null, message);
    }
}
