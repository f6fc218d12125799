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
  private static final byte[] HEX = "0123456789abcdef".getBytes();

  private JsonText() {}

  /** Writes {@code s} escaped per RFC 8259 (without the surrounding quotes). */
  static void writeEscaped(OutputStream out, CharSequence s) {
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

  private static void writeEscapedAscii(OutputStream out, char c) throws IOException {
    switch (c) {
      case '"' -> { out.write('\\'); out.write('"'); }
      case '\\' -> { out.write('\\'); out.write('\\'); }
      case '\n' -> { out.write('\\'); out.write('n'); }
      case '\r' -> { out.write('\\'); out.write('r'); }
      case '\t' -> { out.write('\\'); out.write('t'); }
      case '\b' -> { out.write('\\'); out.write('b'); }
      case '\f' -> { out.write('\\'); out.write('f'); }
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

  /** Writes a non-negative int's decimal digits without creating a String (chunk indexes, per token). */
  static void writeInt(OutputStream out, int v) {
    try {
      if (v < 0) {
        writeAscii(out, Integer.toString(v));
        return;
      }
      if (v < 10) {
        out.write('0' + v);
        return;
      }
      int div = 1;
      while (v / div >= 10) div *= 10;
      for (; div > 0; div /= 10) out.write('0' + (v / div) % 10);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
