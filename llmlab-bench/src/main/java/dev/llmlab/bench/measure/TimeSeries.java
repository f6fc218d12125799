package dev.llmlab.bench.measure;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Per-second figures of a run, by the second (since {@code origin}) in which each request ended:
 * requests completed, output tokens, errors, and the TTFT (from the actual send) of the requests
 * that ended in that second. Thread-safe.
 */
public final class TimeSeries {
  /**
   * One second's figures; TTFT percentiles in ms, NaN when no streamed request ended in it, and
   * that second's TTFT histogram encoded (null when none), so that shards merge exactly.
   */
  public record Second(int second, long requests, long outputTokens, long errors, double ttftP50, double ttftP99,
                       String ttftHistogram) {}

  private final long origin;
  private final List<long[]> counts = new ArrayList<>(); // {requests, tokens, errors}
  private final List<Histogram> ttft = new ArrayList<>();

  public TimeSeries(long originNanos) {
    this.origin = originNanos;
  }

  public synchronized void record(RequestRecord r) {
    int s = (int) Math.max(0, (r.endNanos() - origin) / 1_000_000_000L);
    while (counts.size() <= s) {
      counts.add(new long[3]);
      ttft.add(null);
    }
    long[] c = counts.get(s);
    if (!r.ok()) {
      c[2]++;
      return;
    }
    c[0]++;
    c[1] += r.outputTokens();
    if (r.hasTokens()) {
      Histogram h = ttft.get(s);
      if (h == null) ttft.set(s, h = newTtftHistogram());
      h.recordValue(Math.max(1_000, Math.min(r.tokenNanos()[0] - r.sentNanos(), 3_600_000_000_000L)));
    }
  }

  /** A second's figures from its counts and TTFT histogram (null: none). */
  public static Second second(int s, long requests, long tokens, long errors, Histogram ttft) {
    return new Second(s, requests, tokens, errors, ttft == null ? Double.NaN : ttft.getValueAtPercentile(50) / 1e6,
        ttft == null ? Double.NaN : ttft.getValueAtPercentile(99) / 1e6, ttft == null ? null : Stats.encode(ttft));
  }

  /** An empty histogram of the resolution the series keeps. */
  public static Histogram newTtftHistogram() {
    return new Histogram(1_000, 3_600_000_000_000L, 2);
  }

  public synchronized List<Second> seconds() {
    List<Second> out = new ArrayList<>(counts.size());
    for (int s = 0; s < counts.size(); s++) {
      long[] c = counts.get(s);
      Histogram h = ttft.get(s);
      out.add(second(s, c[0], c[1], c[2], h));
    }
    return out;
  }
}
