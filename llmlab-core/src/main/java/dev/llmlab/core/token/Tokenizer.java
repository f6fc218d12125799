package dev.llmlab.core.token;

/**
 * A byte-pair-encoding tokenizer for one encoding (such as {@code cl100k_base}), used to count
 * and produce the tokens that usage numbers and timing models are expressed in. Obtained from
 * {@link Tokenizers#forEncoding}.
 *
 * <p>Text is always encoded as ordinary text: special-token markers such as
 * {@code <|endoftext|>} in user input are tokenized as the characters they are, never rejected
 * and never turned into control tokens, as an API server must treat untrusted prompts.
 *
 * <p>Thread-safety: implementations are immutable and safe for concurrent use.
 */
public interface Tokenizer {

    /** The encoding's name, e.g. {@code "o200k_base"}. */
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
     * The text of a token sequence; {@code decode(encode(s)).equals(s)} for every string.
     *
     * @throws IllegalArgumentException if an id is not in the encoding's vocabulary
     */
    String decode(int[] tokens);
}
