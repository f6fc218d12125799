package dev.llmlab.gateway.config;

/**
 * The bounds of the gateway's local exact cache (the top-level {@code cache:} section), shared by
 * every route that caches; read at start. The cache holds at most {@code max_entries} answers and
 * {@code max_bytes} of their bodies, whichever bound is reached first.
 *
 * @param maxEntries answers held in this process: 10,000 by default
 * @param maxBytes   bytes of answers held in this process: 128 MiB by default
 */
public record CacheConfig(Long maxEntries, Long maxBytes) {
    public static final long DEFAULT_MAX_ENTRIES = 10_000;
    public static final long DEFAULT_MAX_BYTES = 128L << 20;

    public CacheConfig {
        if (maxEntries == null) maxEntries = DEFAULT_MAX_ENTRIES;
        if (maxEntries < 1 || maxEntries > 100_000_000)
            throw new IllegalArgumentException("max_entries must be in 1..100000000, got " + maxEntries);
        if (maxBytes == null) maxBytes = DEFAULT_MAX_BYTES;
        if (maxBytes < 1024) throw new IllegalArgumentException("max_bytes must be >= 1024, got " + maxBytes);
    }

    public static CacheConfig defaults() {
        return new CacheConfig(null, null);
    }
}
