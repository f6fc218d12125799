package dev.llmlab.core.token;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.EncodingRegistry;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tokenizers llmlab knows, backed by jtokkit: {@code o200k_base} (GPT-4o, GPT-4.1, o-series),
 * {@code cl100k_base} (GPT-4, GPT-3.5), {@code p50k_base} and {@code r50k_base} (GPT-3 era).
 *
 * <p>Each encoding's vocabulary is loaded on first use (tens to hundreds of milliseconds and a few
 * tens of megabytes for the larger ones) and then shared: every call for a name returns the same
 * instance.
 *
 * <p>Thread-safety: all methods are thread-safe, as are the returned tokenizers.
 */
public final class Tokenizers {

    private static final Set<String> ENCODINGS = Set.of("o200k_base", "cl100k_base", "p50k_base", "r50k_base");

    /** Lazy, so that a process using only one encoding never pays for loading the others. */
    private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();

    private static final Map<String, Tokenizer> CACHE = new ConcurrentHashMap<>();

    private Tokenizers() {}

    /**
     * The tokenizer for the named encoding.
     *
     * @throws IllegalArgumentException if the name is not one of {@link #encodings()}; the message
     *     lists them
     */
    public static Tokenizer forEncoding(String name) {
        if (name == null || !ENCODINGS.contains(name)) {
            throw new IllegalArgumentException("unknown tokenizer encoding \"" + name
                    + "\"; known encodings: o200k_base, cl100k_base, p50k_base, r50k_base");
        }
        return CACHE.computeIfAbsent(
                name, n -> new JTokkitTokenizer(n, () -> REGISTRY.getEncoding(n).orElseThrow()));
    }

    /**
     * Loads the given tokenizers' tables on a background thread, one after another, so that a
     * server can bind and answer health checks while they load. A request that needs a table
     * before it is loaded waits for it.
     *
     * @return completes when every table is loaded
     */
    public static java.util.concurrent.CompletableFuture<Void> warmUp(java.util.Collection<Tokenizer> tokenizers) {
        java.util.List<Tokenizer> list = java.util.List.copyOf(tokenizers);
        return java.util.concurrent.CompletableFuture.runAsync(
                () -> {
                    for (Tokenizer t : list) {
                        t.count("warm up");
                    }
                },
                r -> {
                    Thread t = new Thread(r, "llmlab-tokenizer-warmup");
                    t.setDaemon(true);
                    t.start();
                });
    }

    /** The names {@link #forEncoding} accepts. */
    public static Set<String> encodings() {
        return ENCODINGS;
    }
}
