package dev.llmlab.sim.text;

import dev.llmlab.core.token.Tokenizer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

/**
 * English words that are each exactly one token of a given encoding, in the three forms natural
 * text needs: {@code " word"}, {@code " Word"} after a full stop, and {@code "Word"} to open a reply.
 *
 * <p>Why single tokens: a reply assembled from them has a token count known without running the
 * tokenizer, and the BPE pre-tokenisers of cl100k_base and o200k_base split on exactly these
 * boundaries (a space-led word, a lone punctuation mark), so re-encoding the text yields the same
 * tokens; {@code VocabularyTest} checks that on random texts. Words are drawn with Zipf weights
 * (Zipf-Mandelbrot, (rank + 2.7)^-1), which makes the frequency profile look like prose rather than a word salad.
 * Immutable and shared per encoding.
 */
final class Vocabulary {
    private static final Map<String, Vocabulary> CACHE = new ConcurrentHashMap<>();

    final String[] lower;
    final String[] capital;
    final String[] first;
    private static final int TABLE_SIZE = 1 << 16;
    private final short[] table;

    private Vocabulary(List<String> words, Tokenizer tokenizer) {
        List<String> l = new ArrayList<>();
        List<String> c = new ArrayList<>();
        List<String> f = new ArrayList<>();
        for (String w : words) {
            String cap = Character.toUpperCase(w.charAt(0)) + w.substring(1);
            if (tokenizer.count(" " + w) == 1 && tokenizer.count(" " + cap) == 1 && tokenizer.count(cap) == 1) {
                l.add(" " + w);
                c.add(" " + cap);
                f.add(cap);
            }
        }
        if (l.size() < 50) throw new IllegalStateException("too few single-token words for " + tokenizer.encoding());
        lower = l.toArray(String[]::new);
        capital = c.toArray(String[]::new);
        first = f.toArray(String[]::new);
        // Sampling is a table lookup: TABLE_SIZE cells, each holding the word whose share of the
        // cumulative Zipf weight covers that cell. The quantisation (1/65536) is far below anything a
        // reader of simulated text could notice, and a draw costs one random int and one array read.
        double[] cumulative = new double[lower.length];
        double sum = 0;
        for (int i = 0; i < lower.length; i++) {
            sum += 1.0 / (i + 2.7); // Zipf-Mandelbrot: a flatter head than pure Zipf
            cumulative[i] = sum;
        }
        table = new short[TABLE_SIZE];
        int word = 0;
        for (int cell = 0; cell < TABLE_SIZE; cell++) {
            double u = (cell + 0.5) / TABLE_SIZE * sum;
            while (word < lower.length - 1 && cumulative[word] < u) word++;
            table[cell] = (short) word;
        }
    }

    static Vocabulary of(Tokenizer tokenizer) {
        Vocabulary v = CACHE.get(tokenizer.encoding());
        return v != null ? v : CACHE.computeIfAbsent(tokenizer.encoding(), e -> new Vocabulary(loadWords(), tokenizer));
    }

    /** A word index drawn with Zipf weights, never {@code avoid} (the previous word). */
    int pick(RandomGenerator rng, int avoid) {
        int i = pick(rng);
        return i != avoid ? i : (i + 1 + rng.nextInt(lower.length - 1)) % lower.length;
    }

    /** A word index drawn with Zipf weights. */
    int pick(RandomGenerator rng) {
        return table[rng.nextInt() & (TABLE_SIZE - 1)];
    }

    private static List<String> loadWords() {
        var in = Vocabulary.class.getResourceAsStream("/llmlab/words.txt");
        if (in == null) throw new IllegalStateException("llmlab/words.txt missing from the classpath");
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return r.lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
