package dev.llmlab.gateway.proxy;

import dev.llmlab.gateway.observe.Ingress;

/** The names the metrics and the access log give the gateway's endpoints. */
final class Observed {
    private Observed() {}

    static Ingress ingress(Endpoint e) {
        return switch (e.api()) {
            case OPENAI_CHAT -> Ingress.OPENAI_CHAT;
            case OPENAI_COMPLETIONS -> Ingress.OPENAI_COMPLETIONS;
            case OPENAI_EMBEDDINGS -> Ingress.OPENAI_EMBEDDINGS;
            case OPENAI_RESPONSES -> Ingress.OPENAI_RESPONSES;
            case ANTHROPIC_MESSAGES ->
                e.suffix().endsWith("count_tokens") ? Ingress.ANTHROPIC_COUNT_TOKENS : Ingress.ANTHROPIC_MESSAGES;
            case GEMINI -> Ingress.GEMINI_GENERATE_CONTENT;
        };
    }
}
