package dev.llmlab.api.relay;

import dev.llmlab.api.ApiException;
import dev.llmlab.api.GenerationRequest;
import dev.llmlab.api.ResponseFormat;
import dev.llmlab.api.anthropic.AnthropicRequests;
import dev.llmlab.api.client.ClientApi;
import dev.llmlab.api.client.ClientRequest;
import dev.llmlab.api.gemini.GeminiRequests;
import dev.llmlab.api.openai.OpenAiRequests;
import dev.llmlab.api.openai.ResponsesRequests;
import tools.jackson.databind.JsonNode;

/**
 * Translation between LLM APIs for a gateway whose client speaks one API (OpenAI chat,
 * completions or Responses, Anthropic Messages, Gemini) and whose provider speaks another. No I/O.
 *
 * <h2>The model</h2>
 * Requests and answers go through the internal model ({@link GenerationRequest} in, the {@link
 * dev.llmlab.api.client.ClientListener} calls out) rather than pairwise between wire formats:
 * the client's body is read by the simulator's parser for its API, checked field by field against
 * that API's table ({@link FieldTable}: carried, left out because the answer means the same, or
 * refused), and written for the provider by the load generator's codec. The provider's answer is
 * decoded by the same codec and written for the client by a writer per ingress API, event by
 * event. The three questions a translation must answer for every field (does it carry, may it be
 * left out, must it be refused) are answered once per API, not once per pair.
 *
 * <h2>Use</h2>
 * <pre>{@code
 * Translation t = Relay.request(Ingress.of(OPENAI_CHAT), body, 0, n, ANTHROPIC_MESSAGES, "claude-haiku-4-5", key);
 * send t.request() ...
 * status >= 400:  RelayError e = t.error(status, errorBody, 0, len)
 * streamed:       AnswerRelay a = t.answer(); per provider SSE event: if (a.event(data, 0, len, out)) done;
 *                 body ended: a.end(out); gave up: a.fail(message, out); then a.usage() for accounting
 * whole:          int status = t.answer().whole(body, 0, len, out)
 * }</pre>
 * A refused or malformed request throws {@link ApiException}; {@link #error(Ingress, ApiException)}
 * renders it in the client's API's shape.
 */
public final class Relay {
    private Relay() {}

    /**
     * Reads and checks a client's request as its API does (the simulator's validation), once,
     * for a gateway that may then pass it through as it came or translate it ({@link
     * #request(Parsed, ClientApi, String, String)}).
     *
     * @param ingress the client's API (Gemini with its path's model and stream flags); a generation API
     * @throws ApiException 400 in the client's API's style for a body its API refuses
     */
    public static Parsed parse(Ingress ingress, byte[] body, int offset, int length) {
        ClientApi api = ingress.api();
        JsonNode root = switch (api) {
            case ANTHROPIC_MESSAGES -> AnthropicRequests.readBody(body, offset, length);
            case GEMINI -> GeminiRequests.readBody(body, offset, length);
            default -> OpenAiRequests.readBody(body, offset, length);
        };
        GenerationRequest in = switch (api) {
            case OPENAI_CHAT -> OpenAiRequests.parseChat(root);
            case OPENAI_COMPLETIONS -> OpenAiRequests.parseCompletion(root);
            case OPENAI_RESPONSES -> ResponsesRequests.parse(root);
            case ANTHROPIC_MESSAGES -> AnthropicRequests.parseMessages(root);
            case GEMINI -> GeminiRequests.parseGenerate(root, ingress.model(), ingress.stream());
            default -> throw new IllegalArgumentException(api.flag() + " is not a generation API");
        };
        return new Parsed(ingress, root, in);
    }

    /**
     * Translates a client's request for a provider.
     *
     * @param ingress       the client's API (Gemini with its path's model and stream flags)
     * @param providerApi   the provider's API; a generation API
     * @param providerModel the provider's name for the model (the route's); the answer names the client's
     * @param apiKey        the provider key, or null to send none
     * @throws ApiException 400 in the client's API's style: a body its API refuses (the
     *     simulator's validation), or a field the provider's API cannot carry, named
     */
    public static Translation request(
            Ingress ingress,
            byte[] body,
            int offset,
            int length,
            ClientApi providerApi,
            String providerModel,
            String apiKey) {
        return request(parse(ingress, body, offset, length), providerApi, providerModel, apiKey);
    }

