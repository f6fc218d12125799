package dev.llmlab.sim.text;

import java.util.random.RandomGenerator;

/**
 * Prose-like text of an exact token length: sentences of 5 to 20 Zipf-drawn words, an occasional
 * comma, a full stop at the end of each sentence and always as the last token, so a reply that
 * ends on its own ends like a sentence. Every piece is one token (see {@link Vocabulary}).
 */
final class NaturalText implements TokenSource {
    private final Vocabulary vocab;
    private final RandomGenerator rng;
    private final int length;
    private int emitted;
    private int sentenceLeft;
    private boolean sentenceStart = true;
    private boolean lastWasPunct = true;
    private int lastWord = -1;
    private int sentenceWords;

    NaturalText(Vocabulary vocab, RandomGenerator rng, int length) {
        this.vocab = vocab;
        this.rng = rng;
        this.length = length;
        this.sentenceLeft = 5 + rng.nextInt(16);
    }

    @Override
    public String next() {
        if (emitted >= length) return null;
        int remaining = length - emitted++;
        if (remaining == 1 && length > 1 && !lastWasPunct) return punct(".");
        if (sentenceStart) {
            sentenceStart = false;
            lastWasPunct = false;
            sentenceWords = 1;
            lastWord = vocab.pick(rng);
            return (emitted == 1 ? vocab.first : vocab.capital)[lastWord];
        }
        if (sentenceLeft <= 0 && remaining > 2 && !lastWasPunct) {
            sentenceStart = true;
            sentenceLeft = 5 + rng.nextInt(16);
            return punct(".");
        }
        sentenceLeft--;
        if (!lastWasPunct && sentenceWords >= 3 && sentenceLeft > 2 && remaining > 2 && rng.nextInt(10) == 0) {
            return punct(",");
        }
        lastWasPunct = false;
        sentenceWords++;
        lastWord = vocab.pick(rng, lastWord);
        return vocab.lower[lastWord];
    }

    private String punct(String p) {
        lastWasPunct = true;
        return p;
    }
}
