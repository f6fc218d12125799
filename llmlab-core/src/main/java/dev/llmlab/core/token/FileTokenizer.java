package dev.llmlab.core.token;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@link Tokenizer} over a Hugging Face {@code tokenizer.json} file, run by the Hugging Face
 * tokenizers library (Rust) through DJL's bindings. Only {@link Tokenizers#fromFile} refers to
 * this class, so a process that never reads such a file never loads DJL or its native library.
 *
 * <p>Text is encoded without the tokenizer's post-processing (no BOS/EOS or other added special
 * tokens), without truncation and without padding: a count is the tokens of the text itself.
 * Unlike the jtokkit encodings, a file's tokenizer may match its added special tokens in the
 * text, and its decoder need not give back the exact text (normalizers, unknown words); an id
 * outside its vocabulary decodes to nothing rather than being refused.
 *
 * <p>Thread-safety: the native tokenizer is immutable and safe for concurrent use.
 */
final class FileTokenizer implements Tokenizer {

    static {
        // DJL copies the CPU build of its native library out of its jar (into ~/.djl.ai, or
        // $DJL_CACHE_DIR). On a machine with a CUDA GPU it would instead download a CUDA build
        // from publish.djl.ai: offline mode keeps it on the bundled CPU build, with no network
        // (unless the environment asks otherwise: DJL_OFFLINE=false, or a RUST_FLAVOR).
        if (System.getProperty("ai.djl.offline") == null) System.setProperty("ai.djl.offline", "true");
    }

    private final HuggingFaceTokenizer tokenizer;
    private final String name;

    private FileTokenizer(HuggingFaceTokenizer tokenizer, String name) {
        this.tokenizer = tokenizer;
        this.name = name;
    }

    /**
     * Loads an already checked {@code tokenizer.json} (see {@link Tokenizers#fromFile}).
     *
     * @throws IllegalArgumentException with the library's reason when it refuses the file
     * @throws IllegalStateException when the native library cannot be loaded on this machine
     */
    static FileTokenizer load(Path file, String name) {
        try {
            HuggingFaceTokenizer t = HuggingFaceTokenizer.builder()
                    .optTokenizerPath(file)
                    .optAddSpecialTokens(false)
                    .optTruncation(false)
                    .optPadding(false)
                    .build();
            return new FileTokenizer(t, name);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot be read: " + e.getMessage(), e);
        } catch (UnsatisfiedLinkError | ai.djl.engine.EngineException e) {
            throw new IllegalStateException(
                    "cannot load the Hugging Face tokenizers library on this machine: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // The Rust library's serde message, e.g. "missing field `model` at line 3 column 1".
            throw new IllegalArgumentException("not a Hugging Face tokenizer.json: " + e.getMessage(), e);
        }
    }

    @Override
    public String encoding() {
        return name;
    }

    @Override
    public int count(CharSequence text) {
        if (text.isEmpty()) return 0;
        return tokenizer.encode(text.toString(), false, false).getIds().length;
    }

    @Override
    public int[] encode(String text) {
        if (text.isEmpty()) return new int[0];
        long[] ids = tokenizer.encode(text, false, false).getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) out[i] = Math.toIntExact(ids[i]);
        return out;
    }

    @Override
    public String decode(int token) {
        return decode(new int[] {token});
    }

    @Override
    public String decode(int[] tokens) {
        long[] ids = new long[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] < 0)
                throw new IllegalArgumentException("token id not in the " + name + " vocabulary: " + tokens[i]);
            ids[i] = tokens[i];
        }
        return tokenizer.decode(ids, false);
    }

    @Override
    public String toString() {
        return "Tokenizer[" + name + "]";
    }
}
