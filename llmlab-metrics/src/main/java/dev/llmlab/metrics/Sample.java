package dev.llmlab.metrics;

/**
 * One sample line of a page, as written: the series name with its suffix ({@code _bucket},
 * {@code _total}, ...), its labels, its value, and its timestamp (NaN when the line has none).
 *
 * <p>Timestamps are kept as written: milliseconds in the 0.0.4 format, seconds in OpenMetrics.
 */
public record Sample(String name, Labels labels, double value, double timestamp) {}
