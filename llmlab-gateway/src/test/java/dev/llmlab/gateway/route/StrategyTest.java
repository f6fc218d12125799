package dev.llmlab.gateway.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmlab.gateway.config.BreakerConfig;
import dev.llmlab.gateway.config.ProviderKind;
import dev.llmlab.gateway.keys.Key;
import dev.llmlab.gateway.keys.KeyPool;
import dev.llmlab.gateway.provider.Provider;
import dev.llmlab.gateway.reliability.Breaker;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StrategyTest {
    private static List<Deployment> targets(int n) {
        List<Deployment> t = new ArrayList<>();
        for (int i = 0; i < n; i++) t.add(deployment("t" + i, 1, 0, Double.NaN));
        return t;
    }

    static Deployment deployment(String name, int weight, int priority, double price) {
        return new Deployment(
                name,
                Provider.of(ProviderKind.OPENAI_COMPATIBLE, "http://127.0.0.1:9000/v1", null),
                null,
                new KeyPool(List.of(new Key("none", null, 0, 0))),
                new Breaker(new BreakerConfig(null, null, null, null, null, null)),
                weight,
                priority,
                price);
    }

    private static Map<String, Integer> picks(Route r, int n) {
        Map<String, Integer> count = new HashMap<>();
        for (int i = 0; i < n; i++) count.merge(r.pick().name(), 1, Integer::sum);
        return count;
    }

    @Test
    void roundRobin_takesEachInTurn_exactly() {
        Route r = new Route("r", targets(3), Strategy.ROUND_ROBIN);
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 7; i++) order.add(r.pick().name());
        assertThat(order).containsExactly("t0", "t1", "t2", "t0", "t1", "t2", "t0");
    }

    @Test
    void random_spreadsEvenly_overASeededDraw() {
        SplittableRandom seeded = new SplittableRandom(7);
        Route r = new Route("r", targets(3), Strategy.RANDOM, null, List.of(), () -> seeded);
        assertThat(picks(r, 30_000).values()).allSatisfy(c -> assertThat(c).isBetween(9_500, 10_500));
    }

    @Test
    void leastOutstanding_takesTheLeastBusy_andTurnsAmongEquals() {
        List<Deployment> t = targets(3);
        Route r = new Route("r", t, Strategy.LEAST_OUTSTANDING);
        t.get(0).begin();
        t.get(0).begin();
        t.get(2).begin();
        assertThat(r.pick().name()).isEqualTo("t1");
        t.get(1).begin();
        t.get(1).begin();
        assertThat(r.pick().name()).isEqualTo("t2"); // t2 has one, the others two
        t.get(0).end();
        t.get(1).end();
        // all at one now: idle ties go round in turn rather than always to the first
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 3; i++) order.add(r.pick().name());
        assertThat(order).containsExactlyInAnyOrder("t0", "t1", "t2");
    }

    @Test
    void latency_avoidsTheSlowTarget_andTriesAnUnknownOneFirst() {
        List<Deployment> t = targets(3);
        SplittableRandom seeded = new SplittableRandom(3);
        Route r = new Route("r", t, Strategy.LATENCY, null, List.of(), () -> seeded);
        t.get(0).sample(10_000_000, 0);
        t.get(1).sample(12_000_000, 0);
        // t2 has no sample yet: it scores 0 and wins every pair it is drawn into
        Map<String, Integer> first = picks(r, 3_000);
        assertThat(first.getOrDefault("t2", 0)).isBetween(1_800, 2_200); // two pairs in three include it
        t.get(2).sample(200_000_000, 0);
        // now the slow one loses every pair it is drawn into, and the two fast share the load
        Map<String, Integer> then = picks(r, 3_000);
        assertThat(then.getOrDefault("t2", 0)).isZero();
        assertThat(then.get("t0")).isGreaterThan(then.get("t1")); // t0 is faster: it wins their pair
        // a busy fast target scores its latency times its queue: past 20 in flight, t1 (idle) takes over
        for (int i = 0; i < 20; i++) t.get(0).begin();
        Map<String, Integer> busy = picks(r, 3_000);
        assertThat(busy.get("t1")).isGreaterThan(busy.getOrDefault("t0", 0));
    }

    @Test
    void theLatencyAverage_forgetsWithTime_notWithTheNumberOfSamples() {
        Deployment t = targets(1).getFirst();
        assertThat(t.latencyNanos()).isZero();
        t.sample(100, 0);
        assertThat(t.latencyNanos()).isEqualTo(100);
        // at once after the last sample, a new one hardly moves it...
        t.sample(1_100, 0);
        assertThat(t.latencyNanos()).isEqualTo(100);
        // ...one tau * ln 2 later, it moves it halfway
        long half = Math.round(Deployment.TAU_NANOS * Math.log(2));
        t.sample(1_100, half);
        assertThat(t.latencyNanos()).isEqualTo(600);
    }

    @Test
    void aStrategy_isNamedAsAPersonWritesIt() {
        assertThat(Strategy.parse("least-outstanding")).isEqualTo(Strategy.LEAST_OUTSTANDING);
        assertThat(Strategy.parse(" Round-Robin ")).isEqualTo(Strategy.ROUND_ROBIN);
        assertThatThrownBy(() -> Strategy.parse("fastest"))
                .hasMessage("unknown strategy 'fastest' (known: weighted, round-robin, random, least-outstanding,"
                        + " latency, cost, priority)");
        assertThatThrownBy(() -> new Route("r", List.of(), Strategy.RANDOM))
                .hasMessageContaining("at least one deployment");
    }

    @Test
    void weighted_drawsInProportionToTheWeights() {
        SplittableRandom seeded = new SplittableRandom(11);
        List<Deployment> d = List.of(deployment("a", 3, 0, 0), deployment("b", 1, 0, 0), deployment("z", 0, 0, 0));
        Route r = new Route("r", d, Strategy.WEIGHTED, null, List.of(), () -> seeded);
        Map<String, Integer> n = picks(r, 40_000);
        assertThat(n.get("a")).isBetween(29_400, 30_600);
        assertThat(n.get("b")).isBetween(9_400, 10_600);
        assertThat(n).doesNotContainKey("z"); // weight 0: only when nothing else is usable
        assertThat(r.pick(null, x -> x.name().equals("z")).name()).isEqualTo("z");
    }

    @Test
    void cost_takesTheCheapest_andUnpricedLast() {
        List<Deployment> d = List.of(
                deployment("dear", 1, 0, 10), deployment("unknown", 1, 0, Double.NaN), deployment("cheap", 1, 0, 2));
        Route r = new Route("r", d, Strategy.COST);
        assertThat(picks(r, 10)).containsExactly(Map.entry("cheap", 10));
        assertThat(r.pick(null, x -> !x.name().equals("cheap")).name()).isEqualTo("dear");
        assertThat(r.pick(null, x -> x.name().equals("unknown")).name()).isEqualTo("unknown");
    }

    @Test
    void priority_takesTheFirstPriorityInTurn_andTheNextOnlyWhenItIsUnusable() {
        List<Deployment> d = List.of(deployment("p0a", 1, 0, 0), deployment("p1", 1, 1, 0), deployment("p0b", 1, 0, 0));
        Route r = new Route("r", d, Strategy.PRIORITY);
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 4; i++) order.add(r.pick().name());
        assertThat(order).containsExactly("p0a", "p0b", "p0a", "p0b");
        assertThat(r.pick(null, x -> x.priority() > 0).name()).isEqualTo("p1");
        assertThat(r.pick(null, x -> false)).isNull();
    }

    @Test
    void sticky_keepsASessionOnItsDeployment_whileItIsUsable() {
        List<Deployment> d = targets(3);
        Route r = new Route("r", d, Strategy.ROUND_ROBIN, "x-session-id", List.of(), () -> new SplittableRandom(1));
        String first = r.pick("s1", x -> true).name();
        for (int i = 0; i < 5; i++) assertThat(r.pick("s1", x -> true).name()).isEqualTo(first);
        assertThat(r.pick("s2", x -> true).name()).isNotEqualTo(first); // a new session takes the next turn
        // its deployment unusable: routed again, and remembered there
        String moved = r.pick("s1", x -> !x.name().equals(first)).name();
        assertThat(moved).isNotEqualTo(first);
        assertThat(r.pick("s1", x -> true).name()).isEqualTo(moved);
    }
}
