package dev.llmlab.sim.serve;

import dev.llmlab.api.Choice;
import dev.llmlab.api.Completion;
import dev.llmlab.api.FinishReason;
import dev.llmlab.api.GenerationRequest;
import dev.llmlab.api.GenerationRequest.Endpoint;
import dev.llmlab.api.TokenLogprob;
import dev.llmlab.api.ToolCall;
import dev.llmlab.api.Usage;
import dev.llmlab.core.random.Seeds;
import dev.llmlab.sim.catalog.ModelSpec;
import dev.llmlab.sim.text.ChoiceCursor;
import dev.llmlab.sim.text.ChoicePlan;
import io.netty.buffer.ByteBufOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * What one generation says, whatever times it: each choice's plan, the whole answer, or the frames
 * of each streamed step in the request's wire format. Planning is seeded, so planning again gives
 * the same reply; the batching engine counts a reply's steps that way before it runs. Not
 * thread-safe; used on the connection's event loop.
 */
final class Reply {
    private final SimContext ctx;
    private final GenerationRequest req;
    private final ModelSpec model;
    private final int promptTokens;
    private final int limit;
    private final long contentSeed;
    private ChoicePlan[] plans;
    /** Prompt tokens read from the prefix cache: the batching engine's, once the request is admitted; else 0. */
    private int cachedTokens;
    // stream state
    private StreamFormat format;
    private boolean[] opened;
    private boolean[] done;
    private int remaining;

    Reply(SimContext ctx, GenerationRequest req, ModelSpec model, int promptTokens, int limit, long contentSeed) {
        this.ctx = ctx;
        this.req = req;
        this.model = model;
        this.promptTokens = promptTokens;
        this.limit = limit;
        this.contentSeed = contentSeed;
    }

    /**
     * Sets the prompt tokens the prefix cache held, which the usage of the whole answer and of the
     * stream (from the next step on) reports.
     */
    void cachedTokens(int n) {
        cachedTokens = n;
    }

    /** Plans every choice: its length, content and limits. */
    void plan() {
        plans = freshPlans();
    }

    boolean planned() {
        return plans != null;
    }

    int choices() {
        return plans.length;
    }

    private ChoicePlan[] freshPlans() {
        int perPrompt = req.n();
        boolean legacy =
                req.endpoint() == Endpoint.COMPLETION; // one prompt per choice group; chat APIs have one conversation
        int prompts = legacy ? req.prompts().size() : 1;
        ChoicePlan[] out = new ChoicePlan[prompts * perPrompt];
        for (int k = 0; k < out.length; k++) {
            long seed = legacy ? Seeds.mix(contentSeed, k / perPrompt) : contentSeed;
            RandomGenerator lengthRng = Seeds.rng(Seeds.mix(seed, k, 0x1e));
            int target = (int) Math.max(1, Math.round(model.outputTokens().sample(lengthRng)));
            // vLLM's length controls: a model that never ends on its own runs to the cap; a floor lifts the draw
            if (req.ignoreEos()) target = limit == Integer.MAX_VALUE ? limit : limit + 1; // ends at the cap: "length"
            else if (req.minTokens() > target) target = Math.min(req.minTokens(), limit);
            out[k] = ctx.composer().plan(model, req, k, seed, limit, target);
        }
        return out;
    }

    /**
     * Steps the reply takes at one token per step: the longest choice's count of pieces. Walks a
     * fresh plan, so the reply itself is untouched.
     */
    int countSteps() {
        int steps = 0;
        for (ChoicePlan p : freshPlans()) {
            int n = 0;
            while (!p.cursor().finished()) {
                p.cursor().next();
                n++;
            }
            steps = Math.max(steps, n);
        }
        return steps;
    }

