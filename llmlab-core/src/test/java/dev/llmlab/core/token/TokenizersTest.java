package dev.llmlab.core.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TokenizersTest {

    static Set<String> encodings() {
        return Tokenizers.encodings();
    }

    @Test
    void encodings_listsTheFourBundled() {
        assertThat(Tokenizers.encodings())
                .containsExactlyInAnyOrder("o200k_base", "cl100k_base", "p50k_base", "r50k_base");
    }

    @ParameterizedTest
    @MethodSource("encodings")
    void forEncoding_cachesOneInstance(String name) {
        Tokenizer t = Tokenizers.forEncoding(name);
        assertThat(Tokenizers.forEncoding(name)).isSameAs(t);
        assertThat(t.encoding()).isEqualTo(name);
    }

    @Test
    void forEncoding_unknownName_listsKnownOnes() {
        assertThatThrownBy(() -> Tokenizers.forEncoding("gpt2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"gpt2\"")
                .hasMessageContaining("o200k_base, cl100k_base, p50k_base, r50k_base");
        assertThatThrownBy(() -> Tokenizers.forEncoding(null)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Known ids: "hello" and " world" are single tokens in every GPT vocabulary; the ids are
     * those tiktoken produces (cl100k: 15339 "hello", 1917 " world"; GPT-2/r50k and p50k share
     * 31373 "hello", 995 " world"; o200k: 24912, 2375).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "o200k_base, 24912, 2375",
        "cl100k_base, 15339, 1917",
        "p50k_base, 31373, 995",
        "r50k_base, 31373, 995",
    })
    void encode_helloWorld_isTwoKnownTokens(String name, int hello, int world) {
        Tokenizer t = Tokenizers.forEncoding(name);
        assertThat(t.encode("hello world")).containsExactly(hello, world);
        assertThat(t.count("hello world")).isEqualTo(2);
        assertThat(t.decode(hello)).isEqualTo("hello");
        assertThat(t.decode(world)).isEqualTo(" world");
    }

    @ParameterizedTest
    @MethodSource("encodings")
    void count_agreesWithEncodeOnAssortedText(String name) {
        Tokenizer t = Tokenizers.forEncoding(name);
        for (String s : new String[] {
            "",
            " ",
            "a",
            "The quick brown fox jumps over the lazy dog.",
            "héllo wörld 🎉 日本語のテキスト",
            "def f(x):\n    return x ** 2\n",
            "1234567890",
            "   leading and trailing   "
        }) {
            assertThat(t.count(s)).as(s).isEqualTo(t.encode(s).length);
            assertThat(t.decode(t.encode(s))).as(s).isEqualTo(s);
        }
        assertThat(t.count("")).isZero();
        assertThat(t.count(new StringBuilder("hello world"))).isEqualTo(2);
    }

    @ParameterizedTest
    @MethodSource("encodings")
    void count_repeatedWord_growsOneTokenPerWord(String name) {
        // " hello" is one token in every vocabulary, so "hello" + n × " hello" is n + 1 tokens.
        Tokenizer t = Tokenizers.forEncoding(name);
        assertThat(t.count("hello" + " hello".repeat(99))).isEqualTo(100);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "<|endoftext|>",
                "a<|endoftext|>b",
                "<|fim_prefix|><|im_start|>system<|im_end|>",
                "<|endofprompt|>"
            })
    void encode_specialTokenText_isPlainText(String text) {
        for (String name : Tokenizers.encodings()) {
            Tokenizer t = Tokenizers.forEncoding(name);
            int[] tokens = t.encode(text);
            assertThat(tokens.length).as(name).isGreaterThan(1);
            assertThat(t.count(text)).isEqualTo(tokens.length);
            assertThat(t.decode(tokens)).isEqualTo(text);
        }
    }

    @Test
    void decode_specialTokenId_givesItsText() {
        assertThat(Tokenizers.forEncoding("cl100k_base").decode(100257)).isEqualTo("<|endoftext|>");
        assertThat(Tokenizers.forEncoding("r50k_base").decode(50256)).isEqualTo("<|endoftext|>");
    }

    @Test
    void decode_singleTokensOfMultiByteCharacter_concatenateToTheCharacter() {
        Tokenizer t = Tokenizers.forEncoding("cl100k_base");
        int[] tokens = t.encode("🎉");
        assertThat(tokens.length).isGreaterThan(1);
        assertThat(t.decode(tokens)).isEqualTo("🎉");
        assertThat(t.decode(tokens[0])).isEqualTo("\uFFFD");
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 999_999, 10_000_000})
    void decode_unknownId_isRejected(int id) {
        Tokenizer t = Tokenizers.forEncoding("cl100k_base");
        assertThatThrownBy(() -> t.decode(id))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cl100k_base");
        assertThatThrownBy(() -> t.decode(new int[] {15339, id})).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void count_concurrentUse_givesSameAnswers() {
        Tokenizer t = Tokenizers.forEncoding("o200k_base");
        String text = "Concurrent tokenization must not share mutable state. ".repeat(20);
        int expected = t.count(text);
        Set<Integer> seen = ConcurrentHashMap.newKeySet();
        IntStream.range(0, 2000).parallel().forEach(i -> {
            seen.add(t.count(text));
            t.decode(i);
        });
        assertThat(seen).containsExactly(expected);
    }
}
