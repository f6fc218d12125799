package dev.llmlab.gateway.proxy;

import dev.llmlab.api.client.ClientApi;
import dev.llmlab.http.Exchange;

/**
 * One path the gateway serves, and the API it belongs to.
 *
 * @param api     the API of its requests
 * @param method  GET or POST
 * @param pattern the path as the router matches it
 * @param suffix  the path after the API's base ({@code /chat/completions}, {@code /messages}), or
 *                for Gemini the method after the model ({@code :generateContent})
 */
record Endpoint(ClientApi api, String method, String pattern, String suffix) {
    /** What a request to it does. */
    enum Kind {
        /** Generates: passes through, or translates to another API. */
        GENERATE,
        /** Makes embeddings: passes through to an OpenAI-compatible provider only. */
        EMBED,
        /** Counts a prompt's tokens: passes through to a provider of the same API only. */
        COUNT,
        /** Lists models. */
        LIST
    }

    Kind kind() {
        if (method.equals("GET")) return Kind.LIST;
        if (api == ClientApi.OPENAI_EMBEDDINGS) return Kind.EMBED;
        if (suffix.endsWith("count_tokens") || suffix.endsWith(":countTokens")) return Kind.COUNT;
        return Kind.GENERATE;
    }

    /** Whether the model and streaming are in the path (Gemini), not the body. */
    boolean modelInPath() {
        return api == ClientApi.GEMINI;
    }

    /** Whether the answer streams, for Gemini, where the method says so. */
    boolean streamsByPath() {
        return suffix.equals(":streamGenerateContent");
    }

    /** The path under the provider API's base for a request passed through as it came. */
    String providerPath(String model, Exchange ex) {
        if (api != ClientApi.GEMINI) return suffix;
        String alt = ex.queryParam("alt");
        return "/models/" + model + suffix + (alt == null ? "" : "?alt=" + alt);
    }
}
