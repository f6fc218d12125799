package dev.llmlab.gateway.proxy;

import dev.llmlab.http.Router;
import dev.llmlab.http.client.HttpClient;
import java.util.function.Supplier;

/** Puts the gateway's paths on a router. */
public final class Proxy {
    private Proxy() {}

    /**
     * Adds every path the gateway serves to {@code routes}: the generation and embeddings paths of
     * OpenAI, Anthropic and Gemini, and {@code GET /v1/models}.
     *
     * @param settings read once per request: the current config's snapshot
     */
    public static void addTo(Router.Builder routes, Supplier<Settings> settings, HttpClient client) {
        for (Endpoint e : Endpoints.ALL) routes.add(e.method(), e.pattern(), new Forward(settings, client, e));
        routes.add("GET", "/v1/models", new ModelList(settings, client));
    }
}
