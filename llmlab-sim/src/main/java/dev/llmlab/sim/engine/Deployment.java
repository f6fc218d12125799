package dev.llmlab.sim.engine;

import dev.llmlab.core.random.Seeds;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A model served by {@code N} data-parallel engine replicas behind a router. The public face of
 * the engine: {@link #submit} a sequence, {@link #cancel} it when its client leaves.
 *
 * <p>Thread-safe: submit and cancel may be called from any thread; each replica's work runs on
 * its own clock's thread.
 */
public final class Deployment {
    /** Why a sequence was not accepted. */
    public enum Refusal {
        /** The chosen replica's waiting queue is full: answer as an overloaded server (429/503, Retry-After). */
        QUEUE_FULL,
        /** Prompt plus reply would not fit one replica's whole KV cache (or, without chunked prefill, one step). */
        TOO_LARGE
    }

    private final EngineSpec spec;
    private final Replica[] replicas;
    private final AtomicInteger turn = new AtomicInteger();

    /**
     * @param clocks   one clock per replica (replicas may share a virtual clock)
     * @param observer told of each replica's state, for metrics
     * @param seed     seeds each replica's step jitter
     */
    public Deployment(EngineSpec spec, List<EngineClock> clocks, EngineObserver observer, long seed) {
        if (clocks.size() != spec.replicas()) {
            throw new IllegalArgumentException(spec.replicas() + " replicas need as many clocks, got " + clocks.size());
        }
        this.spec = spec;
        this.replicas = new Replica[spec.replicas()];
        for (int i = 0; i < replicas.length; i++) {
            replicas[i] = new Replica(i, spec, clocks.get(i), observer, Seeds.rng(Seeds.mix(seed, i)));
        }
    }

    public EngineSpec spec() {
        return spec;
    }

    /**
     * Routes {@code s} to a replica and queues it there; null when accepted, else why not. The
     * listener hears of its tokens on the replica's thread.
     */
    public Refusal submit(Sequence s) {
        long peak = s.peakKvTokens();
        if (peak > spec.kvCapacityTokens() || (!spec.chunkedPrefill() && peak > spec.maxNumBatchedTokens())) {
            return Refusal.TOO_LARGE;
        }
        Replica r = route(s);
        // Reserve a place in the queue, or refuse: a CAS loop, so concurrent submits never overfill it.
        for (int w = r.waitingCount.get(); ; w = r.waitingCount.get()) {
            if (w >= spec.maxWaiting()) return Refusal.QUEUE_FULL;
            if (r.waitingCount.compareAndSet(w, w + 1)) break;
        }
        r.outstanding.incrementAndGet();
        s.replica = r;
        r.clock().execute(() -> r.enqueue(s));
        return null;
    }

    /** Aborts {@code s} (a no-op once it finished) and frees its blocks, on its replica's thread. */
    public void cancel(Sequence s) {
        Replica r = s.replica;
        if (r != null) r.clock().execute(() -> r.abort(s));
    }

    private Replica route(Sequence s) {
        if (replicas.length == 1) return replicas[0];
        return switch (spec.routing()) {
            case ROUND_ROBIN -> replicas[Math.floorMod(turn.getAndIncrement(), replicas.length)];
            case LEAST_OUTSTANDING -> leastOutstanding();
            case PREFIX_AFFINITY -> affine(s);
        };
    }

    /** Fewest outstanding requests; ties go round the replicas so that an idle deployment spreads its load. */
    private Replica leastOutstanding() {
        int start = Math.floorMod(turn.getAndIncrement(), replicas.length);
        Replica best = null;
        int bestLoad = Integer.MAX_VALUE;
        for (int k = 0; k < replicas.length; k++) {
            Replica r = replicas[(start + k) % replicas.length];
            int load = r.outstanding.get();
            if (load < bestLoad) {
                best = r;
                bestLoad = load;
            }
        }
        return best;
    }

    /**
     * The replica its first prompt block hashes to, so that requests sharing a prefix find it in
     * one replica's cache, as prefix-aware routers (llm-d, vLLM production stack, SGLang's router)
     * do; unless that replica carries more than twice the least loaded's requests plus a margin,
     * when load balance wins. Prompts shorter than a block go to the least loaded.
     */
    private Replica affine(Sequence s) {
        Replica least = leastOutstanding();
        if (s.blockHashes.length == 0) return least;
        Replica home = replicas[(int) Math.floorMod(Seeds.splitmix64(s.blockHashes[0]), (long) replicas.length)];
        return home.outstanding.get() > 2 * least.outstanding.get() + spec.maxNumSeqs() / 8 ? least : home;
    }

    /** Requests running or waiting on replica {@code i}; readable from any thread. */
    public int outstanding(int i) {
        return replicas[i].outstanding.get();
    }

    // ---------------------------------------------------------------- for tests, on the replica's thread

    int running(int i) {
        return replicas[i].running();
    }

    int waiting(int i) {
        return replicas[i].waiting();
    }

    int usedBlocks(int i) {
        return replicas[i].cache.used();
    }

    long preemptions(int i) {
        return replicas[i].preemptions;
    }

    long steps(int i) {
        return replicas[i].steps;
    }

    Replica replica(int i) {
        return replicas[i];
    }
}
