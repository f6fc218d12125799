package dev.llmlab.core.token;

/**
 * A tokenizer for one encoding (such as {@code cl100k_base}), used to count and produce the
 * tokens that usage numbers and timing models are expressed in. Obtained from
 * {@link Tokenizers#forEncoding} (jtokkit's byte-pair encodings) or {@link Tokenizers#fromFile}
 * (a Hugging Face {@code tokenizer.json}).
 *
 * <p>Text is always encoded as ordinary text: special-token markers such as
 * {@code <|endoftext|>} in user input are tokenized as the characters they are, never rejected
 * and never turned into control tokens, as an API server must treat untrusted prompts. (A
 * {@code tokenizer.json}'s own added tokens are the exception: its library matches them in the
 * text, as the model's server would.)
 *
 * <p>Thread-safety: implementations are immutable and safe for concurrent use.
 */
public interface Tokenizer {

    /** The encoding's name, e.g. {@code "o200k_base"}, or {@code "file:tokenizer.json"} for a file's. */
    String encoding();

    /** Number of tokens in {@code text}; 0 for the empty string. */
    int count(CharSequence text);

    /** The token ids of {@code text}. */
    int[] encode(String text);

    /**
     * The text of one token. A token can hold part of a multi-byte UTF-8 character; such bytes
     * decode to U+FFFD here, so decode whole sequences with {@link #decode(int[])} when exact
     * text matters.
     *
     * @throws IllegalArgumentException if the id is not in the encoding's vocabulary
     */
    String decode(int token);

    /**
     * The text of a token sequence; {@code decode(encode(s)).equals(s)} for every string with the
     * byte-pair encodings. A {@code tokenizer.json}'s decoder gives its own text back, which can
     * differ (a normalizer's lower case, an unknown word's placeholder).
     *
     * @throws IllegalArgumentException if an id is not in the encoding's vocabulary
     */
    String decode(int[] tokens);
}
