package dev.llmlab.gateway.proxy;

import dev.llmlab.api.GenerationRequest;
import dev.llmlab.gateway.config.RetryConfig;
import dev.llmlab.gateway.keys.Key;
import dev.llmlab.gateway.limits.Limiter;
import dev.llmlab.gateway.limits.Reservation;
import dev.llmlab.gateway.reliability.Breaker;
import dev.llmlab.gateway.route.Deployment;
import dev.llmlab.gateway.route.Routes;
import dev.llmlab.http.Exchange;
import dev.llmlab.http.client.Call;
import dev.llmlab.http.client.ClientException;
import dev.llmlab.http.client.HttpClient;
import dev.llmlab.http.client.ResponseHead;
import dev.llmlab.http.client.ResponseListener;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request on its way through the gateway: the state machine of its tries, from its arrival
 * to its one record. Each step asks {@link Tries} which deployment comes next (and after what
 * backoff), has {@link Outbound} build that try's request, sends it, and takes the answer as the
 * client's {@link ResponseListener}: a 2xx goes on to the client through the try's {@link Reply};
 * a failure is kept by {@link Failures}, which says whether another try may mend it and, once no
 * try is left, what the client gets. Nothing is retried once bytes have reached the client.
 *
 * <p>Each try's outcome feeds back into what later requests pick: its deployment's breaker and
 * latency samples, and its key (rate-limit headers, a 429's cooldown, a 401 or 403 taking it out
 * of rotation). The gateway's own time ({@code x-llmlab-overhead-ms} and the overhead histogram)
 * counts, for each try, from the decision to try (the request read, or a backoff ended) to the
 * call begun, and the answer's handling until it is handed on: never the upstream's time, nor a
 * backoff. A deadline ({@code retry.deadline}) ends it all with a 504 while no answer has begun.
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
    private final Ingress ingress;
    private final String requestId;
    private final long estimatedTokens;
    private final long deadline;
    private final Outbound outbound;
    private final Tries tries;
    private final Failures failures = new Failures();
    private final Ledger ledger;

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
    private ScheduledFuture<?> deadlineTimer;
    /** The exact cache's step, which keeps a complete answer; or null. */
    private CacheStep cache;

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
        this.ingress = Ingress.of(endpoint.api());
        this.requestId = requestId;
        // a rough guess for the tokens-per-minute check, before anything is counted: 4 bytes a token
        this.estimatedTokens = body == null ? 0 : body.length / 4;
        this.outbound = new Outbound(
                ex,
                endpoint,
                body,
                scan,
                relayIngress,
                request,
                forwarded,
                forwardClientCredentials,
                requestId,
                observers.estimate());
        String sticky = match.route().stickyHeader();
        String session = sticky == null ? null : ex.requestHeaders().get(sticky);
        this.tries = new Tries(settings, observers.metrics(), match, session, estimatedTokens, requestId);
        this.ledger = new Ledger(
                observers,
                settings.prices(),
                endpoint,
                tries,
                requestId,
                clientKeyName,
                settings.limits().team(clientKeyName),
                request != null && request.stream(),
                ex.receivedNanos(),
                estimatedTokens);
        RetryConfig retry = settings.retry();
        this.deadline = retry.deadline().isZero()
                ? 0
                : ex.receivedNanos() + retry.deadline().toNanos();
    }

    /** Has the request's record settle {@code reservation}, its key's hold on its limits. */
    Flight holding(Reservation reservation, Limiter limiter) {
        ledger.hold(reservation, limiter);
        return this;
    }

    /** Has a complete answer kept in the exact cache. */
    Flight caching(CacheStep step) {
        this.cache = step;
        ledger.cache(step.outcome());
        return this;
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
        while (tries.hasRoute()) {
            Deployment d = tries.pick(now);
            if (d != null && begin(d, now)) return;
            tries.fallBack();
        }
        giveUp();
    }

    /** Sends a try to {@code d}; false if it turned out unusable after all (a race for its last slot). */
    private boolean begin(Deployment d, long now) {
        Key k = d.keys().pick(now, estimatedTokens);
        if (k == null) return false;
        Breaker breaker = d.breaker();
        if (!breaker.tryAcquire(now)) return false;
        String m = d.model(tries.routedModel());
        switch (outbound.prepare(d, m, k)) {
            case Outbound.Refused no -> {
                breaker.release();
                answer(no.status(), no.contentType(), no.body(), "untranslatable");
            }
            case Outbound.Ready go -> {
                tries.sending(deployment, d);
                deployment = d;
                key = k;
                model = m;
                reply = go.reply();
                if (cache != null) reply.capture = cache.capture();
                k.sent(now, estimatedTokens);
                d.begin();
                status = 0;
                call = client.send(go.head(), go.body(), this);
            }
        }
        return true;
    }

    @Override
    public Body onHead(Call c, ResponseHead head) {
        status = head.status();
        contentType = head.header("content-type");
        Feedback.head(observers.metrics(), deployment, key, head, System.nanoTime());
        if (status >= 200 && status < 300) {
            reply.copyHeaders(head);
            if (!head.eventStream()) return reply.start(c, head);
            deployment.sample(c.firstByteNanos() - c.sentNanos(), c.firstByteNanos());
            ownNanos += Math.max(0, c.sentNanos() - decidedAt) + Math.max(0, System.nanoTime() - c.firstByteNanos());
            setOverhead();
            done = true;
            cancelDeadline();
            return reply.start(c, head);
        }
        failures.head(head);
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
        Feedback.failed(deployment, status, end);
        ownNanos += Math.max(0, c.sentNanos() - decidedAt);
        failures.answered(status, answer, length, contentType, reply);
        if (Failures.retryable(status)) retry(Failures.errorType(status));
        else giveUp();
    }

    @Override
    public void onFailure(Call c, ClientException failure) {
        deployment.end();
        long now = System.nanoTime();
        Feedback.failed(deployment, failure, now);
        if (failure.kind() == ClientException.Kind.CANCELLED) {
            if (reply.streaming()) reply.sse.abort();
            else if (ex.isOpen() && !done) ex.abort();
            record(0, "client_gone");
            return;
        }
        log.debug("upstream call to {} failed: {}", deployment.name(), failure.getMessage());
        if (reply.streaming()) {
            // Bytes have reached the client: an error event in the stream's own shape, then the end.
            upstreamNanos = now - c.sentNanos();
            if (reply.sse.isOpen()) reply.broke("the upstream stream broke: " + failure.getMessage());
            record(status, "stream_broken");
            return;
        }
        ownNanos += c.sentNanos() > 0 ? Math.max(0, c.sentNanos() - decidedAt) : 0;
        failures.failed(failure);
        retry(Failures.errorType(failure));
    }

    /** Another try after a backoff, if the budget and the deadline allow; else a fallback's, or the end. */
    private void retry(String errorType) {
        if (done || !ex.isOpen()) return;
        long now = System.nanoTime();
        long delay = tries.backoff(now, deployment, errorType);
        // a retry that could not begin before the deadline: the client gets what the tries got, now
        if (delay >= 0 && deadline != 0 && now + delay >= deadline) {
            giveUp();
            return;
        }
        if (delay <= 0) {
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
        if (failures.hasAnswer()) {
            done = true;
            cancelDeadline();
            int s = failures.passOn(ex, spent -> {
                ownNanos += spent;
                setOverhead();
            });
            record(s, Failures.errorType(s));
            return;
        }
        Failures.Verdict v = failures.verdict(tries.route(), tries.keyFreeAt(), System.nanoTime());
        if (v.retryAfter() > 0) ex.responseHeaders().set("retry-after", Long.toString(v.retryAfter()));
        answerError(v.status(), v.type(), v.message(), v.errorType());
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
        answer(code, "application/json", ingress.error(ex, code, type, message, requestId), errorType);
    }

    /** The client's whole answer, from the gateway itself. */
    private void answer(int code, CharSequence contentType, ByteBuf body, String errorType) {
        done = true;
        cancelDeadline();
        setOverhead();
        ex.respond(code, contentType, body);
        record(code, errorType);
    }

    /** The request's one record ({@link Ledger}); once, however it ended. */
    private void record(int code, String errorType) {
        if (cache != null && code == 200 && errorType == null && reply != null) {
            cache.keep(reply, model);
            cache = null;
        }
        ledger.record(code, errorType, deployment, key, model, reply, upstreamNanos, ownNanos);
    }

    private void cancelDeadline() {
        if (deadlineTimer != null) deadlineTimer.cancel(false);
    }

    private void setOverhead() {
        ex.responseHeaders().set(Endpoints.OVERHEAD_HEADER, millis(ownNanos));
        if (deployment != null) ex.responseHeaders().set(Endpoints.DEPLOYMENT_HEADER, deployment.name());
        if (tries.sends() > 1) ex.responseHeaders().set(Endpoints.TRIES_HEADER, Integer.toString(tries.sends()));
    }

    /** Nanoseconds as milliseconds with three decimals ({@code 0.042}), without a formatter's cost. */
    static String millis(long nanos) {
        long micros = Math.max(0, (nanos + 500) / 1000);
        long frac = micros % 1000;
        return (micros / 1000) + (frac < 10 ? ".00" : frac < 100 ? ".0" : ".") + frac;
    }
}
