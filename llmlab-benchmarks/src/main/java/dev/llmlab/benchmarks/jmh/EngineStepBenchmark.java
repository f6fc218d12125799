package dev.llmlab.benchmarks.jmh;

import dev.llmlab.sim.engine.CostModel;
import dev.llmlab.sim.engine.Deployment;
import dev.llmlab.sim.engine.EngineObserver;
import dev.llmlab.sim.engine.EngineSpec;
import dev.llmlab.sim.engine.PrefixHashes;
import dev.llmlab.sim.engine.Sequence;
import dev.llmlab.sim.engine.SequenceListener;
import dev.llmlab.sim.engine.VirtualEngineClock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One engine step with {@code seqs} sequences decoding: the end of the step (a token for each,
 * delivered to its listener, KV blocks grown), and the scheduling of the next (budget, blocks,
 * cost), on the virtual clock. Divide by {@code seqs} for the cost per sequence. This is the
 * engine's whole per-token work, so it bounds how many tokens per second it can drive.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EngineStepBenchmark {
    @Param({"256"})
    int seqs;

    VirtualEngineClock clock;

    @Setup(Level.Iteration)
    public void setUp(Blackhole bh) {
        clock = new VirtualEngineClock();
        // Large enough that no sequence finishes and no block runs out within an iteration.
        EngineSpec spec = new EngineSpec(
                1,
                EngineSpec.Routing.ROUND_ROBIN,
                seqs,
                8192,
                10_000,
                1_000_000_000,
                16,
                true,
                true,
                new CostModel(6e6, 27e3, 50e3, 50, 0.02));
        Deployment d = new Deployment(spec, List.of(clock), EngineObserver.NONE, 1);
        SequenceListener sink = new SequenceListener() {
            @Override
            public void onToken(Sequence s, long nowNanos) {
                bh.consume(s);
            }

            @Override
            public void onFinished(Sequence s, long nowNanos) {}
        };
        for (int i = 0; i < seqs; i++) {
            int[] prompt = new int[512];
            for (int k = 0; k < prompt.length; k++) prompt[k] = i * 1000 + k;
            d.submit(new Sequence(512, 1, 20_000_000, PrefixHashes.of(prompt, 512, 16), sink));
        }
        for (int i = 0; i < seqs + 100; i++) clock.runNext(); // the arrivals, then past every prefill: all decoding
    }

    @Benchmark
    public boolean step() {
        return clock.runNext();
    }
}
