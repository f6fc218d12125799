package dev.llmlab.sim.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.NotFoundException;
import com.anthropic.errors.OverloadedException;
import com.anthropic.errors.RateLimitException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.Model;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolChoiceAny;
import com.anthropic.models.models.ModelInfo;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The official Anthropic Java SDK, unchanged, against the simulator. */
class AnthropicSdkTest {
    static SimHarness h;
    static AnthropicClient client;

    @BeforeAll
    static void start() {
        // Long natural replies, so that max_tokens always ends them and the counts below are exact.
        h = SimHarness.start("models: [{id: claude-sonnet-4-5, output_tokens: \"500\"}]");
        client = AnthropicOkHttpClient.builder()
                .baseUrl(h.url(""))
                .apiKey("sk-ant-test")
                .maxRetries(0)
                .build();
    }

    @AfterAll
    static void stop() {
        client.close();
        h.close();
    }

    private static MessageCreateParams.Builder hello() {
        return MessageCreateParams.builder()
                .model(Model.CLAUDE_SONNET_4_5)
                .maxTokens(12)
                .system("Be brief.")
                .addUserMessage("Say this is a test");
    }

    @Test
    void message_nonStream() {
        Message m = client.messages().create(hello().build());
        assertThat(m.model().asString()).isEqualTo("claude-sonnet-4-5");
        assertThat(m.id()).startsWith("msg_01");
        assertThat(m.content()).hasSize(1);
        assertThat(m.content().getFirst().text())
                .hasValueSatisfying(t -> assertThat(t.text()).isNotBlank());
        assertThat(m.stopReason()).hasValue(StopReason.MAX_TOKENS);
        assertThat(m.usage().outputTokens()).isEqualTo(12);
        assertThat(m.usage().inputTokens()).isPositive();
    }

    @Test
    void message_stream_accumulatesToTheSameMessage() {
        MessageAccumulator acc = MessageAccumulator.create();
        List<String> types = new ArrayList<>();
        try (StreamResponse<RawMessageStreamEvent> s = client.messages().createStreaming(hello().build())) {
            s.stream().forEach(e -> {
                acc.accumulate(e);
                types.add(
                        e.isMessageStart()
                                ? "message_start"
                                : e.isContentBlockStart()
                                        ? "content_block_start"
                                        : e.isContentBlockDelta()
                                                ? "content_block_delta"
                                                : e.isContentBlockStop()
                                                        ? "content_block_stop"
                                                        : e.isMessageDelta()
                                                                ? "message_delta"
                                                                : e.isMessageStop() ? "message_stop" : "other");
            });
        }
        Message m = acc.message();
        assertThat(types.getFirst()).isEqualTo("message_start");
        assertThat(types.getLast()).isEqualTo("message_stop");
        assertThat(types.stream().filter("content_block_delta"::equals)).hasSize(12);
        assertThat(m.content().getFirst().text())
                .hasValueSatisfying(t -> assertThat(t.text()).isNotBlank());
        assertThat(m.stopReason()).hasValue(StopReason.MAX_TOKENS);
        assertThat(m.usage().outputTokens()).isEqualTo(12);
    }

    @Test
    void toolUse_forced() {
        Tool weather = Tool.builder()
                .name("get_weather")
                .description("Weather in a city")
                .inputSchema(Tool.InputSchema.builder()
                        .properties(JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .putAdditionalProperty("required", JsonValue.from(List.of("city")))
                        .build())
                .build();
        Message m = client.messages()
                .create(MessageCreateParams.builder()
                        .model(Model.CLAUDE_HAIKU_4_5)
                        .maxTokens(200)
                        .addTool(weather)
                        .toolChoice(ToolChoiceAny.builder().build())
                        .addUserMessage("Weather in Paris?")
                        .build());
        assertThat(m.stopReason()).hasValue(StopReason.TOOL_USE);
        ContentBlock block = m.content().getFirst();
        assertThat(block.toolUse()).hasValueSatisfying(t -> {
            assertThat(t.name()).isEqualTo("get_weather");
            assertThat(t.id()).startsWith("toolu_");
            assertThat(t._input().toString()).contains("city");
        });
    }

    @Test
    void countTokens_matchesTheMessagesInputTokens() {
        long counted = client.messages()
                .countTokens(MessageCountTokensParams.builder()
                        .model(Model.CLAUDE_SONNET_4_5)
                        .system("Be brief.")
                        .addUserMessage("Say this is a test")
                        .build())
                .inputTokens();
        assertThat(counted)
                .isEqualTo(client.messages().create(hello().build()).usage().inputTokens());
    }

    @Test
    void errors_areTypedExceptions() {
        assertThatThrownBy(() -> client.messages()
                        .create(hello().model("claude-nonexistent").build()))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("model: claude-nonexistent");
        assertThatThrownBy(() ->
                        client.messages().create(hello().maxTokens(100_000).build()))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("max_tokens: 100000 > 64000");
    }

    @Test
    void injectedFaults_reachTheSdkAsItsOwnExceptions() {
        assertThatThrownBy(() -> client.messages()
                        .create(hello().putAdditionalHeader("X-Llmlab-Fault", "status=529")
                                .build()))
                .isInstanceOf(OverloadedException.class)
                .hasMessageContaining("Overloaded");
        assertThatThrownBy(() -> client.messages()
                        .create(hello().putAdditionalHeader("X-Llmlab-Fault", "status=429")
                                .build()))
                .isInstanceOf(RateLimitException.class);
    }

    @Test
    void models_listAndRetrieve() {
        List<String> ids = new ArrayList<>();
        client.models().list().autoPager().forEach(m -> ids.add(m.id()));
        assertThat(ids)
                .contains("claude-sonnet-4-5", "claude-opus-4-1", "claude-haiku-4-5")
                .noneMatch(i -> i.startsWith("gpt"));
        ModelInfo info = client.models().retrieve("claude-opus-4-1");
        assertThat(info.displayName()).isEqualTo("Claude Opus 4.1");
    }

    /** Every model id the SDK names as a constant is served, so code written against the SDK runs unchanged. */
    @Test
    void everySdkModelConstant_isServed() throws IllegalAccessException {
        List<String> missing = new ArrayList<>();
        for (Field f : Model.class.getFields()) {
            if (!Modifier.isStatic(f.getModifiers()) || f.getType() != Model.class) continue;
            String id = ((Model) f.get(null)).asString();
            Message m;
            try {
                m = client.messages().create(hello().model(id).maxTokens(1).build());
            } catch (RuntimeException e) {
                missing.add(id + " (" + e.getClass().getSimpleName() + ")");
                continue;
            }
            assertThat(m.model().asString()).isEqualTo(id);
        }
        assertThat(missing).isEmpty();
    }
}
