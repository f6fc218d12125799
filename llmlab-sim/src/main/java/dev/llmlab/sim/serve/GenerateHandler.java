package dev.llmlab.sim.serve;

import dev.llmlab.api.ApiException;
import dev.llmlab.api.GenerationRequest;
import dev.llmlab.api.GenerationRequest.Endpoint;
import dev.llmlab.api.Message;
import dev.llmlab.api.Prompt;
import dev.llmlab.api.ResponseFormat;
import dev.llmlab.api.Tool;
import dev.llmlab.api.openai.ChatBody;
import dev.llmlab.api.openai.OpenAiRequests;
import dev.llmlab.api.openai.ResponsesRequests;
import dev.llmlab.core.random.Seeds;
import dev.llmlab.http.Exchange;
import dev.llmlab.http.Handler;
import dev.llmlab.jsonschema.SchemaException;
import dev.llmlab.sim.catalog.ModelSpec;
import dev.llmlab.sim.fault.Fault;
import dev.llmlab.sim.fault.FaultHeader;
import io.netty.buffer.ByteBuf;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * POST /v1/chat/completions and POST /v1/completions: parse and validate, resolve the model,
 * count the prompt, check it against the model's limits, then hand a {@link Generation} to the
 * model's admission gate. Runs on the connection's event loop; never blocks.
 */
