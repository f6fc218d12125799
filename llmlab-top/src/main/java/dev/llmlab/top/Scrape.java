package dev.llmlab.top;

/**
 * One GET of a target's metrics: when (the middle of the GET, {@link System#nanoTime()}: the best
 * estimate of when the server read its own figures), and what it said, or why it could not be read.
 *
 * @param reading null when the GET failed
 * @param error   null when it was read
 */
record Scrape(Target target, long atNanos, Reading reading, String error) {}
