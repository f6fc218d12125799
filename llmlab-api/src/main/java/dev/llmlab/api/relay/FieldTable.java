package dev.llmlab.api.relay;

import dev.llmlab.api.ApiException;
import dev.llmlab.api.client.ClientApi;
import java.util.Iterator;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * What the translation does with each field of an ingress body, checked before anything is sent.
 *
 * <p>The server parsers read what the internal model carries and tolerate the rest (an SDK sends
 * new parameters long before a simulator learns them). A gateway cannot be as lenient: a field
 * the internal model does not carry would vanish between the client's API and the provider's. So
 * every top-level field, every content part and every tool of an ingress body falls in one of
 * three classes:
 *
 * <ul>
 *   <li><b>carried</b>: the internal model holds it and the provider's codec writes it (or refuses
 *       it, naming the field: {@link dev.llmlab.api.client.ClientCodec#request});
 *   <li><b>left out</b>: the answer means the same without it. Bookkeeping for the client's own
 *       provider ({@code store: false}, {@code metadata}, {@code prompt_cache_key}, {@code
 *       service_tier}, Anthropic's {@code cache_control}, Gemini's {@code labels}); sampling
 *       hints at their default value ({@code presence_penalty: 0}, {@code logit_bias: {}}); the
 *       seed where the provider has none (a best-effort hint on every API); the model's earlier
 *       thinking in the conversation (Anthropic thinking blocks, Gemini thought parts and
 *       signatures, Responses reasoning items), which only the provider that wrote it can read;
 *       Gemini's {@code safetySettings} (the provider's own filters apply) and a thinking budget
 *       that does not ask for the thoughts;
 *   <li><b>refused</b>: a 400 in the ingress API's shape naming the field and the provider's API.
 *       Sampling controls the model lacks ({@code logit_bias}, penalties, {@code top_k}),
 *       logprobs (no decoder reports them), images, audio, files and documents (the internal
 *       model keeps text), provider-hosted tools (web search, code execution), reasoning
 *       controls, stored state ({@code store: true}, {@code background}, {@code cachedContent}),
 *       and any field this table does not know: it is refused, never dropped.
 * </ul>
 *
 * <p>The per-API tables are the {@code *_FIELDS} maps below; docs/gateway.md ("Translation
 * between APIs") has the same lists in prose. Sources: the request references of OpenAI ("Chat
 * Completions", "Completions", "Responses"), Anthropic ("Messages") and Google ("Generating
 * content", {@code GenerationConfig}, {@code Tool}).
 */
final class FieldTable {
    private FieldTable() {}

    /** A field's rule: null when the value may be translated, else why it may not. */
    @FunctionalInterface
    interface Rule {
        String check(JsonNode value, ClientApi target);
    }

    private static final Rule CARRIED = (v, t) -> null;
    private static final Rule LEFT_OUT = (v, t) -> null;

    private static Rule refused(String why) {
        return (v, t) -> v == null || v.isNull() ? null : why;
    }

    /** Refused unless the value is its API's default, which means the same as leaving it out. */
    private static Rule refusedUnlessDefault(String why) {
        return (v, t) -> isDefault(v) ? null : why;
    }

    private static boolean isDefault(JsonNode v) {
        if (v == null || v.isNull()) return true;
        if (v.isBoolean()) return !v.booleanValue();
        if (v.isNumber()) return v.doubleValue() == 0;
        if (v.isContainer()) return v.isEmpty();
        return false;
    }

    private static final String SAMPLING = "has no such sampling control in the gateway's translation";
    private static final String LOGPROBS = "the translated answer cannot carry log probabilities";
    private static final String STATE = "the gateway keeps no state between requests";
    private static final String REASONING = "reasoning controls differ between APIs and are not translated";
    private static final String VLLM = "vLLM's length controls exist only on OpenAI-compatible servers";

    static final Map<String, Rule> CHAT_FIELDS = Map.ofEntries(
            Map.entry("model", CARRIED),
            Map.entry("messages", CARRIED),
            Map.entry("max_tokens", CARRIED),
            Map.entry("max_completion_tokens", CARRIED),
            Map.entry("n", CARRIED),
            Map.entry("stop", CARRIED),
            Map.entry("seed", CARRIED),
            Map.entry("temperature", CARRIED),
            Map.entry("top_p", CARRIED),
            Map.entry("stream", CARRIED),
            Map.entry("stream_options", CARRIED),
            Map.entry("tools", CARRIED),
            Map.entry("tool_choice", CARRIED),
            Map.entry("parallel_tool_calls", CARRIED),
            Map.entry("response_format", CARRIED),
            Map.entry("user", CARRIED),
            Map.entry("logprobs", refusedUnlessDefault(LOGPROBS)),
            Map.entry("top_logprobs", refusedUnlessDefault(LOGPROBS)),
            Map.entry("store", refusedUnlessDefault(STATE)),
            Map.entry("metadata", LEFT_OUT),
            Map.entry("service_tier", LEFT_OUT),
            Map.entry("prompt_cache_key", LEFT_OUT),
            Map.entry("prompt_cache_retention", LEFT_OUT),
            Map.entry("safety_identifier", LEFT_OUT),
            Map.entry("presence_penalty", refusedUnlessDefault(SAMPLING)),
            Map.entry("frequency_penalty", refusedUnlessDefault(SAMPLING)),
            Map.entry("logit_bias", refusedUnlessDefault(SAMPLING)),
            Map.entry("ignore_eos", refusedUnlessDefault(VLLM)),
            Map.entry("min_tokens", refusedUnlessDefault(VLLM)),
            Map.entry("reasoning_effort", refused(REASONING)),
            Map.entry("verbosity", refused("has no verbosity control")),
            Map.entry("modalities", (v, t) -> textOnly(v) ? null : "answers in text only"),
            Map.entry("audio", refused("answers in text only")),
            Map.entry("prediction", refused("has no predicted outputs")),
            Map.entry("web_search_options", refused("has no hosted web search in the gateway's translation")),
            Map.entry("functions", refusedUnlessDefault("takes tools, not the deprecated functions")),
            Map.entry("function_call", refused("takes tool_choice, not the deprecated function_call")));

    static final Map<String, Rule> COMPLETION_FIELDS = Map.ofEntries(
            Map.entry("model", CARRIED),
            Map.entry("prompt", CARRIED),
            Map.entry("max_tokens", CARRIED),
            Map.entry("n", CARRIED),
            Map.entry("stop", CARRIED),
            Map.entry("seed", CARRIED),
            Map.entry("temperature", CARRIED),
            Map.entry("top_p", CARRIED),
            Map.entry("stream", CARRIED),
            Map.entry("stream_options", CARRIED),
            Map.entry("echo", CARRIED),
            Map.entry("user", CARRIED),
            Map.entry("best_of", (v, t) -> v == null || v.isNull() || v.asInt(1) <= 1 ? null : "has no best_of"),
            Map.entry("suffix", refused("has no suffix (insertion)")),
            Map.entry("logprobs", (v, t) -> v == null || v.isNull() ? null : LOGPROBS),
            Map.entry("presence_penalty", refusedUnlessDefault(SAMPLING)),
            Map.entry("frequency_penalty", refusedUnlessDefault(SAMPLING)),
            Map.entry("logit_bias", refusedUnlessDefault(SAMPLING)),
            Map.entry("ignore_eos", refusedUnlessDefault(VLLM)),
            Map.entry("min_tokens", refusedUnlessDefault(VLLM)));

    static final Map<String, Rule> RESPONSES_FIELDS = Map.ofEntries(
            Map.entry("model", CARRIED),
            Map.entry("input", CARRIED),
            Map.entry("instructions", CARRIED),
            Map.entry("max_output_tokens", CARRIED),
            Map.entry("temperature", CARRIED),
            Map.entry("top_p", CARRIED),
            Map.entry("stream", CARRIED),
            Map.entry("tools", CARRIED),
            Map.entry("tool_choice", CARRIED),
            Map.entry("parallel_tool_calls", CARRIED),
            Map.entry("text", CARRIED),
            Map.entry("user", CARRIED),
            Map.entry("store", refusedUnlessDefault(STATE)),
            Map.entry("metadata", LEFT_OUT),
            Map.entry("service_tier", LEFT_OUT),
            Map.entry("prompt_cache_key", LEFT_OUT),
            Map.entry("prompt_cache_retention", LEFT_OUT),
            Map.entry("safety_identifier", LEFT_OUT),
            Map.entry("stream_options", LEFT_OUT),
            Map.entry(
                    "truncation",
                    (v, t) -> v == null || v.isNull() || "disabled".equals(v.asString(""))
                            ? null
                            : "cannot truncate the conversation for you"),
            Map.entry("previous_response_id", refused(STATE)),
            Map.entry("conversation", refused(STATE)),
            Map.entry("background", refusedUnlessDefault(STATE)),
            Map.entry("prompt", refused("has no stored prompts")),
            Map.entry("include", refusedUnlessDefault("has none of the extra output the include list asks for")),
            Map.entry("reasoning", (v, t) -> v == null || v.isNull() || allNull(v) ? null : REASONING),
            Map.entry("top_logprobs", refusedUnlessDefault(LOGPROBS)),
            Map.entry("max_tool_calls", refused("has no cap on tool calls")));

    static final Map<String, Rule> MESSAGES_FIELDS = Map.ofEntries(
            Map.entry("model", CARRIED),
            Map.entry("max_tokens", CARRIED),
            Map.entry("messages", CARRIED),
            Map.entry("system", CARRIED),
            Map.entry("stop_sequences", CARRIED),
            Map.entry("temperature", CARRIED),
            Map.entry("top_p", CARRIED),
            Map.entry("stream", CARRIED),
            Map.entry("tools", CARRIED),
            Map.entry("tool_choice", CARRIED),
            Map.entry("metadata", CARRIED),
            Map.entry("service_tier", LEFT_OUT),
            Map.entry("top_k", refused(SAMPLING)),
            Map.entry(
                    "thinking",
                    (v, t) -> v == null
                                    || v.isNull()
                                    || "disabled".equals(v.path("type").asString(""))
                            ? null
                            : REASONING),
            Map.entry("container", refused("has no code-execution containers")),
            Map.entry("mcp_servers", refused("has no hosted MCP servers")),
            Map.entry("context_management", refused("has no context management")));

    static final Map<String, Rule> GEMINI_FIELDS = Map.ofEntries(
            Map.entry("contents", CARRIED),
            Map.entry("systemInstruction", CARRIED),
            Map.entry("system_instruction", CARRIED),
            Map.entry("generationConfig", CARRIED),
            Map.entry("generation_config", CARRIED),
            Map.entry("tools", CARRIED),
            Map.entry("toolConfig", CARRIED),
            Map.entry("tool_config", CARRIED),
            Map.entry("model", LEFT_OUT), // the path names the model; some SDKs repeat it
            Map.entry("safetySettings", LEFT_OUT),
            Map.entry("safety_settings", LEFT_OUT),
            Map.entry("labels", LEFT_OUT),
            Map.entry("cachedContent", refused(STATE)),
            Map.entry("cached_content", refused(STATE)));

    /** The fields of {@code generationConfig}, in camel case (snake case is mapped before the look-up). */
    static final Map<String, Rule> GEMINI_CONFIG_FIELDS = Map.ofEntries(
            Map.entry("maxOutputTokens", CARRIED),
            Map.entry("candidateCount", CARRIED),
            Map.entry("temperature", CARRIED),
            Map.entry("topP", CARRIED),
            Map.entry("stopSequences", CARRIED),
            Map.entry("responseMimeType", CARRIED),
            Map.entry("responseSchema", CARRIED),
            Map.entry("responseJsonSchema", CARRIED),
            Map.entry("seed", CARRIED),
            Map.entry("topK", refused(SAMPLING)),
            Map.entry("presencePenalty", refusedUnlessDefault(SAMPLING)),
            Map.entry("frequencyPenalty", refusedUnlessDefault(SAMPLING)),
            Map.entry("responseLogprobs", refusedUnlessDefault(LOGPROBS)),
            Map.entry("logprobs", refusedUnlessDefault(LOGPROBS)),
            Map.entry(
                    "thinkingConfig",
                    (v, t) -> v != null && v.path("includeThoughts").asBoolean(false)
                                    || v != null && v.path("include_thoughts").asBoolean(false)
                            ? REASONING
                            : null),
            Map.entry("responseModalities", (v, t) -> textOnly(v) ? null : "answers in text only"),
            Map.entry("mediaResolution", LEFT_OUT), // media are refused where they appear
            Map.entry("speechConfig", refused("answers in text only")),
            Map.entry("enableEnhancedCivicAnswers", refusedUnlessDefault("has no such option")));

    private static boolean textOnly(JsonNode v) {
        if (v == null || v.isNull()) return true;
        if (!v.isArray()) return false;
        for (JsonNode m : v) if (!m.asString("").equalsIgnoreCase("text")) return false;
        return true;
    }

    private static boolean allNull(JsonNode v) {
        if (!v.isObject()) return false;
        for (JsonNode x : v.values()) if (!x.isNull()) return false;
        return true;
    }

    // ------------------------------------------------------------------ checks

    /**
     * Checks an ingress body against its API's table and its content against what the internal
     * model keeps.
     *
     * @throws ApiException 400 in the ingress API's style, naming the first field refused
     */
    static void check(ClientApi ingress, JsonNode root, ClientApi target) {
        switch (ingress) {
            case OPENAI_CHAT -> {
                fields(ingress, root, CHAT_FIELDS, "", target);
                chatMessages(root.get("messages"), target);
            }
            case OPENAI_COMPLETIONS -> fields(ingress, root, COMPLETION_FIELDS, "", target);
            case OPENAI_RESPONSES -> {
                fields(ingress, root, RESPONSES_FIELDS, "", target);
                responsesInput(root, target);
            }
            case ANTHROPIC_MESSAGES -> {
                fields(ingress, root, MESSAGES_FIELDS, "", target);
                anthropicContent(root, target);
            }
            case GEMINI -> {
                fields(ingress, root, GEMINI_FIELDS, "", target);
                JsonNode cfg = either(root, "generationConfig", "generation_config");
                if (cfg != null && cfg.isObject()) {
                    fields(ingress, cfg, GEMINI_CONFIG_FIELDS, "generationConfig.", target);
                }
                geminiContent(root, target);
            }
            default -> throw new IllegalArgumentException(ingress.flag() + " is not a generation ingress");
        }
    }

    private static void fields(ClientApi ingress, JsonNode obj, Map<String, Rule> table, String prefix, ClientApi t) {
        for (Iterator<Map.Entry<String, JsonNode>> it = obj.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = ingress == ClientApi.GEMINI ? camel(e.getKey()) : e.getKey();
            Rule rule = table.get(name);
            if (rule == null) rule = table.get(e.getKey());
            String why = rule == null ? "this field is not one the gateway can translate" : rule.check(e.getValue(), t);
            if (why != null) throw refusal(ingress, prefix + e.getKey(), t, why);
        }
    }

    /** Gemini's protobuf JSON takes both spellings: {@code max_output_tokens} is {@code maxOutputTokens}. */
    private static String camel(String snake) {
        if (snake.indexOf('_') < 0) return snake;
        StringBuilder b = new StringBuilder(snake.length());
        boolean up = false;
        for (int i = 0; i < snake.length(); i++) {
            char c = snake.charAt(i);
            if (c == '_') up = true;
            else {
                b.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return b.toString();
    }

    private static final String MEDIA = "the translation carries text only, and this part is not text";

    private static void chatMessages(JsonNode messages, ClientApi t) {
        if (messages == null || !messages.isArray()) return; // the parser words that error
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            if (!m.isObject()) continue;
            String at = "messages[" + i + "]";
            if ("function".equals(m.path("role").asString("")))
                throw refusal(ClientApi.OPENAI_CHAT, at + ".role", t, "takes tool messages, not function messages");
            for (String f : new String[] {"function_call", "audio", "refusal"}) {
                JsonNode v = m.get(f);
                if (v != null && !v.isNull())
                    throw refusal(ClientApi.OPENAI_CHAT, at + "." + f, t, "has no " + f + " in a message");
            }
            JsonNode content = m.get("content");
            if (content == null || !content.isArray()) continue;
            for (int k = 0; k < content.size(); k++) {
                String type = content.get(k).path("type").asString("");
                if (!type.equals("text"))
                    throw refusal(ClientApi.OPENAI_CHAT, at + ".content[" + k + "]", t, MEDIA + " ('" + type + "')");
            }
        }
    }

    private static void responsesInput(JsonNode root, ClientApi t) {
        JsonNode tools = root.get("tools");
        if (tools != null && tools.isArray()) {
            for (int i = 0; i < tools.size(); i++) {
                String type = tools.get(i).path("type").asString("");
                if (!type.equals("function"))
                    throw refusal(
                            ClientApi.OPENAI_RESPONSES,
                            "tools[" + i + "]",
                            t,
                            "has no hosted tool '" + type + "' in the gateway's translation");
            }
        }
        JsonNode input = root.get("input");
        if (input == null || !input.isArray()) return;
        for (int i = 0; i < input.size(); i++) {
            JsonNode item = input.get(i);
            JsonNode content = item.get("content");
            if (content == null || !content.isArray()) continue;
            for (int k = 0; k < content.size(); k++) {
                String type = content.get(k).path("type").asString("");
                if (!type.equals("input_text") && !type.equals("output_text"))
                    throw refusal(
                            ClientApi.OPENAI_RESPONSES,
                            "input[" + i + "].content[" + k + "]",
                            t,
                            MEDIA + " ('" + type + "')");
            }
        }
    }

    private static void anthropicContent(JsonNode root, ClientApi t) {
        ClientApi a = ClientApi.ANTHROPIC_MESSAGES;
        JsonNode tools = root.get("tools");
        if (tools != null && tools.isArray()) {
            for (int i = 0; i < tools.size(); i++) {
                String type = tools.get(i).path("type").asString("custom");
                if (!type.equals("custom"))
                    throw refusal(a, "tools." + i, t, "has no server tool '" + type + "' in the gateway's translation");
            }
        }
        JsonNode messages = root.get("messages");
        if (messages == null || !messages.isArray()) return;
        for (int i = 0; i < messages.size(); i++) {
            JsonNode content = messages.get(i).get("content");
            if (content == null || !content.isArray()) continue;
            for (int k = 0; k < content.size(); k++) {
                JsonNode block = content.get(k);
                String at = "messages." + i + ".content." + k;
                String type = block.path("type").asString("");
                switch (type) {
                    case "text", "tool_use", "thinking", "redacted_thinking" -> {}
                    case "tool_result" -> {
                        if (block.path("is_error").asBoolean(false))
                            throw refusal(a, at + ".is_error", t, "cannot mark a tool result as an error");
                        JsonNode c = block.get("content");
                        if (c != null && c.isArray()) {
                            for (int j = 0; j < c.size(); j++) {
                                String pt = c.get(j).path("type").asString("");
                                if (!pt.equals("text"))
                                    throw refusal(a, at + ".content." + j, t, MEDIA + " ('" + pt + "')");
                            }
                        }
                    }
                    default -> throw refusal(a, at, t, MEDIA + " ('" + type + "')");
                }
            }
        }
    }

    private static void geminiContent(JsonNode root, ClientApi t) {
        ClientApi g = ClientApi.GEMINI;
        JsonNode tools = root.get("tools");
        if (tools != null && tools.isArray()) {
            for (int i = 0; i < tools.size(); i++) {
                for (String key : tools.get(i).propertyNames()) {
                    if (!camel(key).equals("functionDeclarations"))
                        throw refusal(
                                g, "tools[" + i + "]." + key, t, "has no hosted tool '" + key + "' in the translation");
                }
            }
        }
        JsonNode toolConfig = either(root, "toolConfig", "tool_config");
        if (toolConfig != null && toolConfig.isObject()) {
            for (String key : toolConfig.propertyNames()) {
                if (!camel(key).equals("functionCallingConfig"))
                    throw refusal(g, "toolConfig." + key, t, "has no such tool configuration");
            }
        }
        JsonNode contents = root.get("contents");
        if (contents == null || !contents.isArray()) return;
        for (int i = 0; i < contents.size(); i++) {
            JsonNode parts = contents.get(i).get("parts");
            if (parts == null || !parts.isArray()) continue;
            for (int k = 0; k < parts.size(); k++) {
                JsonNode p = parts.get(k);
                for (String key : p.propertyNames()) {
                    switch (camel(key)) {
                        case "text", "functionCall", "functionResponse", "thought", "thoughtSignature" -> {}
                        default ->
                            throw refusal(
                                    g, "contents[" + i + "].parts[" + k + "]." + key, t, MEDIA + " ('" + key + "')");
                    }
                }
            }
        }
    }

    static JsonNode either(JsonNode obj, String camel, String snake) {
        JsonNode v = obj.get(camel);
        if (v == null || v.isNull()) v = obj.get(snake);
        return v == null || v.isNull() ? null : v;
    }

    /** A 400 in the ingress API's style naming {@code param}: the provider's API cannot carry it. */
    static ApiException refusal(ClientApi ingress, String param, ClientApi target, String why) {
        String message = "the gateway sends this request to a provider on the " + target.flag() + " API, and " + why;
        return switch (ingress) {
            case ANTHROPIC_MESSAGES ->
                new ApiException(
                        400, "invalid_request_error", param, null, param + ": cannot be translated: " + message);
            case GEMINI ->
                new ApiException(400, "INVALID_ARGUMENT", param, null, param + ": cannot be translated: " + message);
            default ->
                ApiException.invalid(
                        param,
                        "unsupported_parameter",
                        "Unsupported parameter: '" + param + "' cannot be translated: " + message + ".");
        };
    }
}
