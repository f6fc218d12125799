package dev.llmlab.gateway.limits;

/**
 * Where one limit stands after a reservation, for the {@code x-ratelimit-*} headers: how much is
 * left, and when (epoch milliseconds) the oldest use counted now stops counting (a rate), the
 * period ends (a budget), or 0 (in flight).
 */
public record Standing(Ask ask, long remaining, long resetAtMillis) {}
