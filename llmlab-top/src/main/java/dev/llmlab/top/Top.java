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
    private volatile Alerter alerter;

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

    private static Function<Consumer<Scrape>, Feed> prometheusFeed(
            URI server, String selector, Duration period, Duration timeout, TlsOptions tls) {
        return sink -> new PrometheusFeed(
                server, selector, period, timeout, tls, System::nanoTime, System::currentTimeMillis, sink);
    }

    private Snapshot pollTwice(Duration window, Duration timeout) throws InterruptedException {
        pollAndWait(timeout);
        Thread.sleep(window.toMillis());
        pollAndWait(timeout);
        return snapshot(window);
    }

    private CompletableFuture<Void> poll() {
        try {
            Alerter a = alerter;
            if (a != null) a.update(slos.status(System.nanoTime()));
            CompletableFuture<Void> done = feed.poll();
            history.retain(feed.targets());
            return done;
        } catch (RuntimeException e) { // a scheduled task that throws is never run again
            LOG.warn("top: a refresh failed", e);
            return CompletableFuture.completedFuture(null);
        }
    }

    /**
     * How top reads and what it tracks.
     *
     * @param interval how often every target is read
     * @param timeout  how long one read may take
     * @param cost     a GPU price for the cost per million tokens, or null
     */
    public record Settings(
            Duration interval, Duration timeout, TlsOptions tls, Objectives objectives, TopConfig.Cost cost) {
        public Settings {
            if (objectives == null) objectives = Objectives.NONE;
        }
    }

    /** Starts reading {@code source} every interval, the first read at once; closes it when closed. */
    public static Top start(Source source, Settings settings) {
        Top top = switch (source) {
            case Source.Scraped s ->
                new Top(
                        s.discovery().targets(),
                        scraperFeed(s.discovery(), settings.timeout(), settings.tls()),
                        settings.interval(),
                        settings.objectives());
            case Source.Prometheus p ->
                new Top(
                        List.of(),
                        prometheusFeed(
                                p.server(),
                                p.match(),
                                settings.interval() == null ? Duration.ZERO : PrometheusFeed.LIVE_PERIOD,
                                settings.timeout(),
                                settings.tls()),
                        settings.interval(),
                        settings.objectives());
        };
        Objectives o = settings.objectives();
        return top.priced(settings.cost())
                .alerting(settings.interval() == null ? null : o.webhook(), settings.timeout(), settings.tls());
    }

    /**
     * Reads {@code source}, waits {@code window}, reads it again and gives the snapshot of that
     * window: what {@code --once} prints. A discovery is waited for until it has listed its targets
     * (at most the timeout; if it has not, the snapshot says why, with no target).
     */
    public static Snapshot once(Source source, Duration window, Settings settings) throws InterruptedException {
        Settings read = new Settings(null, settings.timeout(), settings.tls(), settings.objectives(), settings.cost());
        try (Top top = start(source, read)) {
            if (source instanceof Source.Scraped s && !s.discovery().awaitListed(settings.timeout()))
                return top.snapshot(window);
            return top.pollTwice(window, settings.timeout());
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
    private Top priced(TopConfig.Cost cost) {
        this.cost = cost;
        return this;
    }

    private Top alerting(URI webhook, Duration timeout, TlsOptions tls) {
        if (webhook != null) this.alerter = new Alerter(webhook, timeout, tls);
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
        Alerter a = alerter;
        return new Snapshot(
                s.at(),
                s.windowSeconds(),
                s.models(),
                s.replicas(),
                s.targets(),
                s.sourceError(),
                slos.status(now),
                a == null ? null : a.error(),
                s.gpus(),
                s.gateways(),
                s.joulesPerOutputToken());
    }

    @Override
    public void close() {
        if (timer != null) timer.shutdownNow();
        if (alerter != null) alerter.close();
        feed.close();
    }
}
