package dev.llmlab.gateway.config;

import java.util.List;

/**
 * One place a route's requests can go: a provider, its model, its keys.
 *
 * @param name       how logs and metrics name it; {@code provider/model} by default (with
 *                   {@code #2}, {@code #3} for repeats in a route)
 * @param provider   openai, azure-openai, anthropic, gemini or openai-compatible
 * @param baseUrl    where its API is; the provider's public endpoint by default (required for
 *                   azure-openai and openai-compatible)
 * @param model      the provider's name for the model; by default the route's name (for a wildcard
 *                   route, the part the {@code *} matched); a {@code *} in it stands for that part
 * @param apiVersion Azure OpenAI's {@code api-version}; required there, refused elsewhere
 * @param keys       its keys, in rotation; none to send no key (a local server)
 * @param weight     its share under the weighted strategy: 1 by default
 * @param priority   under the priority strategy, lower goes first: 0 by default
 */
public record DeploymentConfig(
        String name,
        String provider,
        String baseUrl,
        String model,
        String apiVersion,
        List<KeyConfig> keys,
        Integer weight,
        Integer priority) {
    public DeploymentConfig {
        if (provider == null)
            throw new IllegalArgumentException(
                    "provider is required: one of openai, azure-openai," + " anthropic, gemini, openai-compatible");
        ProviderKind kind = ProviderKind.parse(provider);
        if (baseUrl == null && kind.defaultBaseUrl() == null)
            throw new IllegalArgumentException("base_url is required for " + kind.flag()
                    + (kind == ProviderKind.AZURE_OPENAI
                            ? " (such as https://NAME.openai.azure.com)"
                            : " (such as http://127.0.0.1:8000/v1)"));
        if (kind == ProviderKind.AZURE_OPENAI && apiVersion == null)
            throw new IllegalArgumentException("api_version is required for azure-openai (such as 2024-10-21)");
        if (kind != ProviderKind.AZURE_OPENAI && apiVersion != null)
            throw new IllegalArgumentException("api_version is for azure-openai only");
        if (model != null && model.isBlank()) throw new IllegalArgumentException("model cannot be blank");
        if (model != null && model.indexOf('*') != model.lastIndexOf('*'))
            throw new IllegalArgumentException(
                    "model may hold one '*' (the part a wildcard route matched), got " + model);
        keys = keys == null ? List.of() : List.copyOf(keys);
        if (weight == null) weight = 1;
        if (weight < 0) throw new IllegalArgumentException("weight must be >= 0, got " + weight);
        if (priority == null) priority = 0;
    }

    public ProviderKind kind() {
        return ProviderKind.parse(provider);
    }
}
