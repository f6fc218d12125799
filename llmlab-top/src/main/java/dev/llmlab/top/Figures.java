package dev.llmlab.top;

import dev.llmlab.metrics.Histograms.Estimate;

/**
 * What one row shows over its window. A rate is per second; a figure the server does not export is
 * NaN (shown as a dash), never 0. Percentiles are in seconds, with their status: {@link
 * Estimate#lowerBound()} when the rank fell in the {@code +Inf} bucket (shown as {@code >X}).
 *
 * @param seconds             how long the window was, between its two readings (a replica's; the
 *                            longest of a model's replicas)
 * @param requestsPerSecond   requests that ended, succeeded or failed
 * @param errorRate           the failed share of those, NaN without any
 * @param running             requests running now (a gauge, summed over replicas)
 * @param waiting             requests waiting now
 * @param kvCacheUsage        the KV cache's used fraction now (each replica's own; the mean over a
 *                            model's replicas)
 * @param preemptionsPerSecond requests preempted
 * @param prefixCacheHitRate  prefix-cache hits over queries (tokens), NaN without queries
 * @param dollarsPerMillionOutputTokens what the row's replicas cost an hour (the config's GPU
 *                            price) over the output tokens they made in an hour at the window's
 *                            rate; NaN without a price or without output
 */
public record Figures(
        double seconds,
        double requestsPerSecond,
        double errorRate,
        double running,
        double waiting,
        double kvCacheUsage,
        Estimate ttftP50,
        Estimate ttftP99,
        Estimate itlP50,
        Estimate itlP99,
        Estimate e2eP99,
        double inputTokensPerSecond,
        double outputTokensPerSecond,
        double preemptionsPerSecond,
        double prefixCacheHitRate,
        double dollarsPerMillionOutputTokens) {}
