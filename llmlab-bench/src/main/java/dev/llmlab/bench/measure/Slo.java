package dev.llmlab.bench.measure;

import dev.llmlab.core.time.Durations;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A per-request service-level objective: one metric at most a bound, such as {@code ttft<=500ms}.
 * A request meets a set of SLOs when it succeeded and meets every one; goodput counts those per
 * second. Latencies are taken from the intended send in an open loop, as the user felt them.
 * Only metrics with one value per request qualify ({@link Metric#ITL} pools gaps, so per request
 * use {@code itl_per_request}).
 */
public record Slo(Metric metric, long maxNanos) {

  public Slo {
    if (metric == Metric.ITL) {
      throw new IllegalArgumentException("itl pools every gap; an SLO per request uses itl_per_request");
    }
    if (maxNanos < 0) throw new IllegalArgumentException("an SLO bound must not be negative");
  }

  /**
   * Parses {@code "ttft<=500ms,tpot<=50ms"} ({@code =} also accepted for {@code <=}).
   *
   * @throws IllegalArgumentException naming the part that is wrong
   */
  public static List<Slo> parseAll(String spec) {
    List<Slo> out = new ArrayList<>();
    if (spec == null || spec.isBlank()) return out;
    for (String part : spec.split(",")) {
      String p = part.strip();
      int at = p.indexOf("<=");
      int len = 2;
      if (at < 0) {
        at = p.indexOf('=');
        len = 1;
      }
      if (at <= 0) throw new IllegalArgumentException("SLO '" + p + "' is not METRIC<=DURATION, e.g. ttft<=500ms");
      String name = p.substring(0, at).strip().toLowerCase(Locale.ROOT);
      Metric m = null;
      for (Metric candidate : Metric.values()) if (candidate.key().equals(name)) m = candidate;
      if (m == null) {
        throw new IllegalArgumentException("SLO '" + p + "': unknown metric '" + name
            + "' (ttft, ttst, tpot, itl_per_request, ntpot, e2e, queue_wait)");
      }
      try {
        out.add(new Slo(m, Durations.parse(p.substring(at + len)).toNanos()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("SLO '" + p + "': " + e.getMessage());
      }
    }
    return out;
  }

  /** Whether {@code r} meets this SLO, its latency measured from {@code origin}. */
  public boolean met(RequestRecord r, Origin origin) {
    long[] value = {-1};
    metric.values(r, origin, v -> value[0] = v);
    return value[0] >= 0 && value[0] <= maxNanos;
  }
}
