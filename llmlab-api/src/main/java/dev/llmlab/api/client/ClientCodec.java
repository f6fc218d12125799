package dev.llmlab.api.client;

import dev.llmlab.api.EmbeddingRequest;
import dev.llmlab.api.GenerationRequest;

/**
 * One API on the client side: requests encoded from the internal model, answers and errors
 * decoded into it. Implementations are stateless and thread-safe; a {@link StreamDecoder} is per
 * stream. Get one from {@link ClientApi#codec()}.
 *
 * <p>A generation codec refuses embeddings and the embeddings codec refuses generations, with an
 * {@link UnsupportedOperationException}: see {@link ClientApi#generates()}.
 */
public interface ClientCodec {
    ClientApi api();

    /**
     * The request for a generation. {@code request.endpoint()} is ignored: the request is written
     * for this API, whatever API it was parsed from.
     *
     * <p>What an API cannot carry is refused when leaving it out would change the answer, so that a
     * caller (a gateway choosing a provider) learns it before anything is sent; the exception's
     * message names the API and the field ({@code "anthropic-messages has no n: ..."}). Refused:
     *
     * <ul>
     *   <li>several choices ({@code n > 1}) on Anthropic and the Responses API;
     *   <li>stop sequences on the Responses API;
     *   <li>a JSON response format on Anthropic and legacy completions;
     *   <li>tools, or tool calls in the conversation, on legacy completions;
     *   <li>{@code echo} on any API but legacy completions;
     *   <li>several prompts or token-id prompts on an API that takes messages;
     *   <li>tool-call arguments that are not a JSON object where the API needs one (Anthropic,
     *       Gemini); a temperature above 1 on Anthropic.
     * </ul>
     *
     * <p>Left out without a word, because the answer means the same without them or (the last)
     * because refusing it would turn away the many callers that set it: the seed where
     * the API has none (Anthropic, Responses; a best-effort hint wherever it exists); logprobs where
     * the API has none (Anthropic, Responses; no decoder reports them); {@code top_p} beside a
     * temperature on Anthropic (whose recent models refuse both; the temperature is sent); the end
     * user's id where the API has no field for it (Gemini); {@code include_usage} where usage always
     * comes; {@code parallel_tool_calls: false} on Gemini, which has no such limit (its answer may
     * hold several calls).
     *
     * @param apiKey the key, or null to send none
     * @throws IllegalArgumentException naming the API and the field, for a request this API cannot
     *     carry without changing the answer (the list above)
     */
    ClientRequest request(GenerationRequest request, String apiKey);

    /** The request for embeddings (OpenAI embeddings only). */
    default ClientRequest request(EmbeddingRequest request, String apiKey) {
        throw new UnsupportedOperationException(api().flag() + " does not make embeddings");
    }

    /**
     * Decodes a whole (non-streamed) answer into {@code listener}, ending with {@link
     * ClientListener#end()}.
     *
     * @throws MalformedAnswerException when the body is not the API's answer
     */
    void decode(byte[] body, int offset, int length, ClientListener listener);

    /**
     * A decoder for the stream that answers {@code request} (Gemini's stream has no terminator:
     * it ends when each of the request's candidates has finished, so the decoder needs their count).
     */
    StreamDecoder streamDecoder(GenerationRequest request, ClientListener listener);

    /**
     * A decoder as {@link #streamDecoder(GenerationRequest, ClientListener)}, {@code lean} or not: a
     * lean one holds no parser state between events (a few KB less per stream, for a gateway
     * holding thousands; a little more allocated per event, which a load generator would rather
     * not). The calls it makes are the same.
     */
    default StreamDecoder streamDecoder(GenerationRequest request, ClientListener listener, boolean lean) {
        return streamDecoder(request, listener);
    }

    /**
     * An error body (HTTP status >= 400): the API's error type, message and, for rate limits, what
     * the body says about retrying. A body that is not the API's error JSON (a proxy's HTML page)
     * gives its first line as the message; never throws.
     */
    ProviderError error(int status, byte[] body, int offset, int length);

    /**
     * An embeddings answer: vector count, dimensions, prompt tokens.
     *
     * @throws MalformedAnswerException when the body is not an embeddings answer
     */
    default EmbeddingsAnswer embeddings(byte[] body, int offset, int length) {
        throw new UnsupportedOperationException(api().flag() + " does not make embeddings");
    }
}
