package dev.llmlab.gateway.config;

/**
 * What one client key may use; each is optional (absent: no such limit). A request is held to
 * all of them at once, reserved before it is sent and settled with what it used (see
 * docs/gateway.md, "Key limits").
 *
 * @param rpm            requests per minute (a sliding minute)
 * @param tpm            tokens per minute, input and output together
 * @param maxInFlight    requests in flight at once
 * @param tokensPerDay   a budget of tokens per calendar day (UTC)
 * @param tokensPerMonth a budget of tokens per calendar month (UTC)
 * @param usdPerDay      a budget in US dollars per calendar day (UTC), priced by the price table
 * @param usdPerMonth    the same per calendar month (UTC)
 */
public record KeyLimits(
        Long rpm,
        Long tpm,
        Long maxInFlight,
        Long tokensPerDay,
        Long tokensPerMonth,
        Double usdPerDay,
        Double usdPerMonth) {
    public KeyLimits {
        positive("rpm", rpm);
        positive("tpm", tpm);
        positive("max_in_flight", maxInFlight);
        positive("tokens_per_day", tokensPerDay);
        positive("tokens_per_month", tokensPerMonth);
        dollars("usd_per_day", usdPerDay);
        dollars("usd_per_month", usdPerMonth);
    }

    private static void positive(String name, Long v) {
        if (v != null && v < 1) throw new IllegalArgumentException(name + " must be at least 1, got " + v);
    }

    private static void dollars(String name, Double v) {
        if (v != null && !(v >= 0.000001 && v < 1e12))
            throw new IllegalArgumentException(name + " must be a positive amount of US dollars, got " + v);
    }
}
