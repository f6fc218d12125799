package dev.llmlab.gateway.provider;

import dev.llmlab.api.client.ClientApi;
import dev.llmlab.gateway.config.ProviderKind;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Where a deployment's provider answers, and how it is addressed: which of its APIs serves a
 * request, under which path, with the key in which header.
 *
 * <ul>
 *   <li>openai, openai-compatible: the base URL ends in the API's path ({@code /v1}); {@code
 *       Authorization: Bearer}.
 *   <li>azure-openai: {@code /openai/deployments/{model}/chat/completions?api-version=...} under the
 *       resource's URL (the Responses API: {@code /openai/responses}, the model in the body); the
 *       {@code api-key} header. Source: Microsoft's "Azure OpenAI in Azure AI Foundry Models REST
 *       API reference".
 *   <li>anthropic: {@code /v1/messages}; {@code x-api-key} and {@code anthropic-version}.
 *   <li>gemini: {@code /v1beta/models/{model}:generateContent}, or {@code
 *       :streamGenerateContent?alt=sse}; {@code x-goog-api-key}.
 * </ul>
 *
 * For anthropic and gemini a base URL without the API's path ({@code https://api.anthropic.com})
 * gets it ({@code /v1}, {@code /v1beta}); one that has it keeps it.
 *
 * @param apiVersion azure-openai's {@code api-version}, else null
 */
public record Provider(ProviderKind kind, Upstream upstream, String apiVersion) {
    /** @throws IllegalArgumentException for a base URL that is not an http or https URL */
    public static Provider of(ProviderKind kind, String baseUrl, String apiVersion) {
        Upstream u = Upstream.parse(baseUrl != null ? baseUrl : kind.defaultBaseUrl());
        String api = switch (kind) {
            case ANTHROPIC -> "/v1";
            case GEMINI -> "/v1beta";
            default -> null;
        };
        if (api != null && !u.basePath().endsWith(api)) u = new Upstream(u.origin(), u.basePath() + api);
        return new Provider(kind, u, apiVersion);
    }

    /** Whether the provider speaks OpenAI's APIs. */
    public boolean openAi() {
        return kind == ProviderKind.OPENAI
                || kind == ProviderKind.AZURE_OPENAI
                || kind == ProviderKind.OPENAI_COMPATIBLE;
    }

    /**
     * The provider's API for a request that came in on {@code ingress}: the same where the provider
     * has it (then the body passes through), else the one it translates to.
     */
    public ClientApi apiFor(ClientApi ingress) {
        return switch (kind) {
            case ANTHROPIC -> ClientApi.ANTHROPIC_MESSAGES;
            case GEMINI -> ClientApi.GEMINI;
            default ->
                switch (ingress) {
                    case ANTHROPIC_MESSAGES, GEMINI -> ClientApi.OPENAI_CHAT;
                    default -> ingress;
                };
        };
    }

    /**
     * The request target (path and query) of {@code path} (relative to the API's base, as {@link
     * dev.llmlab.api.client.ClientRequest#path()} is, such as {@code /chat/completions}) for
     * {@code model}.
     */
    public String target(String path, String model) {
        if (kind != ProviderKind.AZURE_OPENAI) return upstream.target(path);
        String query = "api-version=" + URLEncoder.encode(apiVersion, StandardCharsets.UTF_8);
        int q = path.indexOf('?');
        String bare = q < 0 ? path : path.substring(0, q);
        String extra = q < 0 ? "" : "&" + path.substring(q + 1);
        if (bare.equals("/responses")) return upstream.target("/openai/responses?" + query + extra);
        return upstream.target(
                "/openai/deployments/" + URLEncoder.encode(model, StandardCharsets.UTF_8) + bare + "?" + query + extra);
    }

    /** Puts the key where the provider reads it (with what else its API requires). */
    public void credentials(Map<String, String> headers, String key) {
        switch (kind) {
            case ANTHROPIC -> {
                headers.putIfAbsent("anthropic-version", "2023-06-01");
                if (key != null) headers.put("x-api-key", key);
            }
            case GEMINI -> {
                if (key != null) headers.put("x-goog-api-key", key);
            }
            case AZURE_OPENAI -> {
                if (key != null) headers.put("api-key", key);
            }
            default -> {
                if (key != null) headers.put("authorization", "Bearer " + key);
            }
        }
    }

    @Override
    public String toString() {
        return kind.flag() + " " + upstream;
    }
}