    /** Every choice's whole text; the plans' cursors end finished. */
    Completion whole() {
        List<Choice> choices = new ArrayList<>(plans.length);
        int generated = 0;
        for (int k = 0; k < plans.length; k++) {
            ChoicePlan plan = plans[k];
            ChoiceCursor cursor = plan.cursor();
            // Sized for the common short reply (about 6 characters per token) so it rarely regrows.
            StringBuilder text = new StringBuilder(Math.min(limit, 512) * 6 + 16);
            if (req.echo()) text.append(echoText(k));
            List<TokenLogprob> lps = req.logprobs() ? new ArrayList<>() : null;
            for (String piece = cursor.next(); piece != null; piece = cursor.next()) {
                text.append(piece);
                if (lps != null && !piece.isEmpty()) lps.add(plan.logprob(piece));
            }
            generated += cursor.tokens();
            FinishReason reason = reason(plan);
            String stop = plan.cursor().stopSequence();
            if (plan.isToolCall()) {
                choices.add(new Choice(
                        k,
                        null,
                        List.of(new ToolCall(plan.toolCallId(), plan.toolName(), text.toString())),
                        reason,
                        lps,
                        stop));
            } else {
                choices.add(new Choice(k, text.toString(), List.of(), reason, lps, stop));
            }
        }
        return new Completion(
                Wires.newId(req),
                System.currentTimeMillis() / 1000,
                model.id(),
                model.fingerprint(),
                choices,
                new Usage(promptTokens, generated, cachedTokens));
    }

    /** Prepares the stream's framing; {@code instructions} is what the Responses API echoes, or null. */
    void openStream(String instructions) {
        format = Wires.stream(req, model.id(), model.fingerprint(), promptTokens, plans, instructions);
        opened = new boolean[plans.length];
        done = new boolean[plans.length];
        remaining = plans.length;
    }

    /**
     * Writes one step's frames: up to {@code tokensPerStep} tokens of every unfinished choice, a
     * choice's finish frame when it ends, and after the last choice the stream's end (with its
     * terminator unless {@code terminate} is false, as a truncated stream has none).
     *
     * @return whether that was the last step
     */
    boolean writeStep(ByteBufOutputStream out, int tokensPerStep, boolean terminate) {
        for (int k = 0; k < plans.length; k++) {
            if (done[k]) continue;
            ChoicePlan plan = plans[k];
            if (!opened[k]) {
                opened[k] = true;
                format.open(out, k, plan, req.echo() ? echoText(k) : null, cachedTokens);
            }
            String text = nextText(plan, tokensPerStep);
            if (text != null && !text.isEmpty()) {
                if (plan.isToolCall()) format.toolArguments(out, k, text);
                else format.text(out, k, text, req.logprobs() ? plan.logprob(text) : null);
            }
            if (plan.cursor().finished()) {
                done[k] = true;
                remaining--;
                format.finish(out, k, reason(plan), plan.cursor().stopSequence());
            }
        }
        if (remaining > 0) return false;
        format.end(out, new Usage(promptTokens, generatedTokens(), cachedTokens), terminate);
        return true;
    }

    /** A frame that is not valid JSON, in the stream's framing (the malformed fault). */
    void writeMalformed(ByteBufOutputStream out) {
        format.malformed(out);
    }

    private static String nextText(ChoicePlan plan, int tokens) {
        ChoiceCursor cursor = plan.cursor();
        String first = cursor.next();
        if (tokens == 1 || first == null || cursor.finished()) return first;
        StringBuilder sb = new StringBuilder(first);
        for (int i = 1; i < tokens && !cursor.finished(); i++) {
            String more = cursor.next();
            if (more == null) break;
            sb.append(more);
        }
        return sb.toString();
    }

    /** Tokens generated so far, all choices together; 0 before planning. */
    int generatedTokens() {
        int n = 0;
        if (plans != null) for (ChoicePlan p : plans) n += p.cursor().tokens();
        return n;
    }

    /** The most tokens any one choice generated so far. */
    int longestChoiceTokens() {
        int n = 0;
        for (ChoicePlan p : plans) n = Math.max(n, p.cursor().tokens());
        return n;
    }

    /** Tokens the first choice generated so far: where mid-stream faults count from. */
    int firstChoiceTokens() {
        return plans[0].cursor().tokens();
    }

    /** Why the first choice ended. */
    FinishReason firstReason() {
        return reason(plans[0]);
    }

    private String echoText(int k) {
        var p = req.prompts().get(k / req.n());
        return p.isTokens() ? model.tokenizer().decode(p.tokens()) : p.text();
    }

    private static FinishReason reason(ChoicePlan plan) {
        FinishReason r = plan.cursor().finishReason();
        return plan.isToolCall() && r == FinishReason.STOP ? FinishReason.TOOL_CALLS : r;
    }
}
