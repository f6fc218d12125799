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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The client keys' limits and their teams': each key's rules and its team's, and the one {@link
 * Limiter} that counts them. A request is held to its key's limits and its team's at once, counted
 * as {@code key:NAME} and {@code team:NAME}: a team's limits hold for all its keys together. The
 * limiter outlives a reload (a new config must not forget what a key spent today); the rules are
 * the config's.
 *
 * <p>Immutable and thread-safe (the limiter is).
 */
public final class ClientLimits {
    private record Subject(String id, List<Rule> rules) {}

    private final Limiter limiter;
    /** By key name: the key's subject, then its team's, each with rules; keys with none are absent. */
    private final Map<String, List<Subject>> byKey;

    private ClientLimits(Limiter limiter, Map<String, List<Subject>> byKey) {
        this.limiter = limiter;
        this.byKey = byKey;
    }

    /**
     * @param keys     each key's limits by its name (null for none)
     * @param keyTeams each key's team by its name, for the keys that have one
     * @param teams    each team's limits by its name (null for none)
     * @param previous the limits before a reload, whose counts carry on; null at start
     */
    public static ClientLimits of(
            Map<String, KeyLimits> keys,
            Map<String, String> keyTeams,
            Map<String, KeyLimits> teams,
            ClientLimits previous) {
        Map<String, List<Subject>> byKey = new HashMap<>();
        Set<String> names = new HashSet<>(keys.keySet());
        names.addAll(keyTeams.keySet());
        for (String name : names) {
            List<Subject> subjects = new ArrayList<>(2);
            List<Rule> own = rules(keys.get(name));
            if (!own.isEmpty()) subjects.add(new Subject("key:" + name, own));
            String team = keyTeams.get(name);
            List<Rule> shared = team == null ? List.of() : rules(teams.get(team));
            if (!shared.isEmpty()) subjects.add(new Subject("team:" + team, shared));
            if (!subjects.isEmpty()) byKey.put(name, List.copyOf(subjects));
        }
        return new ClientLimits(previous != null ? previous.limiter : new LocalLimiter(), Map.copyOf(byKey));
    }

    /** No limits at all. */
    public static ClientLimits none() {
        return of(Map.of(), Map.of(), Map.of(), null);
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

    /** Whether the key named {@code name}, or its team, has any limit. */
    boolean limited(String name) {
        return name != null && byKey.containsKey(name);
    }

    /**
     * Reserves one request of an estimated {@code tokens} costing {@code microUsd} against every
     * limit of the key and of its team, at once.
     */
    Admission reserve(String name, long tokens, long microUsd, long nowMillis) {
        List<Ask> asks = new ArrayList<>();
        for (Subject s : byKey.get(name)) {
            for (Rule r : s.rules()) {
                long amount = switch (r.meter()) {
                    case REQUESTS, IN_FLIGHT -> 1;
                    case TOKENS -> tokens;
                    case MICRO_USD -> microUsd;
                };
                asks.add(new Ask(s.id(), r, amount));
            }
        }
        return limiter.reserve(asks, nowMillis);
    }

    Limiter limiter() {
        return limiter;
    }
}