final class GenerateHandler implements Handler {
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[16 * 1024]);

    private final SimContext ctx;
    private final Endpoint endpoint;
    private final PromptTokens promptTokens = new PromptTokens();

    GenerateHandler(SimContext ctx, Endpoint endpoint) {
        this.ctx = ctx;
        this.endpoint = endpoint;
    }

    @Override
    public void handle(Exchange ex) {
        Generation g;
        try {
            g = prepare(ex);
        } catch (ApiException e) {
            Replies.error(ex, e);
            return;
        }
        launch(ctx, ex, g, null);
    }

    /**
     * Starts a prepared generation, whatever its API: an injected status fault is answered in the
     * API's shape, a hang is left unanswered, and otherwise the model's admission gate starts it,
     * queues it, or refuses it as the API refuses an overloaded model.
     *
     * @param requestId the Anthropic request id already sent in the headers, or null
     */
    static void launch(SimContext ctx, Exchange ex, Generation g, String requestId) {
        Fault fault = g.fault();
        if (fault != null && (fault.kind() == Fault.Kind.STATUS || fault.kind() == Fault.Kind.HANG)) {
            ctx.metrics().faultInjected(fault.kind().label(), g.model.id());
            if (fault.kind() == Fault.Kind.STATUS) FaultReplies.status(ex, fault, g.model, requestId);
            return; // a hang is never answered: the connection holds until the client or the idle timeout closes it
        }
        if (g.model.engine() != null) {
            EngineRun.start(g, g.model.engine().deployment(), requestId);
            return;
        }
        switch (g.model.admission().acquire(g)) {
            case ADMITTED -> g.start();
            case QUEUED -> g.queued();
            case REJECTED -> FaultReplies.overloaded(ex, g.model, requestId);
        }
    }

    private Generation prepare(Exchange ex) {
        ChatBody chat = endpoint == Endpoint.CHAT ? readChatBody(ex.body()) : null;
        JsonNode root = chat != null ? chat.root() : readBody(ex.body());
        // The model is resolved before full validation, as OpenAI does: an unknown model is a 404 even
        // when other parameters are also wrong.
        ModelSpec model = resolveModel(OpenAiRequests.model(root));
        GenerationRequest req = switch (endpoint) {
            case CHAT -> OpenAiRequests.parseChat(chat);
            case COMPLETION -> OpenAiRequests.parseCompletion(root);
            case RESPONSES -> ResponsesRequests.parse(root);
            case MESSAGES, GEMINI -> throw new IllegalStateException("this API has its own handler");
        };
        validateSchemas(req);

        int prompt;
        int longestPrompt; // the context left for output is what the longest prompt leaves
        long promptHash;
        if (endpoint != Endpoint.COMPLETION) {
            prompt = promptTokens.chat(model.tokenizer(), req);
            longestPrompt = prompt;
            promptHash = promptHash(req.messages());
            if (prompt > model.contextWindow()) {
                throw contextExceeded(model, prompt, endpoint == Endpoint.CHAT ? "messages" : "input");
            }
        } else {
            prompt = 0;
            longestPrompt = 0;
            promptHash = 0;
            for (Prompt p : req.prompts()) {
                if (p.isTokens()) checkTokens(model, p.tokens());
                int n = promptTokens.prompt(model.tokenizer(), p);
                if (n > model.contextWindow()) throw contextExceeded(model, n, "prompt");
                prompt += n;
                longestPrompt = Math.max(longestPrompt, n);
                promptHash = Seeds.mix(
                        promptHash, p.isTokens() ? java.util.Arrays.hashCode(p.tokens()) : Seeds.hash64(p.text()));
            }
        }
        if (req.maxTokens() > model.maxOutputTokens()) {
            String param = endpoint == Endpoint.RESPONSES ? "max_output_tokens" : "max_tokens";
            throw ApiException.invalid(
                    param,
                    "invalid_value",
                    param + " is too large: " + req.maxTokens()
                            + ". This model supports at most " + model.maxOutputTokens()
                            + " completion tokens, whereas you provided " + req.maxTokens() + ".");
        }
        Generation g = generation(
                ctx,
                ex,
                req,
                model,
                prompt,
                longestPrompt,
                promptHash,
                switch (endpoint) {
                    case CHAT -> "chat";
                    case COMPLETION -> "completions";
                    default -> "responses";
                });
        if (endpoint == Endpoint.RESPONSES)
            g.instructions = root.path("instructions").asString(null);
        return g;
    }

    /**
     * A generation for a validated request: its output cap is the smaller of what the client asked
     * for (or the model's maximum) and the context the longest prompt leaves.
     */
    static Generation generation(
            SimContext ctx,
            Exchange ex,
            GenerationRequest req,
            ModelSpec model,
            int prompt,
            int longestPrompt,
            long promptHash,
            String endpoint) {
        int room = Math.max(0, model.contextWindow() - longestPrompt);
        int limit = Math.min(req.maxTokens() >= 0 ? req.maxTokens() : model.maxOutputTokens(), room);
        // Budgets count the prompt and the output cap of every choice, as OpenAI's token limits do.
        long outputCap = (long) limit * req.n() * Math.max(1, req.prompts().size());
        RateLimits.charge(ctx, ex, model, prompt + outputCap, model.api());
        long contentSeed = contentSeed(ctx, req, model, promptHash);
        long timingSeed =
                ctx.seed() != null ? Seeds.mix(ctx.seed(), ctx.requestCounter().getAndIncrement()) : Seeds.randomSeed();
        Fault fault;
        try {
            fault = ctx.faults()
                    .get()
                    .decide(
                            model.id(),
                            endpoint,
                            ex.requestHeaders().get(FaultHeader.NAME),
                            Seeds.mix(timingSeed, FAULT_SALT));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(
                    null, "invalid_fault_header", "Invalid X-Llmlab-Fault header: " + e.getMessage());
        }
        return new Generation(ctx, ex, req, model, prompt, limit, contentSeed, timingSeed, fault);
    }

    /** Keeps fault draws independent of the latency draws made from the same request seed. */
    private static final long FAULT_SALT = 0xfa17L;

    /** Identifies a conversation for seeding: the same messages give the same hash. */
    static long promptHash(List<Message> messages) {
        long h = 0;
        for (Message m : messages) h = Seeds.mix(h, Seeds.hash64(m.role()), Seeds.hash64(m.content()));
        return h;
    }

    /**
     * Same request and same seed give the same content; so does temperature 0, as near-greedy
     * decoding does on real models; otherwise each request draws fresh content.
     */
    private static long contentSeed(SimContext ctx, GenerationRequest req, ModelSpec model, long promptHash) {
        long modelHash = Seeds.hash64(model.id());
        if (req.seed() != null) return Seeds.mix(req.seed(), modelHash, promptHash);
        if (req.temperature() == 0) return Seeds.mix(0x7e3d0L, modelHash, promptHash);
        if (ctx.seed() != null) return Seeds.mix(ctx.seed(), modelHash, promptHash);
        return Seeds.randomSeed();
    }

    private ModelSpec resolveModel(String id) {
        ModelSpec model = ctx.catalog().find(id);
        // A model of another provider's API is as unknown here as it is at OpenAI.
        if (model == null || model.api() != ModelSpec.Api.OPENAI) throw ApiException.modelNotFound(id);
        if (model.type() != ModelSpec.Type.CHAT) {
            String path = switch (endpoint) {
                case CHAT -> "v1/chat/completions";
                case RESPONSES -> "v1/responses";
                default -> "v1/completions";
            };
            throw new ApiException(
                    404,
                    "invalid_request_error",
                    "model",
                    null,
                    "This is not a chat model and thus not" + " supported in the " + path
                            + " endpoint. Did you mean to use v1/embeddings?");
        }
        return model;
    }

    private void validateSchemas(GenerationRequest req) {
        List<Tool> tools = req.tools();
        for (int i = 0; i < tools.size(); i++) {
            Tool t = tools.get(i);
            if (t.parameters() == null) continue;
            try {
                ctx.composer().schema(t.parameters());
            } catch (SchemaException e) {
                throw ApiException.invalid(
                        "tools[" + i + "].function.parameters",
                        "invalid_function_parameters",
                        "Invalid schema for function '" + t.name() + "': " + e.getMessage());
            }
        }
        ResponseFormat rf = req.responseFormat();
        if (rf.kind() == ResponseFormat.Kind.JSON_SCHEMA && rf.schema() != null) {
            try {
                ctx.composer().schema(rf.schema());
            } catch (SchemaException e) {
                throw ApiException.invalid(
                        "response_format",
                        "invalid_json_schema",
                        "Invalid schema for response_format '" + rf.name() + "': " + e.getMessage());
            }
        }
    }

    private static void checkTokens(ModelSpec model, int[] tokens) {
        for (int i = 0; i < tokens.length; i++) {
            try {
                model.tokenizer().decode(tokens[i]);
            } catch (RuntimeException e) {
                throw ApiException.invalid(
                        "prompt",
                        "invalid_value",
                        "Invalid token id " + tokens[i] + " at position " + i + " of 'prompt' for encoding "
                                + model.tokenizer().encoding() + ".");
            }
        }
    }

    private static ApiException contextExceeded(ModelSpec model, int tokens, String param) {
        return ApiException.invalid(
                param,
                "context_length_exceeded",
                "This model's maximum context length is "
                        + model.contextWindow() + " tokens. However, your "
                        + (param.equals("messages") ? "messages" : "prompt")
                        + " resulted in " + tokens + " tokens. Please reduce the length of the " + param + ".");
    }

    static ChatBody readChatBody(ByteBuf body) {
        int len = body.readableBytes();
        if (body.hasArray()) return ChatBody.read(body.array(), body.arrayOffset() + body.readerIndex(), len);
        byte[] scratch = scratch(len);
        body.getBytes(body.readerIndex(), scratch, 0, len);
        return ChatBody.read(scratch, 0, len);
    }

    private static byte[] scratch(int len) {
        byte[] scratch = SCRATCH.get();
        // Bodies beyond the scratch size are rare; do not keep a multi-megabyte array per thread.
        return scratch.length >= len ? scratch : new byte[len];
    }

    static JsonNode readBody(ByteBuf body) {
        int len = body.readableBytes();
        if (body.hasArray()) return OpenAiRequests.readBody(body.array(), body.arrayOffset() + body.readerIndex(), len);
        byte[] scratch = scratch(len);
        body.getBytes(body.readerIndex(), scratch, 0, len);
        return OpenAiRequests.readBody(scratch, 0, len);
    }
}
