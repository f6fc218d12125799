package dev.llmlab.gateway.proxy;

import dev.llmlab.api.client.ClientApi;
import dev.llmlab.gateway.config.RetryConfig;
import dev.llmlab.gateway.keys.Key;
import dev.llmlab.gateway.keys.RateLimitHeaders;
import dev.llmlab.gateway.provider.Provider;
import dev.llmlab.gateway.reliability.Breaker;
import dev.llmlab.gateway.route.Deployment;
import dev.llmlab.gateway.route.Route;
import dev.llmlab.gateway.route.Routes;
import dev.llmlab.http.Exchange;
import dev.llmlab.http.SseStream;
import dev.llmlab.http.client.Call;
import dev.llmlab.http.client.ClientException;
import dev.llmlab.http.client.HttpClient;
import dev.llmlab.http.client.RequestHead;
import dev.llmlab.http.client.ResponseHead;
import dev.llmlab.http.client.ResponseListener;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
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
    private final HttpClient client;
    private final ClientApi api;
    private final Ingress ingress;
    private final Endpoint endpoint;
    private final byte[] body;
    private final RequestScan scan;
    private final String geminiModel;
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
    private ClientApi providerApi;
    private long decidedAt;
    private long ownNanos;

    /** The answer of the current try. */
    private int status;

    private String contentType;
    private SseStream sse;
    private boolean done;
    private ScheduledFuture<?> deadlineTimer;

    /** The last failed try's answer, for the client when no later try succeeds. */
    private int lastStatus;

    private byte[] lastBody;
    private String lastContentType;
    private ClientApi lastApi;
    private final Map<String, String> lastHeaders = new LinkedHashMap<>();
    private ClientException lastFailure;
    private boolean anyKeyCooling;
    private long keyFreeAt = Long.MAX_VALUE;

    Flight(
            Exchange ex,
            Settings settings,
            HttpClient client,
            Endpoint endpoint,
            byte[] body,
            RequestScan scan,
            String geminiModel,
            Map<String, String> forwarded,
            boolean forwardClientCredentials,
            String requestId,
            Routes.Match match) {
        this.ex = ex;
        this.settings = settings;
        this.client = client;
        this.endpoint = endpoint;
        this.api = endpoint.api();
        this.ingress = Ingress.of(api);
        this.body = body;
        this.scan = scan;
        this.geminiModel = geminiModel;
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
        if (target != api) {
            breaker.release();
            // Translation between APIs is wired in a later step; until then such a route answers
            // this, so that no request is sent in a shape its provider does not read.
            answerError(
                    400,
                    "invalid_request_error",
                    "the route's deployment " + d.name() + " speaks " + target.flag() + ", and this request came in on "
                            + api.flag() + ": translating between them is not built yet");
            return true;
        }
        String model = d.model(routed);
        String path = endpoint.providerPath(model, geminiModel, ex);
        Map<String, String> headers = new LinkedHashMap<>(forwarded);
        String secret = k.secret() == null ? null : k.secret().reveal();
        if (secret != null || !forwardClientCredentials) for (String c : Endpoints.CREDENTIALS) headers.remove(c);
        provider.credentials(headers, secret);
        headers.put(Endpoints.REQUEST_ID, requestId);
        byte[] out = body == null || api == ClientApi.GEMINI ? body : scan.withModel(body, model);
        RequestHead head =
                RequestHead.of(provider.upstream().origin(), ex.method(), provider.target(path, model), headers);
        deployment = d;
        key = k;
        providerApi = target;
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
        RateLimitHeaders.apply(key, head::header, now, System.currentTimeMillis());
        if (status >= 200 && status < 300) {
            deployment.breaker().record(now, false);
            key.succeeded();
            copyHeaders(head, ex.responseHeaders());
            if (!head.eventStream()) return Body.WHOLE;
            deployment.sample(c.firstByteNanos() - c.sentNanos(), c.firstByteNanos());
            ownNanos += Math.max(0, c.sentNanos() - decidedAt) + Math.max(0, System.nanoTime() - c.firstByteNanos());
            setOverhead();
            sse = ex.startSse();
            sse.onClose(c::cancel);
            done = true;
            cancelDeadline();
            return Body.STREAM;
        }
        lastHeaders.clear();
        head.forEach((name, value) -> {
            String n = name.toLowerCase(Locale.ROOT);
            if (n.equals("retry-after") || n.startsWith("x-ratelimit") || n.startsWith("anthropic-ratelimit"))
                lastHeaders.put(n, value);
        });
        if (status == 429) {
            key.rateLimited(now, RateLimitHeaders.retryAfterNanos(head::header, System.currentTimeMillis()));
        } else if (status == 401 || status == 403) {
            if (key.secret() != null && key.removedBecause() == null) {
                key.remove("the provider answered " + status);
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
        if (!sse.isOpen()) return;
        sse.send(content.retainedSlice(index, length));
        if (!sse.isWritable()) {
            c.pause();
            sse.whenWritable(c::resume);
        }
    }

    @Override
    public void onEnd(Call c, byte[] answer, int length) {
        deployment.end();
        long end = System.nanoTime();
        if (sse != null) {
            sse.end();
            return;
        }
        if (status >= 200 && status < 300) {
            deployment.sample(end - c.sentNanos(), end);
            if (done || !ex.isOpen()) return;
            done = true;
            cancelDeadline();
            ownNanos += Math.max(0, c.sentNanos() - decidedAt);
            ByteBuf buf = ex.alloc().buffer(length);
            buf.writeBytes(answer, 0, length);
            ownNanos += System.nanoTime() - end;
            setOverhead();
            ex.respond(status, contentType, buf);
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
        lastApi = providerApi;
        lastFailure = null;
        if (retryable) retry();
        else giveUp();
    }

    @Override
    public void onFailure(Call c, ClientException failure) {
        deployment.end();
        long now = System.nanoTime();
        if (failure.kind() == ClientException.Kind.CANCELLED) {
            deployment.breaker().release();
            if (sse != null) sse.abort();
            else if (ex.isOpen() && !done) ex.abort();
            return;
        }
        deployment.breaker().record(now, true);
        log.debug("upstream call to {} failed: {}", deployment.name(), failure.getMessage());
        if (sse != null) {
            // Bytes have reached the client: an error event in the stream's own shape, then the end.
            if (sse.isOpen()) {
                sse.send(ingress.streamError(
                        ex, 502, "upstream_error", "the upstream stream broke: " + failure.getMessage(), requestId));
            }
            sse.end();
            return;
        }
        ownNanos += c.sentNanos() > 0 ? Math.max(0, c.sentNanos() - decidedAt) : 0;
        lastFailure = failure;
        lastBody = null;
        lastStatus = 0;
        retry();
    }

    /** Another try after a backoff, if the budget and the deadline allow; else the next link or the end. */
    private void retry() {
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
            if (lastApi == api) {
                done = true;
                cancelDeadline();
                lastHeaders.forEach((n, v) -> ex.responseHeaders().set(n, v));
                ByteBuf buf = ex.alloc().buffer(lastBody.length);
                buf.writeBytes(lastBody);
                setOverhead();
                ex.respond(lastStatus, lastContentType == null ? "application/json" : lastContentType, buf);
            } else {
                lastHeaders.forEach((n, v) -> ex.responseHeaders().set(n, v));
                answerError(
                        lastStatus,
                        "upstream_error",
                        "the upstream answered " + lastStatus + ": "
                                + firstLine(new String(lastBody, StandardCharsets.UTF_8)));
            }
            return;
        }
        if (lastFailure != null) {
            boolean timeout = switch (lastFailure.kind()) {
                case CONNECT_TIMEOUT, FIRST_BYTE_TIMEOUT, IDLE_TIMEOUT, TOTAL_TIMEOUT -> true;
                default -> false;
            };
            answerError(
                    timeout ? 504 : 502, "upstream_error", "the upstream did not answer: " + lastFailure.getMessage());
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
                    "every key of route " + route + " is at its rate limit or cooling down; retry in " + wait + " s");
        } else {
            answerError(
                    503,
                    "upstream_unavailable",
                    "no deployment of route " + route + " can take requests now (circuit breakers open, or keys"
                            + " revoked)");
        }
    }

    private void deadlinePassed() {
        if (done || !ex.isOpen()) return;
        Call c = call;
        answerError(
                504,
                "upstream_error",
                "the request's deadline (" + settings.retry().deadline().toMillis()
                        + " ms) passed before an answer began");
        if (c != null) c.cancel();
    }

    private void answerError(int code, String type, String message) {
        if (done || !ex.isOpen()) return;
        done = true;
        cancelDeadline();
        ownNanos = Math.max(ownNanos, 0);
        setOverhead();
        ex.respond(code, "application/json", ingress.error(ex, code, type, message, requestId));
    }

    private void cancelDeadline() {
        if (deadlineTimer != null) deadlineTimer.cancel(false);
    }

    private void setOverhead() {
        ex.responseHeaders().set(Endpoints.OVERHEAD_HEADER, String.format(Locale.ROOT, "%.3f", ownNanos / 1e6));
        if (deployment != null) ex.responseHeaders().set(Endpoints.DEPLOYMENT_HEADER, deployment.name());
        if (sends > 1) ex.responseHeaders().set(Endpoints.TRIES_HEADER, Integer.toString(sends));
    }

    private static void copyHeaders(ResponseHead head, HttpHeaders out) {
        head.forEach((name, value) -> {
            if (!Endpoints.NOT_RETURNED.contains(name.toLowerCase(Locale.ROOT))) out.add(name, value);
        });
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
