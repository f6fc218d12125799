package dev.llmlab.benchmarks.load;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * The measurements of one client event loop. Every field is written only on that loop, so recording is plain
 * field updates with no atomics; {@link StreamLoad} merges the loops' stats after the loops have terminated
 * (termination is the happens-before edge that makes the plain fields visible).
 *
 * <p>Time values are {@link System#nanoTime()}; histograms hold microseconds.
 */
final class LoopStats {
    static final long MAX_US = 600_000_000L; // 10 minutes: anything beyond is clamped
    static final long BUCKET_NANOS = 100_000_000L;

    final long t0;
    final long windowStart;
    final long windowEnd;

    final Histogram itlAll = new Histogram(MAX_US, 3);
    final Histogram itlWindow = new Histogram(MAX_US, 3);
    final Histogram ttft = new Histogram(MAX_US, 3);
    final Histogram ttftWindow = new Histogram(MAX_US, 3);
    /** Tokens received per 100 ms since {@link #t0}. */
    final long[] tokenBuckets;

    final List<StreamConnection> connections = new ArrayList<>();

    long tokens;
    long tokensInWindow;
    long streamsStarted;
    long streamsCompleted;
    long streamsWithoutDone;
    long connects;
    long httpErrors;
    final TreeMap<Integer, Long> statuses = new TreeMap<>();
    long notEventStream;
    long parseErrors;
    long prematureCloses;
    long ioErrors;
    /** Sum over streams of the time they were producing tokens (first to last token) inside the window. */
    long activeNanosInWindow;
    /** First tokens of streams that arrived inside the window (a stream of n tokens spans n - 1 gaps). */
    long firstTokensInWindow;

    long lastFirstToken;
    int activeAtWindowStart = -1;
    int activeAtWindowEnd = -1;

    LoopStats(long t0, long windowStart, long windowEnd, long endNanos) {
        this.t0 = t0;
        this.windowStart = windowStart;
        this.windowEnd = windowEnd;
        this.tokenBuckets = new long[(int) ((endNanos - t0) / BUCKET_NANOS) + 2];
    }

    void token(long now) {
        tokens++;
        if (now >= windowStart && now < windowEnd) {
            tokensInWindow++;
        }
        long b = (now - t0) / BUCKET_NANOS;
        if (b >= 0 && b < tokenBuckets.length) {
            tokenBuckets[(int) b]++;
        }
    }

    void itl(long now, long gapNanos) {
        long us = clamp(gapNanos);
        itlAll.recordValue(us);
        if (now >= windowStart && now < windowEnd) {
            itlWindow.recordValue(us);
        }
    }

    void ttft(long now, long nanos, boolean firstOnConnection) {
        long us = clamp(nanos);
        ttft.recordValue(us);
        if (now >= windowStart && now < windowEnd) {
            ttftWindow.recordValue(us);
        }
        if (now >= windowStart && now < windowEnd) {
            firstTokensInWindow++;
        }
        if (firstOnConnection && now > lastFirstToken) {
            lastFirstToken = now;
        }
    }

    /** A stream produced tokens from {@code from} to {@code to}; adds the part inside the window. */
    void active(long from, long to) {
        long a = Math.max(from, windowStart);
        long b = Math.min(to, windowEnd);
        if (b > a) {
            activeNanosInWindow += b - a;
        }
    }

    void status(int s) {
        httpErrors++;
        statuses.merge(s, 1L, Long::sum);
    }

    int countActive() {
        int n = 0;
        for (StreamConnection c : connections) {
            if (c.producing()) {
                n++;
            }
        }
        return n;
    }

    private static long clamp(long nanos) {
        long us = Math.max(0, nanos / 1000);
        return Math.min(us, MAX_US);
    }

    /** Adds {@code o} into this (after both loops are done). */
    void add(LoopStats o) {
        itlAll.add(o.itlAll);
        itlWindow.add(o.itlWindow);
        ttft.add(o.ttft);
        ttftWindow.add(o.ttftWindow);
        for (int i = 0; i < tokenBuckets.length && i < o.tokenBuckets.length; i++) {
            tokenBuckets[i] += o.tokenBuckets[i];
        }
        tokens += o.tokens;
        tokensInWindow += o.tokensInWindow;
        streamsStarted += o.streamsStarted;
        streamsCompleted += o.streamsCompleted;
        streamsWithoutDone += o.streamsWithoutDone;
        connects += o.connects;
        httpErrors += o.httpErrors;
        o.statuses.forEach((k, v) -> statuses.merge(k, v, Long::sum));
        notEventStream += o.notEventStream;
        parseErrors += o.parseErrors;
        prematureCloses += o.prematureCloses;
        ioErrors += o.ioErrors;
        activeNanosInWindow += o.activeNanosInWindow;
        firstTokensInWindow += o.firstTokensInWindow;
        lastFirstToken = Math.max(lastFirstToken, o.lastFirstToken);
        activeAtWindowStart = sum(activeAtWindowStart, o.activeAtWindowStart);
        activeAtWindowEnd = sum(activeAtWindowEnd, o.activeAtWindowEnd);
    }

    private static int sum(int a, int b) {
        if (a < 0) {
            return b;
        }
        if (b < 0) {
            return a;
        }
        return a + b;
    }
}
