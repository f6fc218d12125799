package dev.llmlab.api.anthropic;

import dev.llmlab.api.client.ClientApi;
import dev.llmlab.api.client.ClientCodec;

/** The Anthropic Messages API on the client side; get it through {@link ClientApi#codec()}. */
public final class AnthropicClients {
    private static final ClientCodec MESSAGES = new MessagesClient();

    private AnthropicClients() {}

    public static ClientCodec messages() {
        return MESSAGES;
    }
}
