package dev.llmlab.top.tui;

import dev.llmlab.top.Snapshot;
import dev.llmlab.top.Top;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.Display;
import org.jline.utils.InfoCmp.Capability;
import org.jline.utils.NonBlockingReader;

/**
 * {@code llmlab top}'s full-screen terminal UI: the shell around {@link Controller} that owns the
 * terminal.
 *
 * <p>One thread (the caller's) does everything that touches the UI, taking events from a queue:
 * a key (decoded by a reader thread), a resize (SIGWINCH), a quit (SIGINT, or {@code q}), or the
 * next refresh when nothing came before it. JLine's {@link Display} diffs each frame's lines
 * against the last and writes only the changes. The terminal is put back as it was (raw mode off,
 * cursor shown, the alternate screen left) however the loop ends: a key, Ctrl-C, an exception, or
 * a JVM shutdown (SIGTERM) through a shutdown hook. While the UI is up, anything written to
 * System.err (a log line) is kept and written out after, as it would otherwise scribble over the
 * screen.
 */
public final class TerminalView {
    private static final Object RESIZE = new Object();
    private static final Object QUIT = new Object();
    /** What System.err may keep while the screen is up; past that it counts what it dropped. */
    private static final int KEPT_ERR = 64 * 1024;
    /** How long the key reader waits at a time, and so how soon it sees that the loop has ended. */
    private static final long READ_SLICE_MS = 100;

    private TerminalView() {}

    /**
     * Shows {@code top}'s snapshots of {@code window}, refreshed every {@code interval}, on this
     * process's terminal until the user quits ({@code q} or Ctrl-C). Exports go to the working
     * directory.
     *
     * @throws IOException when there is no terminal to draw on (standard input or output is not
     *                     one, or it cannot be driven)
     */
    public static void run(Top top, Duration interval, Duration window) throws IOException {
        run(top, interval, window, dev.llmlab.top.Objectives.NONE);
    }

    /** {@link #run(Top, Duration, Duration)}, colouring the p50 and p99 columns by the SLOs on them. */
    public static void run(Top top, Duration interval, Duration window, dev.llmlab.top.Objectives objectives)
            throws IOException {
        Settings settings = new Settings(window, interval, ZoneId.systemDefault(), Thresholds.of(objectives));
        PrintStream err = System.err;
        Kept kept = new Kept();
        System.setErr(new PrintStream(kept, true, Charset.defaultCharset()));
        java.util.logging.Logger jline = java.util.logging.Logger.getLogger("org.jline");
        java.util.logging.Level level = jline.getLevel();
        jline.setLevel(java.util.logging.Level.SEVERE); // its warnings would go to the screen, mid-frame
        // Box-drawing characters as UTF-8, not through the alternate character set, which some
        // terminals (tmux's "screen") turned into letters.
        if (System.getProperty(TerminalBuilder.PROP_DISABLE_ALTERNATE_CHARSET) == null)
            System.setProperty(TerminalBuilder.PROP_DISABLE_ALTERNATE_CHARSET, "true");
        try (Terminal terminal = open()) {
            run(terminal, () -> top.snapshot(window), settings, Path.of(""));
        } finally {
            jline.setLevel(level);
            System.setErr(err);
            kept.writeTo(err);
        }
    }

    /** This process's terminal, or why there is none to draw on. */
    private static Terminal open() throws IOException {
        Terminal t;
        try {
            t = TerminalBuilder.builder().system(true).dumb(false).build();
        } catch (IllegalStateException e) { // JLine: no system terminal
            throw new IOException(e.getMessage(), e);
        }
        if (t.getType().startsWith(Terminal.TYPE_DUMB)) {
            t.close();
            throw new IOException("the terminal (" + t.getType() + ") cannot be drawn on");
        }
        return t;
    }