    /**
     * Translates a request {@link #parse}d before for a provider.
     *
     * @throws ApiException 400 in the client's API's style naming a field the provider's API cannot carry
     */
    public static Translation request(Parsed parsed, ClientApi providerApi, String providerModel, String apiKey) {
        if (!providerApi.generates()) throw new IllegalArgumentException(providerApi.flag() + " does not generate");
        Ingress ingress = parsed.ingress();
        ClientApi api = ingress.api();
        JsonNode root = parsed.root();
        GenerationRequest in = parsed.request();
        FieldTable.check(api, root, providerApi);
        refuseWhatTheProviderLacks(api, in, providerApi);
        GenerationRequest out = forProvider(in, providerModel);
        ClientRequest request;
        try {
            request = providerApi.codec().request(out, apiKey);
        } catch (IllegalArgumentException e) {
            // what the provider's codec refuses and the checks above did not name: say so as it says it
            throw FieldTable.refusal(api, null, providerApi, "cannot carry this request: " + e.getMessage());
        }
        String instructions =
                api == ClientApi.OPENAI_RESPONSES && root.path("instructions").isString()
                        ? root.get("instructions").stringValue()
                        : null;
        return new Translation(ingress, in, providerApi, out, request, instructions);
    }

    /** A refused or malformed request ({@link #request}'s exception) as the client's API's error answer. */
    public static RelayError error(Ingress ingress, ApiException e) {
        return Errors.refusal(ingress.api(), e);
    }

    /**
     * The client's request with the provider's model name, asking for usage in a stream whatever
     * the client asked (the gateway accounts it; the client's writer sends it only if asked).
     */
    static GenerationRequest forProvider(GenerationRequest r, String model) {
        return new GenerationRequest(
                r.endpoint(),
                model,
                r.messages(),
                r.prompts(),
                r.maxTokens(),
                r.n(),
                r.stop(),
                r.seed(),
                r.temperature(),
                r.topP(),
                r.stream(),
                r.stream(),
                r.tools(),
                r.toolChoice(),
                r.parallelToolCalls(),
                r.responseFormat(),
                r.logprobs(),
                r.topLogprobs(),
                r.echo(),
                r.user(),
                r.ignoreEos(),
                r.minTokens());
    }

    /**
     * What the provider's codec would refuse, refused first with the field named as the client's
     * API names it ({@code n}, {@code generationConfig.candidateCount}, ...).
     */
    private static void refuseWhatTheProviderLacks(ClientApi api, GenerationRequest r, ClientApi p) {
        boolean anthropic = p == ClientApi.ANTHROPIC_MESSAGES;
        boolean responses = p == ClientApi.OPENAI_RESPONSES;
        boolean completions = p == ClientApi.OPENAI_COMPLETIONS;
        if (r.n() > 1 && (anthropic || responses))
            throw FieldTable.refusal(api, param(api, "n"), p, "it answers with one choice per request");
        if (!r.stop().isEmpty() && responses)
            throw FieldTable.refusal(api, param(api, "stop"), p, "it has no stop sequences");
        if (r.responseFormat().kind() != ResponseFormat.Kind.TEXT && (anthropic || completions))
            throw FieldTable.refusal(api, param(api, "format"), p, "it has no JSON mode");
        if (r.temperature() > 1 && anthropic)
            throw FieldTable.refusal(api, param(api, "temperature"), p, "its temperature runs from 0 to 1");
        if (completions && !r.tools().isEmpty())
            throw FieldTable.refusal(api, param(api, "tools"), p, "it has no tools");
        if (completions
                && r.messages().stream()
                        .anyMatch(m -> !m.toolCalls().isEmpty() || m.role().equals("tool")))
            throw FieldTable.refusal(api, param(api, "messages"), p, "it has no tool calls in its prompt");
        if (r.echo() && !completions)
            throw FieldTable.refusal(api, "echo", p, "it cannot begin its answer with the prompt");
        if (!completions
                && r.messages().isEmpty()
                && (r.prompts().size() != 1 || r.prompts().getFirst().isTokens()))
            throw FieldTable.refusal(api, "prompt", p, "it takes one text prompt as the user's message");
    }

    /** The client API's name for a field. */
    private static String param(ClientApi api, String field) {
        return switch (api) {
            case GEMINI ->
                switch (field) {
                    case "n" -> "generationConfig.candidateCount";
                    case "stop" -> "generationConfig.stopSequences";
                    case "format" -> "generationConfig.responseMimeType";
                    case "temperature" -> "generationConfig.temperature";
                    case "messages" -> "contents";
                    default -> field;
                };
            case ANTHROPIC_MESSAGES ->
                switch (field) {
                    case "stop" -> "stop_sequences";
                    default -> field;
                };
            case OPENAI_RESPONSES ->
                switch (field) {
                    case "format" -> "text.format";
                    case "messages" -> "input";
                    default -> field;
                };
            default ->
                switch (field) {
                    case "format" -> "response_format";
                    default -> field;
                };
        };
    }
}
