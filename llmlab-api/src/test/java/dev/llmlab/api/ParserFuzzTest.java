package dev.llmlab.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.api.anthropic.AnthropicRequests;
import dev.llmlab.api.openai.ChatBody;
import dev.llmlab.api.openai.OpenAiRequests;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Mutation fuzzing of every request parser, seeded and bounded: valid bodies are damaged at
 * random (bytes flipped, inserted, deleted; JSON tokens spliced in; cut short; values swapped for
 * other types) and each result must parse or fail with an {@link ApiException}, the only failure
 * the API layer may show a client. Any other exception (a NullPointerException, a
 * ClassCastException, a StackOverflowError) is a bug that would have been a 500.
 */
class ParserFuzzTest {
    private static final String[] SEEDS = {
        "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},{\"role\":\"user\",\"content\":"
                + "[{\"type\":\"text\",\"text\":\"hi\"}]}],\"max_tokens\":5,\"n\":2,\"stop\":[\"x\"],\"seed\":3,\"temperature\":0.5,"
                + "\"stream\":true,\"stream_options\":{\"include_usage\":true},\"logprobs\":true,\"top_logprobs\":2,"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{\"type\":\"object\","
                + "\"properties\":{\"a\":{\"type\":\"string\"}}}}}],\"tool_choice\":\"auto\","
                + "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"s\",\"schema\":{\"type\":\"object\"}}}}",
        "{\"model\":\"gpt-3.5-turbo-instruct\",\"prompt\":[\"a\",\"b\"],\"max_tokens\":7,\"echo\":true,\"logprobs\":2,\"best_of\":2,"
                + "\"n\":1,\"suffix\":null,\"user\":\"u\"}",
        "{\"model\":\"text-embedding-3-small\",\"input\":[[1,2,3],\"text\"],\"dimensions\":256,\"encoding_format\":\"base64\"}",
        "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,\"system\":[{\"type\":\"text\",\"text\":\"s\"}],\"messages\":["
                + "{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t\","
                + "\"name\":\"f\",\"input\":{\"a\":1}}]},{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t\","
                + "\"content\":\"ok\"}]}],\"stop_sequences\":[\"END\"],\"temperature\":1,\"top_k\":5,\"stream\":true,\"tools\":"
                + "[{\"name\":\"f\",\"input_schema\":{\"type\":\"object\"}}],\"tool_choice\":{\"type\":\"tool\",\"name\":\"f\"},"
                + "\"metadata\":{\"user_id\":\"x\"}}"
    };
    private static final String[] SPLICES = {
        "null",
        "true",
        "-1",
        "1e309",
        "\"\"",
        "[]",
        "{}",
        "[[[[",
        "}}}",
        ",",
        ":",
        "\"\\ud800\"",
        "0.5",
        "99999999999999999999",
        "{\"type\":\"video\"}",
        "\"\u0000\""
    };

    private final List<Consumer<byte[]>> parsers = List.of(
            b -> OpenAiRequests.parseChat(ChatBody.read(b, 0, b.length)),
            b -> OpenAiRequests.parseChat(OpenAiRequests.readBody(b, 0, b.length)),
            b -> OpenAiRequests.parseCompletion(OpenAiRequests.readBody(b, 0, b.length)),
            b -> OpenAiRequests.parseEmbedding(OpenAiRequests.readBody(b, 0, b.length)),
            b -> AnthropicRequests.parseMessages(AnthropicRequests.readBody(b, 0, b.length)),
            b -> AnthropicRequests.parseCountTokens(AnthropicRequests.readBody(b, 0, b.length)));

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void mutatedBodies_parseOrFailWithAnApiError(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<String> bugs = new ArrayList<>();
        int apiErrors = 0;
        for (int i = 0; i < 2_500; i++) {
            byte[] body = mutate(SEEDS[rng.nextInt(SEEDS.length)].getBytes(StandardCharsets.UTF_8), rng);
            for (Consumer<byte[]> parse : parsers) {
                try {
                    parse.accept(body);
                } catch (ApiException e) {
                    apiErrors++;
                } catch (Throwable t) {
                    if (bugs.size() < 5) bugs.add(t + " on " + new String(body, StandardCharsets.UTF_8));
                }
            }
        }
        assertThat(bugs).isEmpty();
        assertThat(apiErrors).as("the mutations do reach the error paths").isGreaterThan(2_500);
    }

    @ParameterizedTest
    @ValueSource(ints = {1_000, 100_000})
    void deepNesting_isAnApiErrorNotAStackOverflow(int depth) {
        String deep = "[".repeat(depth) + "]".repeat(depth);
        for (String body : new String[] {
            "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"extra\":" + deep + "}",
            "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":1,\"messages\":" + deep + "}"
        }) {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            for (Consumer<byte[]> parse : parsers) {
                try {
                    parse.accept(b);
                } catch (ApiException expected) {
                    // fine: rejected with the API's error
                }
            }
        }
    }

    private static byte[] mutate(byte[] in, SplittableRandom rng) {
        byte[] b = in;
        int rounds = 1 + rng.nextInt(4);
        for (int r = 0; r < rounds; r++) {
            int at = rng.nextInt(b.length);
            switch (rng.nextInt(6)) {
                case 0 -> b[at] = (byte) rng.nextInt(256); // flip a byte (invalid UTF-8 included)
                case 1 -> b = splice(b, at, at, SPLICES[rng.nextInt(SPLICES.length)]);
                case 2 -> b = splice(b, at, Math.min(b.length, at + 1 + rng.nextInt(8)), "");
                case 3 -> b = java.util.Arrays.copyOf(b, at); // cut short
                case 4 -> { // replace a value after a colon with another type
                    int colon = indexOf(b, (byte) ':', at);
                    if (colon >= 0) {
                        int end = colon + 1;
                        while (end < b.length && b[end] != ',' && b[end] != '}' && b[end] != ']') end++;
                        b = splice(b, colon + 1, end, SPLICES[rng.nextInt(SPLICES.length)]);
                    }
                }
                default ->
                    b = splice(
                            b,
                            at,
                            at,
                            new String(
                                    b,
                                    at,
                                    Math.min(b.length - at, 1 + rng.nextInt(20)),
                                    StandardCharsets.ISO_8859_1)); // duplicate a stretch
            }
            if (b.length == 0) return b;
        }
        return b;
    }

    private static int indexOf(byte[] b, byte c, int from) {
        for (int i = from; i < b.length; i++) if (b[i] == c) return i;
        return -1;
    }

    private static byte[] splice(byte[] b, int from, int to, String insert) {
        byte[] ins = insert.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[b.length - (to - from) + ins.length];
        System.arraycopy(b, 0, out, 0, from);
        System.arraycopy(ins, 0, out, from, ins.length);
        System.arraycopy(b, to, out, from + ins.length, b.length - to);
        return out;
    }
}
