package dev.llmlab.core.config;

import dev.llmlab.core.dist.Distribution;
import dev.llmlab.core.dist.Distributions;
import dev.llmlab.core.dist.Distributions.Unit;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.BeanProperty;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.deser.std.StdScalarDeserializer;

/**
 * Reads distribution spec strings with {@link Distributions#parse}. The unit comes from the
 * property's {@link DistributionUnit} annotation, resolved once per property when databind
 * contextualises the deserializer, so nothing is looked up per value. Immutable, thread-safe.
 */
final class DistributionDeserializer extends StdScalarDeserializer<Distribution> {

    private final Unit unit;

    DistributionDeserializer(Unit unit) {
        super(Distribution.class);
        this.unit = unit;
    }

    @Override
    public ValueDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property) {
        DistributionUnit annotation = property == null ? null : property.getAnnotation(DistributionUnit.class);
        Unit wanted = annotation == null ? Unit.SECONDS : annotation.value();
        return wanted == unit ? this : new DistributionDeserializer(wanted);
    }

    @Override
    public Distribution deserialize(JsonParser p, DeserializationContext ctxt) {
        JsonToken t = p.currentToken();
        if (t != JsonToken.VALUE_STRING && t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
            return (Distribution) ctxt.handleUnexpectedToken(Distribution.class, p);
        }
        String text = p.getString();
        try {
            return Distributions.parse(text, unit);
        } catch (IllegalArgumentException e) {
            throw new ConfigValueException(p, e.getMessage(), text, Distribution.class);
        }
    }
}
