package dev.llmlab.sim.engine;

/**
 * A deployment's resolved engine settings: the scheduler's limits (vLLM's names), the KV cache's
 * size, the routing across replicas and the step cost model. Immutable.
 *
 * @param replicas            data-parallel engine replicas, each with its own queue and cache
 * @param routing             how a request picks its replica
 * @param maxNumSeqs          sequences running at once per replica (vLLM {@code max_num_seqs})
 * @param maxNumBatchedTokens tokens computed per step per replica (vLLM {@code max_num_batched_tokens})
 * @param maxWaiting          requests waiting per replica beyond which new ones are refused
 * @param numBlocks           KV cache blocks per replica
 * @param blockSize           tokens per KV cache block
 * @param prefixCaching       whether full prompt blocks are cached and reused by hash
 * @param chunkedPrefill      whether a prompt may be prefilled over several steps
 */
public record EngineSpec(
        int replicas,
        Routing routing,
        int maxNumSeqs,
        int maxNumBatchedTokens,
        int maxWaiting,
        int numBlocks,
        int blockSize,
        boolean prefixCaching,
        boolean chunkedPrefill,
        CostModel cost) {

    /** How a deployment spreads requests over its replicas. */
    public enum Routing {
        /** In turn. */
        ROUND_ROBIN,
        /** To the replica with the fewest requests running or waiting. */
        LEAST_OUTSTANDING,
        /** Requests sharing their first prompt block to the same replica, unless it is much busier than the least loaded. */
        PREFIX_AFFINITY
    }

    public EngineSpec {
        if (replicas < 1) throw new IllegalArgumentException("replicas must be >= 1");
        if (maxNumSeqs < 1) throw new IllegalArgumentException("max_num_seqs must be >= 1");
        if (maxNumBatchedTokens < 1) throw new IllegalArgumentException("max_num_batched_tokens must be >= 1");
        // A request waits at least until the next step, so a queue of 0 would refuse everything.
        if (maxWaiting < 1) throw new IllegalArgumentException("max_waiting must be >= 1");
        if (numBlocks < 1) throw new IllegalArgumentException("num_blocks must be >= 1");
        if (blockSize < 1) throw new IllegalArgumentException("block_size must be >= 1");
        if (!chunkedPrefill && maxNumBatchedTokens < blockSize) {
            throw new IllegalArgumentException("max_num_batched_tokens must be >= block_size");
        }
    }

    /** Tokens one replica's KV cache holds. */
    public long kvCapacityTokens() {
        return (long) numBlocks * blockSize;
    }
}
