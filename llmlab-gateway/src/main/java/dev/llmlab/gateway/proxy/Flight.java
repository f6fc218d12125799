package dev.llmlab.gateway.proxy;

import dev.llmlab.api.ApiException;
import dev.llmlab.api.GenerationRequest;
import dev.llmlab.api.client.ClientApi;
import dev.llmlab.api.client.ClientRequest;
import dev.llmlab.api.relay.Parsed;
import dev.llmlab.api.relay.Relay;
import dev.llmlab.api.relay.RelayError;
import dev.llmlab.api.relay.Translation;
import dev.llmlab.gateway.account.Cost;
import dev.llmlab.gateway.account.TokenUsage;
import dev.llmlab.gateway.config.RetryConfig;
import dev.llmlab.gateway.keys.Key;
import dev.llmlab.gateway.keys.RateLimitHeaders;
import dev.llmlab.gateway.observe.RequestRecord;
import dev.llmlab.gateway.provider.Provider;
import dev.llmlab.gateway.reliability.Breaker;
import dev.llmlab.gateway.route.Deployment;
import dev.llmlab.gateway.route.Route;
import dev.llmlab.gateway.route.Routes;
import dev.llmlab.http.Exchange;
import dev.llmlab.http.client.Call;
import dev.llmlab.http.client.ClientException;
import dev.llmlab.http.client.HttpClient;
import dev.llmlab.http.client.RequestHead;
import dev.llmlab.http.client.ResponseHead;
import dev.llmlab.http.client.ResponseListener;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request on its way through the gateway: the tries of its route's deployments, retries with
 * backoff, the fallback routes, and the answer relayed back.
 *
 * <h2>Tries</h2>
 * The route's strategy picks a deployment among those usable now: breaker letting requests
 * through, a key free, and not yet tried by this request (when each has been tried, tried ones
 * are picked again). A try that fails before anything reached the client is retried when it may
 * succeed elsewhere or later: a connection that could not be made or broke before the answer, a
 * timeout before the first byte, a 429 (its key cools down), a 401 or 403 (its key is taken out),
 * a 500, 502, 503, 504 or 529. Up to {@code retry.attempts} retries per route, each after a
 * backoff drawn uniformly below a ceiling that doubles from {@code retry.backoff} ("full jitter":
 * Brooker, "Exponential Backoff And Jitter", AWS Architecture Blog, 2015), each taken from the
 * gateway's retry budget; then the route's fallbacks, in order, each with its own retries. Nothing
 * is retried once bytes have reached the client: a stream that breaks ends with an error event.
 *
 * <h2>What the client gets when every try failed</h2>
 * The last upstream answer, as it was (the same API) when there was one; else a 502 (or a 504 for
 * a timeout) in the client's API's shape. When no deployment could be tried at all: a 429 with
 * {@code Retry-After} when keys are cooling down, else a 503 (breakers open).
 *
 * <p>Threading: everything runs on the request's event loop (the client's callbacks and the backoff
 * timers), one step at a time.
 */
final class Flight implements ResponseListener {
    private static final Logger log = LoggerFactory.getLogger(Flight.class);

    private final Exchange ex;
    private final Settings settings;
    private final Observers observers;
    private final HttpClient client;
    private final ClientApi api;
    private final Ingress ingress;
    private final Endpoint endpoint;
    private final byte[] body;
    private final RequestScan scan;
    /** The request as the relay reads it, for a translation: read once, when the first try needs it. */
    private Parsed parsed;

    private final dev.llmlab.api.relay.Ingress relayIngress;
    private final GenerationRequest request;
    private final String clientKeyName;
    private final long startMillis = System.currentTimeMillis();
    private final Map<String, String> forwarded;
    private final boolean forwardClientCredentials;
    private final String requestId;
    private final String session;
    private final long estimatedTokens;
    private final long deadline;

