package dev.llmlab.gateway.tenants;

import dev.llmlab.gateway.config.KeyLimits;
import java.util.List;

/** What {@code POST /admin/teams} asks for: a team's name, the limits its keys share, its models. */
public record NewTeam(String name, KeyLimits limits, List<String> models) {
    public NewTeam {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("name is required");
        Checks.name("name", name);
        models = Checks.models(models);
    }
}
