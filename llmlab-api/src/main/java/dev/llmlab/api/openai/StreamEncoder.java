package dev.llmlab.api.openai;

import dev.llmlab.api.FinishReason;
import dev.llmlab.api.GenerationRequest.Endpoint;
import dev.llmlab.api.TokenLogprob;
import dev.llmlab.api.Usage;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import tools.jackson.core.JsonGenerator;

/**
 * Encodes one OpenAI stream (chat.completion.chunk or text_completion chunks) as SSE frames.
 *
 * <p>Every chunk of a stream repeats the same envelope ({@code id}, {@code created}, {@code
 * model}, fingerprint), so the envelope is rendered once per stream into a byte template and each
 * token chunk costs a copy of the template plus the escaped token. This keeps the per-token path
 * free of generator set-up and, for ASCII tokens, of allocation.
 *
 * <p>Frames follow the SSE framing OpenAI uses: {@code data: <json>\n\n}, ending with
 * {@code data: [DONE]\n\n}. With {@code include_usage} every chunk carries {@code "usage":null}
 * and a final chunk has empty {@code choices} and the usage, as the API reference documents.
 *
 * <p>Not thread-safe: one instance per stream, used from the stream's event loop.
 */
public final class StreamEncoder {
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END_NO_USAGE = "}\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END_USAGE_NULL = ",\"usage\":null}\n\n".getBytes(StandardCharsets.US_ASCII);

    // The fixed JSON between the dynamic parts of each frame, encoded once (written per token).
    private static final byte[] ROLE_DELTA =
            ascii(",\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},"
                    + "\"logprobs\":null,\"finish_reason\":null}]");
    private static final byte[] CONTENT_OPEN = ascii(",\"delta\":{\"content\":\"");
    private static final byte[] CONTENT_CLOSE = ascii("\"},\"logprobs\":");
    private static final byte[] NULL = ascii("null");
    private static final byte[] FINISH_NULL = ascii(",\"finish_reason\":null}]");
    private static final byte[] INDEX_FIELD = ascii("\",\"index\":");
    private static final byte[] LOGPROBS_FIELD = ascii(",\"logprobs\":");
    private static final byte[] DELTA_OPEN = ascii(",\"delta\":{");
    private static final byte[] ASSISTANT_NO_CONTENT = ascii("\"role\":\"assistant\",\"content\":null,");
    private static final byte[] TOOL_CALLS_OPEN = ascii("\"tool_calls\":[{\"index\":");
    private static final byte[] ID_FIELD = ascii(",\"id\":\"");
    private static final byte[] FUNCTION_NAME_FIELD = ascii("\",\"type\":\"function\",\"function\":{\"name\":\"");
    private static final byte[] TOOL_START_END =
            ascii("\",\"arguments\":\"\"}}]},\"logprobs\":null,\"finish_reason\":null}]");
    private static final byte[] TOOL_ARGS_OPEN = ascii(",\"delta\":{\"tool_calls\":[{\"index\":");
    private static final byte[] ARGUMENTS_FIELD = ascii(",\"function\":{\"arguments\":\"");
    private static final byte[] TOOL_ARGS_END = ascii("\"}}]},\"logprobs\":null,\"finish_reason\":null}]");
    private static final byte[] FINISH_DELTA = ascii(",\"delta\":{},\"logprobs\":null,\"finish_reason\":\"");
    private static final byte[] FINISH_FIELD = ascii(",\"logprobs\":null,\"finish_reason\":\"");
    private static final byte[] CLOSE_CHOICES = ascii("\"}]");
    private static final byte[] USAGE_NO_CHOICES = ascii("\"choices\":[],\"usage\":");
    private static final byte[] FRAME_END = ascii("}\n\n");

    private static final byte[][] WIRE = java.util.Arrays.stream(FinishReason.values())
            .map(r -> ascii(r.wire()))
            .toArray(byte[][]::new);

    private final Endpoint endpoint;
    private final byte[]
            choicePrefix; // data: {envelope,"choices":[{"index":   (chat)   or  ...[{"text":"  (completion)
    private final byte[] envelopePrefix; // data: {envelope,
    private final byte[] end;

    public StreamEncoder(
            Endpoint endpoint, String id, long created, String model, String fingerprint, boolean includeUsage) {
        this.endpoint = endpoint;
        ByteArrayOutputStream env = new ByteArrayOutputStream(192);
        JsonText.writeAscii(env, "data: {\"id\":\"");
        JsonText.writeEscaped(env, id);
        JsonText.writeAscii(
                env,
                endpoint == Endpoint.CHAT
                        ? "\",\"object\":\"chat.completion.chunk\",\"created\":"
                        : "\",\"object\":\"text_completion\",\"created\":");
        JsonText.writeAscii(env, Long.toString(created));
        JsonText.writeAscii(env, ",\"model\":\"");
        JsonText.writeEscaped(env, model);
        if (endpoint == Endpoint.CHAT) JsonText.writeAscii(env, "\",\"service_tier\":\"default");
        JsonText.writeAscii(env, "\",\"system_fingerprint\":\"");
        JsonText.writeEscaped(env, fingerprint);
        JsonText.writeAscii(env, "\",");
        this.envelopePrefix = env.toByteArray();
        JsonText.writeAscii(env, endpoint == Endpoint.CHAT ? "\"choices\":[{\"index\":" : "\"choices\":[{\"text\":\"");
        this.choicePrefix = env.toByteArray();
        this.end = includeUsage ? END_USAGE_NULL : END_NO_USAGE;
    }

