package dev.llmlab.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.llmlab.core.dist.Distribution;
import dev.llmlab.core.time.Durations;
import dev.llmlab.sim.config.AuthConfig;
import dev.llmlab.sim.config.SimConfig;
import java.time.Duration;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Renders a configuration back as YAML in the same shape the loader reads, for {@code --print-config}. */
final class ConfigYaml {
  private static final YAMLMapper MAPPER = YAMLMapper.builder()
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .changeDefaultPropertyInclusion(i -> i.withValueInclusion(JsonInclude.Include.NON_NULL))
      .addModule(new SimpleModule("llmlab-config")
          .addSerializer(Duration.class, new ValueSerializer<>() {
            @Override
            public void serialize(Duration value, JsonGenerator g, SerializationContext ctxt) {
              g.writeString(Durations.format(value));
            }
          })
          // Keys are secrets: the dump shows how many there are, never what they are.
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
          }))
      .build();

  private ConfigYaml() {}

  static String write(SimConfig config) {
    return MAPPER.writeValueAsString(config);
  }
}
