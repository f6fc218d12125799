package dev.llmlab.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.gateway.account.Prices;
import dev.llmlab.gateway.config.BreakerConfig;
import dev.llmlab.gateway.config.ProviderKind;
import dev.llmlab.gateway.config.RetryConfig;
import dev.llmlab.gateway.keys.Key;
import dev.llmlab.gateway.keys.KeyPool;
import dev.llmlab.gateway.observe.GatewayMetrics;
import dev.llmlab.gateway.provider.Provider;
import dev.llmlab.gateway.reliability.Breaker;
import dev.llmlab.gateway.reliability.RetryBudget;
import dev.llmlab.gateway.route.Deployment;
import dev.llmlab.gateway.route.Route;
import dev.llmlab.gateway.route.Routes;
import dev.llmlab.gateway.route.Strategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TriesTest {
    private static final long NOW = 1_000_000_000_000L;
    private static final long MS = 1_000_000L;

    private static Deployment deployment(String name) {
        return new Deployment(
                name,
                Provider.of(ProviderKind.OPENAI_COMPATIBLE, "http://127.0.0.1:9000/v1", null),
                null,
                new KeyPool(List.of(new Key("k", null, 0, 0))),
                new Breaker(new BreakerConfig(null, null, null, null, null, null)),
                1,
                0,
                Double.NaN);
    }

    private static Route route(String name, List<String> fallbacks, Deployment... ds) {
        return new Route(name, List.of(ds), Strategy.ROUND_ROBIN, null, fallbacks, () -> new SplittableRandom(1));
    }

    private static Tries tries(RetryConfig retry, double budget, Route first, Route... others) {
        List<Route> all = new ArrayList<>(List.of(others));
        all.add(first);
        Settings s = new Settings(
                new Routes(all, Map.of()),
                new ClientKeys(Map.of()),
                retry,
                new RetryBudget(budget),
                Prices.builtIn(),
                ClientLimits.none(),
                RouteCaches.none());
        return new Tries(s, new GatewayMetrics(), new Routes.Match(first, first.name()), null, 0, "req-1");
    }

    private static RetryConfig retry(int attempts, long backoffMs, long maxBackoffMs) {
        return new RetryConfig(
                attempts, Duration.ofMillis(backoffMs), Duration.ofMillis(maxBackoffMs), null, Duration.ZERO);
    }

    @Test
    void pick_prefersADeploymentNotYetTried_thenTakesTriedOnesAgain() {
        Deployment a = deployment("a");
        Deployment b = deployment("b");
        Tries t = tries(retry(3, 0, 0), 0.2, route("r", List.of(), a, b));
        Deployment first = t.pick(NOW);
        t.sending(null, first);
        Deployment second = t.pick(NOW);
        assertThat(second).isNotSameAs(first);
        t.sending(first, second);
        assertThat(t.pick(NOW)).isIn(a, b);
        assertThat(t.sends()).isEqualTo(2);
    }

    @Test
    void pick_afterTheRoutesAttempts_isNull_andFallBackMovesToTheFallbackRoute() {
        Deployment a = deployment("a");
        Deployment b = deployment("b");
        Route fallback = route("backup", List.of(), b);
        Tries t = tries(retry(1, 0, 0), 0.2, route("main", List.of("backup"), a), fallback);
        t.sending(null, t.pick(NOW));
        t.sending(a, t.pick(NOW));
        assertThat(t.pick(NOW)).isNull();

        t.fallBack();
        assertThat(t.hasRoute()).isTrue();
        assertThat(t.routedModel()).isEqualTo("backup");
        assertThat(t.pick(NOW)).isSameAs(b);
        assertThat(t.fallbacks()).isEqualTo(1);
        assertThat(t.route()).isEqualTo("main");

        t.fallBack();
        assertThat(t.hasRoute()).isFalse();
        assertThat(t.fallbacks()).isEqualTo(1);
    }

    @Test
    void pick_passesOverCoolingKeys_andKeepsWhenTheFirstFrees_butNotARemovedKey() {
        Deployment cooling = deployment("cooling");
        Deployment removed = deployment("removed");
        cooling.keys().keys().getFirst().rateLimited(NOW, 3_000 * MS);
        removed.keys().keys().getFirst().remove("revoked");
        Tries t = tries(retry(2, 0, 0), 0.2, route("r", List.of(), cooling, removed));
        assertThat(t.keyFreeAt()).isEqualTo(Long.MAX_VALUE);

        assertThat(t.pick(NOW)).isNull();
        assertThat(t.keyFreeAt()).isEqualTo(NOW + 3_000 * MS);
    }

    @Test
    void backoff_isDrawnBelowADoublingCeiling_untilTheAttemptsAreSpent() {
        Deployment a = deployment("a");
        Tries t = tries(retry(2, 100, 150), 0.2, route("r", List.of(), a));
        t.sending(null, t.pick(NOW));
        assertThat(t.backoff(NOW, a, "upstream_5xx")).isBetween(0L, 100 * MS);
        t.sending(a, t.pick(NOW));
        assertThat(t.backoff(NOW, a, "upstream_5xx")).isBetween(0L, 150 * MS);
        t.sending(a, t.pick(NOW));
        assertThat(t.backoff(NOW, a, "upstream_5xx")).isEqualTo(-1);
        assertThat(t.pick(NOW)).isNull();
    }

    @Test
    void backoff_withTheBudgetSpent_isMinusOne_andTheRouteTakesNoMoreTries() {
        Deployment a = deployment("a");
        Tries t = tries(retry(2, 100, 150), 0, route("r", List.of(), a));
        t.sending(null, t.pick(NOW));
        assertThat(t.backoff(NOW, a, "timeout")).isEqualTo(-1);
        assertThat(t.pick(NOW)).isNull();
    }
}
