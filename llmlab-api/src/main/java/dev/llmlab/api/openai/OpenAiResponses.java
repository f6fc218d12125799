package dev.llmlab.api.openai;

import dev.llmlab.api.ApiException;
import dev.llmlab.api.Choice;
import dev.llmlab.api.Completion;
import dev.llmlab.api.TokenLogprob;
import dev.llmlab.api.ToolCall;
import dev.llmlab.api.Usage;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import tools.jackson.core.JsonGenerator;

/**
 * Encodes whole (non-streamed) OpenAI responses and errors with Jackson's streaming generator,
 * field for field as the API reference shows them, including the fields that clients read but
 * that carry no information here ({@code refusal}, {@code annotations}, token details), because
 * strict decoders and golden tests compare shapes. Stateless and thread-safe.
 */
public final class OpenAiResponses {
    private OpenAiResponses() {}

    private static final byte[] ID_CHARS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHAT_ID_PREFIX = "chatcmpl-".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] COMPLETION_ID_PREFIX = "cmpl-".getBytes(StandardCharsets.US_ASCII);

    /** A fresh OpenAI-style response id: {@code chatcmpl-} or {@code cmpl-} and 29 random base-62 characters. */
    public static String newId(dev.llmlab.api.GenerationRequest.Endpoint endpoint) {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        byte[] prefix =
                endpoint == dev.llmlab.api.GenerationRequest.Endpoint.CHAT ? CHAT_ID_PREFIX : COMPLETION_ID_PREFIX;
        byte[] id = java.util.Arrays.copyOf(prefix, prefix.length + 29);
        for (int i = prefix.length; i < id.length; i++) id[i] = ID_CHARS[r.nextInt(ID_CHARS.length)];
        return new String(id, StandardCharsets.ISO_8859_1);
    }

    /** A model entry of GET /v1/models. */
    public record ModelInfo(String id, long created, String ownedBy) {}

    /** One embedding vector, already normalised. */
    public record Embedding(float[] vector) {}

    public static void writeError(OutputStream out, ApiException e) {
        writeError(out, e.getMessage(), e.type(), e.param(), e.code());
    }

    public static void writeError(OutputStream out, String message, String type, String param, String code) {
        try (JsonGenerator g = OpenAiRequests.MAPPER.createGenerator(out)) {
            g.writeStartObject();
            g.writeObjectPropertyStart("error");
            g.writeStringProperty("message", message);
            g.writeStringProperty("type", type);
            writeNullableString(g, "param", param);
            writeNullableString(g, "code", code);
            g.writeEndObject();
            g.writeEndObject();
        }
    }

    public static void writeChatCompletion(OutputStream out, Completion c) {
        if (c.choices().stream().allMatch(ch -> ch.logprobs() == null)) {
            ChatCompletionTemplate.write(out, c);
            return;
        }
        writeChatCompletionWithJackson(out, c);
    }

    /** The general encoder; the template covers every response without logprobs. Package-private for tests. */
    static void writeChatCompletionWithJackson(OutputStream out, Completion c) {
        try (JsonGenerator g = OpenAiRequests.MAPPER.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringProperty("id", c.id());
            g.writeStringProperty("object", "chat.completion");
            g.writeNumberProperty("created", c.created());
            g.writeStringProperty("model", c.model());
            g.writeArrayPropertyStart("choices");
            for (Choice ch : c.choices()) {
                g.writeStartObject();
                g.writeNumberProperty("index", ch.index());
                g.writeObjectPropertyStart("message");
                g.writeStringProperty("role", "assistant");
                writeNullableString(g, "content", ch.text());
                g.writeNullProperty("refusal");
                if (!ch.toolCalls().isEmpty()) {
                    g.writeArrayPropertyStart("tool_calls");
                    for (ToolCall tc : ch.toolCalls()) {
                        g.writeStartObject();
                        g.writeStringProperty("id", tc.id());
                        g.writeStringProperty("type", "function");
                        g.writeObjectPropertyStart("function");
                        g.writeStringProperty("name", tc.name());
                        g.writeStringProperty("arguments", tc.arguments());
                        g.writeEndObject();
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                }
                g.writeArrayPropertyStart("annotations");
                g.writeEndArray();
                g.writeEndObject();
                if (ch.logprobs() == null) {
                    g.writeNullProperty("logprobs");
                } else {
                    g.writeObjectPropertyStart("logprobs");
                    writeChatLogprobContent(g, ch.logprobs());
                    g.writeNullProperty("refusal");
                    g.writeEndObject();
                }
                g.writeStringProperty("finish_reason", ch.finishReason().wire());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeName("usage");
            writeUsage(g, c.usage(), true);
            g.writeStringProperty("service_tier", "default");
            g.writeStringProperty("system_fingerprint", c.systemFingerprint());
            g.writeEndObject();
        }
    }

    public static void writeTextCompletion(OutputStream out, Completion c) {
        try (JsonGenerator g = OpenAiRequests.MAPPER.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringProperty("id", c.id());
            g.writeStringProperty("object", "text_completion");
            g.writeNumberProperty("created", c.created());
            g.writeStringProperty("model", c.model());
            g.writeStringProperty("system_fingerprint", c.systemFingerprint());
            g.writeArrayPropertyStart("choices");
            for (Choice ch : c.choices()) {
                g.writeStartObject();
                g.writeStringProperty("text", ch.text());
                g.writeNumberProperty("index", ch.index());
                if (ch.logprobs() == null) {
                    g.writeNullProperty("logprobs");
                } else {
                    g.writeName("logprobs");
                    writeLegacyLogprobs(g, ch.logprobs(), 0);
                }
                g.writeStringProperty("finish_reason", ch.finishReason().wire());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeName("usage");
            writeUsage(g, c.usage(), true);
            g.writeEndObject();
        }
    }

    public static void writeEmbeddings(
            OutputStream out, String model, List<Embedding> data, boolean base64, int promptTokens) {
        try (JsonGenerator g = OpenAiRequests.MAPPER.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringProperty("object", "list");
            g.writeArrayPropertyStart("data");
            for (int i = 0; i < data.size(); i++) {
                float[] v = data.get(i).vector();
                g.writeStartObject();
                g.writeStringProperty("object", "embedding");
                g.writeNumberProperty("index", i);
                if (base64) {
                    ByteBuffer bb = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                    for (float f : v) bb.putFloat(f);
                    g.writeStringProperty("embedding", Base64.getEncoder().encodeToString(bb.array()));
                } else {
                    g.writeArrayPropertyStart("embedding");
                    for (float f : v) g.writeNumber(f);
                    g.writeEndArray();
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeStringProperty("model", model);
            g.writeObjectPropertyStart("usage");
            g.writeNumberProperty("prompt_tokens", promptTokens);
            g.writeNumberProperty("total_tokens", promptTokens);
            g.writeEndObject();
            g.writeEndObject();
        }
    }

    public static void writeModelList(OutputStream out, List<ModelInfo> models) {
        try (JsonGenerator g = OpenAiRequests.MAPPER.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringProperty("object", "list");
            g.writeArrayPropertyStart("data");
            for (ModelInfo m : models) writeModel(g, m);
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    public static void writeModel(OutputStream out, ModelInfo m) {
        try (JsonGenerator g = OpenAiRequests.MAPPER.createGenerator(out)) {
            writeModel(g, m);
        }
    }

    private static void writeModel(JsonGenerator g, ModelInfo m) {
        g.writeStartObject();
        g.writeStringProperty("id", m.id());
        g.writeStringProperty("object", "model");
        g.writeNumberProperty("created", m.created());
        g.writeStringProperty("owned_by", m.ownedBy());
        g.writeEndObject();
    }

    static void writeUsage(JsonGenerator g, Usage u, boolean details) {
        g.writeStartObject();
        g.writeNumberProperty("prompt_tokens", u.promptTokens());
        g.writeNumberProperty("completion_tokens", u.completionTokens());
        g.writeNumberProperty("total_tokens", u.totalTokens());
        if (details) {
            g.writeObjectPropertyStart("prompt_tokens_details");
            g.writeNumberProperty("cached_tokens", u.cachedTokens());
            g.writeNumberProperty("audio_tokens", 0);
            g.writeEndObject();
            g.writeObjectPropertyStart("completion_tokens_details");
            g.writeNumberProperty("reasoning_tokens", 0);
            g.writeNumberProperty("audio_tokens", 0);
            g.writeNumberProperty("accepted_prediction_tokens", 0);
            g.writeNumberProperty("rejected_prediction_tokens", 0);
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    /** The {@code content} array of chat logprobs, shared by whole responses and stream chunks. */
    static void writeChatLogprobContent(JsonGenerator g, List<TokenLogprob> lps) {
        g.writeArrayPropertyStart("content");
        for (TokenLogprob lp : lps) {
            g.writeStartObject();
            g.writeStringProperty("token", lp.token());
            g.writeNumberProperty("logprob", lp.logprob());
            writeBytes(g, lp.token());
            g.writeArrayPropertyStart("top_logprobs");
            for (TokenLogprob.Alternative a : lp.top()) {
                g.writeStartObject();
                g.writeStringProperty("token", a.token());
                g.writeNumberProperty("logprob", a.logprob());
                writeBytes(g, a.token());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** The legacy completions logprobs object; {@code offset} is where the first token starts in the text. */
    static void writeLegacyLogprobs(JsonGenerator g, List<TokenLogprob> lps, int offset) {
        g.writeStartObject();
        g.writeArrayPropertyStart("tokens");
        for (TokenLogprob lp : lps) g.writeString(lp.token());
        g.writeEndArray();
        g.writeArrayPropertyStart("token_logprobs");
        for (TokenLogprob lp : lps) g.writeNumber(lp.logprob());
        g.writeEndArray();
        g.writeArrayPropertyStart("top_logprobs");
        for (TokenLogprob lp : lps) {
            g.writeStartObject();
            for (TokenLogprob.Alternative a : lp.top()) g.writeNumberProperty(a.token(), a.logprob());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayPropertyStart("text_offset");
        int pos = offset;
        for (TokenLogprob lp : lps) {
            g.writeNumber(pos);
            pos += lp.token().length();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void writeBytes(JsonGenerator g, String token) {
        g.writeArrayPropertyStart("bytes");
        for (byte b : token.getBytes(StandardCharsets.UTF_8)) g.writeNumber(b & 0xff);
        g.writeEndArray();
    }

    private static void writeNullableString(JsonGenerator g, String name, String value) {
        if (value == null) g.writeNullProperty(name);
        else g.writeStringProperty(name, value);
    }
}