    private final List<Route> chain = new ArrayList<>(2);
    private final List<String> routedModels = new ArrayList<>(2);
    private int link;
    private int triesInLink;
    private final Set<Deployment> tried = new HashSet<>();
    private int retries;
    private int sends;
    private int fallbacks;

    /** The current try. */
    private Deployment deployment;

    private Key key;
    private Call call;
    private long decidedAt;
    private long ownNanos;

    /** The answer of the current try. */
    private int status;

    private String contentType;
    private Reply reply;
    private String model;
    private long upstreamNanos = -1;
    private boolean done;
    private boolean recorded;
    private ScheduledFuture<?> deadlineTimer;

    /** The last failed try's answer, for the client when no later try succeeds. */
    private int lastStatus;

    private byte[] lastBody;
    private String lastContentType;
    private final Map<String, String> lastHeaders = new LinkedHashMap<>();
    private Reply lastReply;
    private ClientException lastFailure;
    private boolean anyKeyCooling;
    private long keyFreeAt = Long.MAX_VALUE;

    /**
     * @param relayIngress  the request's API as the relay names it, for a translation; null for
     *                      what is only passed through (embeddings, token counts, a GET)
     * @param request       the request in the internal model (a token count's too), or null
     * @param clientKeyName the configured name of the client's key, or null
     */
    Flight(
            Exchange ex,
            Settings settings,
            Observers observers,
            HttpClient client,
            Endpoint endpoint,
            byte[] body,
            RequestScan scan,
            dev.llmlab.api.relay.Ingress relayIngress,
            GenerationRequest request,
            Map<String, String> forwarded,
            boolean forwardClientCredentials,
            String requestId,
            String clientKeyName,
            Routes.Match match) {
        this.ex = ex;
        this.settings = settings;
        this.observers = observers;
        this.client = client;
        this.endpoint = endpoint;
        this.api = endpoint.api();
        this.ingress = Ingress.of(api);
        this.body = body;
        this.scan = scan;
        this.relayIngress = relayIngress;
        this.request = request;
        this.clientKeyName = clientKeyName;
        this.forwarded = forwarded;
        this.forwardClientCredentials = forwardClientCredentials;
        this.requestId = requestId;
        this.chain.add(match.route());
        this.routedModels.add(match.model());
        for (String f : match.route().fallbacks()) {
            Route r = settings.routes().named(f);
            if (r != null) {
                chain.add(r);
                routedModels.add(r.name());
            }
        }
        String sticky = match.route().stickyHeader();
        this.session = sticky == null ? null : ex.requestHeaders().get(sticky);
        // a rough guess for the tokens-per-minute check, before anything is counted: 4 bytes a token
        this.estimatedTokens = body == null ? 0 : body.length / 4;
        RetryConfig retry = settings.retry();
        this.deadline = retry.deadline().isZero()
                ? 0
                : ex.receivedNanos() + retry.deadline().toNanos();
    }

    void start() {
        decidedAt = ex.receivedNanos();
        settings.budget().request(System.nanoTime());
        ex.onClose(() -> {
            if (call != null) call.cancel();
            if (!done) record(0, "client_gone");
        });
        if (deadline != 0) {
            long in = deadline - System.nanoTime();
            deadlineTimer = ex.eventLoop().schedule(this::deadlinePassed, Math.max(0, in), TimeUnit.NANOSECONDS);
        }
        next();
    }

    /** Starts the next try, or answers with what the tries got. */
    private void next() {
        if (done || !ex.isOpen()) return;
        long now = System.nanoTime();
        while (link < chain.size()) {
            Route route = chain.get(link);
            if (triesInLink <= settings.retry().attempts()) {
                Deployment d = route.pick(session, x -> usable(x, now, true));
                if (d == null) d = route.pick(session, x -> usable(x, now, false));
                if (d != null && begin(d, routedModels.get(link), now)) return;
            }
            link++;
            triesInLink = 0;
            if (link < chain.size()) fallbacks++;
        }
        giveUp();
    }

