package dev.llmlab.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmlab.api.client.ClientApi;
import dev.llmlab.core.token.Tokenizer;
import dev.llmlab.core.token.Tokenizers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class DatasetsTest {
    static final Tokenizer TOK = Tokenizers.forEncoding("o200k_base");
    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    static JsonNode body(Workload w, int i) {
        return JSON.readTree(w.get(i).body());
    }

    @Test
    void jsonl_takesMessagesOrPrompts_andTheirMaxTokens() throws IOException {
        Path f = dir.resolve("d.jsonl");
        Files.writeString(f, """
        {"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi there"}],"max_tokens":7}

        {"prompt":"Once upon a time"}
        """);
        Workload chat = Datasets.jsonl(f, ClientApi.OPENAI_CHAT, "m", true, 32, TOK);
        assertThat(chat.size()).isEqualTo(2);
        assertThat(body(chat, 0).at("/messages/1/content").asString()).isEqualTo("Hi there");
        assertThat(body(chat, 0).path("max_tokens").asInt()).isEqualTo(7);
        assertThat(body(chat, 1).at("/messages/0/content").asString()).isEqualTo("Once upon a time");
        assertThat(body(chat, 1).path("max_tokens").asInt()).isEqualTo(32);
        // Anthropic: the system message moves to the top level
        Workload claude = Datasets.jsonl(f, ClientApi.ANTHROPIC_MESSAGES, "c", false, 32, TOK);
        assertThat(body(claude, 0).path("system").asString()).isEqualTo("Be brief.");
        assertThat(body(claude, 0).path("messages").size()).isEqualTo(1);
    }

    @Test
    void jsonl_errorsNameTheFileAndLine() throws IOException {
        Path f = dir.resolve("bad.jsonl");
        Files.writeString(f, "{\"prompt\":\"ok\"}\n{\"messages\":[]}\n");
        assertThatThrownBy(() -> Datasets.jsonl(f, ClientApi.OPENAI_CHAT, "m", true, 8, TOK))
                .hasMessageContaining("bad.jsonl:2")
                .hasMessageContaining("'messages'");
        Files.writeString(f, "{\"prompt\":\"ok\"}\nnot json\n");
        assertThatThrownBy(() -> Datasets.jsonl(f, ClientApi.OPENAI_CHAT, "m", true, 8, TOK))
                .hasMessageContaining("bad.jsonl:2")
                .hasMessageContaining("not JSON");
        assertThatThrownBy(() -> Datasets.jsonl(dir.resolve("none.jsonl"), ClientApi.OPENAI_CHAT, "m", true, 8, TOK))
                .hasMessageContaining("cannot read");
    }

    @Test
    void shareGpt_usesTheFirstTurnAndTheReplysLength() throws IOException {
        Path f = dir.resolve("sg.json");
        Files.writeString(f, """
        [{"id":"a","conversations":[{"from":"human","value":"What is 2+2?"},{"from":"gpt","value":"It is four, of course."}]},
         {"id":"b","conversations":[{"from":"human","value":"alone"}]}]
        """);
        Workload w = Datasets.shareGpt(f, ClientApi.OPENAI_CHAT, "m", true, TOK, 100);
        assertThat(w.size()).isEqualTo(1);
        assertThat(body(w, 0).path("max_tokens").asInt()).isEqualTo(TOK.count("It is four, of course."));
    }

    @Test
    void trace_replaysTimestamps_andSharedHashIdsShareTheirPrefix() throws IOException {
        Path f = dir.resolve("t.jsonl");
        Files.writeString(f, """
        {"timestamp": 1000, "input_length": 1100, "output_length": 10, "hash_ids": [1, 2]}
        {"timestamp": 1250, "input_length": 600, "output_length": 5, "hash_ids": [1]}
        {"timestamp": 3000, "input_length": 50, "output_length": 3, "hash_ids": []}
        """, StandardCharsets.UTF_8);
        Datasets.Trace t = Datasets.trace(f, ClientApi.OPENAI_CHAT, "m", true, TOK, 1);
        assertThat(t.offsetsNanos()).containsExactly(0L, 250_000_000L, 2_000_000_000L);
        String a = body(t.workload(), 0).at("/messages/0/content").asString();
        String b = body(t.workload(), 1).at("/messages/0/content").asString();
        String firstBlock = b.substring(0, 1000);
        assertThat(a).startsWith(firstBlock); // block 1 is the same text in both
        assertThat(t.workload().get(0).inputTokens()).isBetween(1050, 1150);
        assertThat(body(t.workload(), 2).path("max_tokens").asInt()).isEqualTo(3);
        Files.writeString(
                f,
                "{\"timestamp\": 5, \"input_length\": 1, \"output_length\": 1}\n"
                        + "{\"timestamp\": 4, \"input_length\": 1, \"output_length\": 1}\n");
        assertThatThrownBy(() -> Datasets.trace(f, ClientApi.OPENAI_CHAT, "m", true, TOK, 1))
                .hasMessageContaining("t.jsonl:2")
                .hasMessageContaining("back in time");
    }
}
