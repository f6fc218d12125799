package dev.llmlab.api.openai;

import dev.llmlab.api.client.ClientApi;
import dev.llmlab.api.client.ClientCodec;

/**
 * The OpenAI APIs on the client side; get them through {@link ClientApi#codec()}. The codecs are
 * package-private; each is stateless and made once.
 */
public final class OpenAiClients {
    private static final ClientCodec CHAT = new ChatClient(true);
    private static final ClientCodec COMPLETIONS = new ChatClient(false);
    private static final ClientCodec EMBEDDINGS = new EmbeddingsClient();
    private static final ClientCodec RESPONSES = new ResponsesClient();

    private OpenAiClients() {}

    public static ClientCodec chat() {
        return CHAT;
    }

    public static ClientCodec completions() {
        return COMPLETIONS;
    }

    public static ClientCodec embeddings() {
        return EMBEDDINGS;
    }

    public static ClientCodec responses() {
        return RESPONSES;
    }
}
