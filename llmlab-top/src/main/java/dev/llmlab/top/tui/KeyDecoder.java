package dev.llmlab.top.tui;

import java.io.IOException;

/**
 * Turns the characters a terminal sends in raw mode into {@link Key}s.
 *
 * <p>Most keys are one character. The arrows, Home, End and the page keys are escape sequences:
 * ESC, then {@code [} (CSI) or {@code O} (SS3, the same keys in the terminal's application mode),
 * parameters, and a final character between {@code @} and {@code ~}. Esc pressed alone is the same
 * ESC with nothing after it, so after an ESC the decoder waits a moment ({@link #ESCAPE_WAIT_MS},
 * as readline and vim do) for a {@code [} or {@code O}: a sequence arrives in one write and comes
 * well within it, a person's next key does not.
 */
final class KeyDecoder {
    /** How long an ESC waits for the rest of a sequence before it is the Esc key. */
    static final long ESCAPE_WAIT_MS = 50;
    /** Longer than any sequence this decoder knows; a runaway one is dropped as {@link Key#OTHER}. */
    private static final int LONGEST_SEQUENCE = 16;

    /** Where characters come from: the terminal's reader. */
    interface Source {
        /**
         * The next character; {@link #TIMEOUT} when none came within {@code timeoutMs} ({@code 0}:
         * wait as long as it takes), {@link #EOF} at the end of the input.
         */
        int read(long timeoutMs) throws IOException;

        int EOF = -1;
        int TIMEOUT = -2;
    }

    private final Source in;
    private int pending = Source.TIMEOUT;

    KeyDecoder(Source in) {
        this.in = in;
    }

    /** The next key, waiting for it; null at the end of the input. */
    Key next() throws IOException {
        int c = take(0);
        while (c == Source.TIMEOUT) c = take(0);
        if (c == Source.EOF) return null;
        return switch (c) {
            case '\r', '\n' -> Key.ENTER;
            case 127, '\b' -> Key.BACKSPACE;
            case 3 -> Key.INTERRUPT;
            case 27 -> escape();
            default -> c < ' ' ? Key.OTHER : Key.of((char) c);
        };
    }

    private Key escape() throws IOException {
        int c = take(ESCAPE_WAIT_MS);
        if (c != '[' && c != 'O') {
            pending = c; // Esc, then whatever was typed next (or the end of the input)
            return Key.ESCAPE;
        }
        StringBuilder params = new StringBuilder();
        for (int i = 0; i < LONGEST_SEQUENCE; i++) {
            int d = take(ESCAPE_WAIT_MS);
            if (d < 0) return Key.ESCAPE; // a cut-off sequence: read as Esc, the safe key
            if (d >= '@' && d <= '~') return sequence(params.toString(), (char) d);
            params.append((char) d);
        }
        return Key.OTHER;
    }

    /** A CSI or SS3 sequence by its final character and parameters. */
    private static Key sequence(String params, char fin) {
        return switch (fin) {
            case 'A' -> Key.UP;
            case 'B' -> Key.DOWN;
            case 'C' -> Key.RIGHT;
            case 'D' -> Key.LEFT;
            case 'H' -> Key.HOME;
            case 'F' -> Key.END;
            case '~' ->
                switch (params) {
                    case "1", "7" -> Key.HOME;
                    case "4", "8" -> Key.END;
                    case "5" -> Key.PAGE_UP;
                    case "6" -> Key.PAGE_DOWN;
                    case "3" -> Key.BACKSPACE; // Delete, in the filter's line
                    default -> Key.OTHER;
                };
            default -> Key.OTHER;
        };
    }

    private int take(long timeoutMs) throws IOException {
        if (pending != Source.TIMEOUT) {
            int c = pending;
            pending = Source.TIMEOUT;
            return c;
        }
        return in.read(timeoutMs);
    }
}
