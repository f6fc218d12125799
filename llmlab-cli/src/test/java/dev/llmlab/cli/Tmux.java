package dev.llmlab.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A tmux server of a test's own (its own socket, {@code -S} a path in the test's directory, and no
 * configuration file), so that a test never touches a user's tmux and leaves no socket behind: start a command in a detached session of a fixed size, type
 * into it, read its screen, wait for the screen to show something.
 */
final class Tmux implements AutoCloseable {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

    private final java.nio.file.Path socket;

    /** @param socket the server's socket: a path of the test's own, short (a socket path has at most 107 bytes) */
    Tmux(java.nio.file.Path socket) {
        this.socket = socket;
    }

    /** Whether tmux is installed. */
    static boolean installed() {
        try {
            Process p =
                    new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Starts {@code command} (a shell command line) in a detached session; the pane stays after it exits. */
    void start(String session, int width, int height, String dir, String command) {
        run(
                "-f",
                "/dev/null",
                "new-session",
                "-d",
                "-s",
                session,
                "-x",
                String.valueOf(width),
                "-y",
                String.valueOf(height),
                "-c",
                dir,
                command,
                ";",
                "set-option",
                "-t",
                session,
                "remain-on-exit",
                "on");
    }

    /** Types {@code keys}: tmux key names ({@code Enter}, {@code Escape}, {@code C-c}) or text with {@code -l}. */
    void keys(String session, String... keys) {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", session));
        args.addAll(List.of(keys));
        run(args.toArray(String[]::new));
    }

    /** Types {@code text} literally, character by character. */
    void type(String session, String text) {
        run("send-keys", "-t", session, "-l", text);
    }

    void resize(String session, int width, int height) {
        run("resize-window", "-t", session, "-x", String.valueOf(width), "-y", String.valueOf(height));
    }

    /** The pane's screen, one string a line (trailing blanks trimmed by tmux). */
    List<String> screen(String session) {
        return lines(run("capture-pane", "-p", "-t", session));
    }

    /**
     * The pane's screen with the lines scrolled off its top (the note tmux writes under a pane
     * whose command ended scrolls the screen by a line).
     */
    List<String> screenAndHistory(String session) {
        return lines(run("capture-pane", "-p", "-S", "-", "-t", session));
    }

    private static List<String> lines(String out) {
        return List.of((out.endsWith("\n") ? out.substring(0, out.length() - 1) : out).split("\n", -1));
    }

    /** A pane variable ({@code #{alternate_on}}, {@code #{cursor_flag}}, {@code #{pane_dead_status}}). */
    String get(String session, String format) {
        return run("display-message", "-p", "-t", session, format).strip();
    }

    /** Polls the screen until {@code condition} holds; fails with the last screen after {@code within}. */
    List<String> await(String session, String what, Duration within, Predicate<List<String>> condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        List<String> screen = screen(session);
        while (!condition.test(screen)) {
            if (System.nanoTime() > deadline)
                throw new AssertionError("the screen did not show " + what + " within " + within.toSeconds()
                        + " s; it shows:\n" + String.join("\n", screen));
            Thread.sleep(50); // a poll interval, not a synchronisation: the condition decides
            screen = screen(session);
        }
        return screen;
    }

    String run(String... args) {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-S", socket.toString()));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("tmux " + String.join(" ", args) + " did not return");
            }
            if (p.exitValue() != 0)
                throw new IllegalStateException("tmux " + String.join(" ", args) + " failed: " + out);
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("tmux could not run: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Ends this test's tmux server and whatever runs in it. */
    @Override
    public void close() {
        try {
            run("kill-server");
        } catch (IllegalStateException e) {
            // no server left: every session had ended
        }
    }
}
