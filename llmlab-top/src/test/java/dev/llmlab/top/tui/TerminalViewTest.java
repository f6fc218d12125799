package dev.llmlab.top.tui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmlab.top.Snapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shell around the controller on a virtual JLine terminal (an xterm of 200x30 fed through a
 * pipe): keys and signals reach it, and the terminal is put back however the loop ends. The real
 * terminal is the tmux test's (llmlab-cli's TopTerminalTest).
 */
class TerminalViewTest {
    private static final String ALTERNATE_ON = "\u001b[?1049h";
    private static final String ALTERNATE_OFF = "\u001b[?1049l";
    private static final String CURSOR_SHOWN = "\u001b[?25h";
    /** JLine logs a warning with a stack trace when a closed pty ends its output pump: not news here. */
    private static final java.util.logging.Logger JLINE = java.util.logging.Logger.getLogger("org.jline");

    static {
        JLINE.setLevel(java.util.logging.Level.SEVERE);
    }

    @TempDir
    Path dir;

    private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
    private final PipedOutputStream keyboard = new PipedOutputStream();

    private Terminal terminal() throws IOException {
        return TerminalBuilder.builder()
                .system(false)
                .streams(new PipedInputStream(keyboard), screen)
                .type("xterm")
                .size(new Size(200, 30))
                .encoding(StandardCharsets.UTF_8)
                .build();
    }

    private String written() {
        synchronized (screen) {
            return screen.toString(StandardCharsets.UTF_8);
        }
    }

    /** The last switch of screens written. */
    private String lastAlternate() {
        String out = written();
        int i = out.lastIndexOf("\u001b[?1049");
        return i < 0 ? "" : out.substring(i, i + ALTERNATE_OFF.length());
    }

    private CompletableFuture<Void> run(Terminal t, Supplier<Snapshot> snapshots) {
        Settings s = new Settings(
                Duration.ofSeconds(10), Duration.ofMillis(50), java.time.ZoneOffset.UTC, Thresholds.DEFAULT);
        return CompletableFuture.runAsync(() -> {
            try {
                TerminalView.run(t, snapshots, s, dir);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private void awaitWritten(String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!written().contains(what)) {
            if (System.nanoTime() > deadline) throw new AssertionError("never written: " + what + "\n" + written());
            Thread.sleep(10);
        }
    }

    @Test
    void q_endsTheLoop_andPutsTheTerminalBack() throws Exception {
        try (Terminal t = terminal()) {
            Attributes before = t.getAttributes();
            CompletableFuture<Void> loop = run(t, Fixtures::fleet);
            awaitWritten("mistral");
            assertThat(written()).contains(ALTERNATE_ON, "llmlab top", "llama", "qwen");
            keyboard.write('q');
            keyboard.flush();
            loop.get(10, TimeUnit.SECONDS);
            String out = written();
            assertThat(out.substring(out.lastIndexOf("mistral"))).contains(CURSOR_SHOWN, ALTERNATE_OFF);
            assertThat(t.getAttributes().toString()).isEqualTo(before.toString());
        }
    }

    @Test
    void ctrlC_endsTheLoop() throws Exception {
        try (Terminal t = terminal()) {
            CompletableFuture<Void> loop = run(t, Fixtures::fleet);
            awaitWritten("mistral");
            t.raise(Terminal.Signal.INT);
            loop.get(10, TimeUnit.SECONDS);
            assertThat(lastAlternate()).isEqualTo(ALTERNATE_OFF);
        }
    }

    @Test
    void aResize_redrawsForTheNewSize() throws Exception {
        try (Terminal t = terminal()) {
            CompletableFuture<Void> loop = run(t, Fixtures::fleet);
            awaitWritten("E2E99");
            int before = written().length();
            t.setSize(new Size(50, 10));
            t.raise(Terminal.Signal.WINCH);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (written().length() == before && System.nanoTime() < deadline) Thread.sleep(10);
            keyboard.write('q');
            keyboard.flush();
            loop.get(10, TimeUnit.SECONDS);
            String after = written().substring(before);
            assertThat(after)
                    .as("cleared and drawn again, narrower")
                    .contains("\u001b[H\u001b[2J", "MODEL")
                    .doesNotContain("E2E99");
        }
    }

    @Test
    void anException_putsTheTerminalBack_andIsThrown() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (Terminal t = terminal()) {
            Attributes before = t.getAttributes();
            CompletableFuture<Void> loop = run(t, () -> {
                if (calls.incrementAndGet() > 3) throw new IllegalStateException("a bug");
                return Fixtures.fleet();
            });
            assertThatThrownBy(() -> loop.get(10, TimeUnit.SECONDS)).hasRootCauseMessage("a bug");
            assertThat(written()).contains(ALTERNATE_ON);
            assertThat(lastAlternate()).isEqualTo(ALTERNATE_OFF);
            assertThat(t.getAttributes().toString()).isEqualTo(before.toString());
        }
    }
}
