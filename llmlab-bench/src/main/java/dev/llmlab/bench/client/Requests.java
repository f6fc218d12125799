package dev.llmlab.bench.client;

import dev.llmlab.api.EmbeddingRequest;
import dev.llmlab.api.GenerationRequest;
import dev.llmlab.api.Message;
import dev.llmlab.api.Prompt;
import dev.llmlab.api.client.ClientApi;
import dev.llmlab.api.client.ClientRequest;
import java.util.List;

/**
 * A benchmark's requests in the internal model, written by the API's client codec
 * ({@link ClientApi#codec()}): the one place bench turns a prompt into a wire request. Chat APIs
 * get the conversation (Anthropic's and Gemini's codecs move a system message where their API
 * wants it); legacy completions and embeddings get its text. Stateless.
 */
public final class Requests {
    private Requests() {}

    /** A one-turn conversation: {@code prompt} as the user's message. */
    public static List<Message> user(String prompt) {
        return List.of(new Message("user", prompt, null, null, null));
    }

    /**
     * The internal request for a prompt: {@code messages} for the chat APIs, {@code text} for
     * legacy completions (embeddings: see {@link #of}).
     */
    public static GenerationRequest generation(
            ClientApi api, String model, List<Message> messages, String text, int maxTokens, boolean stream) {
        return api == ClientApi.OPENAI_COMPLETIONS
                ? GenerationRequest.plain(
                        GenerationRequest.Endpoint.COMPLETION,
                        model,
                        List.of(),
                        List.of(Prompt.ofText(text)),
                        maxTokens,
                        stream)
                : GenerationRequest.plain(
                        GenerationRequest.Endpoint.CHAT,
                        model,
                        messages,
                        List.of(),
                        maxTokens,
                        stream && api.streams());
    }

    /**
     * The wire request: path under the base URL, headers (the key where the API wants it) and body.
     *
     * @param apiKey null for none
     * @throws IllegalArgumentException when the API cannot carry the request (the codec says why)
     */
    public static ClientRequest of(
            ClientApi api,
            String model,
            List<Message> messages,
            String text,
            int maxTokens,
            boolean stream,
            String apiKey) {
        if (!api.generates()) {
            return api.codec()
                    .request(new EmbeddingRequest(model, List.of(Prompt.ofText(text)), -1, false, null), apiKey);
        }
        return api.codec().request(generation(api, model, messages, text, maxTokens, stream), apiKey);
    }

    /** The body of {@link #of} without a key: what a workload prepares before a run. */
    public static byte[] body(
            ClientApi api, String model, List<Message> messages, String text, int maxTokens, boolean stream) {
        return of(api, model, messages, text, maxTokens, stream, null).body();
    }

    private static final tools.jackson.databind.json.JsonMapper JSON =
            tools.jackson.databind.json.JsonMapper.builder().build();

    /**
     * {@code body} with {@code extra}'s fields laid over its top level ({@code --extra-body}, such as
     * vLLM's {@code {"ignore_eos": true}}): a field of both takes {@code extra}'s value. Run once per
     * prepared request, before the run, never on the hot path.
     *
     * @param extra a JSON object, or null for none
     */
    public static byte[] withExtra(byte[] body, tools.jackson.databind.node.ObjectNode extra) {
        if (extra == null || extra.isEmpty()) return body;
        var tree = (tools.jackson.databind.node.ObjectNode) JSON.readTree(body);
        tree.setAll(extra);
        return JSON.writeValueAsBytes(tree);
    }
}
