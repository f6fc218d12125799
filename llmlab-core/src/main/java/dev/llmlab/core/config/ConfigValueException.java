package dev.llmlab.core.config;

import tools.jackson.core.JsonParser;
import tools.jackson.databind.exc.InvalidFormatException;

/**
 * A scalar the config deserializers rejected, with a message already phrased for the user
 * (from {@code Durations.parse} or {@code Distributions.parse}). A subtype of Jackson's own
 * exception so that databind attaches the field path to it like to any other binding error.
 */
final class ConfigValueException extends InvalidFormatException {

    private static final long serialVersionUID = 1L;

    ConfigValueException(JsonParser p, String problem, Object value, Class<?> targetType) {
        super(p, problem, value, targetType);
    }
}
