package dev.llmlab.api.gemini;

import dev.llmlab.api.client.ClientApi;
import dev.llmlab.api.client.ClientCodec;

/** The Gemini API on the client side; get it through {@link ClientApi#codec()}. */
public final class GeminiClients {
    private static final ClientCodec GENERATE = new GeminiClient();

    private GeminiClients() {}

    public static ClientCodec generate() {
        return GENERATE;
    }
}
