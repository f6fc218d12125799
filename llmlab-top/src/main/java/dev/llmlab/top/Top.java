package dev.llmlab.top;

import dev.llmlab.http.client.TlsOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

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
    private final Clock clock;
    private final Recorder recorder;
    private final Feed feed;
    private final ScheduledExecutorService timer;
    private volatile Alerter alerter;

    /**
     * Top's time: the monotonic nanoseconds scrapes are timed on (windows, ages, SLO slots), and the
     * wall-clock instant a snapshot is stamped with. Live, the system's; in a replay, the recording's.
     */
    record Clock(LongSupplier nanos, Supplier<Instant> wall) {
        static final Clock SYSTEM = new Clock(System::nanoTime, Instant::now);
    }

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
        this(known, (sink, listed) -> feed.apply(sink), interval, objectives, Clock.SYSTEM, null);
    }

    /**
     * @param feed     makes the feed, given where its scrapes go and where a change of its targets goes
     *                 at once (a replay's; the others' targets are asked for after each poll)
     * @param recorder where every scrape and change of targets is also written, or null
     */
    Top(
            List<Target> known,
            BiFunction<Consumer<Scrape>, Consumer<List<Target>>, Feed> feed,
            Duration interval,
            Objectives objectives,
            Clock clock,
            Recorder recorder) {
        this.history = new History(known, LONGEST_WINDOW.plusSeconds(10).toNanos());
        this.slos = new SloBook(objectives);
        this.clock = clock;
        this.recorder = recorder;
        this.feed = feed.apply(this::add, this::listed);
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
            if (a != null) a.update(slos.status(clock.nanos().getAsLong()));
            CompletableFuture<Void> done = feed.poll();
            listed(feed.targets());
            if (recorder != null) recorder.source(feed.error(), clock.nanos().getAsLong());
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
            Duration interval,
            Duration timeout,
            TlsOptions tls,
            Objectives objectives,
            TopConfig.Cost cost,
            Record record) {
        public Settings {
            if (objectives == null) objectives = Objectives.NONE;
        }

        /** Settings that record nothing. */
        public Settings(
                Duration interval, Duration timeout, TlsOptions tls, Objectives objectives, TopConfig.Cost cost) {
            this(interval, timeout, tls, objectives, cost, null);
        }
    }

    /**
     * Where to record the session ({@code --record}), and what its header says of it.
     *
     * @param source what was watched, as the user gave it (URLs, {@code --k8s pods -n llm}), for the header
     * @param window the view's window, the replay's default
     */
    public record Record(Path file, String source, Duration window) {}

    /**
     * Starts reading {@code source} every interval, the first read at once; closes it when closed.
     * With {@link Settings#record}, every scrape is also written to that file. A replay advances its
     * recording's clock by the interval times its speed at each refresh, and sends no alert.
     *
     * @throws IllegalArgumentException for a recording that cannot be written, or a replay's file that
     *     cannot be read or is not a recording (the message says which and why)
     */
    public static Top start(Source source, Settings settings) {
        if (source instanceof Source.Replay r) {
            if (settings.record() != null)
                throw new IllegalArgumentException("a replay records nothing new: drop --record");
            ReplayFeed replay = ReplayFeed.open(r, settings.interval());
            Top top = new Top(
                    List.of(), replay::attach, settings.interval(), settings.objectives(), replay.clock(), null);
            return top.priced(settings.cost());
        }
        Recorder recorder;
        try {
            recorder = settings.record() == null ? null : Recorder.open(settings.record(), settings, Clock.SYSTEM);
        } catch (IOException | RuntimeException e) {
            if (source instanceof Source.Scraped s) s.discovery().close();
            throw e instanceof IOException io
                    ? Recorder.cannotWrite(settings.record().file(), io)
                    : (RuntimeException) e;
        }
        Function<Consumer<Scrape>, Feed> feed = switch (source) {
            case Source.Scraped s -> scraperFeed(s.discovery(), settings.timeout(), settings.tls());
            case Source.Prometheus p ->
                prometheusFeed(
                        p.server(),
                        p.match(),
                        settings.interval() == null ? Duration.ZERO : PrometheusFeed.LIVE_PERIOD,
                        settings.timeout(),
                        settings.tls());
            case Source.Replay r -> throw new AssertionError(); // started above
        };
        List<Target> known = source instanceof Source.Scraped s ? s.discovery().targets() : List.of();
        Top top;
        try {
            top = new Top(
                    known,
                    (sink, listed) -> feed.apply(sink),
                    settings.interval(),
                    settings.objectives(),
                    Clock.SYSTEM,
                    recorder);
        } catch (RuntimeException e) {
            if (recorder != null) recorder.close();
            throw e;
        }
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
        Settings read = new Settings(
                null, settings.timeout(), settings.tls(), settings.objectives(), settings.cost(), settings.record());
        try (Top top = start(source, read)) {
            if (top.feed instanceof ReplayFeed replay) {
                replay.seek(((Source.Replay) source).at());
                return top.snapshot(window);
            }
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

    private void add(Scrape read) {
        // times to the whole microsecond, as a recording keeps them: a replay then computes every
        // window to the same nanosecond as the live view did
        Scrape s = read.atNanos() % 1000 == 0
                ? read
                : new Scrape(read.target(), Math.floorDiv(read.atNanos(), 1000) * 1000, read.reading(), read.error());
        Scrape before;
        synchronized (history) { // the file's order is the history's
            before = history.add(s);
            if (recorder != null) recorder.scrape(s, clock.nanos().getAsLong());
        }
        slos.observe(before, s);
    }

    /** The feed's targets now: the history forgets the others. */
    private void listed(List<Target> targets) {
        synchronized (history) {
            history.retain(targets);
            if (recorder != null) recorder.targets(targets, clock.nanos().getAsLong());
        }
    }

    /** The session being recorded or replayed, or null: what the views say of it. */
    public RecordingStatus recording() {
        if (feed instanceof ReplayFeed r) return r.status();
        return recorder == null ? null : recorder.status();
    }

    /** The snapshot of the last {@code window} (shorter when fewer readings are kept yet). */
    public Snapshot snapshot(Duration window) {
        if (window.compareTo(LONGEST_WINDOW) > 0)
            throw new IllegalArgumentException("a window is at most " + LONGEST_WINDOW.toSeconds() + " s");
        long now = clock.nanos().getAsLong();
        Snapshot s = Fleet.build(history, window.toNanos(), now, clock.wall().get(), feed.error(), cost);
        Alerter a = alerter;
        return new Snapshot(
                s.at(),
                s.windowSeconds(),
                s.models(),
                s.replicas(),
                s.targets(),
                s.sourceError(),
                slos.isEmpty() ? List.of() : slos.status(now),
                a == null ? null : a.error(),
                s.gpus(),
                s.gateways(),
                s.joulesPerOutputToken(),
                recording());
    }

    /** Stops reading; a recording is then written to its end and closed (what it says is in {@link #recording()}). */
    @Override
    public void close() {
        if (timer != null) timer.shutdownNow();
        try {
            if (alerter != null) alerter.close();
            feed.close();
        } finally {
            if (recorder != null) recorder.close();
        }
    }
}
