package dev.llmlab.gateway.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmlab.gateway.proxy.Upstream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StrategyTest {
    private static List<Target> targets(int n) {
        List<Target> t = new ArrayList<>();
        for (int i = 0; i < n; i++)
            t.add(new Target("t" + i, Upstream.parse("http://127.0.0.1:" + (9000 + i) + "/v1")));
        return t;
    }

    private static Map<String, Integer> picks(Route r, int n) {
        Map<String, Integer> count = new HashMap<>();
        for (int i = 0; i < n; i++) count.merge(r.pick().name(), 1, Integer::sum);
        return count;
    }

    @Test
    void roundRobin_takesEachInTurn_exactly() {
        Route r = new Route(targets(3), Strategy.ROUND_ROBIN);
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 7; i++) order.add(r.pick().name());
        assertThat(order).containsExactly("t0", "t1", "t2", "t0", "t1", "t2", "t0");
    }

    @Test
    void random_spreadsEvenly_overASeededDraw() {
        SplittableRandom seeded = new SplittableRandom(7);
        Route r = new Route(targets(3), Strategy.RANDOM, () -> seeded);
        assertThat(picks(r, 30_000).values()).allSatisfy(c -> assertThat(c).isBetween(9_500, 10_500));
    }

    @Test
    void leastOutstanding_takesTheLeastBusy_andTurnsAmongEquals() {
        List<Target> t = targets(3);
        Route r = new Route(t, Strategy.LEAST_OUTSTANDING);
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
        List<Target> t = targets(3);
        SplittableRandom seeded = new SplittableRandom(3);
        Route r = new Route(t, Strategy.LATENCY, () -> seeded);
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
        Target t = targets(1).getFirst();
        assertThat(t.latencyNanos()).isZero();
        t.sample(100, 0);
        assertThat(t.latencyNanos()).isEqualTo(100);
        // at once after the last sample, a new one hardly moves it...
        t.sample(1_100, 0);
        assertThat(t.latencyNanos()).isEqualTo(100);
        // ...one tau * ln 2 later, it moves it halfway
        long half = Math.round(Target.TAU_NANOS * Math.log(2));
        t.sample(1_100, half);
        assertThat(t.latencyNanos()).isEqualTo(600);
    }

    @Test
    void aStrategy_isNamedAsAPersonWritesIt() {
        assertThat(Strategy.parse("least-outstanding")).isEqualTo(Strategy.LEAST_OUTSTANDING);
        assertThat(Strategy.parse(" Round-Robin ")).isEqualTo(Strategy.ROUND_ROBIN);
        assertThatThrownBy(() -> Strategy.parse("fastest"))
                .hasMessage("unknown strategy 'fastest' (known: round-robin, random, least-outstanding, latency)");
        assertThatThrownBy(() -> new Route(List.of(), Strategy.RANDOM)).hasMessageContaining("at least one target");
    }
}
