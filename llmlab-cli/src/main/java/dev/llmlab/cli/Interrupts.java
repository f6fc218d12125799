package dev.llmlab.cli;

import java.io.PrintWriter;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C during a benchmark: the first SIGINT asks the run to stop and keep what it measured (the
 * command then writes its partial result everywhere it was asked to, and exits 130); a second one
 * exits at once. Without this, the JVM's default handler would exit at the first, and a run of many
 * minutes would leave nothing behind.
 *
 * <p>Installed for the length of a command and restored after it, so that a command run in-process
 * (a test) leaves the JVM's handling as it found it. Where the JVM does not let a handler be set
 * (SIGINT ignored by the shell that started it, as for a background job), the run goes on without.
 */
final class Interrupts implements AutoCloseable {
    private static final Signal INT = new Signal("INT");

    private final SignalHandler previous;
    private volatile boolean received;

    private Interrupts(Runnable first, PrintWriter err) {
        SignalHandler before;
        try {
            before = Signal.handle(INT, sig -> {
                if (received) Runtime.getRuntime().halt(Main.EXIT_INTERRUPTED);
                received = true;
                err.println(
                        "llmlab: interrupted: stopping, and writing what was measured (Ctrl-C again to quit at once)");
                err.flush();
                first.run();
            });
        } catch (IllegalArgumentException e) {
            before = null;
        }
        this.previous = before;
    }

    /** Calls {@code first} on the first SIGINT, until closed. */
    static Interrupts on(Runnable first, PrintWriter err) {
        return new Interrupts(first, err);
    }

    /** Whether a SIGINT came. */
    boolean received() {
        return received;
    }

    @Override
    public void close() {
        if (previous != null) Signal.handle(INT, previous);
    }
}
