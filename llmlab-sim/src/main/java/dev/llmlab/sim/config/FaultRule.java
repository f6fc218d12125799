package dev.llmlab.sim.config;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * One chaos rule: inject {@code kind} into a matching request with {@code probability}.
 *
 * @param kind        status, delay, hang, stall, drop, truncate or malformed (see docs/config.md)
 * @param probability chance per matching request, 0 to 1
 * @param models      model ids it applies to (default: all)
 * @param endpoints   chat, completions, responses, messages and/or gemini (default: all)
 * @param status      the HTTP status of a {@code status} fault (400-599)
 * @param retryAfter  {@code Retry-After} of a {@code status} fault (default 1s for 429, 503 and 529)
 * @param delay       the added latency of a {@code delay} fault
 * @param afterTokens tokens before a stall, drop, truncate or malformed frame
 * @param stall       the pause of a {@code stall} fault
 */
public record FaultRule(
        String kind,
        Double probability,
        List<String> models,
        List<String> endpoints,
        Integer status,
        Duration retryAfter,
        Duration delay,
        Integer afterTokens,
        Duration stall) {

    public static final Set<String> KINDS = Set.of("status", "delay", "hang", "stall", "drop", "truncate", "malformed");
    public static final Set<String> ENDPOINTS = Set.of("chat", "completions", "responses", "messages", "gemini");

    public FaultRule {
        if (kind == null)
            throw new IllegalArgumentException("kind is required: one of "
                    + String.join(", ", KINDS.stream().sorted().toList()));
        if (!KINDS.contains(kind)) {
            throw new IllegalArgumentException("kind must be one of "
                    + String.join(", ", KINDS.stream().sorted().toList()) + ", got '" + kind + "'");
        }
        if (probability == null) throw new IllegalArgumentException("probability is required (0 to 1)");
        if (!(probability >= 0 && probability <= 1))
            throw new IllegalArgumentException("probability must be 0 to 1, got " + probability);
        if (endpoints != null) {
            for (String e : endpoints) {
                if (!ENDPOINTS.contains(e))
                    throw new IllegalArgumentException(
                            "endpoints must name chat, completions, responses, messages or gemini, got '" + e + "'");
            }
            endpoints = List.copyOf(endpoints);
        }
        if (models != null) models = List.copyOf(models);
        if (kind.equals("status") && (status == null || status < 400 || status > 599)) {
            throw new IllegalArgumentException("status is required for a status fault: an HTTP error status 400-599");
        }
        if (kind.equals("delay") && delay == null)
            throw new IllegalArgumentException("delay is required for a delay fault");
        if (kind.equals("stall") && stall == null)
            throw new IllegalArgumentException("stall is required for a stall fault");
        if (kind.equals("drop") && afterTokens == null)
            throw new IllegalArgumentException("after_tokens is required for a drop fault");
        if (afterTokens != null && afterTokens < 0) throw new IllegalArgumentException("after_tokens must be >= 0");
    }

    public boolean matches(String model, String endpoint) {
        return (models == null || models.contains(model)) && (endpoints == null || endpoints.contains(endpoint));
    }

    /** A builder that names each field it sets; the others stay null (unset). */
    public static Builder builder() {
        return new Builder();
    }

    /** A fault rule, field by field; {@link #build} validates as the constructor does. */
    public static final class Builder {
        private String kind;
        private Double probability;
        private List<String> models;
        private List<String> endpoints;
        private Integer status;
        private Duration retryAfter;
        private Duration delay;
        private Integer afterTokens;
        private Duration stall;

        private Builder() {}

        public Builder kind(String kind) {
            this.kind = kind;
            return this;
        }

        public Builder probability(Double probability) {
            this.probability = probability;
            return this;
        }

        public Builder models(List<String> models) {
            this.models = models;
            return this;
        }

        public Builder endpoints(List<String> endpoints) {
            this.endpoints = endpoints;
            return this;
        }

        public Builder status(Integer status) {
            this.status = status;
            return this;
        }

        public Builder retryAfter(Duration retryAfter) {
            this.retryAfter = retryAfter;
            return this;
        }

        public Builder delay(Duration delay) {
            this.delay = delay;
            return this;
        }

        public Builder afterTokens(Integer afterTokens) {
            this.afterTokens = afterTokens;
            return this;
        }

        public Builder stall(Duration stall) {
            this.stall = stall;
            return this;
        }

        public FaultRule build() {
            return new FaultRule(kind, probability, models, endpoints, status, retryAfter, delay, afterTokens, stall);
        }
    }
}
