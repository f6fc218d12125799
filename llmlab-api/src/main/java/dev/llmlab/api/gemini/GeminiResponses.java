package dev.llmlab.api.gemini;

import dev.llmlab.api.Choice;
import dev.llmlab.api.Completion;
import dev.llmlab.api.FinishReason;
import dev.llmlab.api.ToolCall;
import dev.llmlab.api.Usage;
import dev.llmlab.api.Wire;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import tools.jackson.core.JsonGenerator;

/**
 * Gemini API bodies: {@code GenerateContentResponse} (whole, or one chunk of a
 * {@code streamGenerateContent?alt=sse} stream framed as {@code data: JSON\r\n\r\n}), errors
 * ({@code {"error":{"code","message","status"}}}), token counts and the model list. Shapes follow
 * the public API reference (ai.google.dev, "Generating content", "Models"). Stateless.
 */
public final class GeminiResponses {
    private static final char[] ID_CHARS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private GeminiResponses() {}

    public static String newResponseId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        StringBuilder b = new StringBuilder(22);
        for (int i = 0; i < 22; i++) b.append(ID_CHARS[r.nextInt(ID_CHARS.length)]);
        return b.toString();
    }

    /** The {@code status} of an error for an HTTP status, as Google's APIs name them. */
    public static String errorStatus(int status) {
        return switch (status) {
            case 400, 413 -> "INVALID_ARGUMENT";
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 405 -> "UNIMPLEMENTED";
            case 429 -> "RESOURCE_EXHAUSTED";
            case 500 -> "INTERNAL";
            case 502, 503 -> "UNAVAILABLE";
            case 504 -> "DEADLINE_EXCEEDED";
            default -> status < 500 ? "FAILED_PRECONDITION" : "UNKNOWN";
        };
    }

    public static String finishReason(FinishReason r) {
        return switch (r) {
            case STOP, TOOL_CALLS -> "STOP";
            case LENGTH -> "MAX_TOKENS";
            case CONTENT_FILTER -> "SAFETY";
        };
    }

    public static void writeError(OutputStream out, int status, String message) {
        try (JsonGenerator g = GeminiRequests.MAPPER.createGenerator(out)) {
            g.writeStartObject();
            g.writeObjectPropertyStart("error");
            g.writeNumberProperty("code", status);
            g.writeStringProperty("message", message);
            g.writeStringProperty("status", errorStatus(status));
            g.writeEndObject();
            g.writeEndObject();
        }
    }

    /** A whole {@code generateContent} answer: one candidate per choice. */
    public static void writeResponse(OutputStream out, Completion c) {
        try (JsonGenerator g = GeminiRequests.MAPPER.createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayPropertyStart("candidates");
            for (Choice ch : c.choices()) {
                candidate(g, ch.index(), ch.text(), ch.toolCalls(), finishReason(ch.finishReason()));
            }
            g.writeEndArray();
            usage(g, c.usage());
            g.writeStringProperty("modelVersion", c.model());
            g.writeStringProperty("responseId", c.id());
            g.writeEndObject();
        }
    }

    /**
     * One stream chunk: the text (or the complete function call, which Gemini never splits) that
     * candidate {@code index} produced in this step; {@code finishReason} on its last chunk.
     */
    public static void writeChunk(
            OutputStream out,
            int index,
            String text,
            List<ToolCall> calls,
            String finishReason,
            Usage usage,
            String model,
            String responseId) {
        Wire.raw(out, "data: ");
        try (JsonGenerator g = GeminiRequests.MAPPER.createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayPropertyStart("candidates");
            candidate(g, index, text, calls, finishReason);
            g.writeEndArray();
            usage(g, usage);
            g.writeStringProperty("modelVersion", model);
            g.writeStringProperty("responseId", responseId);
            g.writeEndObject();
        }
        Wire.raw(out, "\r\n\r\n");
    }

    private static void candidate(JsonGenerator g, int index, String text, List<ToolCall> calls, String finishReason) {
        g.writeStartObject();
        g.writeObjectPropertyStart("content");
        g.writeArrayPropertyStart("parts");
        if (text != null) {
            g.writeStartObject();
            g.writeStringProperty("text", text);
            g.writeEndObject();
        }
        for (ToolCall call : calls) {
            g.writeStartObject();
            g.writeObjectPropertyStart("functionCall");
            // The API's FunctionCall carries an optional id, which a client echoes in its
            // functionResponse: with it, a call keeps the same id on every API the simulator speaks.
            if (call.id() != null) g.writeStringProperty("id", call.id());
            g.writeStringProperty("name", call.name());
            g.writeName("args");
            g.writeRawValue(call.arguments());
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeStringProperty("role", "model");
        g.writeEndObject();
        if (finishReason != null) g.writeStringProperty("finishReason", finishReason);
        g.writeNumberProperty("index", index);
        g.writeEndObject();
    }

    private static void usage(JsonGenerator g, Usage u) {
        g.writeObjectPropertyStart("usageMetadata");
        g.writeNumberProperty("promptTokenCount", u.promptTokens());
        g.writeNumberProperty("candidatesTokenCount", u.completionTokens());
        g.writeNumberProperty("totalTokenCount", u.totalTokens());
        // promptTokenCount includes the cached part, as in the API's UsageMetadata
        if (u.cachedTokens() > 0) g.writeNumberProperty("cachedContentTokenCount", u.cachedTokens());
        g.writeEndObject();
    }

    public static void writeTokenCount(OutputStream out, int tokens) {
        try (JsonGenerator g = GeminiRequests.MAPPER.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberProperty("totalTokens", tokens);
            g.writeEndObject();
        }
    }

    /** A model as {@code GET /v1beta/models} lists it. */
    public record ModelInfo(String id, String displayName, int inputTokenLimit, int outputTokenLimit) {}

    public static void writeModelList(OutputStream out, List<ModelInfo> models) {
        try (JsonGenerator g = GeminiRequests.MAPPER.createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayPropertyStart("models");
            for (ModelInfo m : models) model(g, m);
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    public static void writeModel(OutputStream out, ModelInfo m) {
        try (JsonGenerator g = GeminiRequests.MAPPER.createGenerator(out)) {
            model(g, m);
        }
    }

    private static void model(JsonGenerator g, ModelInfo m) {
        g.writeStartObject();
        g.writeStringProperty("name", "models/" + m.id());
        g.writeStringProperty("baseModelId", m.id());
        g.writeStringProperty("version", "001");
        g.writeStringProperty("displayName", m.displayName());
        g.writeStringProperty("description", "Simulated by llmlab.");
        g.writeNumberProperty("inputTokenLimit", m.inputTokenLimit());
        g.writeNumberProperty("outputTokenLimit", m.outputTokenLimit());
        g.writeArrayPropertyStart("supportedGenerationMethods");
        g.writeString("generateContent");
        g.writeString("streamGenerateContent");
        g.writeString("countTokens");
        g.writeEndArray();
        g.writeEndObject();
    }
}
