package dev.llmlab.bench.session;

/**
 * A target a session starts itself, on a free loopback port, and stops when it closes: the embedded
 * simulator that bench measures without {@code --url}. Bench knows only where it listens; what serves
 * it is supplied from outside (the CLI wires in the simulator), so that bench does not depend on it.
 */
public interface LocalTarget extends AutoCloseable {
    /**
     * Where it listens: {@code http://127.0.0.1:PORT}, or {@code https://...}. It serves every API
     * bench drives, each under its own base path ({@code /v1}, Gemini's {@code /v1beta}).
     */
    String origin();

    /** Stops it; in-flight requests are abandoned. */
    @Override
    void close();

    /** Starts local targets. */
    @FunctionalInterface
    interface Factory {
        /**
         * Starts one, ready to measure (its warm-up done), configured by {@code args} ({@code --sim-args}).
         *
         * @throws BenchException {@link BenchException.Kind#USAGE} when the arguments are wrong,
         *                        {@link BenchException.Kind#CONFIG} when the configuration they give is
         */
        LocalTarget start(String args);
    }
}
