package dev.llmlab.top;

/**
 * How a target's scraping goes.
 *
 * @param kind      the server kind of its last page read; {@code unknown} before one
 * @param error     why its last scrape failed; null when it was read
 * @param agoMillis how long ago its last scrape ended; -1 before the first
 */
public record TargetState(String name, String url, String kind, String error, long agoMillis) {}
