package dev.llmlab.top;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The file {@code llmlab top --record} writes and {@code --replay} reads: every scrape that reached
 * top's history, read or failed, whatever the source (URLs, Kubernetes, Prometheus), so that an
 * incident can be looked at afterwards through every view, as it was seen.
 *
 * <p><b>Format</b> (defined in docs/top.md): gzip-compressed JSON Lines. The first line is the header
 * ({@code {"llmlab_top_recording": 1, "started": ..., ...}}), the format's version its value. Each
 * other line is one event, in the order top took them in: a {@code scrape} (a target's whole {@link
 * Reading}, or why it could not be read), the {@code targets} listed when that list changed, a
 * {@code source} error when that changed, {@code lost} when the writer had to drop scrapes, and
 * {@code end}, written when top closes the file. A file without its {@code end} was not closed (top
 * was killed): it plays up to its last complete line, and says so. Lines of a type this version does
 * not know are skipped, so that a later version may add some without a new number.
 *
 * <p><b>Time.</b> Live, scrapes are timed on the monotonic clock. The file holds wall-clock epoch
 * microseconds, mapped from one pair of readings (monotonic, wall) taken at the start, so that the
 * differences between times (windows, rates, ages) are the live top's to the microsecond, whatever
 * the wall clock did meanwhile. The header keeps that monotonic reading: a replay puts the times back
 * on the live top's monotonic scale, so that SLO slots (10 s of it) are cut where the live top cut
 * them and the SLO figures come out the same.
 */
public final class Recording {
    /** The format this version writes, and the newest it reads. */
    static final int VERSION = 1;

    static final String MAGIC = "llmlab_top_recording";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Recording() {}

    /**
     * A recording's first line.
     *
     * @param started        when recording began (to the microsecond)
     * @param monotonicNanos the monotonic clock's reading at {@code started}
     * @param source         what was watched, as the user gave it
     * @param interval       the live refresh interval; null for a {@code --once}
     * @param window         the live view's window
     */
    public record Header(
            int version, Instant started, long monotonicNanos, String source, Duration interval, Duration window) {
        /** Epoch microseconds of a time on the recording's monotonic scale. */
        long micros(long nanos) {
            return startedMicros() + Math.floorDiv(nanos - monotonicNanos, 1000L);
        }

        /** A time of the file (epoch microseconds) on the recording's monotonic scale. */
        long nanos(long micros) {
            return monotonicNanos + (micros - startedMicros()) * 1000L;
        }

        /** The wall-clock instant of a time on the recording's monotonic scale. */
        Instant instant(long nanos) {
            return started.plusNanos(nanos - monotonicNanos);
        }

        private long startedMicros() {
            return ChronoUnit.MICROS.between(Instant.EPOCH, started);
        }
    }

    /**
     * The header of a recording.
     *
     * @throws IllegalArgumentException when the file cannot be read, is not a recording, or is of a
     *     newer format: the message says which
     */
    public static Header header(Path file) {
        try (Reader r = Reader.open(file)) {
            return r.header();
        }
    }

    /** One line after the header; {@code t} is when top took it in, in epoch microseconds. */
    sealed interface Event {
        long t();
    }

    /** A scrape: its reading (null when it failed) taken at {@code at} (epoch microseconds), or its error. */
    record Scraped(long t, long at, Target target, Reading reading, String error) implements Event {}

    /** The targets the source listed from then on. */
    record Listed(long t, List<Target> targets) implements Event {}

    /** Why the source could not be listed from then on; null: it could again. */
    record SourceError(long t, String error) implements Event {}

    /** Scrapes the writer dropped just before this point, its queue full. */
    record Lost(long t, long count) implements Event {}

    /** The recording was closed: how many scrapes it holds and how many it lost. */
    record End(long t, long scrapes, long lost) implements Event {}

    static void writeHeader(JsonGenerator g, Header h) {
        g.writeStartObject();
        g.writeNumberProperty(MAGIC, h.version());
        g.writeStringProperty("started", h.started().toString());
        g.writeNumberProperty("monotonic_ns", h.monotonicNanos());
        g.writeStringProperty("source", h.source());
        if (h.interval() == null) g.writeNullProperty("interval_ms");
        else g.writeNumberProperty("interval_ms", h.interval().toMillis());
        g.writeNumberProperty("window_ms", h.window().toMillis());
        g.writeEndObject();
    }

