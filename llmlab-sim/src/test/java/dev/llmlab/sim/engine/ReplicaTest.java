package dev.llmlab.sim.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.sim.engine.EngineSpec.Routing;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicaTest {
    private static final long MS = 1_000_000;

    static EngineSpec spec(int maxSeqs, int budget, int blocks, int blockSize, boolean prefix, CostModel cost) {
        return new EngineSpec(1, Routing.ROUND_ROBIN, maxSeqs, budget, 1000, blocks, blockSize, prefix, true, cost);
    }

    /** c0 = 1 ms, 10 us per prefill token, 100 us per decoding sequence, 1 us per KV token read. */
    static final CostModel HAND = new CostModel(1_000_000, 10_000, 100_000, 1_000, 0);

    @Test
    void twoRequests_yieldTheHandComputedTokenTimes() {
        VirtualEngineClock clock = new VirtualEngineClock();
        Deployment d = new Deployment(spec(8, 100, 100, 4, false, HAND), List.of(clock), EngineObserver.NONE, 1);
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        assertThat(d.submit(new Sequence(50, 1, 3, new long[0], a))).isNull();
        assertThat(d.submit(new Sequence(80, 1, 2, new long[0], b))).isNull();
        clock.runAll();
        // Step 1: A's 50 prompt tokens and B's first 50 (chunked: the budget is 100), reading 100 KV
        // tokens: 1 + 100 * 0.01 + 100 * 0.001 = 2.1 ms; A's first token.
        // Step 2: A decodes (reads 51), B's last 30 prompt tokens (reads 80):
        // 1 + 30 * 0.01 + 1 * 0.1 + 131 * 0.001 = 1.531 ms; A's second, B's first token.
        // Step 3: both decode, reading 52 + 81: 1 + 2 * 0.1 + 133 * 0.001 = 1.333 ms; both finish.
        assertThat(a.tokens).containsExactly(2_100_000L, 3_631_000L, 4_964_000L);
        assertThat(b.tokens).containsExactly(3_631_000L, 4_964_000L);
        assertThat(a.finishedAt).isEqualTo(4_964_000L);
        assertThat(b.finishedAt).isEqualTo(4_964_000L);
        assertThat(d.usedBlocks(0)).isZero();
        assertThat(d.outstanding(0)).isZero();
    }

    @Test
    void kvExhaustion_preemptsTheNewestAndEveryRequestStillCompletes() {
        VirtualEngineClock clock = new VirtualEngineClock();
        // 40 blocks of 4 = 160 tokens; four requests of 30 + 20 tokens need 200 at their peak.
        Deployment d = new Deployment(spec(8, 512, 40, 4, false, HAND), List.of(clock), EngineObserver.NONE, 1);
        List<Recorder> recs = new ArrayList<>();
        List<Sequence> seqs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Recorder r = new Recorder();
            Sequence s = new Sequence(30, 1, 20, new long[0], r);
            recs.add(r);
            seqs.add(s);
            assertThat(d.submit(s)).isNull();
        }
        clock.runAll();
        assertThat(d.preemptions(0)).isPositive();
        assertThat(seqs.getLast().preemptions()).isPositive(); // the most recently admitted goes first
        assertThat(seqs.getFirst().preemptions()).isZero();
        for (Recorder r : recs) assertThat(r.tokens).hasSize(20);
        assertThat(d.usedBlocks(0)).isZero();
    }

    @Test
    void sharedPrefix_isServedFromCacheWithLowerTtft() {
        VirtualEngineClock clock = new VirtualEngineClock();
        List<long[]> lookups = new ArrayList<>();
        EngineObserver obs = new EngineObserver() {
            @Override
            public void prefixLookup(int replica, long queried, long hits) {
                lookups.add(new long[] {queried, hits});
            }
        };
        Deployment d = new Deployment(spec(8, 4096, 1000, 16, true, HAND), List.of(clock), obs, 1);
        int[] prompt = new int[1000];
        for (int i = 0; i < prompt.length; i++) prompt[i] = i * 7 + 3;
        long[] hashes = PrefixHashes.of(prompt, prompt.length, 16);
        Recorder first = new Recorder();
        Sequence s1 = new Sequence(1000, 1, 5, hashes, first);
        d.submit(s1);
        clock.runAll();
        Recorder second = new Recorder();
        Sequence s2 = new Sequence(1000, 1, 5, hashes, second);
        d.submit(s2);
        clock.runAll();
        // 62 full blocks of 16 = 992 tokens cached; 8 left to compute.
        assertThat(s2.cachedTokens()).isEqualTo(992);
        assertThat(lookups).containsExactly(new long[] {1000, 0}, new long[] {1000, 992});
        assertThat(second.ttft(s2)).isLessThan(first.ttft(s1) / 3);
        // and the cost model's numbers exactly: 1 + 1000 * 0.01 + 1000 * 0.001 ms, then 1 + 8 * 0.01 + 1000 * 0.001
        assertThat(first.ttft(s1)).isEqualTo(12 * MS);
        assertThat(second.ttft(s2)).isEqualTo(2_080_000L);
    }

    @Test
    void differentPrompts_doNotHit() {
        VirtualEngineClock clock = new VirtualEngineClock();
        Deployment d = new Deployment(spec(8, 4096, 1000, 16, true, HAND), List.of(clock), EngineObserver.NONE, 1);
        int[] p1 = new int[64];
        int[] p2 = new int[64];
        for (int i = 0; i < 64; i++) {
            p1[i] = i;
            p2[i] = i == 40 ? -1 : i; // differs in the third block
        }
        d.submit(new Sequence(64, 1, 2, PrefixHashes.of(p1, 64, 16), new Recorder()));
        clock.runAll();
        Sequence s2 = new Sequence(64, 1, 2, PrefixHashes.of(p2, 64, 16), new Recorder());
        d.submit(s2);
        clock.runAll();
        assertThat(s2.cachedTokens()).isEqualTo(32); // the two blocks before the difference
    }

    @Test
    void cancel_freesBlocksAtOnceAndStopsTokens() {
        VirtualEngineClock clock = new VirtualEngineClock();
        Deployment d = new Deployment(spec(8, 4096, 1000, 16, false, HAND), List.of(clock), EngineObserver.NONE, 1);
        Recorder r = new Recorder();
        Sequence s = new Sequence(500, 1, 1000, new long[0], r);
        d.submit(s);
        clock.runUntil(50 * MS);
        int tokensBefore = r.tokens.size();
        assertThat(tokensBefore).isPositive();
        assertThat(d.usedBlocks(0)).isPositive();
        d.cancel(s);
        clock.runUntil(clock.now()); // the cancel runs at the same instant
        assertThat(d.usedBlocks(0)).isZero();
        assertThat(d.outstanding(0)).isZero();
        clock.runAll();
        assertThat(r.tokens).hasSize(tokensBefore);
        assertThat(r.finishedAt).isEqualTo(-1);
    }

    @Test
    void cancelWhileWaiting_leavesTheQueue() {
        VirtualEngineClock clock = new VirtualEngineClock();
        Deployment d = new Deployment(spec(1, 4096, 1000, 16, false, HAND), List.of(clock), EngineObserver.NONE, 1);
        d.submit(new Sequence(10, 1, 100, new long[0], new Recorder()));
        Recorder r = new Recorder();
        Sequence queued = new Sequence(10, 1, 100, new long[0], r);
        d.submit(queued);
        clock.runUntil(5 * MS);
        assertThat(d.waiting(0)).isEqualTo(1);
        d.cancel(queued);
        clock.runUntil(clock.now());
        assertThat(d.waiting(0)).isZero();
        clock.runAll();
        assertThat(r.tokens).isEmpty();
    }

    @Test
    void fullQueue_andOversizedRequests_areRefused() {
        VirtualEngineClock clock = new VirtualEngineClock();
        EngineSpec s = new EngineSpec(1, Routing.ROUND_ROBIN, 1, 4096, 2, 10, 16, false, true, HAND);
        Deployment d = new Deployment(s, List.of(clock), EngineObserver.NONE, 1);
        assertThat(d.submit(new Sequence(10, 1, 5, new long[0], new Recorder())))
                .isNull();
        assertThat(d.submit(new Sequence(10, 1, 5, new long[0], new Recorder())))
                .isNull();
        assertThat(d.submit(new Sequence(10, 1, 5, new long[0], new Recorder())))
                .isEqualTo(Deployment.Refusal.QUEUE_FULL);
        // 10 blocks of 16 = 160 tokens: 150 + 11 - 1 = 160 fits, one more token does not
        assertThat(d.submit(new Sequence(150, 1, 12, new long[0], new Recorder())))
                .isEqualTo(Deployment.Refusal.TOO_LARGE);
        clock.runAll();
        assertThat(d.submit(new Sequence(150, 1, 11, new long[0], new Recorder())))
                .isNull();
        clock.runAll();
    }

    @Test
    void jitter_isSeededAndMeanOne() {
        long[] a = timeline(42, 0.1);
        long[] b = timeline(42, 0.1);
        long[] c = timeline(43, 0.1);
        long[] exact = timeline(42, 0);
        assertThat(a).isEqualTo(b);
        assertThat(a).isNotEqualTo(c);
        // 2000 steps with 10% noise each: the total is within 3 standard errors (0.1 / sqrt(2000)) of the exact one
        assertThat((double) a[a.length - 1])
                .isCloseTo(exact[exact.length - 1], org.assertj.core.data.Percentage.withPercentage(0.7));
    }

    private static long[] timeline(long seed, double jitter) {
        VirtualEngineClock clock = new VirtualEngineClock();
        CostModel noisy = new CostModel(1_000_000, 10_000, 100_000, 1_000, jitter);
        Deployment d = new Deployment(spec(8, 4096, 1000, 16, false, noisy), List.of(clock), EngineObserver.NONE, seed);
        Recorder r = new Recorder();
        d.submit(new Sequence(1, 1, 2001, new long[0], r));
        clock.runAll();
        return r.tokens.stream().mapToLong(Long::longValue).toArray();
    }

    @Test
    void width_decodesEveryChoiceEachStep() {
        VirtualEngineClock clock = new VirtualEngineClock();
        Deployment d = new Deployment(spec(8, 100, 100, 4, false, HAND), List.of(clock), EngineObserver.NONE, 1);
        Recorder r = new Recorder();
        d.submit(new Sequence(10, 3, 2, new long[0], r));
        clock.runAll();
        // prefill: 1 + 0.1 + 0.01 ms; then 3 decoding choices reading 13 tokens: 1 + 0.3 + 0.013
        assertThat(r.tokens).containsExactly(1_110_000L, 1_110_000L + 1_313_000L);
    }

    @Test
    void aLateStep_doesNotAdmitRequestsThatArrivedAfterItsModelledStart() {
        VirtualEngineClock virtual = new VirtualEngineClock();
        // Every step end runs 0.5 ms late, as a busy live event loop would run it.
        EngineClock late = new EngineClock() {
            @Override
            public long now() {
                return virtual.now();
            }

            @Override
            public void schedule(long atNanos, Runnable task) {
                virtual.schedule(atNanos + 500_000, task);
            }

            @Override
            public void execute(Runnable task) {
                virtual.execute(task);
            }
        };
        Deployment d = new Deployment(spec(8, 100, 100, 4, false, HAND), List.of(late), EngineObserver.NONE, 1);
        d.submit(new Sequence(10, 1, 50, new long[0], new Recorder()));
        // The first step is modelled to end at 1.11 ms and runs at 1.61 ms; this request arrives in between.
        Recorder r = new Recorder();
        Sequence between = new Sequence(10, 1, 5, new long[0], r);
        virtual.schedule(1_300_000, () -> d.submit(between));
        virtual.runAll();
        assertThat(between.arrivalNanos()).isEqualTo(1_300_000);
        assertThat(between.firstScheduledNanos()).isGreaterThanOrEqualTo(between.arrivalNanos());
        assertThat(r.tokens).hasSize(5);
    }

    @Test
    void aThrowingListener_doesNotStopTheReplica() {
        VirtualEngineClock clock = new VirtualEngineClock();
        Deployment d = new Deployment(spec(8, 100, 100, 4, false, HAND), List.of(clock), EngineObserver.NONE, 1);
        d.submit(new Sequence(10, 1, 3, new long[0], new SequenceListener() {
            @Override
            public void onToken(Sequence s, long nowNanos) {
                throw new IllegalStateException("a bug outside the engine");
            }

            @Override
            public void onFinished(Sequence s, long nowNanos) {}
        }));
        Recorder other = new Recorder();
        d.submit(new Sequence(10, 1, 3, new long[0], other));
        clock.runAll();
        assertThat(other.tokens).hasSize(3);
        Recorder later = new Recorder();
        d.submit(new Sequence(10, 1, 2, new long[0], later));
        clock.runAll();
        assertThat(later.tokens).hasSize(2);
        assertThat(d.usedBlocks(0)).isZero();
    }

    @Test
    void aCancelThatOvertakesItsSubmission_returnsTheQueuePlace() {
        VirtualEngineClock clock = new VirtualEngineClock();
        EngineSpec oneWaiting = new EngineSpec(1, Routing.ROUND_ROBIN, 8, 100, 1, 100, 4, false, true, HAND);
        Deployment d = new Deployment(oneWaiting, List.of(clock), EngineObserver.NONE, 1);
        Sequence s = new Sequence(10, 1, 3, new long[0], new Recorder());
        assertThat(d.submit(s)).isNull();
        d.replica(0).abort(s); // as a cancel from another thread could, before the enqueue task ran
        clock.runAll();
        assertThat(d.outstanding(0)).isZero();
        assertThat(d.submit(new Sequence(10, 1, 3, new long[0], new Recorder())))
                .isNull();
        clock.runAll();
    }
}
