package dev.llmlab.sim.config;

import dev.llmlab.core.dist.Distribution;
import java.time.Duration;

/**
 * A latency profile: time to first token and inter-token latency as distributions (spec strings
 * such as {@code lognormal(p50=400ms,p99=1.5s)}), plus prefill time per prompt token, so that
 * {@code ttft = sample(ttft) + prefill_per_token * prompt_tokens}.
 */
public record ProfileConfig(Distribution ttft, Distribution itl, Duration prefillPerToken) {
    public ProfileConfig {
        if (ttft == null) throw new IllegalArgumentException("profile needs 'ttft'");
        if (itl == null) throw new IllegalArgumentException("profile needs 'itl'");
        if (prefillPerToken != null && prefillPerToken.isNegative()) {
            throw new IllegalArgumentException("prefill_per_token must not be negative");
        }
    }

    public Duration prefillPerTokenOrZero() {
        return prefillPerToken != null ? prefillPerToken : Duration.ZERO;
    }
}
