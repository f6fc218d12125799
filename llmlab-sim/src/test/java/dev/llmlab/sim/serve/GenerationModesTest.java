package dev.llmlab.sim.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.core.token.Tokenizers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class GenerationModesTest {
    @TempDir
    Path dir;

    private static JsonNode chat(SimHarness h, String user, String extra) {
        var r = h.post(
                "/v1/chat/completions",
                "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"" + user + "\"}]" + extra + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return SimHarness.json(r.body());
    }

    @Test
    void echo_repeatsTheLastUserMessage_cutAtMaxTokens() {
        try (SimHarness h = SimHarness.start("generation: {mode: echo}")) {
            String text = "Echo me back, please: naïve café ☕ works too.";
            JsonNode r = chat(h, text, "");
            assertThat(r.at("/choices/0/message/content").stringValue()).isEqualTo(text);
            assertThat(r.at("/usage/completion_tokens").intValue())
                    .isEqualTo(Tokenizers.forEncoding("o200k_base").count(text));
            assertThat(r.at("/choices/0/finish_reason").stringValue()).isEqualTo("stop");
            JsonNode cut = chat(h, text, ",\"max_tokens\":3");
            assertThat(text).startsWith(cut.at("/choices/0/message/content").stringValue());
            assertThat(cut.at("/choices/0/finish_reason").stringValue()).isEqualTo("length");
        }
    }

    @Test
    void echo_streamsTheSameTextInTokenPieces_evenAcrossMultiByteCharacters() {
        try (SimHarness h = SimHarness.start("generation: {mode: echo}")) {
            String text = "日本語のテキスト and emoji 🎉🎉";
            StringBuilder streamed = new StringBuilder();
            for (String d : h.stream(
                    "/v1/chat/completions",
                    "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":" + "[{\"role\":\"user\",\"content\":\"" + text
                            + "\"}]}")) {
                if (d.equals("[DONE]")) continue;
                JsonNode c = SimHarness.json(d).at("/choices/0/delta/content");
                if (c.isString()) streamed.append(c.stringValue());
            }
            assertThat(streamed.toString()).isEqualTo(text);
        }
    }

    @Test
    void fixed_answersTheConfiguredText() {
        try (SimHarness h = SimHarness.start("generation: {mode: fixed, fixed_text: \"Always this.\"}")) {
            assertThat(chat(h, "anything", "").at("/choices/0/message/content").stringValue())
                    .isEqualTo("Always this.");
        }
    }

    @Test
    void canned_firstMatchingRuleWins_elseNaturalText() {
        try (SimHarness h = SimHarness.start("""
        generation:
          mode: canned
          canned:
            - {match: "(?i)weather", response: "It is sunny."}
            - {match: '\\b(hello|hi)\\b', response: "Hello there!"}
        """)) {
            assertThat(chat(h, "What is the WEATHER like?", "")
                            .at("/choices/0/message/content")
                            .stringValue())
                    .isEqualTo("It is sunny.");
            assertThat(chat(h, "hi", "").at("/choices/0/message/content").stringValue())
                    .isEqualTo("Hello there!");
            assertThat(chat(h, "something else", ",\"max_tokens\":8")
                            .at("/usage/completion_tokens")
                            .intValue())
                    .isEqualTo(8);
        }
    }

    @Test
    void corpus_picksRepliesFromTheFile() throws IOException {
        Path corpus = dir.resolve("replies.jsonl");
        Files.writeString(corpus, "\"First reply.\"\n{\"text\":\"Second reply.\"}\n\n\"Third reply.\"\n");
        try (SimHarness h = SimHarness.start("generation: {mode: corpus, corpus_file: \"" + corpus + "\"}")) {
            Set<String> seen = new HashSet<>();
            for (int seed = 0; seed < 30; seed++) {
                seen.add(chat(h, "q", ",\"seed\":" + seed)
                        .at("/choices/0/message/content")
                        .stringValue());
            }
            assertThat(seen).containsExactlyInAnyOrder("First reply.", "Second reply.", "Third reply.");
        }
    }

    @Test
    void tokensPerChunk_groupsTokens() {
        try (SimHarness h = SimHarness.start("generation: {tokens_per_chunk: 4}")) {
            var data = h.stream(
                    "/v1/chat/completions",
                    "{\"model\":\"gpt-4o\",\"stream\":true,\"max_tokens\":12,"
                            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
            // role chunk, 3 content chunks of 4 tokens, finish chunk, [DONE]
            assertThat(data).hasSize(6);
        }
    }

    @Test
    void serverSeed_makesSeedlessRequestsReproducible() {
        String a;
        try (SimHarness h = SimHarness.start("seed: 99")) {
            a = chat(h, "same", ",\"max_tokens\":30")
                    .at("/choices/0/message/content")
                    .stringValue();
            assertThat(chat(h, "same", ",\"max_tokens\":30")
                            .at("/choices/0/message/content")
                            .stringValue())
                    .isEqualTo(a);
        }
        try (SimHarness h = SimHarness.start("seed: 99")) {
            assertThat(chat(h, "same", ",\"max_tokens\":30")
                            .at("/choices/0/message/content")
                            .stringValue())
                    .isEqualTo(a);
        }
    }
}
