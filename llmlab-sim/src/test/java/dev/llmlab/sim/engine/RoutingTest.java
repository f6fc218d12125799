package dev.llmlab.sim.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.sim.engine.EngineSpec.Routing;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoutingTest {
    static Deployment deployment(Routing routing, int replicas, VirtualEngineClock clock) {
        EngineSpec spec = new EngineSpec(
                replicas,
                routing,
                64,
                4096,
                1000,
                10_000,
                16,
                true,
                true,
                new CostModel(1_000_000, 1_000, 10_000, 1, 0));
        List<EngineClock> clocks = new ArrayList<>();
        for (int i = 0; i < replicas; i++) clocks.add(clock);
        return new Deployment(spec, clocks, EngineObserver.NONE, 1);
    }

    static long[] hashes(int seed) {
        int[] tokens = new int[64];
        for (int i = 0; i < tokens.length; i++) tokens[i] = seed * 1000 + i;
        return PrefixHashes.of(tokens, tokens.length, 16);
    }

    @Test
    void roundRobin_takesTurns() {
        VirtualEngineClock clock = new VirtualEngineClock();
        Deployment d = deployment(Routing.ROUND_ROBIN, 3, clock);
        List<Sequence> seqs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Sequence s = new Sequence(10, 1, 5, new long[0], new Recorder());
            d.submit(s);
            seqs.add(s);
        }
        assertThat(seqs).extracting(Sequence::replicaIndex).containsExactly(0, 1, 2, 0, 1, 2);
        clock.runAll();
    }

    @Test
    void leastOutstanding_avoidsTheBusyReplica() {
        VirtualEngineClock clock = new VirtualEngineClock();
        Deployment d = deployment(Routing.LEAST_OUTSTANDING, 2, clock);
        // Three long requests; then a fourth goes where fewer are outstanding.
        for (int i = 0; i < 3; i++) d.submit(new Sequence(10, 1, 1000, new long[0], new Recorder()));
        int busy = d.outstanding(0) > d.outstanding(1) ? 0 : 1;
        Sequence next = new Sequence(10, 1, 5, new long[0], new Recorder());
        d.submit(next);
        assertThat(next.replicaIndex()).isEqualTo(1 - busy);
        assertThat(d.outstanding(0)).isEqualTo(2);
        assertThat(d.outstanding(1)).isEqualTo(2);
        clock.runAll();
        assertThat(d.outstanding(0) + d.outstanding(1)).isZero();
    }

    @Test
    void prefixAffinity_sendsASharedPrefixToOneReplica_soItHitsTheCache() {
        VirtualEngineClock clock = new VirtualEngineClock();
        Deployment d = deployment(Routing.PREFIX_AFFINITY, 4, clock);
        List<Sequence> same = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Sequence s = new Sequence(64, 1, 3, hashes(7), new Recorder());
            d.submit(s);
            same.add(s);
            clock.runAll(); // one after another: each can find the previous one's blocks
        }
        assertThat(same)
                .extracting(Sequence::replicaIndex)
                .containsOnly(same.getFirst().replicaIndex());
        assertThat(same.subList(1, 8))
                .allSatisfy(s -> assertThat(s.cachedTokens()).isEqualTo(63));
        // different prefixes spread over the replicas
        List<Integer> homes = new ArrayList<>();
        for (int p = 0; p < 16; p++) {
            Sequence s = new Sequence(64, 1, 3, hashes(100 + p), new Recorder());
            d.submit(s);
            homes.add(s.replicaIndex());
            clock.runAll();
        }
        assertThat(homes).containsAll(List.of(0, 1, 2, 3));
    }

    @Test
    void prefixAffinity_givesWayToLoadBalanceWhenItsReplicaIsFarBusier() {
        VirtualEngineClock clock = new VirtualEngineClock();
        Deployment d = deployment(Routing.PREFIX_AFFINITY, 2, clock);
        // 64 / 8 = 8 of margin: a home replica with more than 2 * 0 + 8 outstanding sends the next elsewhere.
        List<Sequence> seqs = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Sequence s = new Sequence(64, 1, 1000, hashes(7), new Recorder());
            d.submit(s);
            seqs.add(s);
        }
        int home = seqs.getFirst().replicaIndex();
        assertThat(seqs.subList(0, 9))
                .allSatisfy(s -> assertThat(s.replicaIndex()).isEqualTo(home));
        assertThat(seqs.get(9).replicaIndex()).isEqualTo(1 - home);
        clock.runAll();
    }
}
