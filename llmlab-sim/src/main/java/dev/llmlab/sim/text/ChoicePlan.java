package dev.llmlab.sim.text;

import dev.llmlab.api.TokenLogprob;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * What one choice will say: either text (walked by {@link #cursor}) or a tool call whose
 * arguments text is walked by the same cursor. Not thread-safe; one per choice.
 */
public final class ChoicePlan {
    private final ChoiceCursor cursor;
    private final String toolCallId;
    private final String toolName;
    private final Logprobs logprobs;

    ChoicePlan(ChoiceCursor cursor, String toolCallId, String toolName, Logprobs logprobs) {
        this.cursor = cursor;
        this.toolCallId = toolCallId;
        this.toolName = toolName;
        this.logprobs = logprobs;
    }

    public ChoiceCursor cursor() {
        return cursor;
    }

    /** Whether the reply is a tool call rather than text. */
    public boolean isToolCall() {
        return toolName != null;
    }

    public String toolCallId() {
        return toolCallId;
    }

    public String toolName() {
        return toolName;
    }

    /** Log probabilities for a piece just emitted, or null when not requested. */
    public TokenLogprob logprob(String piece) {
        return logprobs == null ? null : logprobs.next(piece);
    }

    /** Plausible log probabilities: the emitted token is the most likely, alternatives trail it. */
    static final class Logprobs {
        private final RandomGenerator rng;
        private final Vocabulary vocab;
        private final int top;

        Logprobs(RandomGenerator rng, Vocabulary vocab, int top) {
            this.rng = rng;
            this.vocab = vocab;
            this.top = top;
        }

        TokenLogprob next(String piece) {
            double lp = -Math.abs(rng.nextGaussian()) * 0.4;
            List<TokenLogprob.Alternative> alts = new ArrayList<>(top);
            if (top > 0) alts.add(new TokenLogprob.Alternative(piece, lp));
            double next = lp;
            while (alts.size() < top) {
                next -= 0.5 + rng.nextDouble() * 2.5;
                String alt = vocab.lower[vocab.pick(rng)];
                if (alt.equals(piece)) continue;
                alts.add(new TokenLogprob.Alternative(alt, next));
            }
            return new TokenLogprob(piece, lp, alts);
        }
    }
}
