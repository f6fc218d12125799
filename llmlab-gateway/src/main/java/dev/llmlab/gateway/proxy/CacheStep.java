package dev.llmlab.gateway.proxy;

import dev.llmlab.gateway.account.Cost;
import dev.llmlab.gateway.cache.CacheDirectives;
import dev.llmlab.gateway.cache.CacheKey;
import dev.llmlab.gateway.cache.CachedAnswer;
import dev.llmlab.gateway.cache.Capture;
import dev.llmlab.gateway.cache.ExactCache;
import dev.llmlab.gateway.config.RouteCacheConfig;
import dev.llmlab.gateway.observe.RequestRecord;
import dev.llmlab.http.Exchange;
import dev.llmlab.http.SseStream;
import io.netty.buffer.Unpooled;
import java.util.Map;

/**
 * The exact cache on one request's way, for a route that has one: looks the request's answer up
 * once the request is known to be allowed (its key checked, its model allowed, its route found)
 * and before anything is reserved or sent; answers a hit as it was kept, or lets the request go
 * on, and keeps its answer once it is complete ({@link Flight}, through the try's {@link
 * Capture}).
 *
 * <p>A hit costs its key nothing: no limit, rate or budget counts it (it uses no provider's
 * capacity and costs no money), and it is recorded with its status, {@code cache: hit}, and no
 * usage; what it saved is counted in the cache's own metrics. Every answer of a cached route says
 * what the cache did in {@value #HEADER}: {@code hit}, {@code miss}, or {@code bypass} when the
 * request asked not to be answered from it.
 *
 * <p>Not thread-safe: one per request, used on its event loop.
 */
final class CacheStep {
    static final String HEADER = "x-llmlab-cache";

    private final Exchange ex;
    private final Settings settings;
    private final Observers observers;
    private final Endpoint endpoint;
    private final ExactCache store;
    private final RouteCacheConfig config;
    private final CacheDirectives directives;
    private final CacheKey key;
    private final String route;
    private final String requestId;
    private final String keyName;
    private final boolean stream;
    private String outcome;

    private CacheStep(
            Exchange ex,
            Settings settings,
            Observers observers,
            Endpoint endpoint,
            RouteCacheConfig config,
            CacheDirectives directives,
            CacheKey key,
            String route,
            String requestId,
            String keyName,
            boolean stream) {
        this.ex = ex;
        this.settings = settings;
        this.observers = observers;
        this.endpoint = endpoint;
        this.store = settings.caches().store();
        this.config = config;
        this.directives = directives;
        this.key = key;
        this.route = route;
        this.requestId = requestId;
        this.keyName = keyName;
        this.stream = stream;
    }

    /**
     * The cache's step for a request, or null when its route keeps no answers or its endpoint's
     * answers are not kept (token counts, model lists).
     *
     * @param model   the model name the client asked for
     * @param headers the request's headers by lower-case name
     * @param stream  whether it asks for a stream
     * @throws IllegalArgumentException for a cache header that is not one ({@value
     *     CacheDirectives#TTL_HEADER} not a whole number of seconds)
     */
    static CacheStep of(
            Exchange ex,
            Settings settings,
            Observers observers,
            Endpoint endpoint,
            String route,
            String model,
            String keyName,
            String requestId,
            Map<String, String> headers,
            boolean stream,
            byte[] body) {
        if (endpoint.kind() != Endpoint.Kind.GENERATE && endpoint.kind() != Endpoint.Kind.EMBED) return null;
        RouteCacheConfig config = settings.caches().of(route);
        if (config == null) return null;
        CacheDirectives directives = CacheDirectives.of(
                ex.requestHeaders().get("cache-control"),
                ex.requestHeaders().get(CacheDirectives.TTL_HEADER),
                config.ttl());
        // alt=sse makes a Gemini answer a stream of events instead of one JSON array: another answer
        String alt = ex.queryParam("alt");
        String where = endpoint.pattern() + (alt == null ? "" : "?alt=" + alt);
        String tenant = settings.caches().tenant(config, keyName, Ingress.clientKey(ex));
        CacheKey key = CacheKey.of(where, route, model, tenant, headers, stream, body);
        return new CacheStep(
                ex, settings, observers, endpoint, config, directives, key, route, requestId, keyName, stream);
    }

