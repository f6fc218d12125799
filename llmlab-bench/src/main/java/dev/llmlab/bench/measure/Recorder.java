package dev.llmlab.bench.measure;

import dev.llmlab.bench.result.ErrorSample;
import dev.llmlab.bench.result.Stats;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Collects finished requests into one HdrHistogram per metric and origin, error counts by class,
 * token totals and goodput. Recording takes a lock per request (not per token), which costs far
 * less than the request itself; reading is for the end of the run. Thread-safe.
 */
public final class Recorder {
    /** From 1 us to an hour, three significant digits: any LLM latency, in nanoseconds. */
    static Histogram newHistogram() {
        return new Histogram(1_000, 3_600_000_000_000L, 3);
    }

    private final boolean openLoop;
    private final List<Slo> slos;
    private final Map<Metric, Histogram> sent = new EnumMap<>(Metric.class);
    private final Map<Metric, Histogram> intended = new EnumMap<>(Metric.class);
    private final Map<String, Long> errors = new LinkedHashMap<>();
    /** The first {@link ErrorSample#KEPT} distinct (class, message) pairs, with their counts. */
    private final Map<List<String>, long[]> samples = new LinkedHashMap<>();

    private long completed;
    private long failed;
    private long good;
    private final long[] goodEach;
    private long outputTokens;
    private long inputTokens;
    private long usageChecked;
    private long usageMismatches;

    /** @param openLoop whether latencies are also reported from the intended send */
    public Recorder(boolean openLoop, List<Slo> slos) {
        this(openLoop, slos, openLoop);
    }

    /**
     * @param openLoop whether latencies are also reported from the intended send
     * @param queued   whether requests can wait for a slot ({@code --max-concurrency} on an open loop): without,
     *                 {@code queue_wait} is 0 by definition and is left out rather than shown as a row of zeros
     */
    public Recorder(boolean openLoop, List<Slo> slos, boolean queued) {
        this.openLoop = openLoop;
        this.slos = List.copyOf(slos);
        this.goodEach = new long[slos.size()];
        for (Metric m : Metric.values()) {
            if (m == Metric.QUEUE_WAIT && !queued) continue;
            sent.put(m, newHistogram());
            if (openLoop && m.dependsOnOrigin()) intended.put(m, newHistogram());
        }
    }

    public synchronized void record(RequestRecord r) {
        if (!r.ok()) {
            failed++;
            String kind = r.errorClass();
            errors.merge(kind, 1L, Long::sum);
            List<String> key = List.of(kind, r.error() == null ? "" : r.error());
            long[] n = samples.get(key);
            if (n != null) n[0]++;
            else if (samples.size() < ErrorSample.KEPT) samples.put(key, new long[] {1});
            return;
        }
        completed++;
        outputTokens += r.outputTokens();
        inputTokens += r.inputTokens();
        if (r.usageOutputTokens() >= 0 && r.countedOutputTokens() >= 0) {
            usageChecked++;
            if (r.usageOutputTokens() != r.countedOutputTokens()) usageMismatches++;
        }
        for (Metric m : Metric.values()) {
            Histogram h = sent.get(m);
            if (h == null) continue; // queue_wait where nothing queues
            m.values(r, Origin.SENT, v -> h.recordValue(clamp(v)));
            Histogram hi = intended.get(m);
            if (hi != null) m.values(r, Origin.INTENDED, v -> hi.recordValue(clamp(v)));
        }
        Origin sloOrigin = openLoop ? Origin.INTENDED : Origin.SENT;
        boolean meets = true;
        for (int i = 0; i < slos.size(); i++) {
            boolean met = slos.get(i).met(r, sloOrigin);
            if (met) goodEach[i]++;
            meets &= met;
        }
        if (meets) good++;
    }

    private static long clamp(long v) {
        return Math.max(1_000, Math.min(v, 3_600_000_000_000L));
    }

    /** Output tokens of the successful requests recorded so far. */
    public synchronized long outputTokens() {
        return outputTokens;
    }

    /** Requests completed and failed so far, and the median TTFT (ms, NaN before any), for a progress line. */
    public synchronized double[] progress() {
        Histogram t = sent.get(Metric.TTFT);
        return new double[] {completed, failed, t.getTotalCount() == 0 ? Double.NaN : t.getValueAtPercentile(50) / 1e6};
    }

    /** The run's figures over {@code seconds} of measured time. */
    public synchronized Summary summary(double seconds) {
        Map<String, Stats> metrics = new LinkedHashMap<>();
        for (Metric m : Metric.values()) {
            if (!sent.containsKey(m)) continue;
            metrics.put(m.key(), Stats.of(sent.get(m)));
            Histogram hi = intended.get(m);
            if (hi != null) metrics.put(m.key() + "_intended", Stats.of(hi));
        }
        double[] each = new double[slos.size()];
        for (int i = 0; i < each.length; i++) each[i] = goodEach[i] / seconds;
        return new Summary(
                completed,
                failed,
                seconds,
                completed / seconds,
                outputTokens / seconds,
                (outputTokens + inputTokens) / seconds,
                slos.isEmpty() ? Double.NaN : good / seconds,
                each,
                usageChecked,
                usageMismatches,
                Collections.unmodifiableMap(new LinkedHashMap<>(errors)),
                errorSamples(),
                metrics);
    }

    private List<ErrorSample> errorSamples() {
        List<ErrorSample> out = new java.util.ArrayList<>();
        samples.forEach((k, n) -> out.add(new ErrorSample(k.get(0), k.get(1).isEmpty() ? null : k.get(1), n[0])));
        return out;
    }

    /**
     * @param goodput             requests per second that met every SLO; NaN without SLOs
     * @param goodputEach         requests per second that met each SLO on its own, in the recorder's order
     * @param usageChecked        successful requests whose server-reported output tokens the client also counted
     * @param usageMismatches     of those, the ones whose two counts differ
     * @param errors              failed requests by class: {@code http_STATUS}, {@code timeout}, {@code connection}, {@code malformed}
     * @param errorSamples        the first few distinct failures, with their messages and counts
     * @param metrics             per metric; in an open loop, {@code NAME_intended} is the same metric from the intended send
     */
    public record Summary(
            long requestsCompleted,
            long requestsFailed,
            double durationSeconds,
            double requestThroughput,
            double outputTokenThroughput,
            double totalTokenThroughput,
            double goodput,
            double[] goodputEach,
            long usageChecked,
            long usageMismatches,
            Map<String, Long> errors,
            List<ErrorSample> errorSamples,
            Map<String, Stats> metrics) {}
}
