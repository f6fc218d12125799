package dev.llmlab.core.token;

import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.IntArrayList;

/**
 * {@link Tokenizer} over a jtokkit {@link Encoding}, which is immutable and thread-safe.
 *
 * <p>Single-token decoding is on the hot path of streaming responses (one call per generated
 * token), so its strings are memoised per token id in a plain array. Races on that array are
 * benign: two threads may decode the same token and store equal strings, and a {@code String}'s
 * final fields make it safe to publish without synchronisation.
 *
 * <p>Thread-safety: safe for concurrent use.
 */
final class JTokkitTokenizer implements Tokenizer {

    /** Covers every id of the bundled encodings (o200k_base's largest is 200018). */
    private static final int CACHED_IDS = 1 << 18;

    private final java.util.function.Supplier<Encoding> loader;
    private final String name;
    private final String[] tokenText = new String[CACHED_IDS];
    // Loading a BPE table takes hundreds of milliseconds; a server resolves its models at start-up
    // but should not wait for tables it may load in the background (see Tokenizers.warmUp).
    private volatile Encoding encoding;

    JTokkitTokenizer(String name, java.util.function.Supplier<Encoding> loader) {
        this.name = name;
        this.loader = loader;
    }

    private Encoding enc() {
        Encoding e = encoding;
        if (e == null) {
            synchronized (this) {
                e = encoding;
                if (e == null) {
                    e = loader.get();
                    encoding = e;
                }
            }
        }
        return e;
    }

    @Override
    public String encoding() {
        return name;
    }

    @Override
    public int count(CharSequence text) {
        // toString() is the identity for the String callers nearly always pass, so no copy.
        return enc().countTokensOrdinary(text.toString());
    }

    @Override
    public int[] encode(String text) {
        return enc().encodeOrdinary(text).toArray();
    }

    @Override
    public String decode(int token) {
        if (token >= 0 && token < CACHED_IDS) {
            String s = tokenText[token];
            if (s == null) {
                s = decodeList(single(token));
                tokenText[token] = s;
            }
            return s;
        }
        return decodeList(single(token));
    }

    @Override
    public String decode(int[] tokens) {
        IntArrayList list = new IntArrayList(tokens.length);
        for (int t : tokens) {
            list.add(t);
        }
        return decodeList(list);
    }

    private static IntArrayList single(int token) {
        IntArrayList list = new IntArrayList(1);
        list.add(token);
        return list;
    }

    private String decodeList(IntArrayList tokens) {
        try {
            return enc().decode(tokens);
        } catch (NullPointerException e) {
            // jtokkit 1.1 signals an id outside the vocabulary with an NPE ("Unknown token for decoding").
            throw new IllegalArgumentException("token id not in the " + name + " vocabulary: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "Tokenizer[" + name + "]";
    }
}
