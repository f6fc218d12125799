package dev.llmlab.sim.limit;

import dev.llmlab.core.time.Clock;
import dev.llmlab.sim.config.RateLimitConfig;
import dev.llmlab.sim.config.RateLimitConfig.Limit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-key and per-model budgets of requests and tokens per minute. A request is admitted only if
 * every budget that applies to it has room (what it took from the others is given back when one
 * refuses), and every answer reports the tightest budget in the provider's headers. Thread-safe.
 */
public final class RateLimiter {
    private final RateLimitConfig config;
    private final Clock clock;
    private final ConcurrentHashMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(RateLimitConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    public boolean enabled() {
        return config.perKey() != null || !config.models().isEmpty();
    }

    /**
     * Charges a request of {@code tokens} tokens to the budgets of {@code keyId} (an opaque caller id,
     * never the key itself) and {@code model}.
     */
    public Decision charge(String keyId, String model, long tokens) {
        long now = clock.nanoTime();
        List<Charge> charges = new ArrayList<>(4);
        addBuckets(charges, "key:" + keyId, config.perKey());
        addBuckets(charges, "model:" + model, config.models().get(model));
        List<Charge> taken = new ArrayList<>(charges.size());
        for (Charge c : charges) {
            long n = c.requests ? 1 : tokens;
            if (!c.bucket.tryTake(n, now)) {
                for (Charge t : taken) t.bucket.giveBack(t.requests ? 1 : tokens, now);
                return new Decision(
                        false, c.bucket.nanosUntil(n, now), report(charges, now), c.requests, c.bucket.capacity(), n);
            }
            taken.add(c);
        }
        return new Decision(true, 0, report(charges, now), false, 0, 0);
    }

    private void addBuckets(List<Charge> out, String scope, Limit limit) {
        if (limit == null) return;
        long now = clock.nanoTime();
        if (limit.rpm() > 0)
            out.add(new Charge(buckets.computeIfAbsent(scope + ":rpm", k -> new TokenBucket(limit.rpm(), now)), true));
        if (limit.tpm() > 0)
            out.add(new Charge(buckets.computeIfAbsent(scope + ":tpm", k -> new TokenBucket(limit.tpm(), now)), false));
    }

    /** The budgets with the least left, one for requests and one for tokens, for the headers. */
    private static Report report(List<Charge> charges, long now) {
        TokenBucket req = null;
        TokenBucket tok = null;
        for (Charge c : charges) {
            if (c.requests && (req == null || c.bucket.remaining(now) < req.remaining(now))) req = c.bucket;
            if (!c.requests && (tok == null || c.bucket.remaining(now) < tok.remaining(now))) tok = c.bucket;
        }
        return new Report(
                req == null ? -1 : req.capacity(),
                req == null ? -1 : req.remaining(now),
                req == null ? 0 : req.nanosUntilFull(now),
                tok == null ? -1 : tok.capacity(),
                tok == null ? -1 : tok.remaining(now),
                tok == null ? 0 : tok.nanosUntilFull(now));
    }

    private record Charge(TokenBucket bucket, boolean requests) {}

    /** What the headers say: limits, what is left, nanoseconds to a full budget; -1 where no limit applies. */
    public record Report(
            long requestLimit,
            long requestsLeft,
            long requestsResetNanos,
            long tokenLimit,
            long tokensLeft,
            long tokensResetNanos) {}

    /**
     * @param retryAfterNanos when refused, how long until the refusing budget has room
     * @param byRequests      whether a request budget (else a token budget) refused
     * @param limit           the refusing budget's size
     * @param requested       what the request needed of it
     */
    public record Decision(
            boolean allowed, long retryAfterNanos, Report report, boolean byRequests, long limit, long requested) {}
}
