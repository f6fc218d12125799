package dev.llmlab.sim.config;

import java.util.Map;

/**
 * Provider-style rate limits: each API key, and each model, gets a budget of requests and tokens
 * per minute (a request counts its prompt tokens plus its output cap, as OpenAI counts them).
 *
 * @param perKey limits for every API key separately (requests without a key share one budget)
 * @param models limits per model id, shared by all callers
 */
public record RateLimitConfig(Limit perKey, Map<String, Limit> models) {
    public static final RateLimitConfig NONE = new RateLimitConfig(null, null);

    public RateLimitConfig {
        models = models == null ? Map.of() : Map.copyOf(models);
    }

    /** A budget; a null or zero field is unlimited. */
    public record Limit(Integer requestsPerMinute, Integer tokensPerMinute) {
        public Limit {
            if (requestsPerMinute != null && requestsPerMinute < 0)
                throw new IllegalArgumentException("requests_per_minute must be >= 0");
            if (tokensPerMinute != null && tokensPerMinute < 0)
                throw new IllegalArgumentException("tokens_per_minute must be >= 0");
        }

        public int rpm() {
            return requestsPerMinute != null ? requestsPerMinute : 0;
        }

        public int tpm() {
            return tokensPerMinute != null ? tokensPerMinute : 0;
        }
    }
}
