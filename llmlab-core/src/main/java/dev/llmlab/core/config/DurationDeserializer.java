package dev.llmlab.core.config;

import dev.llmlab.core.time.Durations;
import java.time.Duration;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.std.StdScalarDeserializer;

/**
 * Reads {@code "150ms"}-style durations with {@link Durations#parse}, replacing Jackson's
 * ISO-8601 {@code PT0.15S} form, which nobody writes by hand. A YAML number is read by its text,
 * so {@code 0} is accepted and {@code 100} is rejected for its missing unit. Stateless,
 * thread-safe.
 */
final class DurationDeserializer extends StdScalarDeserializer<Duration> {

    DurationDeserializer() {
        super(Duration.class);
    }

    @Override
    public Duration deserialize(JsonParser p, DeserializationContext ctxt) {
        JsonToken t = p.currentToken();
        if (t != JsonToken.VALUE_STRING && t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
            return (Duration) ctxt.handleUnexpectedToken(Duration.class, p);
        }
        String text = p.getString();
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigValueException(p, e.getMessage(), text, Duration.class);
        }
    }
}
