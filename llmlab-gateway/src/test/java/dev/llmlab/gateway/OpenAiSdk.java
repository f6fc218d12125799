package dev.llmlab.gateway;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolChoiceOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The OpenAI Java SDK's Chat Completions, with the gateway's {@code /v1} as its base URL. */
final class OpenAiSdk implements SdkClient {
    private final OpenAIClient client;

    OpenAiSdk(String gatewayOrigin, String apiKey) {
        client = OpenAIOkHttpClient.builder()
                .baseUrl(gatewayOrigin + "/v1")
                .apiKey(apiKey)
                .maxRetries(0)
                .timeout(Duration.ofSeconds(10))
                .build();
    }

    @Override
    public SdkReply text(String model, boolean stream) {
        return call(
                ChatCompletionCreateParams.builder()
                        .model(model)
                        .addUserMessage("Say this is a test")
                        .maxCompletionTokens(MAX_TOKENS),
                stream);
    }

    @Override
    public SdkReply tool(String model, boolean stream) {
        FunctionDefinition weather = FunctionDefinition.builder()
                .name(TOOL)
                .description("The weather in a city")
                .parameters(FunctionParameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .putAdditionalProperty("required", JsonValue.from(List.of("city")))
                        .build())
                .build();
        return call(
                ChatCompletionCreateParams.builder()
                        .model(model)
                        .addUserMessage("Weather in Paris?")
                        .maxCompletionTokens(200)
                        .addTool(ChatCompletionFunctionTool.builder()
                                .function(weather)
                                .build())
                        .toolChoice(ChatCompletionToolChoiceOption.Auto.REQUIRED),
                stream);
    }

    private SdkReply call(ChatCompletionCreateParams.Builder params, boolean stream) {
        if (!stream) return reply(client.chat().completions().create(params.build()), 1);
        ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
        int events = 0;
        try (StreamResponse<ChatCompletionChunk> s = client.chat()
                .completions()
                .createStreaming(params.streamOptions(ChatCompletionStreamOptions.builder()
                                .includeUsage(true)
                                .build())
                        .build())) {
            for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) s.stream()::iterator) {
                acc.accumulate(chunk);
                events++;
            }
        }
        return reply(acc.chatCompletion(), events);
    }

    private static SdkReply reply(ChatCompletion c, int events) {
        ChatCompletion.Choice choice = c.choices().getFirst();
        ChatCompletionMessageFunctionToolCall.Function call = choice.message().toolCalls().stream()
                .flatMap(List::stream)
                .flatMap(t -> t.function().stream())
                .map(ChatCompletionMessageFunctionToolCall::function)
                .findFirst()
                .orElse(null);
        return new SdkReply(
                choice.message().content().orElse(""),
                call == null ? null : call.name(),
                call == null ? null : call.arguments(),
                choice.finishReason().asString(),
                c.usage().map(u -> u.promptTokens()).orElse(-1L),
                c.usage().map(u -> u.completionTokens()).orElse(-1L),
                events);
    }

    @Override
    public String lengthFinish() {
        return "length";
    }

    @Override
    public String toolFinish() {
        return "tool_calls";
    }

    @Override
    public void close() {
        client.close();
    }
}
