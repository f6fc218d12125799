package dev.llmlab.gateway.limits;

/**
 * What a request turned out to use, once it ended: its tokens (input and output) and its cost. A
 * stream cut short uses what was delivered. Requests and in-flight counts need no actual: one
 * request stays one, and in flight ends.
 */
public record Actual(long tokens, long microUsd) {
    public static final Actual NOTHING = new Actual(0, 0);

    public Actual {
        if (tokens < 0 || microUsd < 0)
            throw new IllegalArgumentException(
                    "actual use is >= 0, got " + tokens + " tokens, " + microUsd + " micro-USD");
    }

    long of(Meter meter, long reserved) {
        return switch (meter) {
            case TOKENS -> tokens;
            case MICRO_USD -> microUsd;
            case REQUESTS -> reserved;
            case IN_FLIGHT -> 0;
        };
    }
}