    private boolean usable(Deployment d, long now, boolean untriedOnly) {
        if (untriedOnly && tried.contains(d)) return false;
        if (!d.breaker().allows(now)) return false;
        long at = d.keys().availableAt(now, estimatedTokens);
        if (at > now) {
            if (at != Long.MAX_VALUE) {
                anyKeyCooling = true;
                keyFreeAt = Math.min(keyFreeAt, at);
            }
            return false;
        }
        return true;
    }

    /** Sends a try to {@code d}; false if it turned out unusable after all (a race for its last slot). */
    private boolean begin(Deployment d, String routed, long now) {
        Key k = d.keys().pick(now, estimatedTokens);
        if (k == null) return false;
        Breaker breaker = d.breaker();
        if (!breaker.tryAcquire(now)) return false;
        Provider provider = d.provider();
        ClientApi target = provider.apiFor(api);
        String m = d.model(routed);
        String secret = k.secret() == null ? null : k.secret().reveal();
        Tally tally = new Tally(observers.estimate(), request);
        Map<String, String> headers = new LinkedHashMap<>();
        String path;
        byte[] out;
        Reply r;
        if (target == api) {
            headers.putAll(forwarded);
            if (secret != null || !forwardClientCredentials) for (String c : Endpoints.CREDENTIALS) headers.remove(c);
            path = endpoint.providerPath(m, ex);
            out = body == null || api == ClientApi.GEMINI ? body : scan.withModel(body, m);
            boolean strip = false;
            if (out != null
                    && scan != null
                    && request != null
                    && request.stream()
                    && !scan.streamOptions()
                    && (api == ClientApi.OPENAI_CHAT || api == ClientApi.OPENAI_COMPLETIONS)) {
                out = RequestScan.withIncludeUsage(out);
                strip = true;
            }
            r = new PassReply(ex, tally, ingress, target, request, strip, requestId);
        } else if (relayIngress == null) {
            breaker.release();
            String what = endpoint.suffix().replace("/", "").replace(":", "");
            answerError(
                    400,
                    "invalid_request_error",
                    "the route's deployment " + d.name() + " speaks " + target.flag() + ", which has no " + what
                            + " to translate " + api.flag() + "'s into",
                    "untranslatable");
            return true;
        } else if (relayIngress.api() == ClientApi.GEMINI && relayIngress.stream() && !relayIngress.sse()) {
            breaker.release();
            answerError(
                    400,
                    "invalid_request_error",
                    "the route's deployment " + d.name() + " speaks " + target.flag()
                            + ": a stream translated from it is served as server-sent events only; add ?alt=sse",
                    "untranslatable");
            return true;
        } else {
            Translation t;
            try {
                if (parsed == null) parsed = Relay.parse(relayIngress, body, 0, body.length);
                t = Relay.request(parsed, target, m, null);
            } catch (ApiException e) {
                breaker.release();
                done = true;
                cancelDeadline();
                RelayError re = Relay.error(relayIngress, e);
                setOverhead();
                ex.respond(re.status(), re.contentType(), Unpooled.wrappedBuffer(re.body()));
                record(re.status(), "untranslatable");
                return true;
            }
            ClientRequest cr = t.request();
            for (ClientRequest.Header h : cr.headers()) headers.put(h.name(), h.value());
            path = cr.path();
            out = cr.body();
            r = new TranslatedReply(ex, tally, t);
        }
        provider.credentials(headers, secret);
        headers.put(Endpoints.REQUEST_ID, requestId);
        RequestHead head = RequestHead.of(provider.upstream().origin(), ex.method(), provider.target(path, m), headers);
        if (link > 0 && triesInLink == 0 && deployment != null)
            observers.metrics().fallback(chain.get(link).name(), deployment.name(), d.name());
        deployment = d;
        key = k;
        model = m;
        reply = r;
        tried.add(d);
        triesInLink++;
        sends++;
        k.sent(now, estimatedTokens);
        d.begin();
        status = 0;
        call = client.send(head, out, this);
        return true;
    }

