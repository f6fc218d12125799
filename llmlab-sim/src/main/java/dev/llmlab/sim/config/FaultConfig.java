package dev.llmlab.sim.config;

import java.util.List;

/**
 * Fault injection (chaos): rules, a named scenario whose rules run before them, and whether the
 * per-request {@code X-Llmlab-Fault} header is honoured.
 *
 * @param header   honour the {@code X-Llmlab-Fault} header (default true)
 * @param scenario a preset: intermittent-timeouts, rate-limit-storm, partial-outage, full-outage, slow-stream
 * @param rules    evaluated in order; the first whose draw hits decides the request's fault
 */
public record FaultConfig(Boolean header, String scenario, List<FaultRule> rules) {
    public static final FaultConfig DEFAULT = new FaultConfig(null, null, null);

    public FaultConfig {
        rules = rules == null ? List.of() : List.copyOf(rules);
    }

    public boolean headerOrDefault() {
        return header == null || header;
    }
}
