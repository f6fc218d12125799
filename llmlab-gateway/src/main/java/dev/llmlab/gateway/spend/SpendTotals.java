package dev.llmlab.gateway.spend;

import java.util.Map;

/**
 * What each key and team spent in one period, by the limiter's subjects ({@code key:NAME}, {@code
 * team:NAME}): where a restarted gateway's budgets start from.
 */
public record SpendTotals(Map<String, Long> tokens, Map<String, Long> microUsd) {
    public SpendTotals {
        tokens = Map.copyOf(tokens);
        microUsd = Map.copyOf(microUsd);
    }

    public static final SpendTotals NONE = new SpendTotals(Map.of(), Map.of());
}
