package dev.llmlab.sim.fault;

import dev.llmlab.core.random.Seeds;
import dev.llmlab.sim.config.FaultConfig;
import dev.llmlab.sim.config.FaultRule;
import dev.llmlab.sim.fault.Fault.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.random.RandomGenerator;

/**
 * Decides each request's fault: the {@code X-Llmlab-Fault} header when present (and enabled),
 * else the configured rules in order, the scenario's first. Each rule that matches the model and
 * endpoint draws once; the first draw below its probability wins. Draws come from a generator the
 * caller seeds per request, so a server seed makes the whole fault sequence reproducible.
 * Immutable and thread-safe.
 */
public final class FaultPlanner {
    /** The scenario presets, documented in docs/config.md. */
    static final Map<String, List<FaultRule>> SCENARIOS = Map.of(
            "intermittent-timeouts", List.of(hang(0.02), delay(0.05, Duration.ofSeconds(10))),
            "rate-limit-storm", List.of(status(0.5, 429)),
            "partial-outage", List.of(status(0.3, 503), status(0.05, 500)),
            "full-outage", List.of(status(1.0, 503)),
            "slow-stream", List.of(stall(0.3, 5, Duration.ofSeconds(3)), delay(0.2, Duration.ofSeconds(2))));

    private final boolean header;
    private final List<FaultRule> rules;

    public FaultPlanner(FaultConfig config) {
        this.header = config.headerOrDefault();
        List<FaultRule> all = new ArrayList<>();
        if (config.scenario() != null) {
            List<FaultRule> preset = SCENARIOS.get(config.scenario());
            if (preset == null) {
                throw new IllegalArgumentException("faults.scenario: unknown scenario '" + config.scenario()
                        + "' (known: " + String.join(", ", new TreeSet<>(SCENARIOS.keySet())) + ")");
            }
            all.addAll(preset);
        }
        all.addAll(config.rules());
        this.rules = List.copyOf(all);
    }

    /**
     * The fault for a request, or null for none.
     *
     * @param headerValue the request's {@code X-Llmlab-Fault}, or null
     * @param seed        the request's seed for the draws; the generator is made only if a rule matches
     * @throws IllegalArgumentException for a header value that does not parse
     */
    public Fault decide(String model, String endpoint, String headerValue, long seed) {
        if (header && headerValue != null) return FaultHeader.parse(headerValue);
        RandomGenerator rng = null;
        for (FaultRule r : rules) {
            if (!r.matches(model, endpoint)) continue;
            if (rng == null) rng = Seeds.rng(seed);
            if (rng.nextDouble() < r.probability()) return toFault(r);
        }
        return null;
    }

    static Fault toFault(FaultRule r) {
        return switch (r.kind()) {
            case "status" ->
                Fault.status(
                        r.status(),
                        r.retryAfter() != null
                                ? (int) Math.ceil(r.retryAfter().toMillis() / 1000.0)
                                : r.status() == 429 || r.status() == 503 || r.status() == 529 ? 1 : 0);
            case "delay" -> Fault.of(Kind.DELAY, r.delay().toNanos(), 0, 0);
            case "hang" -> Fault.of(Kind.HANG, 0, 0, 0);
            case "stall" ->
                Fault.of(
                        Kind.STALL,
                        0,
                        r.afterTokens() != null ? r.afterTokens() : 1,
                        r.stall().toNanos());
            case "drop" -> Fault.of(Kind.DROP, 0, r.afterTokens(), 0);
            case "truncate" -> Fault.of(Kind.TRUNCATE, 0, r.afterTokens() != null ? r.afterTokens() : 0, 0);
            case "malformed" -> Fault.of(Kind.MALFORMED, 0, r.afterTokens() != null ? r.afterTokens() : 1, 0);
            default -> throw new IllegalStateException(r.kind());
        };
    }

    // The scenarios' rules, named by kind: each applies to every model and endpoint.

    private static FaultRule status(double p, int status) {
        return FaultRule.builder().kind("status").probability(p).status(status).build();
    }

    private static FaultRule delay(double p, Duration delay) {
        return FaultRule.builder().kind("delay").probability(p).delay(delay).build();
    }

    private static FaultRule hang(double p) {
        return FaultRule.builder().kind("hang").probability(p).build();
    }

    private static FaultRule stall(double p, int afterTokens, Duration stall) {
        return FaultRule.builder()
                .kind("stall")
                .probability(p)
                .afterTokens(afterTokens)
                .stall(stall)
                .build();
    }
}