    @Override
    public Body onHead(Call c, ResponseHead head) {
        status = head.status();
        contentType = head.header("content-type");
        long now = System.nanoTime();
        Map<String, String> limits = head.rateLimitHeaders();
        if (!limits.isEmpty()) RateLimitHeaders.apply(key, limits::get, now, System.currentTimeMillis());
        if (status >= 200 && status < 300) {
            deployment.breaker().record(now, false);
            key.succeeded();
            if (reply instanceof PassReply) copyHeaders(head, ex.responseHeaders());
            if (!head.eventStream()) return reply.start(c, head);
            deployment.sample(c.firstByteNanos() - c.sentNanos(), c.firstByteNanos());
            ownNanos += Math.max(0, c.sentNanos() - decidedAt) + Math.max(0, System.nanoTime() - c.firstByteNanos());
            setOverhead();
            done = true;
            cancelDeadline();
            return reply.start(c, head);
        }
        lastHeaders.clear();
        head.forEach((name, value) -> {
            String n = name.toLowerCase(Locale.ROOT);
            if (n.equals("retry-after") || n.startsWith("x-ratelimit") || n.startsWith("anthropic-ratelimit"))
                lastHeaders.put(n, value);
        });
        if (status == 429) {
            long until =
                    key.rateLimited(now, RateLimitHeaders.retryAfterNanos(head::header, System.currentTimeMillis()));
            observers.metrics().keyCooldown(deployment.name(), key.name(), Math.max(0, until - now) / 1e9);
        } else if (status == 401 || status == 403) {
            if (key.secret() != null && key.removedBecause() == null) {
                key.remove("the provider answered " + status);
                observers.metrics().keyRemoved(deployment.name(), key.name(), status);
                log.warn(
                        "key {} of deployment {} is out of rotation: the provider answered {} to it",
                        key.name(),
                        deployment.name(),
                        status);
            }
        }
        return Body.WHOLE;
    }

    @Override
    public void onBody(Call c, ByteBuf content, int index, int length) {
        if (reply.sse.isOpen()) reply.chunk(c, content, index, length);
    }

    @Override
    public void onEnd(Call c, byte[] answer, int length) {
        deployment.end();
        long end = System.nanoTime();
        upstreamNanos = end - c.sentNanos();
        if (reply.streaming()) {
            boolean complete = !reply.sse.isOpen() || reply.streamEnded();
            record(status, complete ? null : "stream_broken");
            return;
        }
        if (status >= 200 && status < 300) {
            deployment.sample(end - c.sentNanos(), end);
            if (done || !ex.isOpen()) return;
            done = true;
            cancelDeadline();
            ownNanos += Math.max(0, c.sentNanos() - decidedAt);
            try {
                reply.whole(status, answer, length, contentType, () -> {
                    ownNanos += System.nanoTime() - end;
                    setOverhead();
                });
            } catch (RuntimeException e) {
                // an answer its own API's decoder cannot read, which the relay did not catch
                log.debug("the answer of {} could not be relayed: {}", deployment.name(), e.toString());
                done = false;
                answerError(502, "upstream_error", "the provider's answer could not be read", "upstream_malformed");
                return;
            }
            record(status, null);
            return;
        }
        Breaker breaker = deployment.breaker();
        boolean deploymentFailed = status >= 500;
        boolean retryable = status == 429
                || status == 401
                || status == 403
                || status == 500
                || status == 502
                || status == 503
                || status == 504
                || status == 529;
        if (deploymentFailed) breaker.record(end, true);
        else if (status == 429 || status == 401 || status == 403) breaker.release();
        else breaker.record(end, false);
        ownNanos += Math.max(0, c.sentNanos() - decidedAt);
        lastStatus = status;
        lastBody = java.util.Arrays.copyOf(answer, length);
        lastContentType = contentType;
        lastReply = reply;
        lastFailure = null;
        if (retryable) retry(errorType(status));
        else giveUp();
    }

