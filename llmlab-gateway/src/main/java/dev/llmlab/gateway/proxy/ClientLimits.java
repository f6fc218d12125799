package dev.llmlab.gateway.proxy;

import dev.llmlab.gateway.config.KeyLimits;
import dev.llmlab.gateway.limits.Admission;
import dev.llmlab.gateway.limits.Ask;
import dev.llmlab.gateway.limits.Limiter;
import dev.llmlab.gateway.limits.LocalLimiter;
import dev.llmlab.gateway.limits.Meter;
import dev.llmlab.gateway.limits.Period;
import dev.llmlab.gateway.limits.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The client keys' limits: each key's rules, and the one {@link Limiter} that counts them. The
 * limiter outlives a reload (a new config must not forget what a key spent today); the rules are
 * the config's. A key is counted as {@code key:NAME}.
 *
 * <p>Immutable and thread-safe (the limiter is).
 */
public final class ClientLimits {
    private final Limiter limiter;
    private final Map<String, List<Rule>> rules;

    private ClientLimits(Limiter limiter, Map<String, List<Rule>> rules) {
        this.limiter = limiter;
        this.rules = rules;
    }

    /**
     * @param limits   each key's limits by its name (null for none)
     * @param previous the limits before a reload, whose counts carry on; null at start
     */
    public static ClientLimits of(Map<String, KeyLimits> limits, ClientLimits previous) {
        Map<String, List<Rule>> rules = new java.util.HashMap<>();
        limits.forEach((name, l) -> {
            List<Rule> r = rules(l);
            if (!r.isEmpty()) rules.put(name, r);
        });
        return new ClientLimits(previous != null ? previous.limiter : new LocalLimiter(), Map.copyOf(rules));
    }

    static List<Rule> rules(KeyLimits l) {
        List<Rule> r = new ArrayList<>();
        if (l == null) return r;
        if (l.rpm() != null) r.add(new Rule(Meter.REQUESTS, Period.MINUTE, l.rpm()));
        if (l.tpm() != null) r.add(new Rule(Meter.TOKENS, Period.MINUTE, l.tpm()));
        if (l.maxInFlight() != null) r.add(new Rule(Meter.IN_FLIGHT, Period.NOW, l.maxInFlight()));
        if (l.tokensPerDay() != null) r.add(new Rule(Meter.TOKENS, Period.DAY, l.tokensPerDay()));
        if (l.tokensPerMonth() != null) r.add(new Rule(Meter.TOKENS, Period.MONTH, l.tokensPerMonth()));
        if (l.usdPerDay() != null) r.add(new Rule(Meter.MICRO_USD, Period.DAY, Math.round(l.usdPerDay() * 1e6)));
        if (l.usdPerMonth() != null) r.add(new Rule(Meter.MICRO_USD, Period.MONTH, Math.round(l.usdPerMonth() * 1e6)));
        return r;
    }

    /** Whether the key named {@code name} has any limit. */
    boolean limited(String name) {
        return name != null && rules.containsKey(name);
    }

    /** Reserves one request of an estimated {@code tokens} costing {@code microUsd} against every limit of the key. */
    Admission reserve(String name, long tokens, long microUsd, long nowMillis) {
        List<Rule> rs = rules.get(name);
        List<Ask> asks = new ArrayList<>(rs.size());
        for (Rule r : rs) {
            long amount = switch (r.meter()) {
                case REQUESTS, IN_FLIGHT -> 1;
                case TOKENS -> tokens;
                case MICRO_USD -> microUsd;
            };
            asks.add(new Ask("key:" + name, r, amount));
        }
        return limiter.reserve(asks, nowMillis);
    }

    Limiter limiter() {
        return limiter;
    }
}
