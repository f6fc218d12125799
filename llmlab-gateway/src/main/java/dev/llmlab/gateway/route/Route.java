package dev.llmlab.gateway.route;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * A model name clients ask for, its deployments, and how one is picked per request.
 *
 * <h2>Stickiness</h2>
 * With a sticky header, the first request of a session (the header's value) is routed by the
 * strategy, and later ones go to the same deployment while it is usable, so that the provider's
 * prompt cache (OpenAI's and Anthropic's cached input, vLLM's prefix cache) keeps serving the
 * conversation. Sessions are remembered in a bounded map: at most {@link #SESSIONS} per route, each
 * forgotten an hour after its last request, the least recently used first when it is full. A
 * session whose deployment is not usable is routed again and remembered there.
 *
 * <p>Thread-safety: {@link #pick} may be called from any thread at once.
 */
public final class Route {
    /** Sessions remembered per sticky route. */
    static final int SESSIONS = 100_000;

    private final String name;
    private final List<Deployment> deployments;
    private final Strategy strategy;
    private final String stickyHeader;
    private final List<String> fallbacks;
    private final AtomicLong turn = new AtomicLong();
    private final Supplier<RandomGenerator> random;
    private final Cache<String, Deployment> sessions;
    private final long maxOutputTokens;

    /**
     * @param stickyHeader the header naming a session, lower case; null for none
     * @param fallbacks    the routes to try, in order, when this one failed
     * @param random       each pick's draws (a seeded generator, for a test)
     */
    public Route(
            String name,
            List<Deployment> deployments,
            Strategy strategy,
            String stickyHeader,
            List<String> fallbacks,
            Supplier<RandomGenerator> random) {
        this(name, deployments, strategy, stickyHeader, fallbacks, random, 4096);
    }

    /**
     * @param maxOutputTokens what a request without {@code max_tokens} reserves for its answer
     *                        against its key's token limits
     */
    public Route(
            String name,
            List<Deployment> deployments,
            Strategy strategy,
            String stickyHeader,
            List<String> fallbacks,
            Supplier<RandomGenerator> random,
            long maxOutputTokens) {
        this.maxOutputTokens = maxOutputTokens;
        if (deployments.isEmpty()) throw new IllegalArgumentException("a route needs at least one deployment");
        this.name = name;
        this.deployments = List.copyOf(deployments);
        this.strategy = strategy;
        this.stickyHeader = stickyHeader;
        this.fallbacks = List.copyOf(fallbacks);
        this.random = random;
        this.sessions = stickyHeader == null
                ? null
                : Caffeine.newBuilder()
                        .maximumSize(SESSIONS)
                        .expireAfterAccess(Duration.ofHours(1))
                        .build();
    }

    /** A route drawing from each thread's own generator, without stickiness or fallbacks. */
    public Route(String name, List<Deployment> deployments, Strategy strategy) {
        this(name, deployments, strategy, null, List.of(), ThreadLocalRandom::current);
    }

    /**
     * Picks a deployment among those {@code usable} now.
     *
     * @param session the sticky header's value, or null
     * @return null when none is usable
     */
    public Deployment pick(String session, Predicate<Deployment> usable) {
        List<Deployment> options = new ArrayList<>(deployments.size());
        for (Deployment d : deployments) if (usable.test(d)) options.add(d);
        if (options.isEmpty()) return null;
        if (sessions == null || session == null) return strategy.pick(options, turn, random.get());
        Deployment before = sessions.getIfPresent(session);
        if (before != null && options.contains(before)) return before;
        Deployment d = strategy.pick(options, turn, random.get());
        sessions.put(session, d);
        return d;
    }

    /** Picks among all of them. */
    public Deployment pick() {
        return pick(null, d -> true);
    }

    public String name() {
        return name;
    }

    /** What a request without {@code max_tokens} reserves for its answer. */
    public long maxOutputTokens() {
        return maxOutputTokens;
    }

    public List<Deployment> deployments() {
        return deployments;
    }

    public Strategy strategy() {
        return strategy;
    }

    /** The header naming a session, lower case; null for none. */
    public String stickyHeader() {
        return stickyHeader;
    }

    /** Route names to try, in order, after this one. */
    public List<String> fallbacks() {
        return fallbacks;
    }
}
