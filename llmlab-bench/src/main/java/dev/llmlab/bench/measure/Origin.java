package dev.llmlab.bench.measure;

/**
 * Where a latency starts. In a closed loop the two are the same; in an open loop a request sent
 * late (the client was busy, or waited for a concurrency slot) has a later actual send than
 * intended, and only latencies from the intended send include that wait, which is the server's
 * queueing as a user would have felt it. Reporting only the actual-send figure is the
 * "coordinated omission" of Gil Tene's talk "How NOT to Measure Latency" (2015).
 */
public enum Origin {
    /** From when the request was actually sent. */
    SENT("sent"),
    /** From when the schedule meant to send it: corrected for coordinated omission. */
    INTENDED("intended");

    private final String label;

    Origin(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    long of(RequestRecord r) {
        return this == SENT ? r.sentNanos() : r.intendedNanos();
    }
}
