package dev.llmlab.sim.serve;

import dev.llmlab.api.ApiException;
import dev.llmlab.api.Completion;
import dev.llmlab.api.GenerationRequest;
import dev.llmlab.api.Message;
import dev.llmlab.api.Prompt;
import dev.llmlab.api.Usage;
import dev.llmlab.sim.engine.Deployment;
import dev.llmlab.sim.engine.EngineSpec;
import dev.llmlab.sim.engine.PrefixHashes;
import dev.llmlab.sim.engine.Sequence;
import dev.llmlab.sim.engine.SequenceListener;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Generation} timed by the batching engine. Its content is planned up front, so the
 * engine knows how many steps the reply takes; the request becomes a {@link Sequence} of the
 * model's deployment, which tells of each token on the replica's thread. Tokens reach the
 * connection's event loop in one batch per engine step ({@link Outbox}), where the generation
 * writes every step produced since the last batch. A client that leaves aborts the sequence, which
 * frees its KV blocks at once.
 */
final class EngineRun implements SequenceListener {
    private final Generation g;
    private final Deployment deployment;
    private final Runnable drain;
    private Sequence seq;
    private volatile int available;
    private volatile boolean drainPosted;
    // whole responses
    private Completion whole;
    private String wholeReason;
    private long holdNanos;
    private long lastTokenWall;

    private EngineRun(Generation g, Deployment deployment) {
        this.g = g;
        this.deployment = deployment;
        this.drain = () -> {
            drainPosted = false;
            g.drain();
        };
    }

    /** On the connection's loop: plans the reply and submits it, or answers the refusal in the API's shape. */
    static void start(Generation g, Deployment d, String requestId) {
        if (d == null) { // the server has not started the deployment: only in the instant before it listens
            FaultReplies.overloaded(g.exchange(), g.model, requestId);
            return;
        }
        EngineRun run = new EngineRun(g, d);
        Reply reply = g.reply();
        reply.plan();
        int steps = reply.countSteps();
        boolean stream = g.request().stream();
        if (!stream) {
            run.whole = reply.whole();
            run.wholeReason = run.whole.choices().getFirst().finishReason().wire();
            run.holdNanos = g.wholeFaultDelay();
        }
        EngineSpec spec = d.spec();
        boolean hash = spec.prefixCaching() || spec.routing() == EngineSpec.Routing.PREFIX_AFFINITY;
        int prompt = Math.max(1, g.promptTokens());
        run.seq = new Sequence(
                prompt,
                reply.choices(),
                Math.max(1, steps),
                hash ? promptHashes(g, prompt, spec.blockSize()) : new long[0],
                run);
        g.useEngine(run);
        long delay = stream ? g.streamDelayNanos() : 0;
        if (delay > 0) {
            g.exchange().onClose(g::clientGone);
            g.exchange().eventLoop().schedule(() -> run.submit(requestId), delay, TimeUnit.NANOSECONDS);
        } else {
            run.submit(requestId);
        }
    }

    private void submit(String requestId) {
        if (g.isFinished() || !g.exchange().isOpen()) {
            g.finish(0, "abort");
            return;
        }
        Deployment.Refusal refused = deployment.submit(seq);
        if (refused == Deployment.Refusal.QUEUE_FULL) {
            g.refused();
            FaultReplies.overloaded(g.exchange(), g.model, requestId);
            return;
        }
        if (refused == Deployment.Refusal.TOO_LARGE) {
            g.refused();
            EngineSpec spec = deployment.spec();
            boolean byCache = seq.peakKvTokens() > spec.kvCapacityTokens();
            FaultReplies.error(
                    g.exchange(),
                    g.model,
                    ApiException.invalid(
                            "messages",
                            "context_length_exceeded",
                            "This request needs " + seq.outputTokens() + " output tokens after a prompt of "
                                    + g.promptTokens()
                                    + " tokens, more than "
                                    + (byCache
                                            ? "the " + spec.kvCapacityTokens() + " tokens the model's KV cache holds"
                                            : "the " + spec.maxNumBatchedTokens()
                                                    + " tokens one step computes without chunked prefill")
                                    + ". Please reduce the prompt or max_tokens."),
                    requestId);
            return;
        }
        if (g.request().stream()) g.openStream();
        else g.exchange().onClose(g::clientGone);
    }

    /**
     * Prefix-cache keys of the prompt's full blocks: its token ids as the model's tokenizer encodes
     * the messages (role and content in order), so requests sharing a system prompt or a
     * conversation's earlier turns share blocks, as far as their texts agree.
     */
    private static long[] promptHashes(Generation g, int promptTokens, int blockSize) {
        GenerationRequest req = g.request();
        int[] ids;
        if (!req.prompts().isEmpty()) {
            Prompt p = req.prompts().getFirst();
            ids = p.isTokens() ? p.tokens() : g.model.tokenizer().encode(p.text());
        } else {
            StringBuilder text = new StringBuilder();
            for (Message m : req.messages())
                text.append(m.role()).append('\n').append(m.content()).append('\n');
            ids = g.model.tokenizer().encode(text.toString());
        }
        return PrefixHashes.of(ids, Math.min(ids.length, promptTokens), blockSize);
    }

    int available() {
        return available;
    }

    /**
     * Prompt tokens the prefix cache held when the sequence was admitted; read on the connection's
     * loop once {@link #available()} is above 0 (its volatile write follows the admission).
     */
    int cachedTokens() {
        return seq.cachedTokens();
    }

    void cancel() {
        if (seq != null) deployment.cancel(seq);
    }

    // ---------------------------------------------------------------- on the replica's thread

    @Override
    public void onToken(Sequence s, long nowNanos) {
        if (whole == null) {
            available = s.generated();
            if (!drainPosted) {
                drainPosted = true;
                Outbox.post(g.exchange().eventLoop(), drain);
            }
            return;
        }
        long now = System.nanoTime();
        if (s.generated() == 1) g.metrics().ttft(now - g.exchange().receivedNanos());
        else g.metrics().itl(now - lastTokenWall);
        lastTokenWall = now;
    }

    @Override
    public void onFinished(Sequence s, long nowNanos) {
        if (whole == null) return; // the stream ends when its last step is written
        // planned before the engine ran it: the usage gains the prompt's cache reads, as the stream's has them
        Usage u = whole.usage();
        Completion answer = new Completion(
                whole.id(),
                whole.created(),
                whole.model(),
                whole.systemFingerprint(),
                whole.choices(),
                new Usage(u.promptTokens(), u.completionTokens(), s.cachedTokens()));
        Outbox.post(g.exchange().eventLoop(), () -> {
            if (holdNanos <= 0) g.respondWhole(answer, wholeReason);
            else
                g.exchange()
                        .eventLoop()
                        .schedule(() -> g.respondWhole(answer, wholeReason), holdNanos, TimeUnit.NANOSECONDS);
        });
    }
}
