package dev.llmlab.sim.engine;

import dev.llmlab.core.random.Seeds;

/**
 * Chained block hashes of a token sequence, as vLLM's prefix cache keys its blocks: block
 * {@code i}'s hash covers its own tokens and, through block {@code i - 1}'s hash, every token
 * before it, so two prompts share cached blocks exactly as far as they share a prefix. Only full
 * blocks are hashed. Stateless.
 */
public final class PrefixHashes {
    private PrefixHashes() {}

    /** Hashes of the full blocks of {@code tokens[0..length)}. */
    public static long[] of(int[] tokens, int length, int blockSize) {
        int blocks = length / blockSize;
        long[] out = new long[blocks];
        long h = 0x9e3779b97f4a7c15L;
        for (int b = 0; b < blocks; b++) {
            for (int i = b * blockSize, end = i + blockSize; i < end; i++) h = Seeds.mix(h, tokens[i]);
            out[b] = h;
        }
        return out;
    }
}