    /** The loop, on a terminal given (a test's, or the system's). */
    static void run(Terminal terminal, Supplier<Snapshot> snapshots, Settings settings, Path exportDir)
            throws IOException {
        Controller c = new Controller(settings, exportDir, Clock.systemDefaultZone());
        BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        Terminal.SignalHandler onInt = terminal.handle(Terminal.Signal.INT, s -> events.add(QUIT));
        Terminal.SignalHandler onWinch = terminal.handle(Terminal.Signal.WINCH, s -> events.add(RESIZE));
        AtomicBoolean stop = new AtomicBoolean();
        Restore restore = new Restore(terminal, terminal.enterRawMode());
        // Ctrl-Z would stop the JVM with the terminal still raw and on the alternate screen, and
        // Java cannot stop itself after putting it back: the key does nothing instead.
        Attributes raw = terminal.getAttributes();
        raw.setControlChar(Attributes.ControlChar.VSUSP, 0);
        terminal.setAttributes(raw);
        Thread hook = new Thread(restore, "llmlab-top-restore");
        Thread keys = null;
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            terminal.puts(Capability.enter_ca_mode);
            terminal.puts(Capability.keypad_xmit);
            terminal.puts(Capability.cursor_invisible);
            terminal.puts(Capability.clear_screen);
            terminal.flush();
            Display display = new Display(terminal, true);
            Size size = terminal.getSize();
            display.resize(size.getRows(), size.getColumns());
            keys = new Thread(() -> readKeys(terminal.reader(), events, stop), "llmlab-top-keys");
            keys.setDaemon(true);
            keys.start();
            long period = settings.interval().toNanos();
            long next = System.nanoTime();
            while (true) {
                long wait = next - System.nanoTime();
                Object e = wait > 0 ? events.poll(wait, TimeUnit.NANOSECONDS) : null;
                if (e == null) {
                    c.refresh(snapshots.get());
                    next = Math.max(next + period, System.nanoTime()); // after a stall, no burst of catch-up refreshes
                } else if (e == QUIT) {
                    return;
                } else if (e == RESIZE) {
                    size = terminal.getSize();
                    display.clear();
                    display.resize(size.getRows(), size.getColumns());
                } else if (e instanceof Key k && !c.key(k)) {
                    return;
                }
                if (events.isEmpty()) // a burst of keys (a paste, a held key) draws once, after the last
                display.update(c.render(size.getColumns(), size.getRows()), 0);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stop.set(true);
            restore.run();
            if (keys != null) joinQuietly(keys); // so that closing the terminal does not race a read
            terminal.handle(Terminal.Signal.INT, onInt);
            terminal.handle(Terminal.Signal.WINCH, onWinch);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook has run or runs now; restoring twice is harmless
            }
        }
    }

    /**
     * Decodes keys into the queue until the input ends or {@code stop} is set. It reads with a
     * timeout, never blocking for good: JLine's untimed read holds the input's lock through the
     * blocking system call, and closing the terminal would wait for a key that may never come.
     */
    private static void readKeys(NonBlockingReader in, BlockingQueue<Object> events, AtomicBoolean stop) {
        KeyDecoder keys = new KeyDecoder(timeout -> {
            if (timeout > 0) return in.read(timeout);
            while (true) {
                int c = in.read(READ_SLICE_MS);
                if (stop.get()) return KeyDecoder.Source.EOF;
                if (c != NonBlockingReader.READ_EXPIRED) return c;
            }
        });
        try {
            for (Key k = keys.next(); k != null && !stop.get(); k = keys.next()) events.add(k);
        } catch (IOException e) {
            // the terminal closed under the reader: the loop has ended, or ends now
        }
        events.add(QUIT); // the end of the input: nobody can press q any more
    }

    private static void joinQuietly(Thread t) {
        try {
            t.join(2 * READ_SLICE_MS + 100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Puts the terminal back as it was, once. */
    private static final class Restore implements Runnable {
        private final Terminal terminal;
        private final Attributes saved;
        private final AtomicBoolean done = new AtomicBoolean();

        Restore(Terminal terminal, Attributes saved) {
            this.terminal = terminal;
            this.saved = saved;
        }

        @Override
        public void run() {
            if (!done.compareAndSet(false, true)) return;
            terminal.puts(Capability.keypad_local);
            terminal.puts(Capability.cursor_normal);
            terminal.puts(Capability.exit_ca_mode);
            terminal.flush();
            terminal.setAttributes(saved);
        }
    }

    /** System.err's bytes while the screen is up: the first {@link #KEPT_ERR}, and a count of the rest. */
    private static final class Kept extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private long dropped;

        @Override
        public synchronized void write(int b) {
            if (bytes.size() < KEPT_ERR) bytes.write(b);
            else dropped++;
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            int keep = Math.max(0, Math.min(len, KEPT_ERR - bytes.size()));
            bytes.write(b, off, keep);
            dropped += len - keep;
        }

        synchronized void writeTo(PrintStream out) {
            out.write(bytes.toByteArray(), 0, bytes.size());
            if (dropped > 0) out.println("(and " + dropped + " more bytes of log)");
            out.flush();
        }
    }
}
