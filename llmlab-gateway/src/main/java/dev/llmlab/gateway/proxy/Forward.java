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
import dev.llmlab.gateway.account.TokenUsage;
import dev.llmlab.gateway.limits.Actual;
import dev.llmlab.gateway.limits.Admission;
import dev.llmlab.gateway.limits.Ask;
import dev.llmlab.gateway.limits.Meter;
import dev.llmlab.gateway.limits.Rule;
import dev.llmlab.gateway.observe.RequestRecord;
import dev.llmlab.gateway.route.Routes;
import dev.llmlab.http.Exchange;
import dev.llmlab.http.Handler;
import dev.llmlab.http.client.HttpClient;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The handler of every generation and embeddings path: checks the client's key, reads and checks
 * the body as its API does (the simulator's own validation, so that a bad request gets the API's
 * 400 here and is never sent on), finds the model's route, answers from the route's exact cache
 * when it can ({@link CacheStep}), reserves the request's estimate against its key's limits
 * ({@link ClientLimits}), and sends the request on its way ({@link Flight}).
 * Errors before that are in the request's API's shape: 401 for a missing, wrong or expired key, 400 for a
 * body its API refuses, 403 for a model the key (or its team) may not use, 404 for a model no
 * route serves, 429 (or Anthropic's 400 for a spent budget) for a key over its limits, 503 when
 * its limits' store is down and they fail closed.
 *
 * <p>Threading: it runs on the request's event loop. Limits counted in this process answer at
 * once and the request goes on in the same call; a shared store's answer comes on its own thread
 * and the request goes on on its event loop when it does. A client that leaves meanwhile gets
 * nothing sent on its behalf, and what was reserved for it is given back.
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
            Instant expired = s.clientKeys().expired(keyName, Instant.now());
            if (expired != null) {
                refuse(
                        ex,
                        401,
                        "authentication_error",
                        "this API key expired at " + expired,
                        requestId,
                        "key_expired",
                        keyName);
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
        String notAllowed = s.limits().refuses(keyName, model);
        if (notAllowed != null) {
            // OpenAI answers a model its project may not use with a 403 and code model_not_found
            ex.respond(
                    403,
                    "application/json",
                    ingress.error(
                            ex,
                            403,
                            "invalid_request_error",
                            "model_not_found",
                            notAllowed + " may not use the model '" + model + "'",
                            requestId));
            record(ex, requestId, keyName, 403, "model_not_allowed", null);
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
        CacheStep cache;
        try {
            boolean stream = request != null ? request.stream() : scan != null && scan.stream();
            cache = CacheStep.of(
                    ex, s, observers, endpoint, match.route().name(), model, keyName, requestId, headers, stream, body);
        } catch (IllegalArgumentException e) {
            refuse(ex, 400, "invalid_request_error", e.getMessage(), requestId, "bad_request", keyName);
            return;
        }
        Checked c =
                new Checked(ex, s, keyName, model, body, scan, relayIngress, request, headers, requestId, match, cache);
        if (cache == null) send(c);
        else cache.lookup(() -> send(c));
    }

    /**
     * A request read, checked and routed, on its way through the cache and the limits to its
     * flight.
     *
     * @param cache the exact cache's step, to keep the answer; null on a route without one
     */
    private record Checked(
            Exchange ex,
            Settings s,
            String keyName,
            String model,
            byte[] body,
            RequestScan scan,
            dev.llmlab.api.relay.Ingress relayIngress,
            GenerationRequest request,
            Map<String, String> headers,
            String requestId,
            Routes.Match match,
            CacheStep cache) {}

    /** Reserves the request's estimate against its key's limits and sends it on its way. */
    private void send(Checked c) {
        ClientLimits limits = c.s().limits();
        if (!limits.limited(c.keyName())) {
            fly(c, null);
            return;
        }
        CompletableFuture<Admission> pending = reserve(
                        limits,
                        c.keyName(),
                        c.model(),
                        c.body(),
                        c.request(),
                        c.s(),
                        c.match().route().maxOutputTokens())
                .toCompletableFuture();
        if (pending.isDone()) { // counted in this process: go on at once, no hand-off
            admitted(c, pending);
            return;
        }
        // a shared store answers on its own thread: go on on the request's event loop
        EventLoop loop = c.ex().eventLoop();
        pending.whenComplete((a, e) -> {
            if (loop.inEventLoop()) admitted(c, pending);
            else loop.execute(() -> admitted(c, pending));
        });
    }

    /** The limits' answer: refuse, or send the request on, holding what it reserved. */
    private void admitted(Checked c, CompletableFuture<Admission> answer) {
        Exchange ex = c.ex();
        Admission admission = answer.isCompletedExceptionally() ? null : answer.join();
        if (!ex.isOpen()) { // the client left while its limits were checked: give back what it got
            if (admission instanceof Admission.Granted g)
                c.s().limits().limiter().settle(g.reservation(), Actual.NOTHING, System.currentTimeMillis());
            record(ex, c.requestId(), c.keyName(), 0, "client_gone", null);
            return;
        }
        switch (admission) {
            case Admission.Granted g -> {
                KeyLimitHeaders.granted(ex.responseHeaders(), g, System.currentTimeMillis());
                fly(c, g);
            }
            case Admission.Refused r -> refuseOverLimit(ex, r, c.keyName(), c.requestId());
            case Admission.Unavailable u -> limitsUnavailable(ex, u, c.keyName(), c.requestId());
            // not expected: a limiter does not fail
            case null -> limitsUnavailable(ex, new Admission.Unavailable(null), c.keyName(), c.requestId());
        }
    }

    private void fly(Checked c, Admission.Granted granted) {
        Flight flight = new Flight(
                c.ex(),
                c.s(),
                observers,
                client,
                endpoint,
                c.body(),
                c.scan(),
                c.relayIngress(),
                c.request(),
                c.headers(),
                !c.s().clientKeys().required(),
                c.requestId(),
                c.keyName(),
                c.match());
        if (granted != null)
            flight.holding(granted.reservation(), c.s().limits().limiter());
        if (c.cache() != null) flight.caching(c.cache());
        flight.start();
    }

    /**
     * A request whose limits could not be checked: their store is down and their kind of limit
     * fails closed ({@code state.on_failure}). A 503 in the ingress API's shape (OpenAI's {@code
     * service_unavailable}, Anthropic's {@code api_error}, Gemini's {@code UNAVAILABLE}), worth a
     * retry in a few seconds.
     */
    private void limitsUnavailable(Exchange ex, Admission.Unavailable u, String keyName, String requestId) {
        Ask ask = u.ask();
        String which = ask == null
                ? "the limits"
                : "the " + (ask.rule().budget() ? "budget" : "limit") + " of " + KeyLimitHeaders.describe(ask.rule())
                        + " of " + ClientLimits.who(ask.subject(), keyName);
        ex.responseHeaders().set("retry-after", "5");
        ex.respond(
                503,
                "application/json",
                ingress.error(
                        ex,
                        503,
                        "service_unavailable",
                        "limits_unavailable",
                        u.why() + ": " + which + " cannot be checked now; retry in a few seconds",
                        requestId));
        record(ex, requestId, keyName, 503, "limits_unavailable", null);
    }

    /**
     * Reserves the request's estimate against its key's limits: one request; tokens counted in its
     * prompt plus the most its answer may take ({@code max_tokens}, else the route's {@code
     * max_output_tokens});
     * and their price by the model asked for (0 when it has none: a money budget then counts what
     * the answer is priced at when it ends). A body the gateway does not read as a request (an
     * embedding's) is estimated at 4 bytes a token; a token count costs no tokens.
     */
    private CompletionStage<Admission> reserve(
            ClientLimits limits,
            String keyName,
            String model,
            byte[] body,
            GenerationRequest request,
            Settings s,
            long routeCap) {
        long input;
        long output;
        if (endpoint.kind() == Endpoint.Kind.COUNT) {
            input = 0;
            output = 0;
        } else if (request != null) {
            input = observers.estimate().promptTokens(request);
            output = request.maxTokens() > 0 ? request.maxTokens() : routeCap;
        } else {
            input = body == null ? 0 : body.length / 4;
            output = 0;
        }
        Cost cost = s.prices().cost(model, new TokenUsage(input, output, 0, true));
        long micro = cost.known() ? Math.round(cost.usd() * 1e6) : 0;
        return limits.reserve(keyName, input + output, micro, System.currentTimeMillis());
    }

    /**
     * A request its key's limits refused, in the ingress API's shape. A rate or the requests in
     * flight: 429 with {@code Retry-After} (none when the request alone is larger than the limit).
     * A budget: OpenAI's 429 {@code insufficient_quota}, Anthropic's 400 {@code
     * invalid_request_error} (its answer to a spent credit balance, which its SDKs do not retry),
     * Gemini's 429 {@code RESOURCE_EXHAUSTED}; no {@code Retry-After}, since the period's end is
     * hours away.
     */
    private void refuseOverLimit(Exchange ex, Admission.Refused r, String keyName, String requestId) {
        Rule rule = r.ask().rule();
        String what = KeyLimitHeaders.describe(rule);
        String who = ClientLimits.who(r.ask().subject(), keyName);
        if (rule.budget()) {
            int status = ingress == Ingress.ANTHROPIC ? 400 : 429;
            String type = ingress == Ingress.ANTHROPIC ? "invalid_request_error" : "insufficient_quota";
            String message = r.retryAfterMillis() < 0
                    ? "the request needs " + r.ask().amount() + " of the budget of " + what + " of " + who
                            + ", more than the whole budget"
                    : who + " has spent its budget of " + what + "; it renews at "
                            + Instant.ofEpochMilli(System.currentTimeMillis() + r.retryAfterMillis());
            ex.respond(
                    status,
                    "application/json",
                    ingress.error(ex, status, type, "insufficient_quota", message, requestId));
            record(ex, requestId, keyName, status, "key_budget", null);
            return;
        }
        String message;
        if (r.retryAfterMillis() < 0) {
            message = "the request needs " + r.ask().amount() + " of the limit of " + what + " of " + who
                    + ", more than the limit itself";
        } else {
            long seconds = Math.max(1, (r.retryAfterMillis() + 999) / 1000);
            ex.responseHeaders().set("retry-after", Long.toString(seconds));
            message = who + " is at its limit of " + what + "; retry in " + seconds + " s";
        }
        String type = rule.meter() == Meter.TOKENS ? "tokens" : "requests"; // OpenAI's types for its own limits
        ex.respond(429, "application/json", ingress.error(ex, 429, type, "rate_limit_exceeded", message, requestId));
        record(ex, requestId, keyName, 429, "key_limit", null);
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
                Cost.UNKNOWN,
                null);
        observers.metrics().requestFinished(r);
        observers.accessLog().log(r);
    }
}
