package dev.llmlab.api.openai;

import dev.llmlab.api.Choice;
import dev.llmlab.api.Completion;
import dev.llmlab.api.FinishReason;
import dev.llmlab.api.ToolCall;
import dev.llmlab.api.Usage;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes a {@code chat.completion} without logprobs from pre-encoded byte pieces, the same bytes
 * {@link OpenAiResponses#writeChatCompletionWithJackson} produces (a test compares them), at a
 * fraction of the cost: setting up a Jackson generator per response was the largest single cost
 * of encoding a short non-streamed reply. Stateless and thread-safe.
 */
final class ChatCompletionTemplate {
    private static final byte[] ID = ascii("{\"id\":\"");
    private static final byte[] OBJECT_CREATED = ascii("\",\"object\":\"chat.completion\",\"created\":");
    private static final byte[] MODEL = ascii(",\"model\":\"");
    private static final byte[] CHOICES = ascii("\",\"choices\":[");
    private static final byte[] INDEX = ascii("{\"index\":");
    private static final byte[] MESSAGE_CONTENT = ascii(",\"message\":{\"role\":\"assistant\",\"content\":");
    private static final byte[] NULL = ascii("null");
    private static final byte[] REFUSAL = ascii(",\"refusal\":null");
    private static final byte[] TOOL_CALLS = ascii(",\"tool_calls\":[");
    private static final byte[] CALL_ID = ascii("{\"id\":\"");
    private static final byte[] CALL_NAME = ascii("\",\"type\":\"function\",\"function\":{\"name\":\"");
    private static final byte[] CALL_ARGUMENTS = ascii("\",\"arguments\":\"");
    private static final byte[] CALL_END = ascii("\"}}");
    private static final byte[] ANNOTATIONS = ascii(",\"annotations\":[]},\"logprobs\":null,\"finish_reason\":\"");
    private static final byte[] CHOICE_END = ascii("\"}");
    private static final byte[] USAGE = ascii("],\"usage\":{\"prompt_tokens\":");
    private static final byte[] COMPLETION_TOKENS = ascii(",\"completion_tokens\":");
    private static final byte[] TOTAL_TOKENS = ascii(",\"total_tokens\":");
    private static final byte[] CACHED = ascii(",\"prompt_tokens_details\":{\"cached_tokens\":");
    private static final byte[] DETAILS =
            ascii(",\"audio_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0,"
                    + "\"audio_tokens\":0,\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}");
    private static final byte[] FINGERPRINT = ascii(",\"service_tier\":\"default\",\"system_fingerprint\":\"");
    private static final byte[] END = ascii("\"}");
    private static final byte[] COMMA = ascii(",");
    private static final byte[] QUOTE = ascii("\"");
    private static final byte[] CLOSE_ARRAY = ascii("]");
    private static final byte[][] WIRE = java.util.Arrays.stream(FinishReason.values())
            .map(r -> ascii(r.wire()))
            .toArray(byte[][]::new);

    private ChatCompletionTemplate() {}

    static void write(OutputStream out, Completion c) {
        JsonText.write(out, ID);
        JsonText.writeEscaped(out, c.id());
        JsonText.write(out, OBJECT_CREATED);
        JsonText.writeLong(out, c.created());
        JsonText.write(out, MODEL);
        JsonText.writeEscaped(out, c.model());
        JsonText.write(out, CHOICES);
        for (int i = 0; i < c.choices().size(); i++) {
            Choice ch = c.choices().get(i);
            if (i > 0) JsonText.write(out, COMMA);
            JsonText.write(out, INDEX);
            JsonText.writeLong(out, ch.index());
            JsonText.write(out, MESSAGE_CONTENT);
            if (ch.text() == null) {
                JsonText.write(out, NULL);
            } else {
                JsonText.write(out, QUOTE);
                JsonText.writeEscaped(out, ch.text());
                JsonText.write(out, QUOTE);
            }
            JsonText.write(out, REFUSAL);
            if (!ch.toolCalls().isEmpty()) {
                JsonText.write(out, TOOL_CALLS);
                for (int t = 0; t < ch.toolCalls().size(); t++) {
                    ToolCall tc = ch.toolCalls().get(t);
                    if (t > 0) JsonText.write(out, COMMA);
                    JsonText.write(out, CALL_ID);
                    JsonText.writeEscaped(out, tc.id());
                    JsonText.write(out, CALL_NAME);
                    JsonText.writeEscaped(out, tc.name());
                    JsonText.write(out, CALL_ARGUMENTS);
                    JsonText.writeEscaped(out, tc.arguments());
                    JsonText.write(out, CALL_END);
                }
                JsonText.write(out, CLOSE_ARRAY);
            }
            JsonText.write(out, ANNOTATIONS);
            JsonText.write(out, WIRE[ch.finishReason().ordinal()]);
            JsonText.write(out, CHOICE_END);
        }
        Usage u = c.usage();
        JsonText.write(out, USAGE);
        JsonText.writeLong(out, u.promptTokens());
        JsonText.write(out, COMPLETION_TOKENS);
        JsonText.writeLong(out, u.completionTokens());
        JsonText.write(out, TOTAL_TOKENS);
        JsonText.writeLong(out, u.totalTokens());
        JsonText.write(out, CACHED);
        JsonText.writeLong(out, u.cachedTokens());
        JsonText.write(out, DETAILS);
        JsonText.write(out, FINGERPRINT);
        JsonText.writeEscaped(out, c.systemFingerprint());
        JsonText.write(out, END);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
