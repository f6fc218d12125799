package dev.llmlab.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What every SDK call through the gateway must have decoded, whatever the provider behind it. */
final class SdkAssert {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SdkAssert() {}

    /**
     * A text call: some text, ended by its token limit, with the usage of exactly that many tokens.
     * A tool call: {@link SdkClient#TOOL} with a JSON object of arguments holding the required
     * {@code city}, and the SDK's finish reason for a tool call. Streams of text: more than one
     * event (a tool call may come whole in one: Gemini sends a function call so).
     */
    static void decoded(SdkClient sdk, SdkReply r, boolean stream, boolean tool) {
        if (tool) {
            assertThat(r.toolName()).as("the tool call's name").isEqualTo(SdkClient.TOOL);
            JsonNode args = JSON.readTree(r.toolArguments());
            assertThat(args.isObject())
                    .as("arguments %s are a JSON object", r.toolArguments())
                    .isTrue();
            assertThat(args.path("city").isString())
                    .as("arguments %s hold the required city", r.toolArguments())
                    .isTrue();
            assertThat(r.finish()).isEqualTo(sdk.toolFinish());
            assertThat(r.outputTokens()).as("output tokens in the usage").isPositive();
        } else {
            assertThat(r.text()).isNotBlank();
            assertThat(r.toolName()).isNull();
            assertThat(r.finish()).isEqualTo(sdk.lengthFinish());
            assertThat(r.outputTokens()).as("output tokens in the usage").isEqualTo(SdkClient.MAX_TOKENS);
        }
        assertThat(r.inputTokens()).as("input tokens in the usage").isPositive();
        if (stream && !tool) assertThat(r.events()).as("stream events").isGreaterThan(1);
        if (!stream) assertThat(r.events()).isEqualTo(1);
    }
}
