package dev.llmlab.core.config;

import java.util.Objects;

/**
 * A config value that must not be shown: an API key, a password. Its {@link #toString()} is
 * {@code "<redacted>"}, so that a record holding one prints safely in logs, errors and {@code
 * --print-config}; only {@link #reveal()} gives the value, at the one place that sends it.
 *
 * <p>In YAML it is a string, usually {@code ${NAME}} to read it from the environment (see {@link
 * ConfigLoader#load(java.nio.file.Path, Class, java.util.function.Function)}).
 */
public final class Secret {
    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    /** @throws IllegalArgumentException for an empty value */
    public static Secret of(String value) {
        if (value == null || value.isEmpty()) throw new IllegalArgumentException("a secret cannot be empty");
        return new Secret(value);
    }

    /** The value itself: pass it where it is used, never to a log or a message. */
    public String reveal() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && s.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return "<redacted>";
    }
}
