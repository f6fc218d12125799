package dev.llmlab.sim.engine;

/**
 * Told of a sequence's progress, on its replica's thread, at the model time each event happens.
 * Implementations must be quick: they run inside the engine's step.
 */
public interface SequenceListener {
    /** The sequence gained one token per choice; {@link Sequence#generated()} counts them. */
    void onToken(Sequence s, long nowNanos);

    /** Every token was generated and the sequence's KV blocks were released. */
    void onFinished(Sequence s, long nowNanos);
}
