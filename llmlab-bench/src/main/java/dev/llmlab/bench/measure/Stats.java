package dev.llmlab.bench.measure;

import java.nio.ByteBuffer;
import java.util.Base64;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * One metric's distribution, in milliseconds, with the histogram itself encoded (HdrHistogram's
 * compressed form, base64), so that results of separate runs or shards can be merged exactly.
 *
 * @param spikeRate share of samples above {@code mean + 3 * stddev}; by Cantelli's inequality it
 *                  can never exceed 1 / (1 + 3^2) = 10%, whatever the distribution
 */
public record Stats(
        long count,
        double mean,
        double stddev,
        double min,
        double max,
        double p50,
        double p90,
        double p95,
        double p99,
        double p999,
        double spikeRate,
        String histogram) {

    static final double MS = 1e6;

    static Stats of(Histogram h) {
        if (h.getTotalCount() == 0) return new Stats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, encode(h));
        double mean = h.getMean();
        double sd = h.getStdDeviation();
        double threshold = mean + 3 * sd;
        long above = 0;
        for (HistogramIterationValue v : h.recordedValues()) {
            if (h.highestEquivalentValue(v.getValueIteratedTo()) > threshold
                    && h.lowestEquivalentValue(v.getValueIteratedTo()) > threshold) {
                above += v.getCountAtValueIteratedTo();
            }
        }
        return new Stats(
                h.getTotalCount(),
                mean / MS,
                sd / MS,
                h.getMinValue() / MS,
                h.getMaxValue() / MS,
                h.getValueAtPercentile(50) / MS,
                h.getValueAtPercentile(90) / MS,
                h.getValueAtPercentile(95) / MS,
                h.getValueAtPercentile(99) / MS,
                h.getValueAtPercentile(99.9) / MS,
                (double) above / h.getTotalCount(),
                encode(h));
    }

    static String encode(Histogram h) {
        ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int n = h.encodeIntoCompressedByteBuffer(buf);
        return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buf.array(), n));
    }

    /** The statistics of several encoded histograms added together: exact, as if one run had recorded them all. */
    public static Stats merged(java.util.List<String> encoded) {
        Histogram sum = Recorder.newHistogram();
        for (String e : encoded) sum.add(decode(e));
        return of(sum);
    }

    /** The histogram of {@code encoded}, as {@link #histogram()} holds it (values in nanoseconds). */
    public static Histogram decode(String encoded) {
        try {
            return Histogram.decodeFromCompressedByteBuffer(
                    ByteBuffer.wrap(Base64.getDecoder().decode(encoded)), 0);
        } catch (java.util.zip.DataFormatException e) {
            throw new IllegalArgumentException("not an encoded histogram: " + e.getMessage());
        }
    }
}
