package dev.llmlab.top.tui;

import dev.llmlab.top.Snapshot;
import dev.llmlab.top.SnapshotJson;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Writes a view as JSON (the format of {@code --once --json}) to {@code llmlab-top-YYYYMMDD-HHMMSS.json};
 * a second export within the same second gets {@code -2}, {@code -3}, never overwriting the first.
 */
final class Export {
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private Export() {}

    /** @return the file written */
    static Path write(Snapshot view, Path dir, LocalDateTime now) throws IOException {
        String base = "llmlab-top-" + NAME.format(now);
        for (int n = 1; ; n++) {
            Path file = dir.resolve(base + (n == 1 ? "" : "-" + n) + ".json");
            try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW)) {
                SnapshotJson.write(view, out, true);
                out.write('\n');
                return file;
            } catch (FileAlreadyExistsException e) {
                if (n >= 100) throw e;
            }
        }
    }
}
