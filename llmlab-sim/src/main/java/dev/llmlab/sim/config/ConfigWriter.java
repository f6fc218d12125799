package dev.llmlab.sim.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.llmlab.core.dist.Distribution;
import dev.llmlab.core.time.Durations;
import java.time.Duration;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Writes configuration back in the shape the loader reads (snake_case keys, durations and
 * distribution specs as strings), as YAML for {@code --print-config} and as JSON for the admin
 * API. Secrets are never written: API keys come out as {@code <redacted>}. Thread-safe.
 */
public final class ConfigWriter {
    private static final SimpleModule MODULE = new SimpleModule("llmlab-config")
            .addSerializer(Duration.class, new ValueSerializer<>() {
                @Override
                public void serialize(Duration value, JsonGenerator g, SerializationContext ctxt) {
                    g.writeString(Durations.format(value));
                }
            })
            // Keys are secrets: a dump shows how many there are, never what they are.
            .addSerializer(AuthConfig.class, new ValueSerializer<>() {
                @Override
                public void serialize(AuthConfig value, JsonGenerator g, SerializationContext ctxt) {
                    g.writeStartObject();
                    g.writeArrayPropertyStart("keys");
                    for (int i = 0; i < value.keys().size(); i++) g.writeString("<redacted>");
                    g.writeEndArray();
                    if (value.adminKey() != null) g.writeStringProperty("admin_key", "<redacted>");
                    g.writeEndObject();
                }
            })
            .addSerializer(Distribution.class, new ValueSerializer<>() {
                @Override
                public void serialize(Distribution value, JsonGenerator g, SerializationContext ctxt) {
                    g.writeString(value.describe());
                }
            });

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .changeDefaultPropertyInclusion(i -> i.withValueInclusion(JsonInclude.Include.NON_NULL))
            .addModule(MODULE)
            .build();

    private static final JsonMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .changeDefaultPropertyInclusion(i -> i.withValueInclusion(JsonInclude.Include.NON_NULL))
            .addModule(MODULE)
            .build();

    private ConfigWriter() {}

    public static String yaml(Object config) {
        return YAML.writeValueAsString(config);
    }

    public static String json(Object config) {
        return JSON.writeValueAsString(config);
    }
}
