package dev.llmlab.top;

import dev.llmlab.http.client.TlsOptions;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A running monitor: its targets scraped every {@code interval}, and a {@link Snapshot} of any
 * window up to a minute on demand. Thread-safe.
 */
public final class Top implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Top.class);
    /** The longest window a snapshot may ask for. */
    public static final Duration LONGEST_WINDOW = Duration.ofMinutes(1);

    private final History history;
    private final SloBook slos;
    private volatile TopConfig.Cost cost;
    private final Feed feed;
    private final ScheduledExecutorService timer;

    /** @param interval null: read only when {@link #pollAndWait} is called */
    Top(List<Target> targets, Duration interval, Duration timeout, TlsOptions tls) {
        this(Discovery.of(targets), interval, timeout, tls);
    }

    Top(Discovery discovery, Duration interval, Duration timeout, TlsOptions tls) {
        this(discovery.targets(), scraperFeed(discovery, timeout, tls), interval);
    }

    private static Function<Consumer<Scrape>, Feed> scraperFeed(Discovery discovery, Duration timeout, TlsOptions tls) {
        return sink -> {
            try {
                return new Scraper(discovery, timeout, tls, System::nanoTime, sink);
            } catch (RuntimeException e) {
                discovery.close();
                throw e;
            }
        };
    }

    /** @param feed makes the feed that fills the history, given where its scrapes go */
    Top(List<Target> known, Function<Consumer<Scrape>, Feed> feed, Duration interval) {
        this(known, feed, interval, Objectives.NONE);
    }

    Top(List<Target> known, Function<Consumer<Scrape>, Feed> feed, Duration interval, Objectives objectives) {
        this.history = new History(known, LONGEST_WINDOW.plusSeconds(10).toNanos());
        this.slos = new SloBook(objectives);
        this.feed = feed.apply(this::add);
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

    /** {@link #start(Discovery, Duration, Duration, TlsOptions)}, tracking {@code objectives}. */
    public static Top start(
            Discovery discovery, Duration interval, Duration timeout, TlsOptions tls, Objectives objectives) {
        return new Top(discovery.targets(), scraperFeed(discovery, timeout, tls), interval, objectives);
    }

    /**
     * Starts reading the fleet a Prometheus server scrapes, every {@code interval}, through its
     * federation endpoint (see docs/top.md): one GET a refresh, whatever the number of replicas.
     *
     * @param selector label matchers the series must also match ({@code namespace="prod"}), or empty
     * @throws IllegalArgumentException for a URL that is not http(s), or a CA file that cannot be read
     */
    public static Top prometheus(URI server, String selector, Duration interval, Duration timeout, TlsOptions tls) {
        return prometheus(server, selector, interval, timeout, tls, Objectives.NONE);
    }

    /** {@link #prometheus(URI, String, Duration, Duration, TlsOptions)}, tracking {@code objectives}. */
    public static Top prometheus(
            URI server, String selector, Duration interval, Duration timeout, TlsOptions tls, Objectives objectives) {
        return new Top(List.of(), prometheusFeed(server, selector, timeout, tls), interval, objectives);
    }

    /** {@link #once} through a Prometheus server. */
    public static Snapshot oncePrometheus(
            URI server, String selector, Duration window, Duration timeout, TlsOptions tls)
            throws InterruptedException {
        try (Top top = new Top(List.of(), prometheusFeed(server, selector, timeout, tls), null)) {
            return top.pollTwice(window, timeout);
        }
    }

    private static Function<Consumer<Scrape>, Feed> prometheusFeed(
            URI server, String selector, Duration timeout, TlsOptions tls) {
        return sink ->
                new PrometheusFeed(server, selector, timeout, tls, System::nanoTime, System::currentTimeMillis, sink);
    }

    private Snapshot pollTwice(Duration window, Duration timeout) throws InterruptedException {
        pollAndWait(timeout);
        Thread.sleep(window.toMillis());
        pollAndWait(timeout);
        return snapshot(window);
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
        try (Top top = new Top(targets, null, timeout, tls)) {
            return top.pollTwice(window, timeout);
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

    /** Prices the rows: a cost per million output tokens from this GPU price (null: none). */
    public Top cost(TopConfig.Cost cost) {
        this.cost = cost;
        return this;
    }

    private void add(Scrape s) {
        slos.observe(history.add(s), s);
    }

    /** The snapshot of the last {@code window} (shorter when fewer readings are kept yet). */
    public Snapshot snapshot(Duration window) {
        if (window.compareTo(LONGEST_WINDOW) > 0)
            throw new IllegalArgumentException("a window is at most " + LONGEST_WINDOW.toSeconds() + " s");
        long now = System.nanoTime();
        Snapshot s = Fleet.build(history, window.toNanos(), now, Instant.now(), feed.error(), cost);
        if (slos.isEmpty()) return s;
        return new Snapshot(
                s.at(), s.windowSeconds(), s.models(), s.replicas(), s.targets(), s.sourceError(), slos.status(now));
    }

    @Override
    public void close() {
        if (timer != null) timer.shutdownNow();
        feed.close();
    }
}
