package dev.llmlab.top;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A {@link Recording} played back as a {@link Feed}, on the recording's clock: each {@link #poll}
 * moves the clock on by the refresh interval times the speed and hands the history every event the
 * live top took in up to then, in the order it took them in (scrapes to the sink, changes of targets
 * to the history at once, the source's error to {@link #error()}). Top's clock is this feed's
 * ({@link #clock()}), so that a snapshot's "now", its ages and SLO windows are the recording's: the
 * views show what the live top showed at that moment.
 *
 * <p>At the end of the file the clock stops there (at the end line's time, or at the last complete
 * line of a file that was not closed) and {@link #status()} says the replay ended.
 *
 * <p>Thread-safe: polls are one at a time; the clock and state may be read from any thread.
 */
final class ReplayFeed implements Feed {
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final RecordingReader reader;
    private final Recording.Header header;
    private final String file;
    private final double speed;
    private final long stepNanos;
    private final Map<Target, Target> known = new HashMap<>();
    private Consumer<Scrape> sink;
    private Consumer<List<Target>> listed;
    private Recording.Event next; // read, not played yet
    private long lastNanos;

    private volatile long now;
    private volatile List<Target> targets = List.of();
    private volatile String error;
    private volatile long scrapes;
    private volatile long lost;
    private volatile boolean ended;

    private ReplayFeed(RecordingReader reader, String file, double speed, Duration interval, Duration at) {
        this.reader = reader;
        this.header = reader.header();
        this.file = file;
        this.speed = speed;
        this.stepNanos = interval == null ? 0 : Math.round(interval.toNanos() * speed);
        this.now = header.monotonicNanos() + (at == null ? 0 : at.toNanos());
        this.lastNanos = header.monotonicNanos();
    }

    /**
     * Opens the recording, its clock at its start (or at {@code replay.at()} from it), each refresh of
     * {@code interval} moving it on by the interval times the speed.
     *
     * @throws IllegalArgumentException when the file cannot be read or is not a recording
     */
    static ReplayFeed open(Source.Replay replay, Duration interval) {
        RecordingReader r = RecordingReader.open(replay.file());
        return new ReplayFeed(r, replay.file().toString(), replay.speed(), interval, replay.at());
    }

    /** Gives the feed where its scrapes and its changes of targets go: Top's constructor calls it. */
    ReplayFeed attach(Consumer<Scrape> sink, Consumer<List<Target>> listed) {
        this.sink = sink;
        this.listed = listed;
        return this;
    }

    /** The recording's clock: its monotonic scale, and the wall-clock time it maps to. */
    Top.Clock clock() {
        return new Top.Clock(() -> now, () -> header.instant(now));
    }

    /** Moves the clock on by one step and plays what the live top took in up to there. */
    @Override
    public synchronized CompletableFuture<Void> poll() {
        if (!ended) playTo(now + stepNanos);
        return DONE;
    }

    /** Plays up to {@code at} from the recording's start, or to its end when null (what {@code --once} shows). */
    synchronized void seek(Duration at) {
        playTo(at == null ? Long.MAX_VALUE : header.monotonicNanos() + at.toNanos());
    }

    private void playTo(long to) {
        while (true) {
            if (next == null) next = reader.next();
            if (next == null) {
                ended = true;
                now = lastNanos;
                return;
            }
            long when = header.nanos(next.t());
            if (when > to) {
                now = Math.max(now, to);
                return;
            }
            lastNanos = Math.max(lastNanos, when);
            play(next);
            next = null;
        }
    }

    private void play(Recording.Event e) {
        switch (e) {
            case Recording.Scraped s -> {
                Target t = known.computeIfAbsent(s.target(), k -> k);
                sink.accept(new Scrape(t, header.nanos(s.at()), s.reading(), s.error()));
                scrapes++;
            }
            case Recording.Listed l -> {
                targets = l.targets().stream()
                        .map(t -> known.computeIfAbsent(t, k -> k))
                        .toList();
                known.keySet().retainAll(targets);
                listed.accept(targets);
            }
            case Recording.SourceError s -> error = s.error();
            case Recording.Lost l -> lost += l.count();
            case Recording.End x -> {} // the reader ends after it
        }
    }

    @Override
    public List<Target> targets() {
        return targets;
    }

    @Override
    public String error() {
        return error;
    }

    /** What the views say of the replay. */
    RecordingStatus status() {
        return new RecordingStatus(RecordingStatus.REPLAY, file, speed, scrapes, lost, ended, reader.note());
    }

    @Override
    public void close() {
        reader.close();
    }
}
