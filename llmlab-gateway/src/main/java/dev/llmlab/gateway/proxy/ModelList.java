package dev.llmlab.gateway.proxy;

import dev.llmlab.api.client.ClientApi;
import dev.llmlab.api.openai.OpenAiResponses;
import dev.llmlab.gateway.route.Route;
import dev.llmlab.gateway.route.Routes;
import dev.llmlab.http.Exchange;
import dev.llmlab.http.Handler;
import dev.llmlab.http.client.HttpClient;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /v1/models}: the model names clients may ask for, routes and aliases (not the
 * wildcard patterns, which name no model), in OpenAI's list shape, owned by {@code llmlab-gateway};
 * for a client key with a {@code models} list (its own or its team's), only those it may use.
 * A gateway whose only routes are patterns, with a catch-all ({@code *}, as {@code --upstream}
 * makes), asks the catch-all's upstream instead: in front of one vLLM server, its models are the
 * gateway's.
 */
final class ModelList implements Handler {
    private static final Endpoint MODELS = new Endpoint(ClientApi.OPENAI_CHAT, "GET", "/v1/models", "/models");

    private final Supplier<Settings> settings;
    private final Observers observers;
    private final HttpClient client;
    private final long created = System.currentTimeMillis() / 1000;

    ModelList(Supplier<Settings> settings, Observers observers, HttpClient client) {
        this.settings = settings;
        this.observers = observers;
        this.client = client;
    }

    @Override
    public void handle(Exchange ex) {
        Settings s = settings.get();
        String keyName = null;
        if (s.clientKeys().required()) {
            keyName = s.clientKeys().check(Ingress.clientKey(ex));
            Instant expired = keyName == null ? null : s.clientKeys().expired(keyName, Instant.now());
            String refusal = keyName == null
                    ? "a valid API key is required: the key sent is missing or unknown"
                    : expired != null ? "this API key expired at " + expired : null;
            if (refusal != null) {
                ex.respond(
                        401, "application/json", Ingress.OPENAI.error(ex, 401, "authentication_error", refusal, null));
                return;
            }
        }
        Route all = s.routes().catchAll();
        if (s.routes().names().isEmpty() && all != null) {
            String requestId = Endpoints.requestId(ex.requestHeaders().get(Endpoints.REQUEST_ID));
            ex.responseHeaders().set(Endpoints.REQUEST_ID, requestId);
            Map<String, String> headers = new LinkedHashMap<>();
            for (Map.Entry<String, String> h : ex.requestHeaders()) {
                String name = h.getKey().toLowerCase(Locale.ROOT);
                if (!Endpoints.NOT_FORWARDED.contains(name)) headers.put(name, h.getValue());
            }
            observers.metrics().requestStarted();
            new Flight(
                            ex,
                            s,
                            observers,
                            client,
                            MODELS,
                            null,
                            null,
                            null,
                            null,
                            headers,
                            !s.clientKeys().required(),
                            requestId,
                            null,
                            new Routes.Match(all, ""))
                    .start();
            return;
        }
        List<OpenAiResponses.ModelInfo> models = new ArrayList<>();
        for (String name : s.routes().names()) {
            if (s.limits().refuses(keyName, name) == null) // only what the key (and its team) may use
            models.add(new OpenAiResponses.ModelInfo(name, created, "llmlab-gateway"));
        }
        ByteBuf buf = ex.alloc().buffer(256);
        OpenAiResponses.writeModelList(new ByteBufOutputStream(buf), models);
        ex.respond(200, "application/json", buf);
    }
}
