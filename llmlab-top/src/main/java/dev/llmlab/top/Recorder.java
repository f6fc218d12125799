package dev.llmlab.top;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.json.JsonFactory;

/**
 * Writes a {@link Recording} of a running top: every scrape as it reaches the history, the targets
 * when their list changes, and the source's error when that changes.
 *
 * <p>The scrape threads never wait for the disk: an event is put on a bounded queue ({@value
 * #QUEUE} events) that one writer thread empties. When the queue is full (a disk slower than the
 * scrapes, for long enough) the event is dropped and counted; the file says where ({@code lost}) and
 * how many in all ({@code end}), and so does every snapshot ({@link RecordingStatus#lost()}). A
 * recording that lost data says so; one that stopped (a write failed: the disk full) says why.
 *
 * <p>The writer flushes at least every {@value #FLUSH_MILLIS} ms, through gzip's sync flush, so that
 * a top that is killed loses at most about that: the file then ends without its {@code end} line, and
 * a replay plays it up to its last complete line. {@link #close} writes the rest, the {@code end} line
 * and gzip's trailer.
 *
 * <p>Thread-safe: {@link #scrape} and {@link #targets} are called under the history's lock, so that
 * the file's order is the order the history took things in; they only offer to the queue.
 */
final class Recorder implements AutoCloseable {
    static final int QUEUE = 4096;
    static final long FLUSH_MILLIS = 1000;

    private static final JsonFactory JSON = JsonFactory.builder()
            .rootValueSeparator("")
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build();

    /** Put on the queue by {@link #close}, to wake the writer at once. */
    private static final Recording.Event WAKE = new Recording.Lost(Long.MIN_VALUE, 0);

    private final Path file;
    private final Recording.Header header;
    private final Top.Clock clock;
    private final BlockingQueue<Recording.Event> queue;
    private final AtomicLong queued = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final OutputStream out;
    private final JsonGenerator json;
    private final Thread writer;
    private volatile boolean closing;
    private volatile long endNanos;
    private volatile String failure;
    // under this recorder's lock
    private long unreported; // scrapes lost since the last event queued
    private List<Target> lastTargets;
    private String lastSourceError;
    private boolean sourceWritten;

    /** A recorder whose writer is not started yet ({@link #start}): tests fill its queue first. */
    Recorder(Path file, Recording.Header header, Top.Clock clock, OutputStream out, int capacity) {
        this.file = file;
        this.header = header;
        this.clock = clock;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.out = out;
        this.json = JSON.createGenerator(out);
        Recording.writeHeader(json, header);
        json.writeRaw('\n');
        json.flush();
        this.writer = new Thread(this::write, "llmlab-top-record");
        this.writer.setDaemon(true);
    }

    Recorder start() {
        writer.start();
        return this;
    }

    /**
     * Creates (or replaces) {@code record.file()} and writes its header.
     *
     * @param clock the clock the scrapes are timed on: its readings now are the file's time origin
     * @throws IOException when the file cannot be created
     */
    static Recorder open(Top.Record record, Top.Settings settings, Top.Clock clock) throws IOException {
        return open(record, settings.interval(), clock, QUEUE);
    }

