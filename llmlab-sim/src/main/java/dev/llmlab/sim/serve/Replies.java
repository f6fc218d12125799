package dev.llmlab.sim.serve;

import dev.llmlab.api.ApiException;
import dev.llmlab.api.anthropic.AnthropicResponses;
import dev.llmlab.api.gemini.GeminiResponses;
import dev.llmlab.api.openai.OpenAiResponses;
import dev.llmlab.http.ErrorRenderer;
import dev.llmlab.http.Exchange;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import java.util.function.Consumer;

/** Writing JSON replies into pooled buffers, and OpenAI-shaped errors for every failure. */
final class Replies {
    static final String JSON = "application/json";

    private Replies() {}

    static void json(Exchange ex, int status, Consumer<ByteBufOutputStream> writer) {
        // Most replies (a short chat completion is about 650 bytes) fit without a regrow.
        ByteBuf buf = ex.alloc().buffer(1024);
        try {
            writer.accept(new ByteBufOutputStream(buf));
        } catch (RuntimeException e) {
            buf.release();
            throw e;
        }
        ex.respond(status, JSON, buf);
    }

    static void error(Exchange ex, ApiException e) {
        if (e.status() == 429 && !ex.responseHeaders().contains("retry-after"))
            ex.responseHeaders().set("retry-after", "1");
        json(ex, e.status(), out -> OpenAiResponses.writeError(out, e));
    }

    /**
     * Errors raised by the HTTP layer itself (unknown path, wrong method, oversized request): in
     * Google's shape under {@code /v1beta/}; in Anthropic's shape, with a {@code request-id}, for
     * requests to the Messages API or carrying {@code anthropic-version}; in OpenAI's shape otherwise.
     */
    static final ErrorRenderer OPENAI_ERRORS = new ErrorRenderer() {
        @Override
        public ByteBuf render(ByteBufAllocator alloc, int status, String message) {
            ByteBuf buf = alloc.buffer(256);
            String type = status >= 500 ? "server_error" : "invalid_request_error";
            OpenAiResponses.writeError(new ByteBufOutputStream(buf), message, type, null, null);
            return buf;
        }

        @Override
        public ByteBuf render(ByteBufAllocator alloc, int status, String message, Exchange request) {
            if (request.path().startsWith("/v1beta/")) {
                ByteBuf buf = alloc.buffer(256);
                GeminiResponses.writeError(new ByteBufOutputStream(buf), status, message);
                return buf;
            }
            boolean anthropic = request.path().startsWith("/v1/messages")
                    || (request.requestHeaders() != null
                            && request.requestHeaders().contains("anthropic-version"));
            if (!anthropic) return render(alloc, status, message);
            String requestId = AnthropicResponses.newRequestId();
            request.responseHeaders().set("request-id", requestId);
            ByteBuf buf = alloc.buffer(256);
            AnthropicResponses.writeError(new ByteBufOutputStream(buf), status, message, requestId);
            return buf;
        }

        @Override
        public String contentType() {
            return JSON;
        }
    };
}
