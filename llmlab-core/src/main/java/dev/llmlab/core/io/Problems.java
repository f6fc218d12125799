package dev.llmlab.core.io;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * What went wrong reading a user's file, in the user's words: "no such file", "not valid JSON at
 * line 3, column 7: ...", "more than one JSON value". The exceptions' own messages name Java
 * classes and Jackson features ({@code FAIL_ON_TRAILING_TOKENS}), which a user cannot act on.
 */
public final class Problems {
    private Problems() {}

    /** Whether {@code e} is a second value after a whole first one. */
    public static boolean trailing(JacksonException e) {
        return e instanceof MismatchedInputException
                && e.getOriginalMessage() != null
                && e.getOriginalMessage().startsWith("Trailing token");
    }

    /** Why {@code file} could not be read. */
    public static String unreadable(Path file, IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file (resolved to " + file.toAbsolutePath().normalize() + ")";
        }
        if (e instanceof AccessDeniedException) return "permission denied";
        if (e instanceof CharacterCodingException) return "not valid UTF-8 text";
        if (Files.isDirectory(file)) return "is a directory, not a file";
        String m = e.getMessage();
        return "cannot be read" + (m != null && !m.equals(file.toString()) ? ": " + m : "");
    }

    /**
     * Why JSON text did not parse: where, and what Jackson found, without its class names; a
     * second value after the first (a JSON Lines file read as one document) is said as such.
     */
    public static String notJson(JacksonException e) {
        TokenStreamLocation at = e.getLocation();
        String where =
                at != null && at.getLineNr() > 0 ? " at line " + at.getLineNr() + ", column " + at.getColumnNr() : "";
        String reason = e.getOriginalMessage();
        if (trailing(e)) {
            return "more than one JSON value (a second one starts" + where
                    + "): a JSON Lines file holds one value per line, a JSON file one value in all";
        }
        if (reason == null) reason = "";
        int cut = reason.indexOf('\n');
        if (cut > 0) reason = reason.substring(0, cut);
        reason = reason.replaceAll("`(?:[a-z][a-z0-9]*\\.)+([A-Z][A-Za-z0-9$]*)`", "$1");
        if (reason.length() > 160) reason = reason.substring(0, 160) + "...";
        return "not JSON" + where + (reason.isEmpty() ? "" : ": " + reason);
    }
}
