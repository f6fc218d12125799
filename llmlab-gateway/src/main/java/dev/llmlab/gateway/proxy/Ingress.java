package dev.llmlab.gateway.proxy;

import dev.llmlab.api.ApiException;
import dev.llmlab.api.anthropic.AnthropicResponses;
import dev.llmlab.api.client.ClientApi;
import dev.llmlab.api.gemini.GeminiResponses;
import dev.llmlab.api.openai.OpenAiResponses;
import dev.llmlab.http.Exchange;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The API a request came in on, seen from the gateway's side: where its client puts its key, and
 * how its errors look, whole and inside a stream.
 */
enum Ingress {
    OPENAI,
    ANTHROPIC,
    GEMINI;

    static Ingress of(ClientApi api) {
        return switch (api) {
            case ANTHROPIC_MESSAGES -> ANTHROPIC;
            case GEMINI -> GEMINI;
            default -> OPENAI;
        };
    }

    /**
     * The key the client sent where its API puts it: {@code Authorization: Bearer} (OpenAI, and
     * accepted from every client), {@code x-api-key} (Anthropic), {@code x-goog-api-key} or the
     * {@code key} query parameter (Gemini), {@code api-key} (Azure OpenAI's clients). Null if none.
     */
    static String clientKey(Exchange ex) {
        String auth = ex.requestHeaders().get("authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7))
            return auth.substring(7).strip();
        for (String h : new String[] {"x-api-key", "x-goog-api-key", "api-key"}) {
            String v = ex.requestHeaders().get(h);
            if (v != null) return v.strip();
        }
        return ex.queryParam("key");
    }

    /** An error answer in this API's shape. */
    ByteBuf error(Exchange ex, int status, String type, String message, String requestId) {
        return error(ex, status, type, null, message, requestId);
    }

    /** The same with OpenAI's {@code code} (only OpenAI's shape has one), such as {@code insufficient_quota}. */
    ByteBuf error(Exchange ex, int status, String type, String code, String message, String requestId) {
        ByteBuf buf = ex.alloc().buffer(256);
        ByteBufOutputStream out = new ByteBufOutputStream(buf);
        switch (this) {
            case OPENAI -> OpenAiResponses.writeError(out, message, type, null, code);
            case ANTHROPIC -> AnthropicResponses.writeError(out, status, message, requestId);
            case GEMINI -> GeminiResponses.writeError(out, status, message);
        }
        return buf;
    }

    ByteBuf error(Exchange ex, ApiException e, String requestId) {
        if (this != OPENAI) return error(ex, e.status(), e.type(), e.getMessage(), requestId);
        ByteBuf buf = ex.alloc().buffer(256);
        OpenAiResponses.writeError(new ByteBufOutputStream(buf), e);
        return buf;
    }

    /**
     * An error event that ends a stream in this API's shape: OpenAI's {@code data: {"error":...}},
     * Anthropic's {@code event: error}, Gemini's {@code data: {"error":...}}.
     */
    ByteBuf streamError(Exchange ex, int status, String type, String message, String requestId) {
        ByteBuf buf = ex.alloc().buffer(256);
        if (this == ANTHROPIC) buf.writeCharSequence("event: error\n", StandardCharsets.US_ASCII);
        buf.writeCharSequence("data: ", StandardCharsets.US_ASCII);
        ByteBuf body = error(ex, status, type, message, requestId);
        buf.writeBytes(body);
        body.release();
        buf.writeCharSequence("\n\n", StandardCharsets.US_ASCII);
        return buf;
    }
}
