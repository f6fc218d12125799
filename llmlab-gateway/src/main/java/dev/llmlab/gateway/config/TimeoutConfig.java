package dev.llmlab.gateway.config;

import java.time.Duration;

/**
 * The timeouts of every upstream call (durations such as {@code 10s}).
 *
 * @param connect   to open a connection: 10 s
 * @param firstByte for the upstream to begin its answer: 600 s (a long prompt's prefill on a
 *                  loaded server takes minutes)
 * @param idle      for a stream to fall silent: 120 s
 * @param total     for a whole call; 0 (the default) for none
 */
public record TimeoutConfig(Duration connect, Duration firstByte, Duration idle, Duration total) {
    public TimeoutConfig {
        connect = positive("connect", connect, Duration.ofSeconds(10));
        firstByte = positive("first_byte", firstByte, Duration.ofSeconds(600));
        idle = positive("idle", idle, Duration.ofSeconds(120));
        if (total == null) total = Duration.ZERO;
        if (total.isNegative()) throw new IllegalArgumentException("total must be >= 0, got " + total);
    }

    private static Duration positive(String name, Duration d, Duration otherwise) {
        if (d == null) return otherwise;
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be > 0, got " + d);
        return d;
    }
}
