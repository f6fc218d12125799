package dev.llmlab.gateway.observe;

import dev.llmlab.api.GenerationRequest;

/**
 * The API a request came in on, with its OpenTelemetry {@code gen_ai.operation.name}: a closed
 * set, so that it can label metrics without bounding.
 */
public enum Ingress {
    OPENAI_CHAT("openai.chat_completions", "chat"),
    OPENAI_COMPLETIONS("openai.completions", "text_completion"),
    OPENAI_RESPONSES("openai.responses", "chat"),
    OPENAI_EMBEDDINGS("openai.embeddings", "embeddings"),
    ANTHROPIC_MESSAGES("anthropic.messages", "chat"),
    /** Not a generation: the conventions define no operation for it, so the name is our own. */
    ANTHROPIC_COUNT_TOKENS("anthropic.count_tokens", "count_tokens"),
    GEMINI_GENERATE_CONTENT("gemini.generate_content", "generate_content");

    private final String label;
    private final String operation;

    Ingress(String label, String operation) {
        this.label = label;
        this.operation = operation;
    }

    /** The name in the access log, e.g. {@code openai.chat_completions}. */
    public String label() {
        return label;
    }

    /** The {@code gen_ai.operation.name} value. */
    public String operation() {
        return operation;
    }

    /** The ingress of a generation request parsed into the internal model. */
    public static Ingress of(GenerationRequest.Endpoint endpoint) {
        return switch (endpoint) {
            case CHAT -> OPENAI_CHAT;
            case COMPLETION -> OPENAI_COMPLETIONS;
            case RESPONSES -> OPENAI_RESPONSES;
            case MESSAGES -> ANTHROPIC_MESSAGES;
            case GEMINI -> GEMINI_GENERATE_CONTENT;
        };
    }
}
