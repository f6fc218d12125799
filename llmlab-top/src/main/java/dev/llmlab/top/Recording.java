package dev.llmlab.top;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import tools.jackson.core.JsonGenerator;

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
 *
 * <p>{@code Recorder} writes a recording, {@code RecordingReader} reads it, and {@code ReplayFeed} plays
 * it to a {@link Top}.
 */
public final class Recording {
    /** The format this version writes, and the newest it reads. */
    static final int VERSION = 1;

    static final String MAGIC = "llmlab_top_recording";

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
        try (RecordingReader r = RecordingReader.open(file)) {
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
}
