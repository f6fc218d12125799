package dev.llmlab.core.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Hugging Face {@code tokenizer.json} read through {@link Tokenizers#fromFile}.
 *
 * <p>The fixture {@code tiny-bpe.tokenizer.json} is written by hand in the format the Hugging Face
 * {@code tokenizers} library saves with {@code Tokenizer.save} and reads with
 * {@code Tokenizer.from_file} (https://huggingface.co/docs/tokenizers/api/tokenizer; the fields are
 * those of {@code tokenizers/src/tokenizer/serialization.rs} and {@code models/bpe/serialization.rs}
 * in github.com/huggingface/tokenizers). JSON has no comments, and the library refuses unknown
 * fields, so the citation lives here. Its model is a BPE of 17 tokens: the letters of "hello" and
 * "world", "!", "[UNK]", and eight merges that build "hello" and "world" up; the pre-tokenizer
 * splits on whitespace and punctuation.
 */
class FileTokenizerTest {

    @TempDir
    Path dir;

    static Path fixture() throws URISyntaxException {
        return Path.of(Objects.requireNonNull(FileTokenizerTest.class.getResource("tiny-bpe.tokenizer.json"))
                .toURI());
    }

    @Test
    void fromFile_countsTheFilesTokens() throws Exception {
        Tokenizer t = Tokenizers.fromFile(fixture());
        assertThat(t.encoding()).isEqualTo("file:tiny-bpe.tokenizer.json");
        assertThat(t.count("")).isZero();
        assertThat(t.count("hello world!")).isEqualTo(3); // hello, world, !
        assertThat(t.encode("hello world!")).containsExactly(12, 16, 8);
        assertThat(t.count("hold")).isEqualTo(4); // no merge applies: h, o, l, d
        assertThat(t.encode("help")).containsExactly(9, 3, 0); // he, l, [UNK]
        assertThat(t.count(new StringBuilder("hello  world hello"))).isEqualTo(3);
    }

    @Test
    void fromFile_addsNoSpecialTokens_andNeverTruncates() throws Exception {
        Tokenizer t = Tokenizers.fromFile(fixture());
        // Truncation would stop at 512, the library's default maximum length.
        String long_ = "hello ".repeat(2_000);
        assertThat(t.count(long_)).isEqualTo(2_000);
    }

    @Test
    void decode_givesTheDecodersText() throws Exception {
        Tokenizer t = Tokenizers.fromFile(fixture());
        // No decoder in the file: the library joins the tokens with spaces.
        assertThat(t.decode(new int[] {12, 16, 8})).isEqualTo("hello world !");
        assertThat(t.decode(12)).isEqualTo("hello");
    }

    @Test
    void count_concurrentUse_givesSameAnswers() throws Exception {
        Tokenizer t = Tokenizers.fromFile(fixture());
        assertThat(IntStream.range(0, 200).parallel().map(i -> t.count("hello world! ".repeat(i % 7 + 1))))
                .allMatch(n -> n >= 3 && n % 3 == 0);
    }

    @Test
    void forNameOrFile_takesABuiltInByName_elseAFile() throws Exception {
        assertThat(Tokenizers.forNameOrFile("cl100k_base")).isSameAs(Tokenizers.forEncoding("cl100k_base"));
        assertThat(Tokenizers.forNameOrFile(fixture().toString()).encoding()).isEqualTo("file:tiny-bpe.tokenizer.json");
        assertThatThrownBy(() -> Tokenizers.forNameOrFile("o200k"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("o200k: neither a built-in tokenizer (o200k_base, cl100k_base")
                .hasMessageContaining("nor a file: no such file");
    }

    @Test
    void fromFile_badFiles_sayWhatIsWrong_namingTheFile() throws IOException {
        Path notJson = dir.resolve("vocab.txt");
        Files.writeString(notJson, "hello 1\nworld 2\n");
        Path array = dir.resolve("array.json");
        Files.writeString(array, "[1, 2]");
        Path config = dir.resolve("config.json");
        Files.writeString(config, "{\"architectures\": [\"LlamaForCausalLM\"], \"vocab_size\": 128256}");
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"model\": {\"type\": \"WordPiece\", \"vocab\": \"none\"}}");
        Path missing = dir.resolve("nope.json");

        assertThatThrownBy(() -> Tokenizers.fromFile(missing))
                .hasMessage(missing + ": no such file (resolved to " + missing.toAbsolutePath() + ")");
        assertThatThrownBy(() -> Tokenizers.fromFile(dir))
                .hasMessage(dir + ": is a directory, not a tokenizer.json file");
        assertThatThrownBy(() -> Tokenizers.fromFile(notJson))
                .hasMessageStartingWith(notJson + ": not JSON at line 1, column ");
        assertThatThrownBy(() -> Tokenizers.fromFile(array))
                .hasMessage(array + ": not a Hugging Face tokenizer.json (its JSON is not an object)");
        assertThatThrownBy(() -> Tokenizers.fromFile(config))
                .hasMessage(config + ": not a Hugging Face tokenizer.json (no \"model\" object)");
        // A model the library cannot build: its own reason, after the file's name.
        assertThatThrownBy(() -> Tokenizers.fromFile(broken))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(broken + ": not a Hugging Face tokenizer.json: ");
    }
}
