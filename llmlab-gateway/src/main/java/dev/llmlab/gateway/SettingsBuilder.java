package dev.llmlab.gateway;

import dev.llmlab.core.config.Secret;
import dev.llmlab.gateway.account.Price;
import dev.llmlab.gateway.account.Prices;
import dev.llmlab.gateway.cache.ExactCache;
import dev.llmlab.gateway.config.ClientKey;
import dev.llmlab.gateway.config.DeploymentConfig;
import dev.llmlab.gateway.config.GatewayConfig;
import dev.llmlab.gateway.config.KeyConfig;
import dev.llmlab.gateway.config.PriceConfig;
import dev.llmlab.gateway.config.RouteConfig;
import dev.llmlab.gateway.config.TeamConfig;
import dev.llmlab.gateway.keys.Key;
import dev.llmlab.gateway.keys.KeyPool;
import dev.llmlab.gateway.limits.Limiter;
import dev.llmlab.gateway.observe.GatewayMetrics;
import dev.llmlab.gateway.provider.Provider;
import dev.llmlab.gateway.proxy.ClientKeys;
import dev.llmlab.gateway.proxy.ClientLimits;
import dev.llmlab.gateway.proxy.RouteCaches;
import dev.llmlab.gateway.proxy.Settings;
import dev.llmlab.gateway.reliability.Breaker;
import dev.llmlab.gateway.reliability.RetryBudget;
import dev.llmlab.gateway.route.Deployment;
import dev.llmlab.gateway.route.Route;
import dev.llmlab.gateway.route.Routes;
import dev.llmlab.gateway.tenants.Directory;
import dev.llmlab.gateway.tenants.Team;
import dev.llmlab.gateway.tenants.VirtualKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Builds the request path's snapshot from a config. A deployment whose route, name and config are
 * unchanged since the previous snapshot is carried over as it is, with its keys' cooldowns and
 * limits, its breaker and its latency average: a reload that adds a route does not reopen every
 * breaker or forget which keys are rate-limited.
 */
final class SettingsBuilder {
    private SettingsBuilder() {}

    /** The identity a deployment keeps across reloads. */
    private record Identity(String route, String name, DeploymentConfig config, Object breaker) {}

    /** @param limiter the gateway's, the same at every reload */
    static Settings build(
            GatewayConfig c,
            Directory directory,
            Settings previous,
            Map<Object, Deployment> carried,
            GatewayMetrics metrics,
            Limiter limiter,
            ExactCache cache) {
        List<Price> overrides = new ArrayList<>();
        for (PriceConfig p : c.prices())
            overrides.add(Price.configured(
                    p.model(), p.input(), p.cachedInput() == null ? Double.NaN : p.cachedInput(), p.output()));
        Prices prices = Prices.builtIn().withOverrides(overrides);
        Map<Object, Deployment> next = new HashMap<>();
        List<Route> routes = new ArrayList<>();
        Map<String, String> aliases = new LinkedHashMap<>();
        for (RouteConfig rc : c.routes()) {
            if (rc.alias() != null) {
                aliases.put(rc.name(), rc.alias());
                continue;
            }
            List<Deployment> deployments = new ArrayList<>();
            Map<String, Integer> seen = new HashMap<>();
            for (DeploymentConfig dc : rc.deployments()) {
                String name = dc.name();
                if (name == null) {
                    String base = dc.kind().flag() + "/" + (dc.model() != null ? dc.model() : rc.name());
                    int n = seen.merge(base, 1, Integer::sum);
                    name = n == 1 ? base : base + "#" + n;
                }
                Identity id = new Identity(rc.name(), name, dc, c.breaker());
                Deployment d = carried.get(id);
                if (d == null) d = deployment(name, dc, c, metrics, prices);
                next.put(id, d);
                deployments.add(d);
            }
            String sticky = rc.sticky() == null ? null : rc.sticky().toLowerCase(Locale.ROOT);
            routes.add(new Route(
                    rc.name(),
                    deployments,
                    rc.strategyOrDefault(),
                    sticky,
                    rc.fallbacks(),
                    ThreadLocalRandom::current,
                    rc.maxOutputTokensOrDefault()));
        }
        carried.clear();
        carried.putAll(next);
        RetryBudget budget =
                previous != null ? previous.budget() : new RetryBudget(c.retry().budget());
        if (previous != null && !previous.retry().budget().equals(c.retry().budget()))
            budget = new RetryBudget(c.retry().budget());
        return withDirectory(
                new Settings(new Routes(routes, aliases), null, c.retry(), budget, prices, null, null),
                c,
                directory,
                limiter,
                cache);
    }

