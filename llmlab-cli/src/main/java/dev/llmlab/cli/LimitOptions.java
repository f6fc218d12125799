package dev.llmlab.cli;

import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** A key's or a team's limits and models, as flags (docs/gateway.md, "Key limits"). */
final class LimitOptions {
    @Option(names = "--rpm", paramLabel = "N", description = "Requests per minute.")
    Long rpm;

    @Option(names = "--tpm", paramLabel = "N", description = "Tokens per minute, input and output.")
    Long tpm;

    @Option(names = "--max-in-flight", paramLabel = "N", description = "Requests at once.")
    Long maxInFlight;

    @Option(names = "--tokens-per-day", paramLabel = "N", description = "A budget of tokens per UTC day.")
    Long tokensPerDay;

    @Option(names = "--tokens-per-month", paramLabel = "N", description = "A budget of tokens per UTC month.")
    Long tokensPerMonth;

    @Option(names = "--usd-per-day", paramLabel = "USD", description = "A budget in US dollars per UTC day.")
    Double usdPerDay;

    @Option(names = "--usd-per-month", paramLabel = "USD", description = "A budget in US dollars per UTC month.")
    Double usdPerMonth;

    @Option(
            names = "--models",
            paramLabel = "NAMES",
            split = ",",
            description = "The models allowed, comma-separated; a name ending in * is a prefix (default: any).")
    List<String> models;

    Map<String, Object> limits() {
        Map<String, Object> m = dev.llmlab.gateway.admin.AdminClient.object(
                "rpm", rpm,
                "tpm", tpm,
                "max_in_flight", maxInFlight,
                "tokens_per_day", tokensPerDay,
                "tokens_per_month", tokensPerMonth,
                "usd_per_day", usdPerDay,
                "usd_per_month", usdPerMonth);
        return m.isEmpty() ? null : m;
    }
}
