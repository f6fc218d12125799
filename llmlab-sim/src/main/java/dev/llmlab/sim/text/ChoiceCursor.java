package dev.llmlab.sim.text;

import dev.llmlab.api.FinishReason;
import java.util.List;

/**
 * Walks one choice's tokens under the request's limits: the token cap ({@code max_tokens}, the
 * model's output cap, the context left) and stop sequences.
 *
 * <p>Stop sequences are matched on the text, not on tokens, as the real APIs do: a stop may span
 * tokens, so text that could be the start of a stop sequence is held back until the next token
 * shows whether it is one; the reply then ends before the stop (which is not returned) with
 * finish reason {@code stop}. The tokens generated up to and including the one that completed the
 * stop count as generated, as in the providers' usage. Not thread-safe; one per choice.
 */
public final class ChoiceCursor {
    private final TokenSource source;
    private final int limit;
    private final List<String> stops;
    private final StringBuilder pending; // held-back text that may start a stop sequence
    private String stopSequence;
    private String lookahead;
    private int lookaheadTokens;
    private int tokens;
    private boolean finished;
    private FinishReason reason;

    ChoiceCursor(TokenSource source, int limit, List<String> stops) {
        this.source = source;
        this.limit = limit;
        this.stops = stops;
        this.pending = stops.isEmpty() ? null : new StringBuilder();
        advance();
    }

    private void advance() {
        lookahead = source.next();
        lookaheadTokens = lookahead == null ? 0 : source.lastTokens();
    }

    /**
     * The text of the next step, possibly empty when held back; null once finished. After the call
     * that returns the last text, {@link #finished()} is true, so a stream can send the finish chunk
     * right after its last token.
     */
    public String next() {
        if (finished) return null;
        if (lookahead == null || tokens >= limit) {
            return finish(lookahead == null ? FinishReason.STOP : FinishReason.LENGTH, flush());
        }
        String piece = lookahead;
        tokens += lookaheadTokens;
        advance();
        if (pending == null) {
            if (lookahead == null || tokens >= limit) {
                finished = true;
                reason = lookahead == null ? FinishReason.STOP : FinishReason.LENGTH;
            }
            return piece;
        }
        pending.append(piece);
        // The stop that occurs first in the text wins, as a reader of the text would see it.
        int first = -1;
        String matched = null;
        for (String stop : stops) {
            int at = pending.indexOf(stop);
            if (at >= 0 && (first < 0 || at < first)) {
                first = at;
                matched = stop;
            }
        }
        if (matched != null) {
            String out = pending.substring(0, first);
            pending.setLength(0);
            stopSequence = matched;
            return finish(FinishReason.STOP, out);
        }
        int keep = heldBack();
        String out = pending.substring(0, pending.length() - keep);
        pending.delete(0, pending.length() - keep);
        if (lookahead == null || tokens >= limit) {
            return finish(lookahead == null ? FinishReason.STOP : FinishReason.LENGTH, out + flush());
        }
        return out;
    }

    /** The longest suffix of the pending text that is a proper prefix of some stop sequence. */
    private int heldBack() {
        int best = 0;
        for (String stop : stops) {
            int max = Math.min(stop.length() - 1, pending.length());
            for (int k = max; k > best; k--) {
                if (endsWithPrefix(pending, stop, k)) {
                    best = k;
                    break;
                }
            }
        }
        return best;
    }

    private static boolean endsWithPrefix(StringBuilder text, String stop, int k) {
        int base = text.length() - k;
        for (int i = 0; i < k; i++) {
            if (text.charAt(base + i) != stop.charAt(i)) return false;
        }
        return true;
    }

    private String flush() {
        if (pending == null || pending.isEmpty()) return "";
        String s = pending.toString();
        pending.setLength(0);
        return s;
    }

    private String finish(FinishReason r, String text) {
        finished = true;
        reason = r;
        return text;
    }

    public boolean finished() {
        return finished;
    }

    /** Why the choice ended; valid once {@link #finished()}. */
    public FinishReason finishReason() {
        return reason;
    }

    /** The stop sequence that ended the choice, or null if none did. */
    public String stopSequence() {
        return stopSequence;
    }

    /** Tokens generated so far. */
    public int tokens() {
        return tokens;
    }
}
