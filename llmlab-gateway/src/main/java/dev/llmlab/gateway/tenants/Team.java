package dev.llmlab.gateway.tenants;

import dev.llmlab.gateway.config.KeyLimits;
import java.time.Instant;
import java.util.List;

/** A team made through the admin API, as stored: the limits its keys share and the models they may use. */
public record Team(String name, KeyLimits limits, List<String> models, Instant createdAt, Instant updatedAt) {
    public Team {
        models = models == null ? List.of() : List.copyOf(models);
    }
}
