package dev.llmlab.sim.config;

import dev.llmlab.core.config.Suggestions;
import java.util.Optional;

/**
 * The names a user configuration refers to, checked against what the effective configuration
 * defines: a profile (top level or a model's) and an engine preset (top level or a model's engine
 * block). Binding cannot check these, because the names they may take come from the built-in
 * catalog as well as the file. {@code --print-config} and start-up both run this check, so that a
 * typo never prints as if it were valid.
 */
public final class References {
    private References() {}

    /** An unknown name, at its field in the user's configuration ({@code models[0].profile}). */
    public record Unknown(String field, String problem) {}

    /** The first unknown name {@code user} refers to, given the {@code effective} configuration built from it. */
    public static Optional<Unknown> firstUnknown(SimConfig user, SimConfig effective) {
        var profiles = effective.profiles().keySet();
        var presets = effective.enginePresets().keySet();
        if (user.profile() != null && !profiles.contains(user.profile())) {
            return Optional.of(new Unknown("profile", Suggestions.unknown("profile", user.profile(), profiles)));
        }
        if (user.preset() != null && !presets.contains(user.preset())) {
            return Optional.of(new Unknown("preset", Suggestions.unknown("engine preset", user.preset(), presets)));
        }
        for (int i = 0; i < user.models().size(); i++) {
            ModelConfig m = user.models().get(i);
            if (m.profile() != null && !profiles.contains(m.profile())) {
                return Optional.of(new Unknown(
                        "models[" + i + "].profile", Suggestions.unknown("profile", m.profile(), profiles)));
            }
            if (m.engine() != null
                    && m.engine().preset() != null
                    && !presets.contains(m.engine().preset())) {
                return Optional.of(new Unknown(
                        "models[" + i + "].engine.preset",
                        Suggestions.unknown("engine preset", m.engine().preset(), presets)));
            }
        }
        return Optional.empty();
    }
}