    /**
     * Answers the request from the cache, or runs {@code miss} (at once, or on the request's event
     * loop once the shared tier answered).
     */
    void lookup(Runnable miss) {
        if (!directives.read()) {
            outcome = "bypass";
            ex.responseHeaders().set(HEADER, outcome);
            observers.metrics().cacheBypassed(route);
            miss.run();
            return;
        }
        store.lookup(key, ex.eventLoop(), hit -> {
            if (hit == null) {
                outcome = "miss";
                ex.responseHeaders().set(HEADER, outcome);
                observers.metrics().cacheMiss(route);
                miss.run();
            } else {
                answer(hit);
            }
        });
    }

    /** What the cache said of a request that went on: {@code miss} or {@code bypass}. */
    String outcome() {
        return outcome;
    }

    /** A capture for a try's answer, or null when the request asked that it not be kept. */
    Capture capture() {
        return directives.store() ? new Capture(config.maxEntryBytes()) : null;
    }

    /**
     * Keeps the answer of the try whose reply this is, if it was captured whole: a 200 that
     * reached its client complete.
     *
     * @param providerModel the model the provider was asked for, to price what a hit saves
     */
    void keep(Reply reply, String providerModel) {
        Capture c = reply.capture;
        if (c == null || !c.complete()) return;
        CachedAnswer a = new CachedAnswer(
                200,
                c.contentType(),
                c.stream(),
                c.bytes(),
                providerModel,
                reply.tally.usage(),
                System.currentTimeMillis());
        store.put(key, a, directives.ttl());
        observers.metrics().cacheStored(route);
    }

    /** The answer kept, as it was first sent: a stream's events at once, then its end. */
    private void answer(ExactCache.Hit hit) {
        CachedAnswer a = hit.answer();
        if (!ex.isOpen()) {
            record(0, "client_gone", a, -1);
            return;
        }
        ex.responseHeaders().set(HEADER, "hit");
        long age = Math.max(0, System.currentTimeMillis() - a.storedAtMillis()) / 1000;
        ex.responseHeaders().set("age", Long.toString(age));
        ex.responseHeaders().set(Endpoints.OVERHEAD_HEADER, Flight.millis(System.nanoTime() - ex.receivedNanos()));
        long firstByte = -1;
        if (a.stream()) {
            SseStream sse = ex.startSse();
            sse.send(Unpooled.wrappedBuffer(a.body()));
            firstByte = System.nanoTime() - ex.receivedNanos();
            sse.end();
        } else {
            ex.respond(a.status(), a.contentType(), Unpooled.wrappedBuffer(a.body()));
        }
        Cost saved = a.usage() == null || a.model() == null
                ? Cost.UNKNOWN
                : settings.prices().cost(a.model(), a.usage());
        observers.metrics().cacheHit(route, hit.shared(), a.usage(), saved.known() ? saved.usd() : Double.NaN);
        record(a.status(), null, a, firstByte);
    }

    private void record(int status, String errorType, CachedAnswer a, long firstByteNanos) {
        long e2e = System.nanoTime() - ex.receivedNanos();
        RequestRecord r = new RequestRecord(
                requestId,
                System.currentTimeMillis() - e2e / 1_000_000,
                keyName,
                Observed.ingress(endpoint),
                route,
                null,
                null,
                a.model(),
                status,
                errorType,
                stream,
                0,
                0,
                firstByteNanos,
                e2e,
                -1,
                e2e,
                null,
                Cost.UNKNOWN,
                "hit");
        observers.metrics().requestFinished(r);
        observers.accessLog().log(r);
    }
}
