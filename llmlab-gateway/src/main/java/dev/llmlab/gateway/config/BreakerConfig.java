package dev.llmlab.gateway.config;

import java.time.Duration;

/**
 * The circuit breaker each deployment has.
 *
 * @param enabled     true by default
 * @param window      the sliding window whose failure rate is read: 30 s
 * @param minRequests no opening on fewer requests in the window than this: 20
 * @param failureRate opens at this fraction of failures (connect errors, timeouts, 5xx and 529):
 *                    0.5
 * @param openFor     how long it stays open before half-open probes: 30 s
 * @param probes      requests let through half-open; all must succeed to close it: 3
 */
public record BreakerConfig(
        Boolean enabled, Duration window, Integer minRequests, Double failureRate, Duration openFor, Integer probes) {
    public BreakerConfig {
        if (enabled == null) enabled = true;
        if (window == null) window = Duration.ofSeconds(30);
        if (window.toMillis() < 100) throw new IllegalArgumentException("window must be >= 100ms, got " + window);
        if (minRequests == null) minRequests = 20;
        if (minRequests < 1) throw new IllegalArgumentException("min_requests must be >= 1, got " + minRequests);
        if (failureRate == null) failureRate = 0.5;
        if (!(failureRate > 0 && failureRate <= 1))
            throw new IllegalArgumentException("failure_rate must be in (0, 1], got " + failureRate);
        if (openFor == null) openFor = Duration.ofSeconds(30);
        if (openFor.isNegative() || openFor.isZero())
            throw new IllegalArgumentException("open_for must be > 0, got " + openFor);
        if (probes == null) probes = 3;
        if (probes < 1) throw new IllegalArgumentException("probes must be >= 1, got " + probes);
    }
}
