package dev.llmlab.gateway.config;

import java.time.Duration;

/**
 * Retries of a request whose answer has not begun: connect errors, timeouts before the first
 * byte, and 429, 500, 502, 503, 504 and 529 answers.
 *
 * @param attempts   retries per link of a route's fallback chain after its first try: 2
 * @param backoff    the first retry's backoff ceiling; each later one doubles it (full jitter: a
 *                   uniform draw below the ceiling): 100 ms
 * @param maxBackoff the ceiling's ceiling: 5 s
 * @param budget     retries may add at most this fraction of the requests of the last 10 s (plus
 *                   10 per second), so that an outage is not multiplied by retries: 0.2
 * @param deadline   for a whole request, tries and backoffs included; 0 (the default) for none
 *                   beyond the timeouts of each try
 */
public record RetryConfig(Integer attempts, Duration backoff, Duration maxBackoff, Double budget, Duration deadline) {
    public RetryConfig {
        if (attempts == null) attempts = 2;
        if (attempts < 0 || attempts > 10)
            throw new IllegalArgumentException("attempts must be in 0..10, got " + attempts);
        if (backoff == null) backoff = Duration.ofMillis(100);
        if (backoff.isNegative()) throw new IllegalArgumentException("backoff must be >= 0, got " + backoff);
        if (maxBackoff == null) maxBackoff = Duration.ofSeconds(5);
        if (maxBackoff.compareTo(backoff) < 0)
            throw new IllegalArgumentException("max_backoff must be >= backoff, got " + maxBackoff);
        if (budget == null) budget = 0.2;
        if (!(budget >= 0 && budget <= 10))
            throw new IllegalArgumentException("budget must be in 0..10 (a fraction of requests), got " + budget);
        if (deadline == null) deadline = Duration.ZERO;
        if (deadline.isNegative()) throw new IllegalArgumentException("deadline must be >= 0, got " + deadline);
    }
}
