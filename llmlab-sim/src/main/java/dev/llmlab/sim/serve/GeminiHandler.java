package dev.llmlab.sim.serve;

import dev.llmlab.api.ApiException;
import dev.llmlab.api.GenerationRequest;
import dev.llmlab.api.Tool;
import dev.llmlab.api.gemini.GeminiRequests;
import dev.llmlab.api.gemini.GeminiResponses;
import dev.llmlab.http.Exchange;
import dev.llmlab.jsonschema.SchemaException;
import dev.llmlab.sim.catalog.ModelSpec;
import io.netty.buffer.ByteBuf;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The Gemini API under {@code /v1beta}: {@code models/{model}:generateContent},
 * {@code :streamGenerateContent} (with {@code alt=sse}, the form the SDKs use), {@code :countTokens},
 * and the model list. Errors in Google's shape; only models of the gemini family are found here.
 * Runs on the connection's event loop; never blocks.
 */
final class GeminiHandler {
    private final SimContext ctx;
    private final PromptTokens promptTokens = new PromptTokens();

    GeminiHandler(SimContext ctx) {
        this.ctx = ctx;
    }

    void generate(Exchange ex) {
        run(ex, false);
    }

    void streamGenerate(Exchange ex) {
        if (!"sse".equals(ex.queryParam("alt"))) {
            error(ex, invalid("llmlab serves streamGenerateContent as server-sent events only: add ?alt=sse"));
            return;
        }
        run(ex, true);
    }

    private void run(Exchange ex, boolean stream) {
        Generation g;
        try {
            JsonNode root = body(ex);
            ModelSpec model = resolveModel(ex.pathParam("model"));
            GenerationRequest req = GeminiRequests.parseGenerate(root, model.id(), stream);
            validateTools(req.tools());
            int prompt = promptTokens.chat(model.tokenizer(), req);
            if (prompt > model.contextWindow()) {
                throw invalid("The input token count (" + prompt + ") exceeds the maximum number of tokens allowed ("
                        + model.contextWindow() + ").");
            }
            if (req.maxTokens() > model.maxOutputTokens()) {
                throw invalid("The maximum number of output tokens is " + model.maxOutputTokens()
                        + "; max_output_tokens " + req.maxTokens() + " is too large.");
            }
            g = GenerateHandler.generation(
                    ctx, ex, req, model, prompt, prompt, GenerateHandler.promptHash(req.messages()), "gemini");
        } catch (ApiException e) {
            error(ex, e);
            return;
        }
        GenerateHandler.launch(ctx, ex, g, null);
    }

    void countTokens(Exchange ex) {
        try {
            JsonNode root = body(ex);
            ModelSpec model = resolveModel(ex.pathParam("model"));
            GenerationRequest req = GeminiRequests.parseCountTokens(root, model.id());
            int tokens = promptTokens.chat(model.tokenizer(), req);
            Replies.json(ex, 200, out -> GeminiResponses.writeTokenCount(out, tokens));
        } catch (ApiException e) {
            error(ex, e);
        }
    }

    void listModels(Exchange ex) {
        List<GeminiResponses.ModelInfo> models = ctx.catalog().models().stream()
                .filter(m -> m.api() == ModelSpec.Api.GEMINI)
                .map(GeminiHandler::info)
                .toList();
        Replies.json(ex, 200, out -> GeminiResponses.writeModelList(out, models));
    }

    void getModel(Exchange ex) {
        try {
            ModelSpec m = resolveModel(ex.pathParam("model"));
            Replies.json(ex, 200, out -> GeminiResponses.writeModel(out, info(m)));
        } catch (ApiException e) {
            error(ex, e);
        }
    }

    private static GeminiResponses.ModelInfo info(ModelSpec m) {
        return new GeminiResponses.ModelInfo(
                m.id(), InfoHandlers.displayName(m.id()), m.contextWindow(), m.maxOutputTokens());
    }

    private static JsonNode body(Exchange ex) {
        ByteBuf b = ex.body();
        byte[] bytes = new byte[b.readableBytes()];
        b.getBytes(b.readerIndex(), bytes);
        return GeminiRequests.readBody(bytes, 0, bytes.length);
    }

    private ModelSpec resolveModel(String id) {
        String name = id.startsWith("models/") ? id.substring(7) : id;
        ModelSpec model = ctx.catalog().find(name);
        if (model == null || model.api() != ModelSpec.Api.GEMINI) {
            throw new ApiException(
                    404,
                    null,
                    null,
                    null,
                    "models/" + name + " is not found for API version v1beta, or is not "
                            + "supported for generateContent. Call ListModels to see the list of available models and their supported methods.");
        }
        return model;
    }

    private void validateTools(List<Tool> tools) {
        for (int i = 0; i < tools.size(); i++) {
            if (tools.get(i).parameters() == null) continue;
            try {
                ctx.composer().schema(tools.get(i).parameters());
            } catch (SchemaException e) {
                throw invalid("tools[0].function_declarations[" + i + "].parameters: " + e.getMessage());
            }
        }
    }

    static void error(Exchange ex, ApiException e) {
        Replies.json(ex, e.status(), out -> GeminiResponses.writeError(out, e.status(), e.getMessage()));
    }

    /** The 400 every Gemini validation error is. */
    private static ApiException invalid(String message) {
        return new ApiException(400, "INVALID_ARGUMENT", null, null, message);
    }
}
