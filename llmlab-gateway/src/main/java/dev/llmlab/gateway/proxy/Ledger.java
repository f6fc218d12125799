package dev.llmlab.gateway.proxy;

import dev.llmlab.gateway.account.Cost;
import dev.llmlab.gateway.account.Prices;
import dev.llmlab.gateway.account.TokenUsage;
import dev.llmlab.gateway.keys.Key;
import dev.llmlab.gateway.limits.Actual;
import dev.llmlab.gateway.limits.Limiter;
import dev.llmlab.gateway.limits.Reservation;
import dev.llmlab.gateway.observe.RequestRecord;
import dev.llmlab.gateway.route.Deployment;
import dev.llmlab.gateway.spend.SpendEntry;
import dev.llmlab.gateway.spend.SpendLog;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A routed request's one record, for the metrics and the access log, written once however the
 * request ended (answered, refused, or the client gone): where it went, how it ended, its times,
 * and what it used and cost, the usage its last try's {@link Tally} counted, priced by the
 * config's table. A request's key counted a guess from the body's size in its minute when the try
 * was sent; here, with the tokens known, the key counts them instead.
 *
 * <p>Not thread-safe: one per request, used on its event loop.
 */
final class Ledger {
    private final Observers observers;
    private final Prices prices;
    private final Endpoint endpoint;
    private final Tries tries;
    private final String requestId;
    private final String clientKeyName;
    private final String team;
    private final boolean stream;
    private final long receivedNanos;
    private final long estimatedTokens;
    private final long startMillis = System.currentTimeMillis();
    private boolean recorded;
    /** What the client's key reserved for this request, settled with its use when it is recorded; or null. */
    private Reservation held;

    private Limiter limiter;
    /** What the exact cache said of the request ({@code miss}, {@code bypass}), or null on a route without one. */
    private String cache;

    /**
     * @param clientKeyName   the configured name of the client's key, or null
     * @param team            the key's team, or null
     * @param stream          whether the client asked for a stream
     * @param estimatedTokens the guess its tries' keys counted
     */
    Ledger(
            Observers observers,
            Prices prices,
            Endpoint endpoint,
            Tries tries,
            String requestId,
            String clientKeyName,
            String team,
            boolean stream,
            long receivedNanos,
            long estimatedTokens) {
        this.observers = observers;
        this.prices = prices;
        this.endpoint = endpoint;
        this.tries = tries;
        this.requestId = requestId;
        this.clientKeyName = clientKeyName;
        this.team = team;
        this.stream = stream;
        this.receivedNanos = receivedNanos;
        this.estimatedTokens = estimatedTokens;
    }

    /** The reservation the request holds against its key's limits, to settle when it is recorded. */
    void hold(Reservation reservation, Limiter limiter) {
        this.held = reservation;
        this.limiter = limiter;
    }

    /** What the exact cache said of the request, for its record. */
    void cache(String outcome) {
        this.cache = outcome;
    }

    /**
     * Records the request, the first time only, and settles its key's reservation with what it
     * used: the usage counted (a stream cut short: what was delivered), priced; nothing when no
     * answer came (a refusal, a failure, the client gone before the answer).
     *
     * @param code       the status the client got, 0 if none
     * @param errorType  null on success
     * @param deployment the last try's, or null when none was sent; {@code key}, {@code model} and
     *                   {@code reply} likewise
     */
    void record(
            int code,
            String errorType,
            Deployment deployment,
            Key key,
            String model,
            Reply reply,
            long upstreamNanos,
            long ownNanos) {
        if (recorded) return;
        recorded = true;
        long now = System.nanoTime();
        TokenUsage usage = reply == null ? null : reply.tally.usage();
        Cost cost = usage == null || model == null ? Cost.UNKNOWN : prices.cost(model, usage);
        if (key != null && usage != null)
            key.correctTokens(now, usage.inputTokens() + usage.outputTokens() - estimatedTokens);
        long ttft = reply != null && reply.streaming() && reply.firstTokenSentNanos >= 0
                ? reply.firstTokenSentNanos - receivedNanos
                : -1;
        RequestRecord r = new RequestRecord(
                requestId,
                startMillis,
                clientKeyName,
                Observed.ingress(endpoint),
                tries.route(),
                deployment == null ? null : deployment.name(),
                deployment == null ? null : deployment.provider().kind().flag(),
                model == null || model.isEmpty() ? null : model,
                code,
                errorType,
                stream,
                tries.sends(),
                tries.fallbacks(),
                ttft,
                now - receivedNanos,
                upstreamNanos,
                ownNanos,
                usage,
                cost,
                cache);
        if (held != null) {
            long micro = cost.known() ? Math.round(cost.usd() * 1e6) : 0;
            limiter.settle(
                    held,
                    usage == null ? Actual.NOTHING : new Actual(usage.inputTokens() + usage.outputTokens(), micro),
                    System.currentTimeMillis());
        }
        SpendLog spend = observers.spend();
        if (spend != null && usage != null && usage.inputTokens() + usage.outputTokens() > 0)
            spend.add(new SpendEntry(
                    // random, not SecureRandom's: an id to tell rows apart, not a secret
                    new UUID(
                                    ThreadLocalRandom.current().nextLong(),
                                    ThreadLocalRandom.current().nextLong())
                            .toString(),
                    Instant.ofEpochMilli(startMillis),
                    requestId,
                    clientKeyName,
                    team,
                    tries.route(),
                    r.providerModel(),
                    usage.inputTokens(),
                    usage.outputTokens(),
                    cost.known() ? Math.round(cost.usd() * 1e6) : 0));
        observers.metrics().requestFinished(r);
        observers.accessLog().log(r);
    }
}