    /**
     * {@code s} with the client keys and teams of the config and of {@code directory} (the stored
     * ones), the rest as it is: what a change made through the admin API rebuilds.
     *
     * @param limiter the gateway's, the same at every rebuild
     * @param cache   the gateway's exact cache, which outlives every snapshot
     */
    static Settings withDirectory(Settings s, GatewayConfig c, Directory directory, Limiter limiter, ExactCache cache) {
        Map<String, Secret> keys = new LinkedHashMap<>();
        Map<String, java.time.Instant> expiries = new HashMap<>();
        List<ClientLimits.Member> members = new ArrayList<>();
        for (ClientKey k : c.clientKeys()) {
            keys.put(k.name(), k.key());
            if (k.expiresAt() != null) expiries.put(k.name(), k.expiresAt());
            members.add(ClientLimits.Member.of(k));
        }
        List<TeamConfig> teams = new ArrayList<>(c.teams());
        for (Team t : directory.teams()) teams.add(new TeamConfig(t.name(), t.limits(), t.models()));
        for (VirtualKey k : directory.keys())
            members.add(new ClientLimits.Member(k.name(), k.team(), k.limits(), k.models()));
        ClientLimits limits = ClientLimits.of(members, teams, limiter);
        return new Settings(
                s.routes(),
                new ClientKeys(keys, expiries, directory, !c.admin().keys().isEmpty()),
                s.retry(),
                s.budget(),
                s.prices(),
                limits,
                new RouteCaches(cache, c.routes(), limits::team));
    }

    private static Deployment deployment(
            String name, DeploymentConfig dc, GatewayConfig c, GatewayMetrics metrics, Prices prices) {
        Provider provider = Provider.of(dc.kind(), dc.baseUrl(), dc.apiVersion());
        List<Key> keys = new ArrayList<>();
        for (int i = 0; i < dc.keys().size(); i++) {
            KeyConfig k = dc.keys().get(i);
            keys.add(new Key(
                    k.name() != null ? k.name() : "key-" + (i + 1),
                    k.key(),
                    k.rpm() == null ? 0 : k.rpm(),
                    k.tpm() == null ? 0 : k.tpm()));
        }
        if (keys.isEmpty()) keys.add(new Key("none", null, 0, 0));
        metrics.breakerState(name, GatewayMetrics.BreakerState.CLOSED);
        return new Deployment(
                name,
                provider,
                dc.model(),
                new KeyPool(keys),
                new Breaker(
                        c.breaker(), s -> metrics.breakerState(name, GatewayMetrics.BreakerState.valueOf(s.name()))),
                dc.weight(),
                dc.priority(),
                price(dc, prices));
    }

    /**
     * What the lowest-cost strategy compares: the list price of a request of 3 input tokens to 1
     * output token (a chat turn's usual ratio), per million; NaN when the model has no price.
     */
    private static double price(DeploymentConfig dc, Prices prices) {
        if (dc.model() == null || dc.model().contains("*")) return Double.NaN;
        Price p = prices.priceOrNull(dc.model());
        return p == null ? Double.NaN : 3 * p.inputPerMillion() + p.outputPerMillion();
    }
}
