package dev.llmlab.sim.limit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.llmlab.core.time.Clock;
import dev.llmlab.sim.config.RateLimitConfig;
import dev.llmlab.sim.config.RateLimitConfig.Limit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-key and per-model budgets of requests and tokens per minute. A request is admitted only if
 * every budget that applies to it has room (what it took from the others is given back when one
 * refuses), and every answer reports the tightest budget in the provider's headers. Thread-safe.
 *
 * <h2>Bounded memory, and why eviction does not loosen a limit</h2>
 * Model budgets exist only for the models the configuration limits, so they are made once, up
 * front. Key budgets are keyed by whatever key a client presents, so they live in a bounded cache
 * with two eviction rules:
 *
 * <ul>
 *   <li><b>Idle for {@link #REFILL_PERIOD}:</b> dropped. A budget refills its whole capacity in one
 *       minute, so one left untouched that long is full, exactly what a new budget is: dropping it
 *       changes no answer. Time is the limiter's {@link Clock}, so tests drive it.
 *   <li><b>More than {@link #MAX_KEYS} keys within a minute:</b> the least used go first
 *       (Caffeine's W-TinyLFU keeps keys that come back often over one-off ones). A key dropped
 *       while it was not yet full starts full when it comes back, which is looser than the limit.
 *       Only a flood of distinct keys triggers this, and a client able to send such a flood can
 *       already take a fresh budget per new key without dropping anything: without
 *       {@code auth.keys} any key is accepted, and with them only the configured keys get this far.
 *       So this rule grants nothing a client could not take anyway, while memory stays bounded.
 * </ul>
 *
 * Every read of a budget, a refused request's too, first refills it up to that moment, so
 * "untouched for a minute" always means "full".
 */
public final class RateLimiter {
    /**
     * Key budgets held at once: about 250 bytes of heap each with both budgets (measured on JDK 25:
     * 2.5 MB for 10,000 keys), so 2.5 MB at most.
     */
    static final int MAX_KEYS = 10_000;

    /** The time in which a budget refills completely (capacity per minute). */
    static final Duration REFILL_PERIOD = Duration.ofMinutes(1);

    private final RateLimitConfig config;
    private final Clock clock;
    private final Cache<String, Budgets> perKey;
    private final Map<String, Budgets> perModel;

    public RateLimiter(RateLimitConfig config, Clock clock) {
        this(config, clock, MAX_KEYS);
    }

    RateLimiter(RateLimitConfig config, Clock clock, int maxKeys) {
        this.config = config;
        this.clock = clock;
        this.perKey = Caffeine.newBuilder()
                .maximumSize(maxKeys)
                .expireAfterAccess(REFILL_PERIOD)
                .ticker(clock::nanoTime)
                .executor(Runnable::run) // upkeep on the caller: deterministic, and no pool thread
                .build();
        long now = clock.nanoTime();
        Map<String, Budgets> models = new HashMap<>();
        config.models().forEach((model, limit) -> models.put(model, Budgets.of(limit, now)));
        this.perModel = Map.copyOf(models);
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
        if (config.perKey() != null) {
            perKey.get(keyId, k -> Budgets.of(config.perKey(), now)).addTo(charges);
        }
        Budgets modelBudgets = perModel.get(model);
        if (modelBudgets != null) {
            modelBudgets.addTo(charges);
        }
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

    /** The number of key budgets held, after pending evictions; for tests of the bound. */
    long keyBudgets() {
        perKey.cleanUp();
        return perKey.estimatedSize();
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

    /** One scope's budgets (a key's or a model's); null where the limit leaves it unlimited. */
    private record Budgets(TokenBucket requests, TokenBucket tokens) {
        static Budgets of(Limit limit, long now) {
            return new Budgets(
                    limit.rpm() > 0 ? new TokenBucket(limit.rpm(), now) : null,
                    limit.tpm() > 0 ? new TokenBucket(limit.tpm(), now) : null);
        }

        void addTo(List<Charge> out) {
            if (requests != null) out.add(new Charge(requests, true));
            if (tokens != null) out.add(new Charge(tokens, false));
        }
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
