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
     * @param apiKey the key, or null to send none
     * @throws IllegalArgumentException when the request asks for what this API cannot carry and
     *     dropping it would change the answer (several choices on Anthropic or the Responses API,
     *     token-id prompts on a chat API, tool-call arguments that are not a JSON object where the
     *     API needs one)
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