    @Override
    public void onFailure(Call c, ClientException failure) {
        deployment.end();
        long now = System.nanoTime();
        if (failure.kind() == ClientException.Kind.CANCELLED) {
            deployment.breaker().release();
            if (reply.streaming()) reply.sse.abort();
            else if (ex.isOpen() && !done) ex.abort();
            record(0, "client_gone");
            return;
        }
        deployment.breaker().record(now, true);
        log.debug("upstream call to {} failed: {}", deployment.name(), failure.getMessage());
        if (reply.streaming()) {
            // Bytes have reached the client: an error event in the stream's own shape, then the end.
            upstreamNanos = now - c.sentNanos();
            if (reply.sse.isOpen()) reply.broke("the upstream stream broke: " + failure.getMessage());
            record(status, "stream_broken");
            return;
        }
        ownNanos += c.sentNanos() > 0 ? Math.max(0, c.sentNanos() - decidedAt) : 0;
        lastFailure = failure;
        lastBody = null;
        lastStatus = 0;
        retry(errorType(failure));
    }

    /** Another try after a backoff, if the budget and the deadline allow; else the next link or the end. */
    private void retry(String errorType) {
        if (done || !ex.isOpen()) return;
        RetryConfig r = settings.retry();
        long now = System.nanoTime();
        boolean moreHere = triesInLink <= r.attempts();
        if (moreHere && !settings.budget().tryRetry(now)) {
            log.debug("the retry budget is spent: no retry of {}", requestId);
            triesInLink = Integer.MAX_VALUE - 1;
            moreHere = false;
        }
        long delay = 0;
        if (moreHere) {
            retries++;
            observers.metrics().retry(chain.get(link).name(), deployment.name(), errorType);
            long ceiling = Math.min(r.maxBackoff().toNanos(), r.backoff().toNanos() << Math.min(triesInLink - 1, 30));
            delay = ceiling <= 0 ? 0 : ThreadLocalRandom.current().nextLong(ceiling + 1);
            if (deadline != 0 && now + delay >= deadline) {
                giveUp();
                return;
            }
        }
        if (delay == 0) {
            decidedAt = System.nanoTime();
            next();
        } else {
            ex.eventLoop()
                    .schedule(
                            () -> {
                                decidedAt = System.nanoTime();
                                next();
                            },
                            delay,
                            TimeUnit.NANOSECONDS);
        }
    }

    /** No try left: the last answer, or why there was none. */
    private void giveUp() {
        if (done || !ex.isOpen()) return;
        if (lastBody != null) {
            done = true;
            cancelDeadline();
            lastHeaders.forEach((n, v) -> ex.responseHeaders().set(n, v));
            long from = System.nanoTime();
            lastReply.failed(lastStatus, lastBody, lastContentType, () -> {
                ownNanos += System.nanoTime() - from;
                setOverhead();
            });
            record(lastStatus, errorType(lastStatus));
            return;
        }
        if (lastFailure != null) {
            boolean timeout = switch (lastFailure.kind()) {
                case CONNECT_TIMEOUT, FIRST_BYTE_TIMEOUT, IDLE_TIMEOUT, TOTAL_TIMEOUT -> true;
                default -> false;
            };
            answerError(
                    timeout ? 504 : 502,
                    "upstream_error",
                    "the upstream did not answer: " + lastFailure.getMessage(),
                    errorType(lastFailure));
            return;
        }
        String route = chain.getFirst().name();
        if (anyKeyCooling) {
            long wait = keyFreeAt == Long.MAX_VALUE
                    ? 1
                    : Math.max(1, (keyFreeAt - System.nanoTime() + 999_999_999L) / 1_000_000_000L);
            ex.responseHeaders().set("retry-after", Long.toString(wait));
            answerError(
                    429,
                    "rate_limit_error",
                    "every key of route " + route + " is at its rate limit or cooling down; retry in " + wait + " s",
                    "keys_cooling");
        } else {
            answerError(
                    503,
                    "upstream_unavailable",
                    "no deployment of route " + route + " can take requests now (circuit breakers open, or keys"
                            + " revoked)",
                    "no_deployment");
        }
    }