    /** Chat only: the first chunk of a choice, announcing the assistant role. */
    public void role(OutputStream out, int index) {
        chatHead(out, index);
        JsonText.write(out, ROLE_DELTA);
        JsonText.write(out, end);
    }

    /** One piece of output text (usually one token); {@code logprobs} (one per token) may be null. */
    public void content(OutputStream out, int index, String text, List<TokenLogprob> logprobs) {
        if (endpoint == Endpoint.CHAT) {
            chatHead(out, index);
            JsonText.write(out, CONTENT_OPEN);
            JsonText.writeEscaped(out, text);
            JsonText.write(out, CONTENT_CLOSE);
            if (logprobs == null) {
                JsonText.write(out, NULL);
            } else {
                try (JsonGenerator g = OpenAiRequests.MAPPER.createGenerator(out)) {
                    g.writeStartObject();
                    OpenAiResponses.writeChatLogprobContent(g, logprobs);
                    g.writeNullProperty("refusal");
                    g.writeEndObject();
                }
            }
            JsonText.write(out, FINISH_NULL);
        } else {
            JsonText.write(out, choicePrefix);
            JsonText.writeEscaped(out, text);
            JsonText.write(out, INDEX_FIELD);
            JsonText.writeInt(out, index);
            JsonText.write(out, LOGPROBS_FIELD);
            if (logprobs == null) {
                JsonText.write(out, NULL);
            } else {
                try (JsonGenerator g = OpenAiRequests.MAPPER.createGenerator(out)) {
                    OpenAiResponses.writeLegacyLogprobs(g, logprobs, 0);
                }
            }
            JsonText.write(out, FINISH_NULL);
        }
        JsonText.write(out, end);
    }

    /** Chat only: opens tool call {@code toolIndex} of choice {@code index} with its id and name. */
    public void toolCallStart(OutputStream out, int index, int toolIndex, String callId, String name) {
        chatHead(out, index);
        JsonText.write(out, DELTA_OPEN);
        if (toolIndex == 0) JsonText.write(out, ASSISTANT_NO_CONTENT);
        JsonText.write(out, TOOL_CALLS_OPEN);
        JsonText.writeInt(out, toolIndex);
        JsonText.write(out, ID_FIELD);
        JsonText.writeEscaped(out, callId);
        JsonText.write(out, FUNCTION_NAME_FIELD);
        JsonText.writeEscaped(out, name);
        JsonText.write(out, TOOL_START_END);
        JsonText.write(out, end);
    }

    /** Chat only: a piece of tool call {@code toolIndex}'s arguments JSON text. */
    public void toolCallArguments(OutputStream out, int index, int toolIndex, String piece) {
        chatHead(out, index);
        JsonText.write(out, TOOL_ARGS_OPEN);
        JsonText.writeInt(out, toolIndex);
        JsonText.write(out, ARGUMENTS_FIELD);
        JsonText.writeEscaped(out, piece);
        JsonText.write(out, TOOL_ARGS_END);
        JsonText.write(out, end);
    }

    /** The last chunk of a choice: an empty delta (or empty text) and the finish reason. */
    public void finish(OutputStream out, int index, FinishReason reason) {
        if (endpoint == Endpoint.CHAT) {
            chatHead(out, index);
            JsonText.write(out, FINISH_DELTA);
        } else {
            JsonText.write(out, choicePrefix);
            JsonText.write(out, INDEX_FIELD);
            JsonText.writeInt(out, index);
            JsonText.write(out, FINISH_FIELD);
        }
        JsonText.write(out, WIRE[reason.ordinal()]);
        JsonText.write(out, CLOSE_CHOICES);
        JsonText.write(out, end);
    }

    /** The usage chunk sent after all choices finished when {@code include_usage} was asked for. */
    public void usage(OutputStream out, Usage usage) {
        JsonText.write(out, envelopePrefix);
        JsonText.write(out, USAGE_NO_CHOICES);
        try (JsonGenerator g = OpenAiRequests.MAPPER.createGenerator(out)) {
            OpenAiResponses.writeUsage(g, usage, true);
        }
        JsonText.write(out, FRAME_END);
    }

    /** The stream terminator, {@code data: [DONE]}. */
    public static void done(OutputStream out) {
        JsonText.write(out, DONE);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private void chatHead(OutputStream out, int index) {
        JsonText.write(out, choicePrefix);
        JsonText.writeInt(out, index);
    }
}
