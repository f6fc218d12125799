package dev.llmlab.sim.engine;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * A paged KV cache of {@code numBlocks} blocks of {@code blockSize} tokens, with prefix caching,
 * after vLLM's block manager (Kwon et al., "Efficient Memory Management for Large Language Model
 * Serving with PagedAttention", SOSP 2023, and vLLM v1's {@code KVCacheManager}).
 *
 * <p>Blocks are only counted, never filled: what matters for timing is how many a sequence holds.
 * A block is free, private to one sequence, or cached: a full prompt block known by the hash of
 * its tokens and of every token before it (so equal hashes mean equal prefixes). Cached blocks
 * carry a reference count; one whose count drops to zero stays cached but evictable, in LRU
 * order, and is reused by a later prompt with the same prefix or evicted when a sequence needs a
 * block and no free one is left. Usage counts the blocks that some sequence references, as
 * vLLM's {@code kv_cache_usage_perc} does.
 *
 * <p>Confined to its replica's thread.
 */
final class KvCache {
    /** A cached block: its prefix hash and how many sequences hold it. */
    static final class Block {
        final long hash;
        int refs;

        Block(long hash) {
            this.hash = hash;
        }
    }

    private final int numBlocks;
    private final int blockSize;
    private int free;
    private final HashMap<Long, Block> cached = new HashMap<>();
    private final LinkedHashMap<Long, Block> evictable = new LinkedHashMap<>();

    KvCache(int numBlocks, int blockSize) {
        this.numBlocks = numBlocks;
        this.blockSize = blockSize;
        this.free = numBlocks;
    }

    int blocksFor(long tokens) {
        return (int) ((tokens + blockSize - 1) / blockSize);
    }

    int blockSize() {
        return blockSize;
    }

    /** Blocks referenced by some sequence. */
    int used() {
        return numBlocks - free - evictable.size();
    }

    double usage() {
        return (double) used() / numBlocks;
    }

    /** Leading blocks of {@code hashes} that are cached now. */
    int cachedPrefix(long[] hashes) {
        int n = 0;
        while (n < hashes.length && cached.containsKey(hashes[n])) n++;
        return n;
    }

    /**
     * Whether {@code s} could take references to its first {@code hits} cached blocks and then
     * {@code more} new blocks; the hit blocks that are evictable stop counting as available.
     */
    boolean canAdmit(long[] hashes, int hits, int more) {
        int evictableHits = 0;
        for (int i = 0; i < hits; i++) if (cached.get(hashes[i]).refs == 0) evictableHits++;
        return more <= free + evictable.size() - evictableHits;
    }

    /** Takes references to the first {@code hits} cached blocks of {@code hashes} for {@code s}. */
    void share(Sequence s, long[] hashes, int hits) {
        for (int i = 0; i < hits; i++) {
            Block b = cached.get(hashes[i]);
            if (b.refs++ == 0) evictable.remove(b.hash);
            s.held.add(b);
        }
    }

    /** Gives {@code s} {@code n} more private blocks; false, with nothing taken, when there are not enough. */
    boolean allocate(Sequence s, int n) {
        if (n <= 0) return true;
        if (n > free + evictable.size()) return false;
        int fromFree = Math.min(n, free);
        free -= fromFree;
        for (int i = fromFree; i < n; i++) {
            Iterator<Block> lru = evictable.values().iterator();
            Block victim = lru.next();
            lru.remove();
            cached.remove(victim.hash);
        }
        s.privateBlocks += n;
        return true;
    }

    /**
     * Publishes one of {@code s}'s private blocks, now fully computed, under {@code hash}; a block
     * already cached under that hash (another sequence computed the same prefix at the same time)
     * leaves this one private, as vLLM does.
     */
    void publish(Sequence s, long hash) {
        if (s.privateBlocks == 0 || cached.containsKey(hash)) return;
        Block b = new Block(hash);
        b.refs = 1;
        cached.put(hash, b);
        s.privateBlocks--;
        s.held.add(b);
    }

    /** Returns every block {@code s} holds; cached ones stay cached, as evictable once unreferenced. */
    void release(Sequence s) {
        free += s.privateBlocks;
        s.privateBlocks = 0;
        for (int i = s.held.size() - 1; i >= 0; i--) { // tail first: the longest prefixes are evicted first
            Block b = s.held.get(i);
            if (--b.refs == 0) evictable.put(b.hash, b);
        }
        s.held.clear();
    }

    /** Blocks {@code s} holds. */
    static int held(Sequence s) {
        return s.privateBlocks + s.held.size();
    }
}
