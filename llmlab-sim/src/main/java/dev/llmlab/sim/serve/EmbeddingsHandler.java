package dev.llmlab.sim.serve;

import dev.llmlab.api.ApiException;
import dev.llmlab.api.EmbeddingRequest;
import dev.llmlab.api.Prompt;
import dev.llmlab.api.openai.OpenAiRequests;
import dev.llmlab.api.openai.OpenAiResponses;
import dev.llmlab.core.random.Seeds;
import dev.llmlab.http.Exchange;
import dev.llmlab.http.Handler;
import dev.llmlab.sim.catalog.ModelSpec;
import dev.llmlab.sim.metrics.SimMetrics.ModelMetrics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * POST /v1/embeddings. A vector is a pure function of (model, input): Gaussian components from a
 * generator seeded by both, L2-normalised, so equal inputs embed equally across runs and servers
 * and different inputs point in unrelated directions. {@code dimensions} shortens the vector and
 * renormalises it, which is what OpenAI documents for its text-embedding-3 models. Latency is the
 * model profile's TTFT including prefill per token. Thread-safe.
 */
final class EmbeddingsHandler implements Handler {
    private final SimContext ctx;
    private final PromptTokens counter = new PromptTokens();

    EmbeddingsHandler(SimContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void handle(Exchange ex) {
        EmbeddingRequest req;
        ModelSpec model;
        try {
            var root = GenerateHandler.readBody(ex.body());
            model = ctx.catalog().find(OpenAiRequests.model(root));
            if (model == null || model.api() != ModelSpec.Api.OPENAI)
                throw ApiException.modelNotFound(OpenAiRequests.model(root));
            if (model.type() != ModelSpec.Type.EMBEDDING) {
                throw new ApiException(
                        400,
                        "invalid_request_error",
                        "model",
                        null,
                        "The model `" + model.id() + "` does not support embeddings. Use an embedding model such as "
                                + "text-embedding-3-small.");
            }
            req = OpenAiRequests.parseEmbedding(root);
            if (req.dimensions() > 0
                    && !model.id().startsWith("text-embedding-3")
                    && req.dimensions() != model.dimensions()) {
                throw ApiException.invalid("dimensions", null, "This model does not support specifying dimensions.");
            }
            if (req.dimensions() > model.dimensions()) {
                throw ApiException.invalid(
                        "dimensions",
                        "invalid_value",
                        "Invalid 'dimensions': the model supports at most " + model.dimensions() + " dimensions, but "
                                + req.dimensions() + " were requested.");
            }
        } catch (ApiException e) {
            Replies.error(ex, e);
            return;
        }
        int tokens = 0;
        List<OpenAiResponses.Embedding> data = new ArrayList<>(req.inputs().size());
        int dims = req.dimensions() > 0 ? req.dimensions() : model.dimensions();
        for (int i = 0; i < req.inputs().size(); i++) {
            Prompt p = req.inputs().get(i);
            int n = counter.prompt(model.tokenizer(), p);
            if (n > model.contextWindow()) {
                Replies.error(
                        ex,
                        ApiException.invalid(
                                "input",
                                "context_length_exceeded",
                                "This model's maximum context "
                                        + "length is " + model.contextWindow() + " tokens, however you requested " + n
                                        + " tokens (" + n
                                        + " in your prompt; 0 for the completion). Please reduce your prompt; or completion length."));
                return;
            }
            tokens += n;
            long inputHash = p.isTokens() ? Seeds.mix(0x70c, Arrays.hashCode(p.tokens())) : Seeds.hash64(p.text());
            data.add(new OpenAiResponses.Embedding(
                    vector(Seeds.mix(Seeds.hash64(model.id()), inputHash), model.dimensions(), dims)));
        }
        int promptTokens = tokens;
        ModelMetrics mm = ctx.metrics().model(model.id());
        mm.runningInc();
        long seed =
                ctx.seed() != null ? Seeds.mix(ctx.seed(), ctx.requestCounter().getAndIncrement()) : Seeds.randomSeed();
        long delay = model.profile().ttftNanos(Seeds.rng(seed), promptTokens);
        Runnable reply = () -> {
            mm.runningDec();
            long e2e = System.nanoTime() - ex.receivedNanos();
            mm.ttft(e2e);
            if (!ex.isOpen()) {
                mm.finished(e2e, promptTokens, 0, "abort");
                return;
            }
            Replies.json(
                    ex, 200, out -> OpenAiResponses.writeEmbeddings(out, model.id(), data, req.base64(), promptTokens));
            mm.finished(e2e, promptTokens, 0, "stop");
        };
        if (delay <= 0) {
            reply.run();
        } else {
            var timer = ex.eventLoop().schedule(reply, delay, java.util.concurrent.TimeUnit.NANOSECONDS);
            ex.onClose(() -> {
                if (timer.cancel(false)) {
                    mm.runningDec();
                    mm.finished(System.nanoTime() - ex.receivedNanos(), promptTokens, 0, "abort");
                }
            });
        }
    }

    /** The first {@code dims} of a {@code full}-dimensional unit Gaussian vector, renormalised. */
    static float[] vector(long seed, int full, int dims) {
        RandomGenerator rng = Seeds.rng(seed);
        float[] v = new float[dims];
        double norm = 0;
        for (int i = 0; i < dims; i++) {
            double x = rng.nextGaussian();
            v[i] = (float) x;
            norm += x * x;
        }
        // Components beyond `dims` would only change the scale before renormalisation, so they need
        // not be drawn: the prefix of the full vector, renormalised, is exactly this.
        float inv = (float) (1.0 / Math.sqrt(norm));
        for (int i = 0; i < dims; i++) v[i] *= inv;
        return v;
    }
}
