package dev.llmlab.gateway;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.ObjectMappers;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.TextBlock;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolChoiceAny;
import com.anthropic.models.messages.ToolUseBlock;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The Anthropic Java SDK's Messages, with the gateway's origin as its base URL. */
final class AnthropicSdk implements SdkClient {
    private final AnthropicClient client;

    AnthropicSdk(String gatewayOrigin, String apiKey) {
        client = AnthropicOkHttpClient.builder()
                .baseUrl(gatewayOrigin)
                .apiKey(apiKey)
                .maxRetries(0)
                .timeout(Duration.ofSeconds(10))
                .build();
    }

    @Override
    public SdkReply text(String model, boolean stream) {
        return call(
                MessageCreateParams.builder()
                        .model(model)
                        .maxTokens(MAX_TOKENS)
                        .system("Be brief.")
                        .addUserMessage("Say this is a test"),
                stream);
    }

    @Override
    public SdkReply tool(String model, boolean stream) {
        Tool weather = Tool.builder()
                .name(TOOL)
                .description("The weather in a city")
                .inputSchema(Tool.InputSchema.builder()
                        .properties(JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .putAdditionalProperty("required", JsonValue.from(List.of("city")))
                        .build())
                .build();
        return call(
                MessageCreateParams.builder()
                        .model(model)
                        .maxTokens(200)
                        .addTool(weather)
                        .toolChoice(ToolChoiceAny.builder().build())
                        .addUserMessage("Weather in Paris?"),
                stream);
    }

    private SdkReply call(MessageCreateParams.Builder params, boolean stream) {
        if (!stream) return reply(client.messages().create(params.build()), 1);
        MessageAccumulator acc = MessageAccumulator.create();
        int events = 0;
        try (StreamResponse<RawMessageStreamEvent> s = client.messages().createStreaming(params.build())) {
            for (RawMessageStreamEvent e : (Iterable<RawMessageStreamEvent>) s.stream()::iterator) {
                acc.accumulate(e);
                events++;
            }
        }
        return reply(acc.message(), events);
    }

    private static SdkReply reply(Message m, int events) {
        ToolUseBlock call = m.content().stream()
                .flatMap(b -> b.toolUse().stream())
                .findFirst()
                .orElse(null);
        String arguments;
        try {
            arguments = call == null ? null : ObjectMappers.jsonMapper().writeValueAsString(call._input());
        } catch (JsonProcessingException e) {
            throw new AssertionError("the SDK's own value could not be written back as JSON", e);
        }
        return new SdkReply(
                m.content().stream()
                        .flatMap(b -> b.text().stream())
                        .map(TextBlock::text)
                        .collect(Collectors.joining()),
                call == null ? null : call.name(),
                arguments,
                m.stopReason().map(r -> r.asString()).orElse(null),
                m.usage().inputTokens(),
                m.usage().outputTokens(),
                events);
    }

    @Override
    public String lengthFinish() {
        return "max_tokens";
    }

    @Override
    public String toolFinish() {
        return "tool_use";
    }

    @Override
    public void close() {
        client.close();
    }
}
