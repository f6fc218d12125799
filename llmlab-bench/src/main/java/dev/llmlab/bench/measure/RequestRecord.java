package dev.llmlab.bench.measure;

/**
 * One request as the client saw it, in {@link System#nanoTime()} readings: when the schedule meant
 * it to go, when it went, its first response byte, each token-bearing event, and its end. The
 * definitions of every metric computed from it are in {@link Metric} and docs/metrics.md.
 *
 * @param intendedNanos       when the schedule meant to send it (equal to {@code sentNanos} in a closed loop)
 * @param slotWaitNanos       time spent waiting for a {@code --max-concurrency} slot (0 without a cap)
 * @param sentNanos           when the client began it: took a kept-alive connection, or began opening one (so a
 *                            connect is part of its latency, as any HTTP client's user sees it)
 * @param firstByteNanos      when the first byte of the response arrived; -1 if none did
 * @param tokenNanos          arrival of each event that carried output tokens (streams); empty otherwise
 * @param endNanos            when the response was complete, or the request failed
 * @param usageOutputTokens   output tokens the server reported in {@code usage}; -1 when it reported none
 * @param countedOutputTokens output tokens counted by the client's tokenizer on the received text; -1 when not
 *                            counted (a failed request, or one whose usage was not among those checked)
 * @param inputTokens         prompt tokens, as built (the server's count when it reported one)
 * @param fate                how it ended
 * @param status              the HTTP status, or 0 when none was received
 * @param error               why it failed, for a person (the server's own error message for a status);
 *                            null for a success
 */
public record RequestRecord(
        long intendedNanos,
        long slotWaitNanos,
        long sentNanos,
        long firstByteNanos,
        long[] tokenNanos,
        long endNanos,
        int usageOutputTokens,
        int countedOutputTokens,
        int inputTokens,
        Fate fate,
        int status,
        String error) {

    /** A record without an error message (a success, or a test's failure). */
    public RequestRecord(
            long intendedNanos,
            long slotWaitNanos,
            long sentNanos,
            long firstByteNanos,
            long[] tokenNanos,
            long endNanos,
            int usageOutputTokens,
            int countedOutputTokens,
            int inputTokens,
            Fate fate,
            int status) {
        this(
                intendedNanos,
                slotWaitNanos,
                sentNanos,
                firstByteNanos,
                tokenNanos,
                endNanos,
                usageOutputTokens,
                countedOutputTokens,
                inputTokens,
                fate,
                status,
                null);
    }

    /** The class a failure is counted under ({@code summary.errors}): {@code http_404}, {@code timeout}, ...; null for a success. */
    public String errorClass() {
        if (fate == Fate.OK) return null;
        return fate == Fate.HTTP_STATUS ? "http_" + status : fate.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Output tokens as the metrics count them: the server's usage when it gave one, else the client's count. */
    public int outputTokens() {
        return usageOutputTokens >= 0 ? usageOutputTokens : countedOutputTokens;
    }

    public boolean ok() {
        return fate == Fate.OK;
    }

    /** Whether it was streamed and at least one token event arrived. */
    public boolean hasTokens() {
        return tokenNanos.length > 0;
    }
}
