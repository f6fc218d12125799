package dev.llmlab.api.openai;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Writes JSON string contents as UTF-8 straight into an output stream. The streaming encoders
 * splice per-token text into pre-rendered byte templates, and this is the only dynamic part, so
 * it avoids Jackson's generator set-up cost per chunk and allocates nothing for ASCII text.
 */
final class JsonText {
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(); // upper case, as Jackson writes them

    private JsonText() {}

    private static final int SCRATCH_CHARS = 4096;
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[SCRATCH_CHARS]);

    /** Writes {@code s} escaped per RFC 8259 (without the surrounding quotes). */
    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): a copy without allocation
    static void writeEscaped(OutputStream out, CharSequence s) {
        // Most text needs no escaping and is ASCII: copy it in one write instead of one call per byte.
        if (s instanceof String str && str.length() <= SCRATCH_CHARS && plainAscii(str)) {
            byte[] scratch = SCRATCH.get();
            str.getBytes(0, str.length(), scratch, 0);
            try {
                out.write(scratch, 0, str.length());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return;
        }
        try {
            int len = s.length();
            for (int i = 0; i < len; i++) {
                char c = s.charAt(i);
                if (c < 0x80) {
                    if (c >= 0x20 && c != '"' && c != '\\') {
                        out.write(c);
                    } else {
                        writeEscapedAscii(out, c);
                    }
                } else if (c < 0x800) {
                    out.write(0xc0 | (c >> 6));
                    out.write(0x80 | (c & 0x3f));
                } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, s.charAt(++i));
                    out.write(0xf0 | (cp >> 18));
                    out.write(0x80 | ((cp >> 12) & 0x3f));
                    out.write(0x80 | ((cp >> 6) & 0x3f));
                    out.write(0x80 | (cp & 0x3f));
                } else if (Character.isSurrogate(c)) {
                    // A lone surrogate cannot be UTF-8 encoded; JSON allows it only as an escape.
                    writeUnicodeEscape(out, c);
                } else {
                    out.write(0xe0 | (c >> 12));
                    out.write(0x80 | ((c >> 6) & 0x3f));
                    out.write(0x80 | (c & 0x3f));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean plainAscii(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') return false;
        }
        return true;
    }

    private static void writeEscapedAscii(OutputStream out, char c) throws IOException {
        switch (c) {
            case '"' -> {
                out.write('\\');
                out.write('"');
            }
            case '\\' -> {
                out.write('\\');
                out.write('\\');
            }
            case '\n' -> {
                out.write('\\');
                out.write('n');
            }
            case '\r' -> {
                out.write('\\');
                out.write('r');
            }
            case '\t' -> {
                out.write('\\');
                out.write('t');
            }
            case '\b' -> {
                out.write('\\');
                out.write('b');
            }
            case '\f' -> {
                out.write('\\');
                out.write('f');
            }
            default -> writeUnicodeEscape(out, c);
        }
    }

    private static void writeUnicodeEscape(OutputStream out, char c) throws IOException {
        out.write('\\');
        out.write('u');
        out.write(HEX[(c >> 12) & 0xf]);
        out.write(HEX[(c >> 8) & 0xf]);
        out.write(HEX[(c >> 4) & 0xf]);
        out.write(HEX[c & 0xf]);
    }

    static void writeAscii(OutputStream out, String ascii) {
        try {
            for (int i = 0; i < ascii.length(); i++) out.write(ascii.charAt(i));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(OutputStream out, byte[] bytes) {
        try {
            out.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void writeInt(OutputStream out, int v) {
        writeLong(out, v);
    }

    /** Writes a number's decimal digits without creating a String (indexes and counts, per token). */
    static void writeLong(OutputStream out, long v) {
        try {
            if (v < 0) {
                writeAscii(out, Long.toString(v));
                return;
            }
            if (v < 10) {
                out.write((int) ('0' + v));
                return;
            }
            long div = 1;
            while (v / div >= 10) div *= 10;
            for (; div > 0; div /= 10) out.write((int) ('0' + (v / div) % 10));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
