package dev.llmlab.gateway.proxy;

import dev.llmlab.gateway.config.ClientKey;
import dev.llmlab.gateway.config.KeyLimits;
import dev.llmlab.gateway.config.ModelPatterns;
import dev.llmlab.gateway.config.TeamConfig;
import dev.llmlab.gateway.limits.Admission;
import dev.llmlab.gateway.limits.Ask;
import dev.llmlab.gateway.limits.Limiter;
import dev.llmlab.gateway.limits.LocalLimiter;
import dev.llmlab.gateway.limits.Meter;
import dev.llmlab.gateway.limits.Period;
import dev.llmlab.gateway.limits.Rule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * What the client keys and their teams may use: the models each may ask for, each key's rules
 * and its team's, and the one {@link Limiter} that counts them. A request is held to its key's
 * limits and its team's at once, counted as {@code key:NAME} and {@code team:NAME}: a team's
 * limits hold for all its keys together. The limiter is the gateway's, and outlives a reload (a
 * new config must not forget what a key spent today); the rules are the config's.
 *
 * <p>Immutable and thread-safe (the limiter is).
 */
public final class ClientLimits {
    private record Subject(String id, List<Rule> rules) {}

    private final Limiter limiter;
    /** By key name: the key's subject, then its team's, each with rules; keys with none are absent. */
    private final Map<String, List<Subject>> byKey;
    /** By key name: the model lists it must pass (its own, its team's); keys with none are absent. */
    private final Map<String, List<Allowed>> allowed;

    private record Allowed(String who, List<String> models) {}

    /** By key name: its team's name; keys without one are absent. */
    private final Map<String, String> teamOf;

    private ClientLimits(
            Limiter limiter,
            Map<String, List<Subject>> byKey,
            Map<String, List<Allowed>> allowed,
            Map<String, String> teamOf) {
        this.limiter = limiter;
        this.byKey = byKey;
        this.allowed = allowed;
        this.teamOf = teamOf;
    }

    /** The team of the key named {@code name}, or null. */
    public String team(String name) {
        return name == null ? null : teamOf.get(name);
    }

    /** A client key as its limits see it, from the config or the store. */
    public record Member(String name, String team, KeyLimits limits, List<String> models) {
        public Member {
            models = models == null ? List.of() : List.copyOf(models);
        }

        public static Member of(ClientKey k) {
            return new Member(k.name(), k.team(), k.limits(), k.models());
        }
    }

    /**
     * @param keys    every client key, the config's and the stored ones (their limits, team and models)
     * @param teams   every team
     * @param limiter the gateway's, kept across reloads: {@link LocalLimiter}, or a shared store's
     */
    public static ClientLimits of(List<Member> keys, List<TeamConfig> teams, Limiter limiter) {
        Map<String, TeamConfig> teamsByName = new HashMap<>();
        for (TeamConfig t : teams) teamsByName.put(t.name(), t);
        Map<String, List<Subject>> byKey = new HashMap<>();
        Map<String, List<Allowed>> allowed = new HashMap<>();
        Map<String, String> teamOf = new HashMap<>();
        for (Member k : keys) {
            if (k.team() != null) teamOf.put(k.name(), k.team());
            TeamConfig team = k.team() == null ? null : teamsByName.get(k.team());
            List<Subject> subjects = new ArrayList<>(2);
            List<Rule> own = rules(k.limits());
            if (!own.isEmpty()) subjects.add(new Subject("key:" + k.name(), own));
            List<Rule> shared = team == null ? List.of() : rules(team.limits());
            if (!shared.isEmpty()) subjects.add(new Subject("team:" + team.name(), shared));
            if (!subjects.isEmpty()) byKey.put(k.name(), List.copyOf(subjects));
            List<Allowed> lists = new ArrayList<>(2);
            if (!k.models().isEmpty()) lists.add(new Allowed(who("key:" + k.name(), k.name()), k.models()));
            if (team != null && !team.models().isEmpty())
                lists.add(new Allowed(who("team:" + team.name(), k.name()), team.models()));
            if (!lists.isEmpty()) allowed.put(k.name(), List.copyOf(lists));
        }
        return new ClientLimits(limiter, Map.copyOf(byKey), Map.copyOf(allowed), Map.copyOf(teamOf));
    }

    /** No limits at all. */
    public static ClientLimits none() {
        return of(List.of(), List.of(), new LocalLimiter());
    }

    /**
     * Who does not allow the key named {@code name} to ask for {@code model} (its own {@code models}
     * list, or its team's), or null when both allow it (or the key has none).
     */
    String refuses(String name, String model) {
        if (name == null) return null;
        for (Allowed a : allowed.getOrDefault(name, List.of())) {
            if (!ModelPatterns.allows(a.models(), model)) return a.who();
        }
        return null;
    }

    /** A subject in words, for a refusal: {@code the key a}, or {@code the team t (of the key a)}. */
    static String who(String subject, String keyName) {
        return subject.startsWith("team:")
                ? "the team " + subject.substring(5) + " (of the key " + keyName + ")"
                : "the key " + keyName;
    }

    private static List<Rule> rules(KeyLimits l) {
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
    CompletionStage<Admission> reserve(String name, long tokens, long microUsd, long nowMillis) {
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
