package dev.llmlab.metrics;

import java.util.List;

/**
 * A metric family: every series a page wrote under one name, typed by its {@code # TYPE} line.
 * Three shapes cover the types: {@link Scalar} (counter, gauge, unknown, info, stateset: one
 * value per series), {@link Histogram} (histogram and gauge histogram: buckets per series) and
 * {@link Summary}.
 *
 * <p>Names: a counter family is named without {@code _total}, as OpenMetrics names it, whichever
 * format the page used (0.0.4 pages declare {@code # TYPE x_total counter}); an OpenMetrics info
 * family without {@code _info}. Every other family has the name its {@code # TYPE} line gave, or
 * the sample's own name when no line typed it. {@code help} and {@code unit} are empty when the
 * page does not say.
 */
public sealed interface MetricFamily {
    String name();

    MetricType type();

    String help();

    String unit();

    /** A counter, gauge, unknown, info or stateset family. */
    record Scalar(String name, MetricType type, String help, String unit, List<Point> points) implements MetricFamily {
        public Scalar {
            points = List.copyOf(points);
        }
    }

    /** A histogram or gauge histogram family. */
    record Histogram(String name, MetricType type, String help, String unit, List<HistogramPoint> points)
            implements MetricFamily {
        public Histogram {
            points = List.copyOf(points);
        }
    }

    /** A summary family. */
    record Summary(String name, String help, String unit, List<SummaryPoint> points) implements MetricFamily {
        public Summary {
            points = List.copyOf(points);
        }

        @Override
        public MetricType type() {
            return MetricType.SUMMARY;
        }
    }
}
