package dev.llmlab.api.relay;

import dev.llmlab.api.client.ClientApi;
import java.util.Objects;

/**
 * The API a client spoke to the gateway: one of the five generation APIs, and for Gemini what its
 * path says (the model, and whether it is {@code :streamGenerateContent}, with or without
 * {@code alt=sse}). The other APIs name the model and the stream flag in the body.
 *
 * @param api    the ingress API; never {@link ClientApi#OPENAI_EMBEDDINGS}
 * @param model  Gemini: the model of the path ({@code models/{model}:generateContent}); else null
 * @param stream Gemini: whether the path is {@code :streamGenerateContent}; else ignored
 * @param sse    Gemini streams: {@code alt=sse} (server-sent events) rather than one JSON array
 */
public record Ingress(ClientApi api, String model, boolean stream, boolean sse) {
    public Ingress {
        Objects.requireNonNull(api, "api");
        if (!api.generates()) throw new IllegalArgumentException(api.flag() + " does not generate");
        if (api == ClientApi.GEMINI) Objects.requireNonNull(model, "model");
    }

    /** An OpenAI or Anthropic ingress, whose body names the model and the stream flag. */
    public static Ingress of(ClientApi api) {
        if (api == ClientApi.GEMINI)
            throw new IllegalArgumentException("gemini: use Ingress.gemini(model, stream, sse)");
        return new Ingress(api, null, false, false);
    }

    /** A Gemini ingress: the path's model, whether it streams, and whether with {@code alt=sse}. */
    public static Ingress gemini(String model, boolean stream, boolean sse) {
        return new Ingress(ClientApi.GEMINI, model, stream, stream && sse);
    }
}
