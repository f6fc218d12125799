package dev.llmlab.sim.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.core.config.ConfigLoader;
import dev.llmlab.core.config.DistributionUnit;
import dev.llmlab.core.dist.Distribution;
import dev.llmlab.core.dist.Distributions.Unit;
import dev.llmlab.sim.config.SimConfig;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link BuiltinCatalogData} is {@code llmlab/builtin.yaml} rendered as constructor calls; this
 * test renders the YAML again and fails when the committed class differs, so the two cannot drift.
 * After editing the YAML, regenerate with
 * {@code ./build -pl llmlab-sim -am test -Dtest=BuiltinCatalogDataTest -Dllmlab.regenerate=true -Dsurefire.failIfNoSpecifiedTests=false}.
 * When a configuration record's components changed, the old class no longer compiles: first reduce
 * {@code BuiltinCatalogData} to {@code static SimConfig config() { return null; }}, then regenerate.
 */
class BuiltinCatalogDataTest {
    private static final Path SOURCE = Path.of("src/main/java/dev/llmlab/sim/catalog/BuiltinCatalogData.java");
    private static final String CONFIG_PACKAGE = "dev.llmlab.sim.config.";

    @Test
    void compiledCatalog_equalsTheYaml() throws IOException {
        SimConfig yaml = parseYaml();
        String rendered = render(yaml);
        if (Boolean.getBoolean("llmlab.regenerate")) Files.writeString(SOURCE, rendered);
        assertThat(Files.readString(SOURCE))
                .as("BuiltinCatalogData.java is stale; regenerate it (see this test's javadoc)")
                .isEqualTo(rendered);
        assertThat(BuiltinCatalogData.config()).isEqualTo(yaml);
    }

    @Test
    void builtin_isTheCompiledCatalog() throws IOException {
        assertThat(Catalog.builtin()).isEqualTo(parseYaml());
        assertThat(Catalog.builtin().models()).extracting(m -> m.id()).contains("gpt-4o", "text-embedding-3-small");
    }

    private static SimConfig parseYaml() throws IOException {
        try (InputStream in = BuiltinCatalogDataTest.class.getResourceAsStream("/llmlab/builtin.yaml")) {
            return ConfigLoader.parse(
                    new String(in.readAllBytes(), StandardCharsets.UTF_8), "builtin.yaml", SimConfig.class);
        }
    }

    // ------------------------------------------------------------------ rendering

