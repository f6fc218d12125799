package dev.llmlab.gateway.spend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.stream.Stream;
import tools.jackson.databind.json.JsonMapper;

/**
 * The spend rows a gateway has not yet written to its database, on local disk, so that a gateway
 * killed without warning (kill -9, a crash, the OOM killer) loses none: each row is appended to a
 * file as the request ends, and a gateway that starts writes what its predecessor left.
 *
 * <p>A write reaches the kernel's page cache before the next request is served: that survives the
 * process, not the machine (there is no fsync per request, which would cost a disk flush each).
 *
 * <p>The journal is a series of segments ({@code NAME.N.jsonl}, one JSON row per line). Every few
 * seconds the writer starts a new segment; a segment is deleted once every row appended to it is in
 * the database, so the journal holds only what may not be. Rows are written to the database in
 * the order they were appended, so "every row of a segment" is "the count written has passed the
 * count appended when the segment was closed".
 *
 * <p>A lock on the first segment keeps two gateways from sharing a journal.
 *
 * <p>Thread-safe: appends and rotations are serialised.
 */
final class SpendJournal implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private record Closed(Path file, long appendedAtClose) {}

    private final Path dir;
    private final String name;
    private final Deque<Closed> closed = new ArrayDeque<>();
    private final FileChannel lockFile;
    private final FileLock lock;
    private FileChannel current;
    private Path currentFile;
    private long segment;
    private long appended;
    private long appendedInSegment;

    private SpendJournal(Path dir, String name, FileChannel lockFile, FileLock lock, long firstSegment)
            throws IOException {
        this.dir = dir;
        this.name = name;
        this.lockFile = lockFile;
        this.lock = lock;
        this.segment = firstSegment;
        open();
    }

    /**
     * Opens the journal {@code name} in {@code dir}, first handing what an earlier gateway left to
     * {@code leftOver} (to write to the database) and deleting it once that returns.
     *
     * @throws IllegalStateException when another process holds the journal, or it cannot be written
     */
    static SpendJournal open(Path dir, String name, LeftOver leftOver) {
        try {
            Files.createDirectories(dir);
            FileChannel lf =
                    FileChannel.open(dir.resolve(name + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l;
            try {
                l = lf.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null;
            }
            if (l == null) {
                lf.close();
                throw new IllegalStateException("the spend journal " + dir.resolve(name)
                        + " is in use by another gateway: give each gateway its own port, or its own state.path");
            }
            List<Path> old = segments(dir, name);
            List<SpendEntry> rows = new ArrayList<>();
            long last = 0;
            for (Path p : old) {
                last = Math.max(last, number(p, name));
                for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
                    if (line.isEmpty()) continue;
                    // a line cut short by the kill is the one row whose request never ended
                    if (line.endsWith("}")) {
                        try {
                            rows.add(JSON.readValue(line, SpendEntry.class));
                        } catch (RuntimeException e) {
                            // a torn line: not a whole row
                        }
                    }
                }
            }
            if (!rows.isEmpty()) leftOver.write(rows);
            for (Path p : old) Files.delete(p);
            return new SpendJournal(dir, name, lf, l, last + 1);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the spend journal in " + dir + ": " + e.getMessage());
        }
    }

    /** Where rows left by an earlier gateway go: written to the database before the journal is emptied. */
    @FunctionalInterface
    interface LeftOver {
        void write(List<SpendEntry> rows) throws IOException;
    }

    private static List<Path> segments(Path dir, String name) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> {
                        String f = p.getFileName().toString();
                        return f.startsWith(name + ".") && f.endsWith(".jsonl");
                    })
                    .sorted((a, b) -> Long.compare(number(a, name), number(b, name)))
                    .toList();
        }
    }

    private static long number(Path p, String name) {
        String f = p.getFileName().toString();
        try {
            return Long.parseLong(f.substring(name.length() + 1, f.length() - ".jsonl".length()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private void open() throws IOException {
        currentFile = dir.resolve(name + "." + segment + ".jsonl");
        current = FileChannel.open(
                currentFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        appendedInSegment = 0;
    }

    /**
     * Appends a row; returns its number (1, 2, ...). A row that cannot be written (a full disk) is
     * still numbered, so that the numbers go on matching the order in which rows reach the
     * database; it is in memory only, and the next row starts on a line of its own.
     */
    synchronized long append(SpendEntry e) {
        appendedInSegment++;
        appended++;
        try {
            byte[] line = ((torn ? "\n" : "") + JSON.writeValueAsString(e) + "\n").getBytes(StandardCharsets.UTF_8);
            ByteBuffer b = ByteBuffer.wrap(line);
            while (b.hasRemaining()) current.write(b);
            torn = false;
        } catch (IOException x) {
            torn = true;
            throw new UncheckedIOException(x);
        }
        return appended;
    }

    /** Whether the last write may have left part of a line. */
    private boolean torn;

    /** Closes the current segment if it has rows, and starts a new one. */
    synchronized void rotate() throws IOException {
        if (appendedInSegment == 0) return;
        current.close();
        closed.add(new Closed(currentFile, appended));
        segment++;
        open();
    }

    /** Deletes the closed segments whose every row is among the first {@code written} written. */
    synchronized void written(long written) throws IOException {
        while (!closed.isEmpty() && closed.peekFirst().appendedAtClose() <= written)
            Files.deleteIfExists(closed.pollFirst().file());
    }

    /** Closes it; with {@code empty} (every row written), its files are deleted. */
    @Override
    public synchronized void close() {
        if (!lockFile.isOpen()) return; // closed already
        try {
            current.close();
            if (appended == 0 || emptyAtClose) {
                for (Closed c : closed) Files.deleteIfExists(c.file());
                Files.deleteIfExists(currentFile);
            }
            lock.release();
            lockFile.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean emptyAtClose;

    /** Lets go of the files as a process that died would: nothing deleted. */
    synchronized void abandon() {
        if (!lockFile.isOpen()) return;
        try {
            current.close();
            lock.release();
            lockFile.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Says that every row appended is in the database, so that close deletes the files. */
    synchronized void allWritten() {
        emptyAtClose = true;
    }
}
