package dev.llmlab.gateway.proxy;

import dev.llmlab.api.ApiException;
import dev.llmlab.gateway.route.Routes;
import dev.llmlab.http.Exchange;
import dev.llmlab.http.Handler;
import dev.llmlab.http.client.HttpClient;
import io.netty.buffer.ByteBufUtil;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The handler of every generation and embeddings path: checks the client's key, reads the model,
 * finds its route, and sends the request on its way ({@link Flight}). Errors before that are in
 * the request's API's shape: 401 for a missing or wrong key, 400 for a body that is not a JSON
 * object or names no model, 404 for a model no route serves.
 */
public final class Forward implements Handler {
    private final Supplier<Settings> settings;
    private final HttpClient client;
    private final Endpoint endpoint;
    private final Ingress ingress;

    Forward(Supplier<Settings> settings, HttpClient client, Endpoint endpoint) {
        this.settings = settings;
        this.client = client;
        this.endpoint = endpoint;
        this.ingress = Ingress.of(endpoint.api());
    }

    @Override
    public void handle(Exchange ex) {
        Settings s = settings.get();
        String requestId = Endpoints.requestId(ex.requestHeaders().get(Endpoints.REQUEST_ID));
        ex.responseHeaders().set(Endpoints.REQUEST_ID, requestId);
        if (s.clientKeys().required() && s.clientKeys().check(Ingress.clientKey(ex)) == null) {
            error(
                    ex,
                    401,
                    "authentication_error",
                    "a valid API key is required: the key sent is missing or unknown",
                    requestId);
            return;
        }
        byte[] body = ByteBufUtil.getBytes(ex.body());
        RequestScan scan = null;
        String model;
        if (endpoint.modelInPath()) {
            model = ex.pathParam("model");
        } else {
            try {
                scan = RequestScan.of(body, 0, body.length);
            } catch (ApiException e) {
                ex.respond(e.status(), "application/json", ingress.error(ex, e, requestId));
                return;
            }
            model = scan.model();
            if (model == null || model.isEmpty()) {
                error(ex, 400, "invalid_request_error", "model is required", requestId);
                return;
            }
        }
        Routes.Match match = s.routes().match(model);
        if (match == null) {
            error(
                    ex,
                    404,
                    "not_found_error",
                    "no route serves the model '" + model + "'; GET /v1/models lists them",
                    requestId);
            return;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, String> h : ex.requestHeaders()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (!Endpoints.NOT_FORWARDED.contains(name)) headers.put(name, h.getValue());
        }
        new Flight(
                        ex,
                        s,
                        client,
                        endpoint,
                        body,
                        scan,
                        model,
                        headers,
                        !s.clientKeys().required(),
                        requestId,
                        match)
                .start();
    }

    private void error(Exchange ex, int status, String type, String message, String requestId) {
        ex.respond(status, "application/json", ingress.error(ex, status, type, message, requestId));
    }
}
