package dev.llmlab.gateway.tenants;

import dev.llmlab.gateway.config.KeyLimits;
import dev.llmlab.gateway.config.ModelPatterns;
import java.util.List;

/** What {@code POST /admin/teams} asks for: a team's name, the limits its keys share, its models. */
public record NewTeam(String name, KeyLimits limits, List<String> models) {
    public NewTeam {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("name is required");
        if (!name.matches("[A-Za-z0-9._:@-]{1,200}"))
            throw new IllegalArgumentException(
                    "name may hold letters, digits and . _ : @ - (at most 200), got " + name);
        models = ModelPatterns.check("models", models);
        if (models.size() > 100)
            throw new IllegalArgumentException("models may list at most 100 names, got " + models.size());
        for (String m : models)
            if (m.length() > 200) throw new IllegalArgumentException("models has a name longer than 200 characters");
    }
}
