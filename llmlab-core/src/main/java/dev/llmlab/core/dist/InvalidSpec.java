package dev.llmlab.core.dist;

/**
 * A rejected parameter. Carries the kind and the bare problem apart, so the factories can report
 * {@code "uniform: max (10ms) must be >= min (30ms)"} while the spec parser reports the same
 * problem against the spec text the user wrote.
 */
final class InvalidSpec extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String problem;

    InvalidSpec(String kind, String problem) {
        super(kind + ": " + problem);
        this.problem = problem;
    }

    String problem() {
        return problem;
    }
}
