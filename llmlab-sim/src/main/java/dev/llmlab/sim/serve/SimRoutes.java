package dev.llmlab.sim.serve;

import dev.llmlab.api.GenerationRequest.Endpoint;
import dev.llmlab.http.ErrorRenderer;
import dev.llmlab.http.ExchangeListener;
import dev.llmlab.http.Router;
import dev.llmlab.sim.config.AuthConfig;

/** The simulator's HTTP surface: routes, the OpenAI-shaped error renderer, and the metrics listener. */
public final class SimRoutes {
    private SimRoutes() {}

    /**
     * The routes; with API keys configured, every API route checks them in its API's own way; with
     * an admin key, the admin API is served too.
     */
    public static Router router(SimContext ctx, AuthConfig auth, LiveConfig live) {
        InfoHandlers info = new InfoHandlers(ctx);
        MessagesHandler messages = new MessagesHandler(ctx);
        GeminiHandler gemini = new GeminiHandler(ctx);
        ApiKeys keys = new ApiKeys(auth.keys());
        Router.Builder routes = Router.builder();
        if (auth.adminKey() != null) {
            AdminHandlers admin = new AdminHandlers(live, auth.adminKey());
            routes.add("GET", "/admin/config", admin.getConfig())
                    .add("PUT", "/admin/config", admin.putConfig())
                    .add("POST", "/admin/reset", admin.reset());
        }
        return routes.add("POST", "/v1/chat/completions", keys.openAi(new GenerateHandler(ctx, Endpoint.CHAT)))
                .add("POST", "/v1/completions", keys.openAi(new GenerateHandler(ctx, Endpoint.COMPLETION)))
                .add("POST", "/v1/responses", keys.openAi(new GenerateHandler(ctx, Endpoint.RESPONSES)))
                .add("POST", "/v1/embeddings", keys.openAi(new EmbeddingsHandler(ctx)))
                .add("POST", "/v1/messages", keys.anthropic(messages::messages))
                .add("POST", "/v1/messages/count_tokens", keys.anthropic(messages::countTokens))
                .add("POST", "/v1beta/models/{model}:generateContent", keys.gemini(gemini::generate))
                .add("POST", "/v1beta/models/{model}:streamGenerateContent", keys.gemini(gemini::streamGenerate))
                .add("POST", "/v1beta/models/{model}:countTokens", keys.gemini(gemini::countTokens))
                .add("GET", "/v1beta/models", keys.gemini(gemini::listModels))
                .add("GET", "/v1beta/models/{model}", keys.gemini(gemini::getModel))
                .add("GET", "/v1/models", keys.either(info::listModels))
                .add("GET", "/v1/models/{id}", keys.either(info::getModel))
                .add("GET", "/health", info::health)
                .add("GET", "/ready", info::ready)
                .add("GET", "/version", info::version)
                .add("GET", "/metrics", info::metrics)
                .build();
    }

    public static ErrorRenderer errorRenderer() {
        return Replies.OPENAI_ERRORS;
    }

    /** Counts every answered request into {@code llmlab_http_requests_total}. */
    public static ExchangeListener listener(SimContext ctx) {
        return new ExchangeListener() {
            @Override
            public void onComplete(String routePattern, String method, int status, long durationNanos) {
                ctx.metrics().httpRequest(routePattern, method, status, durationNanos);
            }
        };
    }
}
