package dev.llmlab.top;

import dev.llmlab.top.Recording.End;
import dev.llmlab.top.Recording.Event;
import dev.llmlab.top.Recording.Header;
import dev.llmlab.top.Recording.Listed;
import dev.llmlab.top.Recording.Lost;
import dev.llmlab.top.Recording.Scraped;
import dev.llmlab.top.Recording.SourceError;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
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
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a recording event by event. A file that ends early (no {@code end} line: top was killed,
 * and gzip's stream is cut) or has a damaged line ends the events there, with a {@link #note()}
 * saying so: every complete line before is played. Not thread-safe.
 */
final class RecordingReader implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path file;
    private final Lines lines;
    private final Header header;
    private boolean done;
    private String note;

    private RecordingReader(Path file, Lines lines, Header header) {
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
    static RecordingReader open(Path file) {
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
            return new RecordingReader(file, lines, header(file, first));
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
        if (h == null || !h.isObject() || !h.has(Recording.MAGIC))
            throw new IllegalArgumentException(not + ": its first line has no \"" + Recording.MAGIC + "\"");
        JsonNode v = h.get(Recording.MAGIC);
        if (!v.isIntegralNumber() || v.asInt() < 1)
            throw new IllegalArgumentException(not + ": \"" + Recording.MAGIC + "\" is not a format number: " + v);
        if (v.asInt() > Recording.VERSION)
            throw new IllegalArgumentException(file + " is a recording of format " + v.asInt()
                    + ", newer than this llmlab reads (" + Recording.VERSION + "): replay it with a newer llmlab");
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
                        n.get("target").stringValue(), URI.create(n.get("url").stringValue()));
                long at = n.get("at").longValue();
                yield n.has("error")
                        ? new Scraped(t, at, target, null, n.get("error").stringValue())
                        : new Scraped(t, at, target, ReadingJson.read(n), null);
            }
            case "targets" -> {
                List<Target> targets = new ArrayList<>();
                for (JsonNode x : n.get("targets").values())
                    targets.add(new Target(
                            x.get("name").stringValue(), URI.create(x.get("url").stringValue())));
                yield new Listed(t, List.copyOf(targets));
            }
            case "source" -> {
                JsonNode e = n.get("error");
                yield new SourceError(t, e == null || e.isNull() ? null : e.stringValue());
            }
            case "lost" -> new Lost(t, n.get("count").longValue());
            case "end" -> new End(t, n.get("scrapes").longValue(), n.get("lost").longValue());
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

    /**
     * The complete lines of a stream, each ended by its newline. A stream cut short (gzip's ends with
     * an {@link EOFException} when the file does, mid-block) ends there: what it decompressed before
     * is read, and a last line without its newline is dropped. A {@link java.io.BufferedReader} would
     * lose both, its decoder reading ahead into the failure.
     */
    private static final class Lines {
        private final InputStream in;
        private final byte[] buffer = new byte[1 << 16];
        private final ByteArrayOutputStream line = new ByteArrayOutputStream(1 << 12);
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
