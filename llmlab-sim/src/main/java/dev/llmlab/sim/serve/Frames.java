package dev.llmlab.sim.serve;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Raw bytes into a frame buffer (an in-memory stream, which does not fail). */
final class Frames {
  private Frames() {}

  static void raw(OutputStream out, String s) {
    try {
      out.write(s.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
