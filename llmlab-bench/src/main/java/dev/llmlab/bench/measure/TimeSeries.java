package dev.llmlab.bench.measure;

import dev.llmlab.bench.result.Second;
import dev.llmlab.bench.result.Stats;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Per-second figures of a run ({@link Second}), by the second (since {@code origin}) in which each request ended:
 * requests completed, output tokens, errors, and the TTFT and e2e latency (from the actual send)
 * of the requests that ended in that second. In an open loop it also counts, by the second of
 * their intended send, the requests the schedule offered: the load's shape over time. And it
 * counts each token-bearing stream event by the second it arrived, so that streams longer than a
 * second (or than the run) show their delivery rate as it was, not lumped into the second they ended.
 * Thread-safe.
 */
public final class TimeSeries {
    private final long origin;
    private final boolean openLoop;
    private final List<long[]> counts = new ArrayList<>(); // {requests, tokens, errors, offered, token events}
    private final List<Histogram> ttft = new ArrayList<>();
    private final List<Histogram> e2e = new ArrayList<>();

    public TimeSeries(long originNanos) {
        this(originNanos, false);
    }

    /** @param openLoop whether to count the offered load by intended second */
    public TimeSeries(long originNanos, boolean openLoop) {
        this.origin = originNanos;
        this.openLoop = openLoop;
    }

    private long[] at(int s) {
        while (counts.size() <= s) {
            counts.add(new long[5]);
            ttft.add(null);
            e2e.add(null);
        }
        return counts.get(s);
    }

    public synchronized void record(RequestRecord r) {
        if (openLoop) at(secondOf(r.intendedNanos()))[3]++;
        long[] bucket = null;
        int current = -1;
        for (long t : r.tokenNanos()) { // in time order: one lookup per second the stream spans
            int s = secondOf(t);
            if (s != current) bucket = at(current = s);
            bucket[4]++;
        }
        int s = secondOf(r.endNanos());
        long[] c = at(s);
        if (!r.ok()) {
            c[2]++;
            return;
        }
        c[0]++;
        c[1] += r.outputTokens();
        Histogram e = e2e.get(s);
        if (e == null) e2e.set(s, e = newSecondHistogram());
        e.recordValue(clamp(r.endNanos() - r.sentNanos()));
        if (r.hasTokens()) {
            Histogram h = ttft.get(s);
            if (h == null) ttft.set(s, h = newSecondHistogram());
            h.recordValue(clamp(r.tokenNanos()[0] - r.sentNanos()));
        }
    }

    /** The second since the origin in which {@code nanos} fell (0 for anything before it). */
    private int secondOf(long nanos) {
        return (int) Math.max(0, (nanos - origin) / 1_000_000_000L);
    }

    private static long clamp(long v) {
        return Math.max(1_000, Math.min(v, 3_600_000_000_000L));
    }

    /**
     * A second's figures from its counts and histograms (null: none); {@code offered} -1 outside an
     * open loop, {@code tokenEvents} -1 when unknown.
     */
    public static Second second(
            int s,
            long requests,
            long tokens,
            long errors,
            Histogram ttft,
            Histogram e2e,
            long offered,
            long tokenEvents) {
        return new Second(
                s,
                requests,
                tokens,
                errors,
                p(ttft, 50),
                p(ttft, 99),
                ttft == null ? null : Stats.encode(ttft),
                p(e2e, 50),
                p(e2e, 99),
                e2e == null ? null : Stats.encode(e2e),
                offered >= 0 ? offered : null,
                tokenEvents >= 0 ? tokenEvents : null);
    }

    private static double p(Histogram h, double percentile) {
        return h == null ? Double.NaN : h.getValueAtPercentile(percentile) / 1e6;
    }

    /** An empty histogram of the resolution the series keeps (two significant digits). */
    public static Histogram newSecondHistogram() {
        return new Histogram(1_000, 3_600_000_000_000L, 2);
    }

    public synchronized List<Second> seconds() {
        List<Second> out = new ArrayList<>(counts.size());
        for (int s = 0; s < counts.size(); s++) {
            long[] c = counts.get(s);
            out.add(second(s, c[0], c[1], c[2], ttft.get(s), e2e.get(s), openLoop ? c[3] : -1, c[4]));
        }
        return out;
    }
}
