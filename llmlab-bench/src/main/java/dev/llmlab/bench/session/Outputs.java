package dev.llmlab.bench.session;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files a run is asked to write, checked before it runs: a result that cannot be written is
 * found out before the minutes that measured it, not after. {@code -} is standard output.
 */
public final class Outputs {
    private Outputs() {}

    /** Whether {@code p} names standard output. */
    public static boolean stdout(Path p) {
        return p != null && p.toString().equals("-");
    }

    /**
     * @param flag how the message names the path ({@code --json})
     * @throws BenchException (usage) naming the flag, the path and why it cannot be written
     */
    public static void checkWritable(Path p, String flag) {
        if (p == null || stdout(p)) return;
        String why = why(p);
        if (why != null) throw BenchException.usage(flag + " " + p + ": " + why);
    }

    private static String why(Path p) {
        if (Files.isDirectory(p)) return "is a directory";
        Path parent = p.toAbsolutePath().normalize().getParent();
        if (parent == null || !Files.isDirectory(parent)) return "no such directory " + parent;
        if (Files.exists(p)) return Files.isWritable(p) ? null : "is not writable";
        return Files.isWritable(parent) ? null : "cannot create a file in " + parent;
    }
}
