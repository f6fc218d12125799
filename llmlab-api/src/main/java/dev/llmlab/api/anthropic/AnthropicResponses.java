package dev.llmlab.api.anthropic;

import dev.llmlab.api.ApiException;
import dev.llmlab.api.Choice;
import dev.llmlab.api.Completion;
import dev.llmlab.api.FinishReason;
import dev.llmlab.api.ToolCall;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import tools.jackson.core.JsonGenerator;

/**
 * Anthropic Messages API response bodies: the message object, errors, and token counts, written
 * with Jackson's streaming generator. Shapes follow the public API reference
 * (docs.anthropic.com, "Messages" and "Errors"). Stateless and thread-safe.
 */
public final class AnthropicResponses {
    private static final char[] ID_CHARS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private AnthropicResponses() {}

    /** A message id, {@code msg_01} and 22 random characters, as the API's ids look. */
    public static String newMessageId() {
        return randomId("msg_01", 22);
    }

    /** A request id for error bodies and the {@code request-id} header. */
    public static String newRequestId() {
        return randomId("req_01", 22);
    }

    /**
     * A tool-use block id for the simulator's tool call id: {@code toolu_} in front of the same
     * random part, so that one seed gives the same ids on every API.
     */
    public static String toolUseId(String callId) {
        return "toolu_" + (callId.startsWith("call_") ? callId.substring(5) : callId);
    }

    private static String randomId(String prefix, int n) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        StringBuilder b = new StringBuilder(prefix.length() + n).append(prefix);
        for (int i = 0; i < n; i++) b.append(ID_CHARS[r.nextInt(ID_CHARS.length)]);
        return b.toString();
    }

    /**
     * The {@code stop_reason} of a finished choice: {@code end_turn}, {@code stop_sequence} when one
     * of the request's stop sequences ended it, {@code max_tokens} or {@code tool_use}.
     */
    public static String stopReason(FinishReason reason, String stopSequence) {
        return switch (reason) {
            case STOP -> stopSequence != null ? "stop_sequence" : "end_turn";
            case LENGTH -> "max_tokens";
            case TOOL_CALLS -> "tool_use";
            case CONTENT_FILTER -> "refusal";
        };
    }

    /** The error {@code type} the API uses for an HTTP status. */
    public static String errorType(int status) {
        return switch (status) {
            case 400 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 529 -> "overloaded_error";
            default -> status >= 400 && status < 500 ? "invalid_request_error" : "api_error";
        };
    }

    /** {@code POST /v1/messages}: the message of the completion's first (and only) choice. */
    public static void writeMessage(OutputStream out, Completion c) {
        Choice choice = c.choices().getFirst();
        try (JsonGenerator g = AnthropicRequests.MAPPER.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringProperty("id", c.id());
            g.writeStringProperty("type", "message");
            g.writeStringProperty("role", "assistant");
            g.writeStringProperty("model", c.model());
            g.writeArrayPropertyStart("content");
            if (choice.text() != null) {
                g.writeStartObject();
                g.writeStringProperty("type", "text");
                g.writeStringProperty("text", choice.text());
                g.writeEndObject();
            }
            for (ToolCall call : choice.toolCalls()) {
                g.writeStartObject();
                g.writeStringProperty("type", "tool_use");
                g.writeStringProperty("id", toolUseId(call.id()));
                g.writeStringProperty("name", call.name());
                g.writeName("input");
                g.writeRawValue(call.arguments());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeStringProperty("stop_reason", stopReason(choice.finishReason(), choice.stopSequence()));
            if (choice.stopSequence() != null) g.writeStringProperty("stop_sequence", choice.stopSequence());
            else g.writeNullProperty("stop_sequence");
            g.writeObjectPropertyStart("usage");
            writeUsage(
                    g,
                    c.usage().promptTokens(),
                    c.usage().cachedTokens(),
                    c.usage().completionTokens());
            g.writeEndObject();
            g.writeEndObject();
        }
    }

    /**
     * The usage object's fields. The API counts cache reads apart from {@code input_tokens}, which
     * holds only the uncached rest of the prompt; {@code prompt} here is the whole prompt.
     */
    static void writeUsage(JsonGenerator g, int prompt, int cached, int output) {
        g.writeNumberProperty("input_tokens", prompt - cached);
        g.writeNumberProperty("cache_creation_input_tokens", 0);
        g.writeNumberProperty("cache_read_input_tokens", cached);
        g.writeNumberProperty("output_tokens", output);
    }

    /** A model as {@code GET /v1/models} lists it: id, display name, release time (epoch seconds). */
    public record ModelInfo(String id, String displayName, long created) {}

    /** {@code GET /v1/models} (one page): {@code data}, {@code has_more}, {@code first_id}, {@code last_id}. */
    public static void writeModelList(OutputStream out, List<ModelInfo> page, boolean hasMore) {
        try (JsonGenerator g = AnthropicRequests.MAPPER.createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayPropertyStart("data");
            for (ModelInfo m : page) writeModel(g, m);
            g.writeEndArray();
            g.writeBooleanProperty("has_more", hasMore);
            if (page.isEmpty()) {
                g.writeNullProperty("first_id");
                g.writeNullProperty("last_id");
            } else {
                g.writeStringProperty("first_id", page.getFirst().id());
                g.writeStringProperty("last_id", page.getLast().id());
            }
            g.writeEndObject();
        }
    }

    /** {@code GET /v1/models/{id}}. */
    public static void writeModel(OutputStream out, ModelInfo m) {
        try (JsonGenerator g = AnthropicRequests.MAPPER.createGenerator(out)) {
            writeModel(g, m);
        }
    }

    private static void writeModel(JsonGenerator g, ModelInfo m) {
        g.writeStartObject();
        g.writeStringProperty("type", "model");
        g.writeStringProperty("id", m.id());
        g.writeStringProperty("display_name", m.displayName());
        g.writeStringProperty("created_at", Instant.ofEpochSecond(m.created()).toString());
        g.writeEndObject();
    }

    /** {@code POST /v1/messages/count_tokens}. */
    public static void writeTokenCount(OutputStream out, int inputTokens) {
        try (JsonGenerator g = AnthropicRequests.MAPPER.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberProperty("input_tokens", inputTokens);
            g.writeEndObject();
        }
    }

    /** {@code {"type":"error","error":{"type","message"},"request_id"}}, the type from the status. */
    public static void writeError(OutputStream out, ApiException e, String requestId) {
        writeError(out, e.status(), e.getMessage(), requestId);
    }

    public static void writeError(OutputStream out, int status, String message, String requestId) {
        try (JsonGenerator g = AnthropicRequests.MAPPER.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringProperty("type", "error");
            g.writeObjectPropertyStart("error");
            g.writeStringProperty("type", errorType(status));
            g.writeStringProperty("message", message);
            g.writeEndObject();
            g.writeStringProperty("request_id", requestId);
            g.writeEndObject();
        }
    }
}
