package dev.llmlab.gateway.proxy;

import dev.llmlab.gateway.config.RetryConfig;
import dev.llmlab.gateway.observe.GatewayMetrics;
import dev.llmlab.gateway.route.Deployment;
import dev.llmlab.gateway.route.Route;
import dev.llmlab.gateway.route.Routes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The order of one request's tries: which deployment of which route comes next, and how long to
 * wait before a retry. It decides; {@link Flight} sends, and tells it what happened.
 *
 * <h2>Picks</h2>
 * The route's strategy picks a deployment among those usable now: breaker letting requests
 * through, a key free, and not yet tried by this request (when each has been tried, tried ones
 * are picked again). A deployment passed over because its keys are cooling down leaves the time
 * the first of them frees, for the 429's {@code Retry-After} when nothing could be tried at all.
 *
 * <h2>Retries and fallbacks</h2>
 * Up to {@code retry.attempts} retries per route, each after a backoff drawn uniformly below a
 * ceiling that doubles from {@code retry.backoff} ("full jitter": Brooker, "Exponential Backoff And
 * Jitter", AWS Architecture Blog, 2015), each taken from the gateway's retry budget; then the
 * route's fallbacks, in order, each with its own retries. Which failures are worth a retry is
 * {@link Failures#retryable}'s call.
 *
 * <p>Plain Java on the caller's clock (it reads none itself); not thread-safe: one per request,
 * used on its event loop.
 */
final class Tries {
    private static final Logger log = LoggerFactory.getLogger(Tries.class);

    private final Settings settings;
    private final GatewayMetrics metrics;
    private final String requestId;
    private final String session;
    private final long estimatedTokens;

    /** The matched route, then its fallbacks; and the model each is asked for under its own name. */
    private final List<Route> chain = new ArrayList<>(2);

    private final List<String> routedModels = new ArrayList<>(2);
    private final Set<Deployment> tried = new HashSet<>();
    /** The route being tried: an index into {@link #chain}, its size when every route is spent. */
    private int link;

    private int triesInLink;
    private int sends;
    private int fallbacks;
    /** When the first key passed over while cooling frees again; {@code Long.MAX_VALUE} if none was. */
    private long keyFreeAt = Long.MAX_VALUE;

    /**
     * @param session         the sticky session's value, or null
     * @param estimatedTokens the request's guessed tokens, for the keys' tokens-per-minute check
     */
    Tries(
            Settings settings,
            GatewayMetrics metrics,
            Routes.Match match,
            String session,
            long estimatedTokens,
            String requestId) {
        this.settings = settings;
        this.metrics = metrics;
        this.session = session;
        this.estimatedTokens = estimatedTokens;
        this.requestId = requestId;
        chain.add(match.route());
        routedModels.add(match.model());
        for (String f : match.route().fallbacks()) {
            Route r = settings.routes().named(f);
            if (r != null) {
                chain.add(r);
                routedModels.add(r.name());
            }
        }
    }

    /** Whether a route is left to try. */
    boolean hasRoute() {
        return link < chain.size();
    }

    /** A deployment of the current route to try now, or null when its tries are spent or none is usable. */
    Deployment pick(long now) {
        if (triesInLink > settings.retry().attempts()) return null;
        Route route = chain.get(link);
        Deployment d = route.pick(session, x -> usable(x, now, true));
        return d != null ? d : route.pick(session, x -> usable(x, now, false));
    }

    private boolean usable(Deployment d, long now, boolean untriedOnly) {
        if (untriedOnly && tried.contains(d)) return false;
        if (!d.breaker().allows(now)) return false;
        long at = d.keys().availableAt(now, estimatedTokens);
        if (at > now) {
            // MAX_VALUE: every key is out of rotation, which no wait mends
            if (at != Long.MAX_VALUE) keyFreeAt = Math.min(keyFreeAt, at);
            return false;
        }
        return true;
    }

    /** The model the client asked for, under the current route's name for it. */
    String routedModel() {
        return routedModels.get(link);
    }

    /** The current route is spent: on to its next fallback, if any. */
    void fallBack() {
        link++;
        triesInLink = 0;
        if (link < chain.size()) fallbacks++;
    }

    /**
     * A try goes to {@code d}.
     *
     * @param previous the deployment of the try before, or null for the first
     */
    void sending(Deployment previous, Deployment d) {
        if (link > 0 && triesInLink == 0 && previous != null)
            metrics.fallback(chain.get(link).name(), previous.name(), d.name());
        tried.add(d);
        triesInLink++;
        sends++;
    }

    /**
     * A try of the current route failed in a way another may mend.
     *
     * @return the backoff before a retry of this route, in nanoseconds; or -1 when the route has no
     *     retry left (its attempts or the gateway's retry budget are spent): the next try is a
     *     fallback's, if any
     */
    long backoff(long now, Deployment failed, String errorType) {
        RetryConfig r = settings.retry();
        if (triesInLink > r.attempts()) return -1;
        if (!settings.budget().tryRetry(now)) {
            log.debug("the retry budget is spent: no retry of {}", requestId);
            triesInLink = Integer.MAX_VALUE - 1;
            return -1;
        }
        metrics.retry(chain.get(link).name(), failed.name(), errorType);
        long ceiling = Math.min(r.maxBackoff().toNanos(), r.backoff().toNanos() << Math.min(triesInLink - 1, 30));
        return ceiling <= 0 ? 0 : ThreadLocalRandom.current().nextLong(ceiling + 1);
    }

    /** The route the client's model matched (not a fallback's), as the record names it. */
    String route() {
        return chain.getFirst().name();
    }

    /** When the first key passed over while cooling frees again; {@code Long.MAX_VALUE} if none was. */
    long keyFreeAt() {
        return keyFreeAt;
    }

    /** The tries sent, retries and fallbacks included. */
    int sends() {
        return sends;
    }

    /** The fallback routes moved on to. */
    int fallbacks() {
        return fallbacks;
    }
}
