package dev.llmlab.bench.sse;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An incremental parser of a {@code text/event-stream} body, as the HTML standard defines it:
 * lines end in LF, CRLF or CR; a {@code data:} line adds to the event's data (joined by LF); an
 * {@code event:} line names it; lines starting with {@code :} are comments; a blank line
 * dispatches the event. Bytes may arrive in chunks of any size, split anywhere, including between
 * a CR and its LF. An event with no data is not dispatched, as the standard says.
 *
 * <p>Not thread-safe: one per response.
 */
public final class SseParser {
  /** Told of each complete event. */
  public interface Listener {
    /** @param event the {@code event:} name, or null for the default ("message") */
    void onEvent(String event, String data);
  }

  private final Listener listener;
  private byte[] line = new byte[256];
  private int lineLength;
  private boolean lastWasCr;
  private final StringBuilder data = new StringBuilder();
  private boolean hasData;
  private String event;
  private long events;

  public SseParser(Listener listener) {
    this.listener = listener;
  }

  /** Feeds {@code length} bytes of the body from {@code bytes[offset]}. */
  public void feed(byte[] bytes, int offset, int length) {
    for (int i = offset, end = offset + length; i < end; i++) {
      byte b = bytes[i];
      if (b == '\n') {
        if (lastWasCr) {
          lastWasCr = false; // the LF of a CRLF: the line already ended at the CR
          continue;
        }
        endLine();
      } else if (b == '\r') {
        lastWasCr = true;
        endLine();
      } else {
        lastWasCr = false;
        if (lineLength == line.length) line = Arrays.copyOf(line, line.length * 2);
        line[lineLength++] = b;
      }
    }
  }

  /** Events dispatched so far. */
  public long events() {
    return events;
  }

  /** Whether the stream stopped in the middle of an event (data or a line not yet ended by a blank line). */
  public boolean midEvent() {
    return hasData || lineLength > 0 || event != null;
  }

  private void endLine() {
    if (lineLength == 0) {
      dispatch();
      return;
    }
    if (line[0] != ':') {
      int colon = -1;
      for (int i = 0; i < lineLength; i++) {
        if (line[i] == ':') {
          colon = i;
          break;
        }
      }
      String field = new String(line, 0, colon < 0 ? lineLength : colon, StandardCharsets.UTF_8);
      String value = "";
      if (colon >= 0) {
        int start = colon + 1;
        if (start < lineLength && line[start] == ' ') start++;
        value = new String(line, start, lineLength - start, StandardCharsets.UTF_8);
      }
      switch (field) {
        case "data" -> {
          if (hasData) data.append('\n');
          data.append(value);
          hasData = true;
        }
        case "event" -> event = value;
        default -> { } // id, retry and unknown fields do not matter to a benchmark
      }
    }
    lineLength = 0;
  }

  private void dispatch() {
    if (hasData) {
      events++;
      listener.onEvent(event, data.toString());
    }
    data.setLength(0);
    hasData = false;
    event = null;
  }
}
