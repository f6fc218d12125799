package dev.llmlab.top;

import dev.llmlab.http.client.TlsOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A running monitor: its targets scraped every {@code interval}, and a {@link Snapshot} of any
 * window up to a minute on demand. Thread-safe.
 */
public final class Top implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Top.class);
    /** The longest window a snapshot may ask for. */
    public static final Duration LONGEST_WINDOW = Duration.ofMinutes(1);

    private final History history;
    private final Feed feed;
    private final ScheduledExecutorService timer;

    /** @param interval null: read only when {@link #pollAndWait} is called */
    Top(List<Target> targets, Duration interval, Duration timeout, TlsOptions tls) {
        this(Discovery.of(targets), interval, timeout, tls);
    }

    Top(Discovery discovery, Duration interval, Duration timeout, TlsOptions tls) {
        this.history =
                new History(discovery.targets(), LONGEST_WINDOW.plusSeconds(10).toNanos());
        Feed f;
        try {
            f = new Scraper(discovery, timeout, tls, System::nanoTime, history::add);
        } catch (RuntimeException e) {
            discovery.close();
            throw e;
        }
        this.feed = f;
        if (interval == null) timer = null;
        else {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "llmlab-top");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleAtFixedRate(this::poll, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Starts scraping every target every {@code interval}, the first at once.
     *
     * @param timeout how long one GET may take
     * @throws IllegalArgumentException without targets, or for a CA file that cannot be read
     */
    public static Top start(List<Target> targets, Duration interval, Duration timeout, TlsOptions tls) {
        return new Top(targets, interval, timeout, tls);
    }

    /**
     * Starts scraping the targets {@code discovery} lists at each refresh; top closes it when
     * closed.
     */
    public static Top start(Discovery discovery, Duration interval, Duration timeout, TlsOptions tls) {
        return new Top(discovery, interval, timeout, tls);
    }

    private CompletableFuture<Void> poll() {
        try {
            CompletableFuture<Void> done = feed.poll();
            history.retain(feed.targets());
            return done;
        } catch (RuntimeException e) { // a scheduled task that throws is never run again
            LOG.warn("top: a refresh failed", e);
            return CompletableFuture.completedFuture(null);
        }
    }

    /**
     * Scrapes every target, waits {@code window}, scrapes them again, and gives the snapshot of that
     * window: what {@code --once} prints.
     */
    public static Snapshot once(List<Target> targets, Duration window, Duration timeout, TlsOptions tls)
            throws InterruptedException {
        return once(Discovery.of(targets), window, timeout, tls);
    }

    /**
     * The same over the targets {@code discovery} lists, once it has listed them (waiting at most
     * {@code timeout}; a discovery that has not listed by then gives at once a snapshot with its
     * {@link Snapshot#sourceError()} and no target). Closes {@code discovery}.
     */
    public static Snapshot once(Discovery discovery, Duration window, Duration timeout, TlsOptions tls)
            throws InterruptedException {
        try (Top top = new Top(discovery, null, timeout, tls)) {
            if (!discovery.awaitListed(timeout)) return top.snapshot(window);
            top.pollAndWait(timeout);
            Thread.sleep(window.toMillis());
            top.pollAndWait(timeout);
            return top.snapshot(window);
        }
    }

    /** Reads every target now and waits for the answers (for --once, and tests). */
    void pollAndWait(Duration timeout) throws InterruptedException {
        try {
            poll().get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // each target's failure is in its state; a GET past its own timeout is the client's to end
        }
    }

    /** The snapshot of the last {@code window} (shorter when fewer readings are kept yet). */
    public Snapshot snapshot(Duration window) {
        if (window.compareTo(LONGEST_WINDOW) > 0)
            throw new IllegalArgumentException("a window is at most " + LONGEST_WINDOW.toSeconds() + " s");
        return Fleet.build(history, window.toNanos(), System.nanoTime(), Instant.now(), feed.error());
    }

    @Override
    public void close() {
        if (timer != null) timer.shutdownNow();
        feed.close();
    }
}
