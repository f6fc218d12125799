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
        return CACHE.computeIfAbsent(name, n -> new JTokkitTokenizer(REGISTRY.getEncoding(n).orElseThrow()));
    }

    /** The names {@link #forEncoding} accepts. */
    public static Set<String> encodings() {
        return ENCODINGS;
    }
}