    private static String render(SimConfig c) {
        StringBuilder models = new StringBuilder();
        for (int i = 0; i < c.models().size(); i++) {
            models.append(i == 0 ? "" : ",\n")
                    .append("        ")
                    .append(expr(c.models().get(i), null));
        }
        StringBuilder profiles = new StringBuilder();
        for (var e : c.profiles().entrySet()) {
            profiles.append("    m.put(")
                    .append(literal(e.getKey()))
                    .append(", ")
                    .append(expr(e.getValue(), null))
                    .append(");\n");
        }
        // The top level component by component, so a new SimConfig component needs no change here;
        // the two large ones get methods of their own.
        StringBuilder top = new StringBuilder("new SimConfig(");
        RecordComponent[] parts = SimConfig.class.getRecordComponents();
        for (int i = 0; i < parts.length; i++) {
            String name = parts[i].getName();
            Object value;
            try {
                value = parts[i].getAccessor().invoke(c);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            top.append(i == 0 ? "" : ", ")
                    .append(
                            name.equals("profiles")
                                    ? "profiles()"
                                    : name.equals("models") ? "models()" : expr(value, parts[i]));
        }
        top.append(')');
        return """
        // Generated from llmlab/builtin.yaml by BuiltinCatalogDataTest. Do not edit: edit the YAML, then
        // ./build -pl llmlab-sim -am test -Dtest=BuiltinCatalogDataTest -Dllmlab.regenerate=true -Dsurefire.failIfNoSpecifiedTests=false
        package dev.llmlab.sim.catalog;

        import dev.llmlab.core.dist.Distributions;
        import dev.llmlab.core.dist.Distributions.Unit;
        import dev.llmlab.sim.config.*;
        import java.time.Duration;
        import java.util.LinkedHashMap;
        import java.util.List;
        import java.util.Map;

        /**
         * The built-in catalog as constructor calls. Binding the YAML with Jackson on a cold JVM was the
         * longest step of a simulator's start (about 200 ms of the first answer on two cores); these
         * calls take well under a millisecond. The YAML stays the source and the documentation.
         */
        final class BuiltinCatalogData {
          private BuiltinCatalogData() {}

          static SimConfig config() {
            return %s;
          }

          private static Map<String, ProfileConfig> profiles() {
            Map<String, ProfileConfig> m = new LinkedHashMap<>();
        %s    return m;
          }

          private static List<ModelConfig> models() {
            return List.of(
        %s);
          }

          /** An insertion-ordered map of alternating keys and values. */
          @SuppressWarnings("unchecked")
          private static <V> Map<String, V> map(Object... keysAndValues) {
            Map<String, V> m = new LinkedHashMap<>();
            for (int i = 0; i < keysAndValues.length; i += 2) m.put((String) keysAndValues[i], (V) keysAndValues[i + 1]);
            return m;
          }
        }
        """.formatted(top, profiles, models);
    }

    /** A Java expression for {@code v}; {@code component} tells a distribution's unit. */
    private static String expr(Object v, RecordComponent component) {
        if (v == null) return "null";
        if (v instanceof String s) return literal(s);
        if (v instanceof Integer || v instanceof Boolean) return v.toString();
        if (v instanceof Long l) return l + "L";
        if (v instanceof Double d) return Double.isFinite(d) ? d.toString() : "Double.valueOf(\"" + d + "\")";
        if (v instanceof Duration d) return "Duration.ofNanos(" + d.toNanos() + "L)";
        if (v instanceof Distribution d) {
            DistributionUnit unit = component == null ? null : component.getAnnotation(DistributionUnit.class);
            return "Distributions.parse(" + literal(d.describe()) + ", Unit."
                    + (unit == null ? Unit.SECONDS : unit.value()) + ")";
        }
        if (v instanceof Enum<?> e) return e.getDeclaringClass().getCanonicalName() + "." + e.name();
        if (v instanceof List<?> list) {
            StringBuilder b = new StringBuilder("List.of(");
            for (int i = 0; i < list.size(); i++) b.append(i == 0 ? "" : ", ").append(expr(list.get(i), null));
            return b.append(')').toString();
        }
        if (v instanceof Map<?, ?> map) {
            StringBuilder b = new StringBuilder("map(");
            int i = 0;
            for (var e : map.entrySet()) {
                b.append(i++ == 0 ? "\n                " : ",\n                ")
                        .append(expr(e.getKey(), null))
                        .append(", ")
                        .append(expr(e.getValue(), null));
            }
            return b.append(')').toString();
        }
        if (v instanceof Record r) {
            String name = r.getClass().getCanonicalName();
            StringBuilder b = new StringBuilder("new ")
                    .append(name.startsWith(CONFIG_PACKAGE) ? name.substring(CONFIG_PACKAGE.length()) : name)
                    .append('(');
            RecordComponent[] parts = r.getClass().getRecordComponents();
            for (int i = 0; i < parts.length; i++) {
                try {
                    b.append(i == 0 ? "" : ", ")
                            .append(expr(parts[i].getAccessor().invoke(r), parts[i]));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
            return b.append(')').toString();
        }
        throw new IllegalArgumentException("cannot render " + v.getClass());
    }

    private static String literal(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                default -> b.append(ch < 0x20 || ch > 0x7e ? String.format("\\u%04x", (int) ch) : String.valueOf(ch));
            }
        }
        return b.append('"').toString();
    }
}
