package dev.llmlab.top;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What fills a {@link History}: something that, asked to {@link #poll}, reads the fleet and hands
 * each target's {@link Scrape} to its sink. A {@link Scraper} GETs each target's own page; a
 * Prometheus source reads many targets' series from one server.
 */
interface Feed extends AutoCloseable {
    /** Starts a read of every target; the stage completes when all have ended. Never blocks. */
    CompletableFuture<Void> poll();

    /** The targets of the last poll: History forgets the others. */
    List<Target> targets();

    /** Why the feed as a whole could not be read last time (a discovery or a Prometheus failing), or null. */
    String error();

    @Override
    void close();
}
