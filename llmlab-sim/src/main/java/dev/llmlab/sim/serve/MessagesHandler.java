package dev.llmlab.sim.serve;

import dev.llmlab.api.ApiException;
import dev.llmlab.api.GenerationRequest;
import dev.llmlab.api.Tool;
import dev.llmlab.api.anthropic.AnthropicRequests;
import dev.llmlab.api.anthropic.AnthropicResponses;
import dev.llmlab.http.Exchange;
import dev.llmlab.jsonschema.SchemaException;
import dev.llmlab.sim.catalog.ModelSpec;
import io.netty.buffer.ByteBuf;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The Anthropic Messages API: {@code POST /v1/messages} (a message, streamed or whole) and
 * {@code POST /v1/messages/count_tokens}. Like the API, it requires the {@code anthropic-version}
 * header, answers every error in Anthropic's shape with a {@code request-id} header, serves only
 * models of the anthropic family, and reports a full queue as {@code overloaded_error} (529).
 * Runs on the connection's event loop; never blocks.
 */
final class MessagesHandler {
    private final SimContext ctx;
    private final PromptTokens promptTokens = new PromptTokens();

    MessagesHandler(SimContext ctx) {
        this.ctx = ctx;
    }

    void messages(Exchange ex) {
        String requestId = AnthropicResponses.newRequestId();
        ex.responseHeaders().set("request-id", requestId);
        Generation g;
        try {
            JsonNode root = prelude(ex);
            ModelSpec model = resolveModel(AnthropicRequests.model(root));
            GenerationRequest req = AnthropicRequests.parseMessages(root);
            validateTools(req.tools());
            int prompt = promptTokens.chat(model.tokenizer(), req);
            if (prompt > model.contextWindow()) {
                throw invalid("prompt is too long: " + prompt + " tokens > " + model.contextWindow() + " maximum");
            }
            if (req.maxTokens() > model.maxOutputTokens()) {
                throw invalid("max_tokens: " + req.maxTokens() + " > " + model.maxOutputTokens()
                        + ", which is the maximum allowed number of output tokens for " + model.id());
            }
            g = GenerateHandler.generation(
                    ctx, ex, req, model, prompt, prompt, GenerateHandler.promptHash(req.messages()), "messages");
        } catch (ApiException e) {
            error(ex, e, requestId);
            return;
        }
        GenerateHandler.launch(ctx, ex, g, requestId);
    }

    void countTokens(Exchange ex) {
        String requestId = AnthropicResponses.newRequestId();
        ex.responseHeaders().set("request-id", requestId);
        try {
            JsonNode root = prelude(ex);
            ModelSpec model = resolveModel(AnthropicRequests.model(root));
            GenerationRequest req = AnthropicRequests.parseCountTokens(root);
            validateTools(req.tools());
            int tokens = promptTokens.chat(model.tokenizer(), req);
            Replies.json(ex, 200, out -> AnthropicResponses.writeTokenCount(out, tokens));
        } catch (ApiException e) {
            error(ex, e, requestId);
        }
    }

    /** The version header every request must carry, then the body as a JSON object. */
    private static JsonNode prelude(Exchange ex) {
        if (!ex.requestHeaders().contains("anthropic-version")) throw invalid("anthropic-version: header is required");
        ByteBuf body = ex.body();
        byte[] bytes = new byte[body.readableBytes()];
        body.getBytes(body.readerIndex(), bytes);
        return AnthropicRequests.readBody(bytes, 0, bytes.length);
    }

    private ModelSpec resolveModel(String id) {
        ModelSpec model = ctx.catalog().find(id);
        if (model == null || model.api() != ModelSpec.Api.ANTHROPIC) {
            throw new ApiException(404, "not_found_error", null, null, "model: " + id);
        }
        return model;
    }

    private void validateTools(List<Tool> tools) {
        for (int i = 0; i < tools.size(); i++) {
            try {
                ctx.composer().schema(tools.get(i).parameters());
            } catch (SchemaException e) {
                throw invalid("tools." + i + ".input_schema: JSON schema is invalid: " + e.getMessage());
            }
        }
    }

    private static ApiException invalid(String message) {
        return new ApiException(400, "invalid_request_error", null, null, message);
    }

    static void error(Exchange ex, ApiException e, String requestId) {
        Replies.json(ex, e.status(), out -> AnthropicResponses.writeError(out, e, requestId));
    }
}
