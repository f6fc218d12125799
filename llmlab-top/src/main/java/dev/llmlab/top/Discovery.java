package dev.llmlab.top;

import java.time.Duration;
import java.util.List;

/**
 * Where the targets to scrape come from: a fixed list (URLs on the command line or in a file), or
 * a source that follows a changing fleet (Kubernetes). Top asks for {@link #targets()} at every
 * refresh, so a discovery that keeps its list current (a watch) has a new pod scraped, and a gone
 * one dropped, within one refresh.
 *
 * <p>Implementations are thread-safe; {@link #targets()} is cheap (it returns what is already
 * known, never waits for the network).
 */
public interface Discovery extends AutoCloseable {
    /** The targets now, with names that tell them apart ({@link Target#unique}). */
    List<Target> targets();

    /**
     * Why the last attempt to list targets failed (for the view to show), or null when it did
     * not.
     */
    default String error() {
        return null;
    }

    /**
     * Waits until the targets have been listed once (a watch's first list has come back), at most
     * {@code timeout}: what {@code --once} waits for before its first read.
     *
     * @return whether they have been; a fixed list always has
     */
    default boolean awaitListed(Duration timeout) throws InterruptedException {
        return true;
    }

    @Override
    default void close() {}

    /**
     * A fixed list.
     *
     * @throws IllegalArgumentException for an empty list, or the same URL twice
     */
    static Discovery of(List<Target> targets) {
        if (targets.isEmpty()) throw new IllegalArgumentException("no target to watch");
        List<Target> fixed = Target.unique(targets);
        return () -> fixed;
    }
}
