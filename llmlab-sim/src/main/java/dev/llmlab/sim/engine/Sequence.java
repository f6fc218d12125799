package dev.llmlab.sim.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * One request inside an engine: its prompt, how many tokens it will generate, and its progress.
 * Created by {@link Deployment#submit}; the engine tells its {@link SequenceListener} of each token.
 *
 * <p>A request with {@code n} choices is one sequence of width {@code n}: the prompt is prefilled
 * once (as vLLM's prefix cache shares it between the choices), and each decode step produces one
 * token per choice, costing {@code n} decode slots and {@code n} KV tokens.
 *
 * <p>The getters may be read on the replica's thread, or after {@link SequenceListener#onFinished}.
 */
public final class Sequence {
    enum State {
        WAITING,
        RUNNING,
        FINISHED,
        ABORTED
    }

    final int promptTokens;
    final int width;
    final int outputTokens;
    final long[] blockHashes;
    final SequenceListener listener;

    /** Set by {@link Deployment#submit} before the sequence is handed to the replica; read by cancel from any thread. */
    volatile Replica replica;

    State state = State.WAITING;
    /** KV tokens computed so far. */
    int computed;
    /** Tokens generated per choice. */
    int generated;
    /** Tokens computed by the step in flight, and whether they are prefill. */
    int scheduled;

    boolean prefilling;
    /** Prompt blocks already offered to the prefix cache. */
    int published;

    final List<KvCache.Block> held = new ArrayList<>(4);
    int privateBlocks;
    long arrivalNanos;
    long firstScheduledNanos = -1;
    long firstTokenNanos = -1;
    long lastTokenNanos = -1;
    int preemptions;
    int cachedTokens;

    /**
     * @param promptTokens tokens of the prompt
     * @param width        choices generated in parallel ({@code n})
     * @param outputTokens tokens each choice generates (the request's reply length, known in advance)
     * @param blockHashes  chained hashes of the prompt's full blocks, for prefix caching (may be empty)
     * @param listener     told of each token and of the end, on the replica's thread
     */
    public Sequence(int promptTokens, int width, int outputTokens, long[] blockHashes, SequenceListener listener) {
        if (promptTokens < 1) throw new IllegalArgumentException("promptTokens must be >= 1");
        if (width < 1) throw new IllegalArgumentException("width must be >= 1");
        if (outputTokens < 1) throw new IllegalArgumentException("outputTokens must be >= 1");
        this.promptTokens = promptTokens;
        this.width = width;
        this.outputTokens = outputTokens;
        this.blockHashes = blockHashes;
        this.listener = listener;
    }

    /** KV tokens needed before the next token can be sampled. */
    long kvTokens() {
        return promptTokens + (long) width * generated;
    }

    /** KV tokens at the end: what the sequence holds just before it finishes, which its replica's cache must hold. */
    public long peakKvTokens() {
        return promptTokens + (long) width * (outputTokens - 1);
    }

    public int generated() {
        return generated;
    }

    public int outputTokens() {
        return outputTokens;
    }

    /** The replica serving this sequence, 0-based. */
    public int replicaIndex() {
        return replica.index;
    }

    /** Times the sequence was preempted and recomputed. */
    public int preemptions() {
        return preemptions;
    }

    /** Prompt tokens found in the prefix cache at (first) admission. */
    public int cachedTokens() {
        return cachedTokens;
    }

    /** Model time of submission, first scheduling, first and last token; -1 until it happened. */
    public long arrivalNanos() {
        return arrivalNanos;
    }

    public long firstScheduledNanos() {
        return firstScheduledNanos;
    }

    public long firstTokenNanos() {
        return firstTokenNanos;
    }

    public long lastTokenNanos() {
        return lastTokenNanos;
    }

    /** Whether every token was generated. */
    public boolean isFinished() {
        return state == State.FINISHED;
    }
}
