package dev.llmlab.sim.serve;

import dev.llmlab.api.ApiException;
import dev.llmlab.api.anthropic.AnthropicResponses;
import dev.llmlab.api.openai.OpenAiResponses;
import dev.llmlab.api.openai.OpenAiResponses.ModelInfo;
import dev.llmlab.http.Exchange;
import dev.llmlab.sim.catalog.ModelSpec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** GET /v1/models, /v1/models/{id}, /health, /ready, /version and /metrics. */
final class InfoHandlers {
    private final SimContext ctx;
    private final List<ModelInfo> models;
    private final List<AnthropicResponses.ModelInfo> anthropicModels;

    InfoHandlers(SimContext ctx) {
        this.ctx = ctx;
        this.models = ctx.catalog().models().stream()
                .filter(m -> m.api() == ModelSpec.Api.OPENAI)
                .map(InfoHandlers::info)
                .toList();
        this.anthropicModels = ctx.catalog().models().stream()
                .filter(m -> m.api() == ModelSpec.Api.ANTHROPIC)
                .map(m -> new AnthropicResponses.ModelInfo(m.id(), displayName(m.id()), m.created()))
                .toList();
    }

    private static ModelInfo info(ModelSpec m) {
        return new ModelInfo(m.id(), m.created(), m.ownedBy());
    }

    /**
     * Each API lists its own models: a request with the {@code anthropic-version} header (which
     * every Anthropic client sends) gets Anthropic's list shape and models, any other OpenAI's.
     */
    void listModels(Exchange ex) {
        if (!isAnthropic(ex)) {
            Replies.json(ex, 200, out -> OpenAiResponses.writeModelList(out, models));
            return;
        }
        String requestId = AnthropicResponses.newRequestId();
        ex.responseHeaders().set("request-id", requestId);
        int limit;
        try {
            limit = ex.queryParam("limit") == null ? 20 : Integer.parseInt(ex.queryParam("limit"));
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > 1000) {
            MessagesHandler.error(
                    ex,
                    new ApiException(
                            400,
                            "invalid_request_error",
                            null,
                            null,
                            "limit: Input should be an integer between 1 and 1000"),
                    requestId);
            return;
        }
        // Pages by position after (or before) the given id, as the API's cursor pagination does.
        int from = 0;
        int to = anthropicModels.size();
        String after = ex.queryParam("after_id");
        String before = ex.queryParam("before_id");
        if (after != null) from = indexOf(after) + 1;
        if (before != null) to = Math.max(0, indexOf(before));
        if (before != null && after == null) from = Math.max(0, to - limit);
        int end = Math.min(to, from + limit);
        List<AnthropicResponses.ModelInfo> page = from < end ? anthropicModels.subList(from, end) : List.of();
        boolean more = before != null && after == null ? from > 0 : end < to;
        Replies.json(ex, 200, out -> AnthropicResponses.writeModelList(out, page, more));
    }

    private int indexOf(String id) {
        for (int i = 0; i < anthropicModels.size(); i++)
            if (anthropicModels.get(i).id().equals(id)) return i;
        return anthropicModels.size();
    }

    void getModel(Exchange ex) {
        String id = ex.pathParam("id");
        ModelSpec m = ctx.catalog().find(id);
        if (isAnthropic(ex)) {
            String requestId = AnthropicResponses.newRequestId();
            ex.responseHeaders().set("request-id", requestId);
            if (m == null || m.api() != ModelSpec.Api.ANTHROPIC) {
                MessagesHandler.error(
                        ex, new ApiException(404, "not_found_error", null, null, "model: " + id), requestId);
                return;
            }
            Replies.json(
                    ex,
                    200,
                    out -> AnthropicResponses.writeModel(
                            out, new AnthropicResponses.ModelInfo(m.id(), displayName(m.id()), m.created())));
            return;
        }
        if (m == null || m.api() != ModelSpec.Api.OPENAI) {
            Replies.error(
                    ex,
                    new ApiException(
                            404,
                            "invalid_request_error",
                            "model",
                            "model_not_found",
                            "The model '" + id + "' does not exist"));
            return;
        }
        Replies.json(ex, 200, out -> OpenAiResponses.writeModel(out, info(m)));
    }

    private static boolean isAnthropic(Exchange ex) {
        return ex.requestHeaders().contains("anthropic-version");
    }

    /** "claude-sonnet-4-5-20250929" -> "Claude Sonnet 4.5": words capitalised, version digits dotted, no date. */
    static String displayName(String id) {
        StringBuilder b = new StringBuilder();
        boolean lastWasNumber = false;
        for (String part : id.split("-")) {
            if (part.matches("\\d{8}")) continue; // a snapshot date
            boolean number = part.matches("\\d+");
            if (!b.isEmpty()) b.append(number && lastWasNumber ? "." : " ");
            b.append(number ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
            lastWasNumber = number;
        }
        return b.toString();
    }

    void health(Exchange ex) {
        text(ex, 200, Replies.JSON, "{\"status\":\"ok\"}");
    }

    void ready(Exchange ex) {
        if (ctx.draining().get()) text(ex, 503, Replies.JSON, "{\"status\":\"draining\"}");
        else if (!ctx.warm().get()) text(ex, 503, Replies.JSON, "{\"status\":\"loading\"}");
        else
            text(
                    ex,
                    200,
                    Replies.JSON,
                    "{\"status\":\"ready\",\"models\":" + ctx.catalog().models().size() + "}");
    }

    void version(Exchange ex) {
        text(ex, 200, Replies.JSON, "{\"name\":\"llmlab\",\"version\":\"" + ctx.version() + "\"}");
    }

    void metrics(Exchange ex) {
        ByteBuf buf = ex.alloc().buffer(16 * 1024);
        try {
            ctx.metrics().write(new ByteBufOutputStream(buf));
        } catch (IOException e) {
            buf.release();
            throw new UncheckedIOException(e);
        }
        ex.respond(200, dev.llmlab.sim.metrics.SimMetrics.CONTENT_TYPE, buf);
    }

    private static void text(Exchange ex, int status, String type, String body) {
        ex.respond(status, type, ex.alloc().buffer(body.length()).writeBytes(body.getBytes(StandardCharsets.UTF_8)));
    }
}
