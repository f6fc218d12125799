package dev.llmlab.bench.result;

/**
 * One distinct failure of a run, as a person needs it to act: its class ({@code http_404},
 * {@code connection}, ...), what was said (the server's own error message for a status, the
 * client's reason otherwise), and how many of the run's measured requests failed so.
 */
public record ErrorSample(String kind, String message, long count) {
    /** How many distinct failures a run keeps: the first few are what a person reads; the rest are counted by class. */
    public static final int KEPT = 5;
}