    static void write(JsonGenerator g, Event e) {
        g.writeStartObject();
        g.writeStringProperty(
                "type",
                switch (e) {
                    case Scraped s -> "scrape";
                    case Listed l -> "targets";
                    case SourceError s -> "source";
                    case Lost l -> "lost";
                    case End x -> "end";
                });
        g.writeNumberProperty("t", e.t());
        switch (e) {
            case Scraped s -> {
                g.writeNumberProperty("at", s.at());
                g.writeStringProperty("target", s.target().name());
                g.writeStringProperty("url", s.target().url().toString());
                if (s.reading() != null) ReadingJson.write(g, s.reading());
                else g.writeStringProperty("error", s.error());
            }
            case Listed l -> {
                g.writeArrayPropertyStart("targets");
                for (Target t : l.targets()) {
                    g.writeStartObject();
                    g.writeStringProperty("name", t.name());
                    g.writeStringProperty("url", t.url().toString());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            case SourceError s -> g.writeStringProperty("error", s.error());
            case Lost l -> g.writeNumberProperty("count", l.count());
            case End x -> {
                g.writeNumberProperty("scrapes", x.scrapes());
                g.writeNumberProperty("lost", x.lost());
            }
        }
        g.writeEndObject();
    }

    /**
     * Reads a recording event by event. A file that ends early (no {@code end} line: top was killed,
     * and gzip's stream is cut) or has a damaged line ends the events there, with a {@link #note()}
     * saying so: every complete line before is played. Not thread-safe.
     */
    static final class Reader implements AutoCloseable {
        private final Path file;
        private final Lines lines;
        private final Header header;
        private boolean done;
        private String note;

        private Reader(Path file, Lines lines, Header header) {
            this.file = file;
            this.lines = lines;
            this.header = header;
        }

        /**
         * Opens a recording, gzip-compressed or not (one a user decompressed to read), and reads its
         * header.
         *
         * @throws IllegalArgumentException when it cannot be read, is not a recording, or is of a newer
         *     format
         */
        static Reader open(Path file) {
            InputStream in;
            try {
                in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
            } catch (NoSuchFileException e) {
                throw new IllegalArgumentException("cannot read the recording " + file + ": no such file");
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the recording " + file + ": " + e.getMessage());
            }
            try {
                in.mark(2);
                boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
                in.reset();
                if (gzip) in = new GZIPInputStream(in, 1 << 16);
                Lines lines = new Lines(in);
                String first = lines.next();
                if (first == null && lines.broken != null)
                    throw new IllegalArgumentException(file + " is not an llmlab top recording: it ends before its"
                            + " first line does (" + lines.broken + ")");
                return new Reader(file, lines, header(file, first));
            } catch (IOException | RuntimeException e) {
                close(in);
                if (e instanceof IllegalArgumentException i) throw i;
                throw new IllegalArgumentException(file + " is not an llmlab top recording: it ends before its"
                        + " first line does (" + e.getMessage() + ")");
            }
        }

        private static Header header(Path file, String first) {
            String not = file + " is not an llmlab top recording";
            if (first == null) throw new IllegalArgumentException(not + ": it is empty");
            JsonNode h;
            try {
                h = JSON.readTree(first);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(not + ": its first line is not JSON");
            }
            if (h == null || !h.isObject() || !h.has(MAGIC))
                throw new IllegalArgumentException(not + ": its first line has no \"" + MAGIC + "\"");
            JsonNode v = h.get(MAGIC);
            if (!v.isIntegralNumber() || v.asInt() < 1)
                throw new IllegalArgumentException(not + ": \"" + MAGIC + "\" is not a format number: " + v);
            if (v.asInt() > VERSION)
                throw new IllegalArgumentException(file + " is a recording of format " + v.asInt()
                        + ", newer than this llmlab reads (" + VERSION + "): replay it with a newer llmlab");
            try {
                JsonNode interval = h.get("interval_ms");
                return new Header(
                        v.asInt(),
                        Instant.parse(h.get("started").stringValue()),
                        h.get("monotonic_ns").longValue(),
                        h.path("source").asString(""),
                        interval == null || interval.isNull() ? null : Duration.ofMillis(interval.longValue()),
                        Duration.ofMillis(h.get("window_ms").longValue()));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(
                        not + ": its header lacks or garbles started, monotonic_ns or window_ms");
            }
        }

        Header header() {
            return header;
        }

        /** The next event; null at the end of the file, or where it ends early (then {@link #note()} says why). */
        Event next() {
            while (!done) {
                String text;
                try {
                    text = lines.next();
                } catch (IOException e) {
                    return stop("reading it failed after line " + lines.count + " (" + e.getMessage() + ")");
                }
                if (text == null)
                    return stop("the file ends after line " + lines.count
                            + ", without its end (was top killed?): played to its last complete line");
                Event e;
                try {
                    e = event(JSON.readTree(text));
                } catch (RuntimeException x) {
                    return stop("line " + lines.count + " is damaged (" + x.getMessage() + "): played up to it");
                }
                if (e instanceof End) done = true;
                if (e != null) return e;
            }
            return null;
        }

        private Event stop(String why) {
            done = true;
            note = why;
            return null;
        }

        /** Why the events ended before the file's end line; null when they did not. */
        String note() {
            return note;
        }

        /** An event, or null for a type this version does not know. */
        private static Event event(JsonNode n) {
            long t = n.get("t").longValue();
            return switch (n.get("type").stringValue()) {
                case "scrape" -> {
                    Target target = new Target(
                            n.get("target").stringValue(),
                            URI.create(n.get("url").stringValue()));
                    long at = n.get("at").longValue();
                    yield n.has("error")
                            ? new Scraped(t, at, target, null, n.get("error").stringValue())
                            : new Scraped(t, at, target, ReadingJson.read(n), null);
                }
                case "targets" -> {
                    List<Target> targets = new ArrayList<>();
                    for (JsonNode x : n.get("targets").values())
                        targets.add(new Target(
                                x.get("name").stringValue(),
                                URI.create(x.get("url").stringValue())));
                    yield new Listed(t, List.copyOf(targets));
                }
                case "source" -> {
                    JsonNode e = n.get("error");
                    yield new SourceError(t, e == null || e.isNull() ? null : e.stringValue());
                }
                case "lost" -> new Lost(t, n.get("count").longValue());
                case "end" ->
                    new End(t, n.get("scrapes").longValue(), n.get("lost").longValue());
                default -> null;
            };
        }

        @Override
        public void close() {
            close(lines::close);
        }

        private static void close(AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                // read only: nothing was lost
            }
        }

        @Override
        public String toString() {
            return file.toString();
        }
    }

    /**
     * The complete lines of a stream, each ended by its newline. A stream cut short (gzip's ends with
     * an {@link EOFException} when the file does, mid-block) ends there: what it decompressed before
     * is read, and a last line without its newline is dropped. A {@link java.io.BufferedReader} would
     * lose both, its decoder reading ahead into the failure.
     */
    private static final class Lines {
        private final InputStream in;
        private final byte[] buffer = new byte[1 << 16];
        private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream(1 << 12);
        private int position;
        private int limit;
        /** Lines read so far. */
        int count;
        /** Why the stream broke off; null while it has not. */
        String broken;

        Lines(InputStream in) {
            this.in = in;
        }

        /** The next complete line, without its newline; null at the end. */
        String next() throws IOException {
            line.reset();
            while (true) {
                if (position == limit) {
                    int n;
                    try {
                        n = broken == null ? in.read(buffer) : -1;
                    } catch (EOFException | ZipException e) {
                        broken = e.getMessage();
                        n = -1;
                    }
                    if (n < 0) return null;
                    position = 0;
                    limit = n;
                }
                for (int i = position; i < limit; i++)
                    if (buffer[i] == '\n') {
                        line.write(buffer, position, i - position);
                        position = i + 1;
                        count++;
                        return line.toString(StandardCharsets.UTF_8);
                    }
                line.write(buffer, position, limit - position);
                position = limit;
            }
        }

        void close() throws IOException {
            in.close();
        }
    }
}
