package dev.llmlab.bench.session;

/**
 * An error already explained in its message (naming the setting, file or field at fault), and what
 * kind it is, so that a command can map it to its exit code. No stack trace is meant for the user.
 */
public final class BenchException extends RuntimeException {
    /** Whose fault it is. */
    public enum Kind {
        /** A setting is wrong or settings contradict one another. */
        USAGE,
        /** A configuration (the embedded simulator's) is wrong. */
        CONFIG,
        /** Something failed at run time: a file could not be written, a run could not proceed. */
        RUNTIME,
        /** The target failed the check request sent before the run: nothing was measured. */
        TARGET
    }

    private final Kind kind;

    public BenchException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    static BenchException usage(String message) {
        return new BenchException(Kind.USAGE, message);
    }
}