    static Recorder open(Top.Record record, Duration interval, Top.Clock clock, int capacity) throws IOException {
        Instant started = clock.wall().get().truncatedTo(ChronoUnit.MICROS);
        long monotonic = clock.nanos().getAsLong();
        Recording.Header h = new Recording.Header(
                Recording.VERSION,
                started,
                monotonic,
                record.source() == null ? "" : record.source(),
                interval,
                record.window() == null ? Duration.ofSeconds(10) : record.window());
        OutputStream file = Files.newOutputStream(record.file());
        try {
            OutputStream gzip = new GZIPOutputStream(new BufferedOutputStream(file, 1 << 16), 1 << 16, true);
            return new Recorder(record.file(), h, clock, gzip, capacity).start();
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    static IllegalArgumentException cannotWrite(Path file, IOException e) {
        String why = e instanceof java.nio.file.NoSuchFileException
                ? "no such directory"
                : e instanceof java.nio.file.AccessDeniedException ? "permission denied" : e.getMessage();
        return new IllegalArgumentException("cannot write the recording " + file + ": " + why);
    }

    /** Records a scrape that reached the history at {@code nanos}. Never blocks. */
    void scrape(Scrape s, long nanos) {
        offer(new Recording.Scraped(
                header.micros(nanos), header.micros(s.atNanos()), s.target(), s.reading(), s.error()));
    }

    /** Records the source's targets, when they are not those last recorded. Never blocks. */
    synchronized void targets(List<Target> targets, long nanos) {
        if (targets.equals(lastTargets)) return;
        lastTargets = targets;
        offer(new Recording.Listed(header.micros(nanos), List.copyOf(targets)));
    }

    /** Records the source's error, when it is not the one last recorded. Never blocks. */
    synchronized void source(String error, long nanos) {
        if (sourceWritten && Objects.equals(error, lastSourceError)) return;
        if (!sourceWritten && error == null) return; // no error to begin with: nothing to say
        sourceWritten = true;
        lastSourceError = error;
        offer(new Recording.SourceError(header.micros(nanos), error));
    }

    /**
     * Queues an event, after a {@code lost} line when events were lost since the last one queued (the
     * queue is first in, first out: what was lost came after what is queued), or counts it lost.
     */
    private synchronized void offer(Recording.Event e) {
        if (closing) return; // after close: a scrape that was still out
        boolean queued = failure == null
                && (unreported == 0
                        ? queue.offer(e)
                        : queue.remainingCapacity() >= 2 // only this thread adds: both fit
                                && queue.offer(new Recording.Lost(e.t(), unreported))
                                && queue.offer(e));
        if (queued) {
            unreported = 0;
            if (e instanceof Recording.Scraped) this.queued.incrementAndGet();
        } else {
            unreported++;
            lost.incrementAndGet();
        }
    }

    private synchronized long unreported() {
        return unreported;
    }

    /** The writer thread: the queue to the file, a flush at least every FLUSH_MILLIS, the end at close. */
    private void write() {
        long count = 0;
        long nextFlush = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FLUSH_MILLIS);
        boolean dirty = false;
        try {
            while (true) {
                Recording.Event e = closing
                        ? queue.poll()
                        : queue.poll(Math.max(0, nextFlush - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (e == null && closing) break;
                if (e == WAKE) continue;
                if (e != null) {
                    line(e);
                    if (e instanceof Recording.Scraped) count++;
                    dirty = true;
                }
                if (System.nanoTime() - nextFlush >= 0) {
                    if (dirty) json.flush();
                    dirty = false;
                    nextFlush = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FLUSH_MILLIS);
                }
            }
            long end = header.micros(endNanos);
            if (unreported() > 0) line(new Recording.Lost(end, unreported()));
            line(new Recording.End(end, count, lost.get()));
            json.close();
            out.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | IOException e) { // Jackson's wrap the stream's IOExceptions
            failed(e);
        }
    }

    /** One line: the event and its newline, so that a file cut after it holds the line whole. */
    private void line(Recording.Event e) {
        Recording.write(json, e);
        json.writeRaw('\n');
    }

    private void failed(Exception e) {
        failure = "writing it failed, the recording stopped: "
                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        queue.clear();
        try {
            out.close();
        } catch (IOException | RuntimeException ignored) {
            // the failure stands
        }
    }

    /** What the views say of the recording. */
    RecordingStatus status() {
        return new RecordingStatus(
                RecordingStatus.RECORD, file.toString(), 0, queued.get(), lost.get(), false, failure);
    }

    /**
     * Writes what is queued and the end, and closes the file; waits for that at most 10 s (a disk
     * that hangs longer leaves the file without its end, which a replay reads up to there).
     */
    @Override
    public void close() {
        if (closing) return;
        endNanos = clock.nanos().getAsLong();
        closing = true;
        queue.offer(WAKE);
        try {
            writer.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
