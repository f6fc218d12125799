package dev.llmlab.bench.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Each API's answers as their references show them, read for text, usage and the end of stream. */
class ApiTest {
    static Api.Event event(Api api, String eventName, String data) {
        byte[] b = data.getBytes(StandardCharsets.UTF_8);
        return api.event(eventName, b, b.length);
    }

    static Api.Event whole(Api api, String body) {
        byte[] b = (body + "garbage past the length").getBytes(StandardCharsets.UTF_8);
        int n = body.getBytes(StandardCharsets.UTF_8).length;
        Api.Event skipped = api.whole(b, n, false);
        Api.Event e = api.whole(b, n, true);
        assertThat(skipped).isEqualTo(new Api.Event("", e.outputTokens(), true)); // the same answer, text skipped
        return e;
    }

    @Test
    void openAiChatChunks() {
        assertThat(event(
                        Api.OPENAI_CHAT,
                        null,
                        "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
                                + "\"content\":\"Hé\"},\"finish_reason\":null}],\"usage\":null}"))
                .isEqualTo(new Api.Event("Hé", -1, false));
        // a role-only first chunk carries no token
        assertThat(event(Api.OPENAI_CHAT, null, "{\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}")
                        .text())
                .isNull();
        assertThat(event(
                                Api.OPENAI_CHAT,
                                null,
                                "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":"
                                        + "{\"name\":\"f\",\"arguments\":\"{\\\"a\\\"\"}}]}}]}")
                        .text())
                .isEqualTo("{\"a\"");
        assertThat(event(Api.OPENAI_CHAT, null, "{\"choices\":[{\"delta\":{\"reasoning_content\":\"think\"}}]}")
                        .text())
                .isEqualTo("think");
        assertThat(event(
                        Api.OPENAI_CHAT,
                        null,
                        "{\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":7,"
                                + "\"total_tokens\":12}}"))
                .isEqualTo(new Api.Event(null, 7, false));
        assertThat(event(Api.OPENAI_CHAT, null, "[DONE]")).isEqualTo(new Api.Event(null, -1, true));
    }

    @Test
    void openAiCompletionChunks() {
        assertThat(event(Api.OPENAI_COMPLETIONS, null, "{\"choices\":[{\"text\":\" a\",\"index\":0}]}")
                        .text())
                .isEqualTo(" a");
    }

    @Test
    void anthropicEvents() {
        assertThat(event(
                        Api.ANTHROPIC_MESSAGES,
                        "message_start",
                        "{\"type\":\"message_start\",\"message\":{\"usage\":"
                                + "{\"input_tokens\":3,\"output_tokens\":1}}}"))
                .isEqualTo(Api.Event.NOTHING);
        assertThat(event(
                        Api.ANTHROPIC_MESSAGES,
                        "content_block_delta",
                        "{\"type\":\"content_block_delta\",\"index\":0,"
                                + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}"))
                .isEqualTo(new Api.Event("Hi", -1, false));
        // the type need not come first
        assertThat(event(
                        Api.ANTHROPIC_MESSAGES,
                        null,
                        "{\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":"
                                + "{\"output_tokens\":15},\"type\":\"message_delta\"}"))
                .isEqualTo(new Api.Event(null, 15, false));
        assertThat(event(Api.ANTHROPIC_MESSAGES, "message_stop", "{\"type\":\"message_stop\"}")
                        .end())
                .isTrue();
        assertThatThrownBy(() -> event(
                        Api.ANTHROPIC_MESSAGES,
                        "error",
                        "{\"type\":\"error\",\"error\":{\"type\":" + "\"overloaded_error\"}}"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void wholeAnswers() {
        assertThat(whole(
                        Api.OPENAI_CHAT,
                        "{\"id\":\"x\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                                + "\"content\":\"Hello there\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":\"stop\"},{\"index\":1,"
                                + "\"message\":{\"content\":\"second choice\"}}],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2,"
                                + "\"completion_tokens_details\":{\"reasoning_tokens\":0}}}"))
                .isEqualTo(new Api.Event("Hello there", 2, true));
        assertThat(whole(
                        Api.OPENAI_COMPLETIONS,
                        "{\"choices\":[{\"text\":\"abc\"}],\"usage\":{\"completion_tokens\":1}}"))
                .isEqualTo(new Api.Event("abc", 1, true));
        assertThat(
                        whole(
                                Api.ANTHROPIC_MESSAGES,
                                "{\"type\":\"message\",\"content\":[{\"type\":\"text\",\"text\":\"a\"},"
                                        + "{\"type\":\"text\",\"text\":\"b\"}],\"usage\":{\"input_tokens\":4,\"output_tokens\":2}}"))
                .isEqualTo(new Api.Event("ab", 2, true));
        assertThat(whole(
                        Api.OPENAI_EMBEDDINGS,
                        "{\"data\":[{\"embedding\":[0.1,0.2]}],\"usage\":{\"prompt_tokens\":3}}"))
                .isEqualTo(new Api.Event("", 0, true));
        assertThat(whole(Api.OPENAI_CHAT, "{\"choices\":[{\"message\":{\"content\":\"x\"}}]}")
                        .outputTokens())
                .isEqualTo(-1);
    }

    @Test
    void answersThatAreNotOneJsonObject_areRefused() {
        for (String bad : new String[] {"", "[]", "{\"choices\":", "{} {}", "not json", "{\"a\":1}}"}) {
            assertThatThrownBy(() -> whole(Api.OPENAI_CHAT, bad)).as(bad).isInstanceOf(RuntimeException.class);
            assertThatThrownBy(() -> event(Api.OPENAI_CHAT, null, bad)).as(bad).isInstanceOf(RuntimeException.class);
        }
    }
}
