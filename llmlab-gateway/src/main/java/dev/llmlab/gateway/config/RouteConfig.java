package dev.llmlab.gateway.config;

import dev.llmlab.gateway.route.Strategy;
import java.util.List;

/**
 * A model name clients may ask for, and where its requests go.
 *
 * <p>A route is one of: a group of deployments; an alias of another route ({@code alias}); or a
 * wildcard, a name ending in {@code *} ({@code openai/*}, or {@code *} for every model), whose
 * deployments get the part the {@code *} matched as their model unless they name one.
 *
 * @param name        the model name, or a pattern ending in {@code *}
 * @param alias       another route's name: this one is that one under a second name
 * @param strategy    how a deployment is picked: weighted (random by weight), round-robin,
 *                    least-outstanding (the default), latency, cost, priority
 * @param sticky      a request header (such as {@code x-session-id}) whose value keeps a
 *                    conversation on the deployment it first went to, so that the provider's
 *                    prompt cache is reused; none by default
 * @param fallbacks   routes tried in order when every try of this one failed
 * @param deployments where requests go
 * @param cache       the route's exact cache; none by default (an alias uses its route's)
 * @param maxOutputTokens the most output a request without {@code max_tokens} is reserved for
 *                    against its key's token limits and budgets: 4,096 by default; its use is what
 *                    it is charged in the end
 */
public record RouteConfig(
        String name,
        String alias,
        String strategy,
        String sticky,
        List<String> fallbacks,
        List<DeploymentConfig> deployments,
        RouteCacheConfig cache,
        Long maxOutputTokens) {
    public RouteConfig {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("name is required");
        int star = name.indexOf('*');
        if (star >= 0 && star != name.length() - 1)
            throw new IllegalArgumentException("name may hold one '*', at its end (such as openai/*), got " + name);
        fallbacks = fallbacks == null ? List.of() : List.copyOf(fallbacks);
        deployments = deployments == null ? List.of() : List.copyOf(deployments);
        if (maxOutputTokens != null && (maxOutputTokens < 1 || maxOutputTokens > 10_000_000))
            throw new IllegalArgumentException("max_output_tokens must be 1 to 10,000,000, got " + maxOutputTokens);
        if (alias != null) {
            if (!deployments.isEmpty()
                    || strategy != null
                    || sticky != null
                    || !fallbacks.isEmpty()
                    || cache != null
                    || maxOutputTokens != null)
                throw new IllegalArgumentException("alias stands alone: an alias route has no deployments, strategy,"
                        + " sticky, fallbacks, cache or max_output_tokens");
            if (star >= 0) throw new IllegalArgumentException("alias cannot be a wildcard route's");
        } else if (deployments.isEmpty()) {
            throw new IllegalArgumentException("deployments is required (or alias)");
        }
        if (strategy != null) Strategy.parse(strategy);
        if (sticky != null && !sticky.matches("[A-Za-z0-9-]+"))
            throw new IllegalArgumentException("sticky must be a header name, got '" + sticky + "'");
    }

    public boolean wildcard() {
        return name.endsWith("*");
    }

    /** {@code max_output_tokens}, or 4,096. */
    public long maxOutputTokensOrDefault() {
        return maxOutputTokens == null ? 4096 : maxOutputTokens;
    }

    public Strategy strategyOrDefault() {
        return strategy == null ? Strategy.LEAST_OUTSTANDING : Strategy.parse(strategy);
    }
}
