package dev.llmlab.core.dist;

/**
 * Base of the implementations: the canonical description, computed once, doubles as identity,
 * so equal specs give equal distributions (handy for configuration records).
 *
 * <p>Thread-safety: subclasses are immutable and thread-safe.
 */
abstract class AbstractDistribution implements Distribution {

    private final String description;

    AbstractDistribution(String description) {
        this.description = description;
    }

    @Override
    public final String describe() {
        return description;
    }

    @Override
    public final boolean equals(Object o) {
        return o instanceof AbstractDistribution other
                && other.getClass() == getClass()
                && other.description.equals(description);
    }

    @Override
    public final int hashCode() {
        return description.hashCode();
    }

    @Override
    public final String toString() {
        return description;
    }
}