    private void deadlinePassed() {
        if (done || !ex.isOpen()) return;
        Call c = call;
        answerError(
                504,
                "upstream_error",
                "the request's deadline (" + settings.retry().deadline().toMillis()
                        + " ms) passed before an answer began",
                "deadline");
        if (c != null) c.cancel();
    }

    private void answerError(int code, String type, String message, String errorType) {
        if (done || !ex.isOpen()) return;
        done = true;
        cancelDeadline();
        setOverhead();
        ex.respond(code, "application/json", ingress.error(ex, code, type, message, requestId));
        record(code, errorType);
    }

    /** The request's one record, for the metrics and the access log; once, however it ended. */
    private void record(int code, String errorType) {
        if (recorded) return;
        recorded = true;
        long now = System.nanoTime();
        TokenUsage usage = reply == null ? null : reply.tally.usage();
        Cost cost = usage == null || model == null
                ? Cost.UNKNOWN
                : settings.prices().cost(model, usage);
        // the key's minute counted a guess from the body's size: put the tokens used in its place
        if (key != null && usage != null)
            key.correctTokens(now, usage.inputTokens() + usage.outputTokens() - estimatedTokens);
        long ttft = reply != null && reply.streaming() && reply.firstTokenSentNanos >= 0
                ? reply.firstTokenSentNanos - ex.receivedNanos()
                : -1;
        RequestRecord r = new RequestRecord(
                requestId,
                startMillis,
                clientKeyName,
                Observed.ingress(endpoint),
                chain.getFirst().name(),
                deployment == null ? null : deployment.name(),
                deployment == null ? null : deployment.provider().kind().flag(),
                model == null || model.isEmpty() ? null : model,
                code,
                errorType,
                request != null && request.stream(),
                sends,
                fallbacks,
                ttft,
                now - ex.receivedNanos(),
                upstreamNanos,
                ownNanos,
                usage,
                cost);
        observers.metrics().requestFinished(r);
        observers.accessLog().log(r);
    }

    private static String errorType(int status) {
        if (status == 429) return "rate_limited";
        if (status == 401 || status == 403) return "upstream_auth";
        if (status >= 500) return "upstream_5xx";
        return "upstream_4xx";
    }

    private static String errorType(ClientException f) {
        return switch (f.kind()) {
            case CONNECT_TIMEOUT, FIRST_BYTE_TIMEOUT, IDLE_TIMEOUT, TOTAL_TIMEOUT -> "timeout";
            case CONNECT, TLS, PROXY -> "connect_error";
            default -> "upstream_closed";
        };
    }

    private void cancelDeadline() {
        if (deadlineTimer != null) deadlineTimer.cancel(false);
    }

    private void setOverhead() {
        ex.responseHeaders().set(Endpoints.OVERHEAD_HEADER, millis(ownNanos));
        if (deployment != null) ex.responseHeaders().set(Endpoints.DEPLOYMENT_HEADER, deployment.name());
        if (sends > 1) ex.responseHeaders().set(Endpoints.TRIES_HEADER, Integer.toString(sends));
    }

    /** Nanoseconds as milliseconds with three decimals ({@code 0.042}), without a formatter's cost. */
    static String millis(long nanos) {
        long micros = Math.max(0, (nanos + 500) / 1000);
        long frac = micros % 1000;
        return (micros / 1000) + (frac < 10 ? ".00" : frac < 100 ? ".0" : ".") + frac;
    }

    private static void copyHeaders(ResponseHead head, HttpHeaders out) {
        head.forEach((name, value) -> {
            if (!Endpoints.NOT_RETURNED.contains(name.toLowerCase(Locale.ROOT))) out.add(name, value);
        });
    }
}
