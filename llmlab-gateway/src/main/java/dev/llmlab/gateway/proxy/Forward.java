package dev.llmlab.gateway.proxy;

import dev.llmlab.api.ApiException;
import dev.llmlab.api.GenerationRequest;
import dev.llmlab.api.anthropic.AnthropicRequests;
import dev.llmlab.api.client.ClientApi;
import dev.llmlab.api.gemini.GeminiRequests;
import dev.llmlab.api.openai.ChatBody;
import dev.llmlab.api.openai.OpenAiRequests;
import dev.llmlab.api.relay.Relay;
import dev.llmlab.api.relay.RelayError;
import dev.llmlab.gateway.account.Cost;
import dev.llmlab.gateway.observe.RequestRecord;
import dev.llmlab.gateway.route.Routes;
import dev.llmlab.http.Exchange;
import dev.llmlab.http.Handler;
import dev.llmlab.http.client.HttpClient;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The handler of every generation and embeddings path: checks the client's key, reads and checks
 * the body as its API does (the simulator's own validation, so that a bad request gets the API's
 * 400 here and is never sent on), finds the model's route, and sends the request on its way
 * ({@link Flight}). Errors before that are in the request's API's shape: 401 for a missing or
 * wrong key, 400 for a body its API refuses, 404 for a model no route serves.
 */
final class Forward implements Handler {
    private final Supplier<Settings> settings;
    private final Observers observers;
    private final HttpClient client;
    private final Endpoint endpoint;
    private final Ingress ingress;

    Forward(Supplier<Settings> settings, Observers observers, HttpClient client, Endpoint endpoint) {
        this.settings = settings;
        this.observers = observers;
        this.client = client;
        this.endpoint = endpoint;
        this.ingress = Ingress.of(endpoint.api());
    }

    @Override
    public void handle(Exchange ex) {
        observers.metrics().requestStarted();
        Settings s = settings.get();
        String requestId = Endpoints.requestId(ex.requestHeaders().get(Endpoints.REQUEST_ID));
        ex.responseHeaders().set(Endpoints.REQUEST_ID, requestId);
        String keyName = null;
        if (s.clientKeys().required()) {
            keyName = s.clientKeys().check(Ingress.clientKey(ex));
            if (keyName == null) {
                refuse(
                        ex,
                        401,
                        "authentication_error",
                        "a valid API key is required: the key sent is missing or" + " unknown",
                        requestId,
                        "unauthorized",
                        null);
                return;
            }
        }
        byte[] body = ByteBufUtil.getBytes(ex.body());
        RequestScan scan = null;
        String model;
        dev.llmlab.api.relay.Ingress relayIngress = null;
        GenerationRequest request = null;
        try {
            if (endpoint.modelInPath()) {
                model = ex.pathParam("model");
            } else {
                scan = RequestScan.of(body, 0, body.length);
                model = scan.model();
                if (model == null || model.isEmpty()) throw ApiException.invalid("model", null, "model is required");
            }
            switch (endpoint.kind()) {
                case GENERATE -> {
                    relayIngress = relayIngress(ex, model);
                    // chat, the most frequent, by the simulator's fast reader; the others as the relay reads them
                    request = endpoint.api() == ClientApi.OPENAI_CHAT
                            ? OpenAiRequests.parseChat(ChatBody.read(body, 0, body.length))
                            : Relay.parse(relayIngress, body, 0, body.length).request();
                }
                case EMBED -> OpenAiRequests.parseEmbedding(OpenAiRequests.readBody(body, 0, body.length));
                case COUNT ->
                    request = endpoint.api() == ClientApi.GEMINI
                            ? GeminiRequests.parseCountTokens(GeminiRequests.readBody(body, 0, body.length), model)
                            : AnthropicRequests.parseCountTokens(AnthropicRequests.readBody(body, 0, body.length));
            }
        } catch (ApiException e) {
            if (endpoint.kind() == Endpoint.Kind.GENERATE) {
                RelayError re = Relay.error(relayIngress(ex, ex.pathParam("model")), e);
                ex.respond(re.status(), re.contentType(), Unpooled.wrappedBuffer(re.body()));
                record(ex, requestId, keyName, re.status(), "bad_request", null);
            } else {
                ex.respond(e.status(), "application/json", ingress.error(ex, e, requestId));
                record(ex, requestId, keyName, e.status(), "bad_request", null);
            }
            return;
        }
        Routes.Match match = s.routes().match(model);
        if (match == null) {
            refuse(
                    ex,
                    404,
                    "invalid_request_error",
                    "no route serves the model '" + model + "'; GET /v1/models lists them",
                    requestId,
                    "no_route",
                    keyName);
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
                        observers,
                        client,
                        endpoint,
                        body,
                        scan,
                        relayIngress,
                        request,
                        headers,
                        !s.clientKeys().required(),
                        requestId,
                        keyName,
                        match)
                .start();
    }

    private dev.llmlab.api.relay.Ingress relayIngress(Exchange ex, String model) {
        if (endpoint.api() != ClientApi.GEMINI) return dev.llmlab.api.relay.Ingress.of(endpoint.api());
        return dev.llmlab.api.relay.Ingress.gemini(
                model == null ? "" : model, endpoint.streamsByPath(), "sse".equals(ex.queryParam("alt")));
    }

    private void refuse(
            Exchange ex, int status, String type, String message, String requestId, String errorType, String keyName) {
        ex.respond(status, "application/json", ingress.error(ex, status, type, message, requestId));
        record(ex, requestId, keyName, status, errorType, null);
    }

    /** The record of a request refused before it was routed. */
    private void record(Exchange ex, String requestId, String keyName, int status, String errorType, String route) {
        RequestRecord r = new RequestRecord(
                requestId,
                System.currentTimeMillis(),
                keyName,
                Observed.ingress(endpoint),
                route,
                null,
                null,
                null,
                status,
                errorType,
                false,
                0,
                0,
                -1,
                System.nanoTime() - ex.receivedNanos(),
                -1,
                System.nanoTime() - ex.receivedNanos(),
                null,
                Cost.UNKNOWN);
        observers.metrics().requestFinished(r);
        observers.accessLog().log(r);
    }
}
