package dev.llmlab.metrics;

/**
 * One series of a counter, gauge, unknown, info or stateset family: its labels, its value, and
 * for counters the time the series was created (seconds since the epoch, from {@code _created};
 * NaN when the page does not say).
 */
public record Point(Labels labels, double value, double created) {}
