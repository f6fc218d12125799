package dev.llmlab.sim.text;

/**
 * A lazily produced sequence of output pieces, each one or more whole tokens of the model's
 * encoding. Lazy so that a long-running stream holds a few fields, not its whole reply.
 * Not thread-safe; one per choice.
 */
interface TokenSource {
    /** The next piece, or null when the reply ends on its own. */
    String next();

    /** How many tokens the piece last returned by {@link #next()} is (1 except for grouped UTF-8). */
    default int lastTokens() {
        return 1;
    }
}
