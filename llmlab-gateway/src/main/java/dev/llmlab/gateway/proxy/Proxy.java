package dev.llmlab.gateway.proxy;

import dev.llmlab.gateway.observe.GatewayMetrics;
import dev.llmlab.http.Router;
import dev.llmlab.http.client.HttpClient;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import java.util.function.Supplier;

/** Puts the gateway's paths on a router. */
public final class Proxy {
    private Proxy() {}

    /**
     * Adds every path the gateway serves to {@code routes}: the generation and embeddings paths of
     * OpenAI, Anthropic and Gemini, {@code GET /v1/models}, and {@code GET /metrics} (Prometheus'
     * text format, without a key, as scrapers expect).
     *
     * @param settings read once per request: the current config's snapshot
     */
    public static void addTo(
            Router.Builder routes, Supplier<Settings> settings, Observers observers, HttpClient client) {
        for (Endpoint e : Endpoints.ALL)
            routes.add(e.method(), e.pattern(), new Forward(settings, observers, client, e));
        routes.add("GET", "/v1/models", new ModelList(settings, observers, client));
        routes.add("GET", "/metrics", ex -> {
            ByteBuf buf = ex.alloc().buffer(16 * 1024);
            try {
                observers.metrics().write(new ByteBufOutputStream(buf));
            } catch (java.io.IOException e) {
                buf.release();
                throw new java.io.UncheckedIOException(e);
            }
            ex.respond(200, GatewayMetrics.CONTENT_TYPE, buf);
        });
    }
}
