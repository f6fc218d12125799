package dev.llmlab.bench.result;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * One metric's distribution, in milliseconds, with the histogram itself encoded (HdrHistogram's
 * compressed form, base64, values in nanoseconds), so that results of separate runs or shards can
 * be merged exactly.
 *
 * @param spikeRate share of samples above {@code mean + 3 * stddev}; by Cantelli's inequality it
 *                  can never exceed 1 / (1 + 3^2) = 10%, whatever the distribution
 * @param histogram the encoded histogram; null in a result that left it out
 */
@JsonPropertyOrder({"unit"})
@JsonIgnoreProperties(value = "unit", allowGetters = true)
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

    public Stats {
        if (count < 0) throw new IllegalArgumentException("count must not be negative, got " + count);
    }

    /** Every latency is in milliseconds. */
    @JsonProperty("unit")
    public String unit() {
        return "ms";
    }

    /** The statistics of {@code h} (values in nanoseconds). */
    public static Stats of(Histogram h) {
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

    /** The percentile written under its own name (50, 90, 95, 99, 99.9); NaN for any other. */
    public double percentile(double p) {
        if (p == 50) return p50;
        if (p == 90) return p90;
        if (p == 95) return p95;
        if (p == 99) return p99;
        if (p == 99.9) return p999;
        return Double.NaN;
    }

    /** The histogram, decoded; null when the result has none or it is damaged. */
    public Histogram decoded() {
        if (histogram == null) return null;
        try {
            return decode(histogram);
        } catch (RuntimeException e) {
            return null; // a damaged histogram costs what reads it, not the whole result
        }
    }

    /** {@code h} in the form {@link #histogram()} holds. */
    public static String encode(Histogram h) {
        ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int n = h.encodeIntoCompressedByteBuffer(buf);
        return Base64.getEncoder().encodeToString(Arrays.copyOf(buf.array(), n));
    }

    /** The statistics of several encoded histograms added together: exact, as if one run had recorded them all. */
    public static Stats merged(List<String> encoded) {
        Histogram sum = new Histogram(1_000, 3_600_000_000_000L, 3);
        for (String e : encoded) sum.add(decode(e));
        return of(sum);
    }

    /**
     * The histogram of {@code encoded}, as {@link #histogram()} holds it (values in nanoseconds).
     *
     * @throws IllegalArgumentException when it is not an encoded histogram
     */
    public static Histogram decode(String encoded) {
        try {
            return Histogram.decodeFromCompressedByteBuffer(
                    ByteBuffer.wrap(Base64.getDecoder().decode(encoded)), 0);
        } catch (java.util.zip.DataFormatException | IllegalArgumentException | java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("not an encoded histogram: " + e.getMessage());
        }
    }
}
