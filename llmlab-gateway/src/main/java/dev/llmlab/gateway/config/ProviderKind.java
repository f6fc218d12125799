package dev.llmlab.gateway.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The kinds of provider a deployment can be, each with its API, URLs and credentials. */
public enum ProviderKind {
    /** OpenAI: {@code Authorization: Bearer}, at https://api.openai.com/v1 unless told. */
    OPENAI("openai", "https://api.openai.com/v1"),
    /**
     * Azure OpenAI: the deployment in the path ({@code /openai/deployments/{model}/...}), an {@code
     * api-version} query parameter, the {@code api-key} header. Its base URL is the resource's, such
     * as https://NAME.openai.azure.com.
     */
    AZURE_OPENAI("azure-openai", null),
    /** Anthropic Messages: {@code x-api-key} and {@code anthropic-version}, at https://api.anthropic.com. */
    ANTHROPIC("anthropic", "https://api.anthropic.com"),
    /** Gemini: {@code x-goog-api-key}, the model in the path, at https://generativelanguage.googleapis.com. */
    GEMINI("gemini", "https://generativelanguage.googleapis.com"),
    /**
     * Any server with OpenAI's API at a base URL ending in its API path, such as
     * http://127.0.0.1:8000/v1 (vLLM, SGLang, TGI, Ollama, llama.cpp, Together, Groq, Mistral,
     * Fireworks, DeepSeek, xAI, OpenRouter, llmlab sim).
     */
    OPENAI_COMPATIBLE("openai-compatible", null);

    private final String flag;
    private final String defaultBaseUrl;

    ProviderKind(String flag, String defaultBaseUrl) {
        this.flag = flag;
        this.defaultBaseUrl = defaultBaseUrl;
    }

    /** How the config names it. */
    public String flag() {
        return flag;
    }

    /** Its public endpoint, or null where there is none to assume. */
    public String defaultBaseUrl() {
        return defaultBaseUrl;
    }

    /** @throws IllegalArgumentException naming the kinds there are */
    public static ProviderKind parse(String name) {
        String n = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        for (ProviderKind k : values()) if (k.flag.equals(n)) return k;
        throw new IllegalArgumentException("provider '" + name + "' is not one of "
                + Arrays.stream(values()).map(ProviderKind::flag).collect(Collectors.joining(", ")));
    }
}
