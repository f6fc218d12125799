package dev.llmlab.api.relay;

import dev.llmlab.api.GenerationRequest;
import dev.llmlab.api.client.ClientApi;
import dev.llmlab.api.client.ClientRequest;

/**
 * One client request translated for a provider: the request to send, and what the answer needs
 * to come back in the client's API (the client's parsed request and model name). Immutable;
 * {@link #answer()} makes a fresh relay per attempt (a retry or a fallback gets a new one).
 */
public final class Translation {
    private final Ingress ingress;
    private final GenerationRequest ingressRequest;
    private final ClientApi provider;
    private final GenerationRequest providerRequest;
    private final ClientRequest request;
    private final String instructions;

    Translation(
            Ingress ingress,
            GenerationRequest ingressRequest,
            ClientApi provider,
            GenerationRequest providerRequest,
            ClientRequest request,
            String instructions) {
        this.ingress = ingress;
        this.ingressRequest = ingressRequest;
        this.provider = provider;
        this.providerRequest = providerRequest;
        this.request = request;
        this.instructions = instructions;
    }

    /** The provider request: path (under the provider API's base URL), headers with the key, body. */
    public ClientRequest request() {
        return request;
    }

    /** The client's API. */
    public Ingress ingress() {
        return ingress;
    }

    /** The provider's API. */
    public ClientApi provider() {
        return provider;
    }

    /** Whether the client asked for a stream (and so the provider is asked for one). */
    public boolean stream() {
        return ingressRequest.stream();
    }

    /** The model name the client asked for, which its answer names. */
    public String clientModel() {
        return ingressRequest.model();
    }

    /** The client's request as parsed into the internal model (for token estimates, logs). */
    public GenerationRequest ingressRequest() {
        return ingressRequest;
    }

    /** A relay for one provider answer to this request. */
    public AnswerRelay answer() {
        return answer(Stamps.REAL);
    }

    AnswerRelay answer(Stamps stamps) {
        String model = ingressRequest.model();
        IngressWriter writer = switch (ingress.api()) {
            case OPENAI_CHAT, OPENAI_COMPLETIONS -> new ChatWriter(ingressRequest, model, stamps);
            case ANTHROPIC_MESSAGES -> new AnthropicWriter(ingressRequest, model, stamps);
            case OPENAI_RESPONSES -> new ResponsesWriter(ingressRequest, model, stamps, instructions);
            case GEMINI -> new GeminiWriter(ingressRequest, model, stamps, ingress.sse());
            default -> throw new IllegalStateException(ingress.api().flag());
        };
        return new AnswerRelay(ingress.api(), ingressRequest, provider, providerRequest, writer);
    }

    /**
     * A provider's error answer (status >= 400 and its body) as the client's: the status from the
     * map in {@link Relay} and a body in the client's API's shape, with the provider's message.
     */
    public RelayError error(int status, byte[] body, int offset, int length) {
        return Errors.provider(ingress.api(), provider.codec().error(status, body, offset, length));
    }
}
