package dev.llmlab.top;

/**
 * One gateway (llmlab gateway, LiteLLM) over the window. A figure the gateway does not export is
 * NaN.
 *
 * @param kind                   {@code gateway} (llmlab's) or {@code litellm}
 * @param dollarsPerHour         what it accounted as spent, per hour at the window's pace
 * @param dollarsPerMillionTokens that spend over the tokens it was for (the providers' prices)
 * @param cacheHitRate           requests answered from its cache over requests
 * @param openBreakers           circuit breakers open now
 * @param keyCooldownsPerSecond  provider keys put to cool down (a 429) per second
 */
public record GatewayRow(
        String target,
        String kind,
        double seconds,
        double requestsPerSecond,
        double dollarsPerHour,
        double dollarsPerMillionTokens,
        double cacheHitRate,
        double retriesPerSecond,
        double openBreakers,
        double keyCooldownsPerSecond) {}
