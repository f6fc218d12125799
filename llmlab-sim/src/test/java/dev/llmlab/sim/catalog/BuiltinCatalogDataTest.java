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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link BuiltinCatalogData} is {@code llmlab/builtin.yaml} rendered as builder calls; this
 * test renders the YAML again and fails when the committed class differs, so the two cannot drift.
 * After editing the YAML, regenerate with
 * {@code ./build -pl llmlab-sim -am test -Dtest=BuiltinCatalogDataTest -Dllmlab.regenerate=true -Dsurefire.failIfNoSpecifiedTests=false}.
 * When a configuration field was renamed or removed, the old class no longer compiles: first reduce
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

    private static final String INDENT = "    ";
    private static final String CONTINUATION = INDENT + INDENT;

    /**
     * The class: {@code config()} builds the top level by name, and each collection of the top level
     * (profiles, models, engine presets) gets a method of its own. Records with a builder are built
     * naming each field set; the others (two or three required fields) by their constructor.
     */
    private static String render(SimConfig c) {
        StringBuilder top = new StringBuilder("SimConfig.builder()");
        StringBuilder methods = new StringBuilder();
        for (RecordComponent part : SimConfig.class.getRecordComponents()) {
            Object value = get(part, c);
            if (value == null
                    || (value instanceof Map<?, ?> m && m.isEmpty())
                    || (value instanceof List<?> l && l.isEmpty())) {
                continue;
            }
            String name = part.getName();
            top.append('\n')
                    .append(CONTINUATION + CONTINUATION)
                    .append('.')
                    .append(name)
                    .append('(');
            if (value instanceof Map<?, ?> map) {
                top.append(name).append("())");
                methods.append(mapMethod(name, map));
            } else if (value instanceof List<?> list && list.getFirst() instanceof Record) {
                top.append(name).append("())");
                methods.append(listMethod(name, list));
            } else {
                top.append(expr(value, part, CONTINUATION + CONTINUATION)).append(')');
            }
        }
        top.append('\n').append(CONTINUATION + CONTINUATION).append(".build()");
        return """
        // Generated from llmlab/builtin.yaml by BuiltinCatalogDataTest. Do not edit: edit the YAML, then
        // ./build -pl llmlab-sim -am test -Dtest=BuiltinCatalogDataTest -Dllmlab.regenerate=true -Dsurefire.failIfNoSpecifiedTests=false
        package dev.llmlab.sim.catalog;

        import dev.llmlab.core.dist.Distributions;
        import dev.llmlab.core.dist.Distributions.Unit;
        import dev.llmlab.sim.config.*;
        import java.time.Duration;
        import java.time.temporal.ChronoUnit;
        import java.util.LinkedHashMap;
        import java.util.List;
        import java.util.Map;

        /**
         * The built-in catalog as builder calls. Binding the YAML with Jackson on a cold JVM was the
         * longest step of a simulator's start (about 200 ms of the first answer on two cores); these
         * calls take well under a millisecond. The YAML stays the source and the documentation.
         */
        final class BuiltinCatalogData {
            private BuiltinCatalogData() {}

            static SimConfig config() {
                return %s;
            }
        %s}
        """.formatted(top, methods);
    }

    /** {@code private static Map<String, V> name()}, filling an insertion-ordered map entry by entry. */
    private static String mapMethod(String name, Map<?, ?> map) {
        String type = typeName(map.values().iterator().next());
        StringBuilder b = new StringBuilder("\n")
                .append(INDENT)
                .append("private static Map<String, ")
                .append(type)
                .append("> ")
                .append(name)
                .append("() {\n")
                .append(CONTINUATION)
                .append("Map<String, ")
                .append(type)
                .append("> m = new LinkedHashMap<>();\n");
        for (var e : map.entrySet()) {
            b.append(CONTINUATION)
                    .append("m.put(")
                    .append(expr(e.getKey(), null, CONTINUATION))
                    .append(", ")
                    .append(expr(e.getValue(), null, CONTINUATION))
                    .append(");\n");
        }
        return b.append(CONTINUATION)
                .append("return m;\n")
                .append(INDENT)
                .append("}\n")
                .toString();
    }

    /** {@code private static List<V> name()}, one element after the other. */
    private static String listMethod(String name, List<?> list) {
        String element = CONTINUATION + INDENT + INDENT;
        StringBuilder b = new StringBuilder("\n")
                .append(INDENT)
                .append("private static List<")
                .append(typeName(list.getFirst()))
                .append("> ")
                .append(name)
                .append("() {\n")
                .append(CONTINUATION)
                .append("return List.of(");
        for (int i = 0; i < list.size(); i++) {
            b.append(i == 0 ? "\n" : ",\n").append(element).append(expr(list.get(i), null, element));
        }
        return b.append(");\n").append(INDENT).append("}\n").toString();
    }

    /**
     * A Java expression for {@code v}; {@code component} tells a distribution's unit, {@code indent}
     * is the indentation of the line the expression starts on.
     */
    private static String expr(Object v, RecordComponent component, String indent) {
        if (v == null) return "null";
        if (v instanceof String s) return literal(s);
        if (v instanceof Integer || v instanceof Boolean) return v.toString();
        if (v instanceof Long l) return l + "L";
        if (v instanceof Double d) return Double.isFinite(d) ? d.toString() : "Double.valueOf(\"" + d + "\")";
        if (v instanceof Duration d) return duration(d);
        if (v instanceof Distribution d) {
            DistributionUnit unit = component == null ? null : component.getAnnotation(DistributionUnit.class);
            return "Distributions.parse(" + literal(d.describe()) + ", Unit."
                    + (unit == null ? Unit.SECONDS : unit.value()) + ")";
        }
        if (v instanceof Enum<?> e) return e.getDeclaringClass().getCanonicalName() + "." + e.name();
        if (v instanceof List<?> list) {
            List<String> elements = new ArrayList<>();
            for (Object e : list) elements.add(expr(e, null, indent + CONTINUATION));
            return call("List.of", elements, indent);
        }
        if (v instanceof Record r) return hasBuilder(r) ? built(r, indent) : constructed(r, indent);
        throw new IllegalArgumentException("cannot render " + v.getClass());
    }

    /** {@code X.builder()}, then one line per field that is set, then {@code .build()}. */
    private static String built(Record r, String indent) {
        String inner = indent + CONTINUATION;
        StringBuilder b = new StringBuilder(typeName(r)).append(".builder()");
        for (RecordComponent part : r.getClass().getRecordComponents()) {
            Object value = get(part, r);
            if (value == null) continue;
            b.append('\n')
                    .append(inner)
                    .append('.')
                    .append(part.getName())
                    .append('(')
                    .append(expr(value, part, inner))
                    .append(')');
        }
        return b.append('\n').append(inner).append(".build()").toString();
    }

    private static String constructed(Record r, String indent) {
        List<String> args = new ArrayList<>();
        for (RecordComponent part : r.getClass().getRecordComponents()) {
            args.add(expr(get(part, r), part, indent + CONTINUATION));
        }
        return call("new " + typeName(r), args, indent);
    }

    /** {@code f(a, b)} on one line when short, else one argument per line. */
    private static String call(String f, List<String> args, String indent) {
        String inline = f + "(" + String.join(", ", args) + ")";
        if (inline.length() <= 80 && !inline.contains("\n")) return inline;
        return f + "(\n" + indent + CONTINUATION + String.join(",\n" + indent + CONTINUATION, args) + ")";
    }

    private static boolean hasBuilder(Record r) {
        try {
            r.getClass().getMethod("builder");
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /** The largest whole unit: {@code Duration.ofMillis(6)} rather than six million nanoseconds. */
    private static String duration(Duration d) {
        long nanos = d.toNanos();
        if (nanos % 1_000_000_000L == 0) return "Duration.ofSeconds(" + nanos / 1_000_000_000L + ")";
        if (nanos % 1_000_000L == 0) return "Duration.ofMillis(" + nanos / 1_000_000L + ")";
        if (nanos % 1_000L == 0) return "Duration.of(" + nanos / 1_000L + ", ChronoUnit.MICROS)";
        return "Duration.ofNanos(" + nanos + ")";
    }

    private static String typeName(Object v) {
        String name = v.getClass().getCanonicalName();
        return name.startsWith(CONFIG_PACKAGE) ? name.substring(CONFIG_PACKAGE.length()) : name;
    }

    private static Object get(RecordComponent part, Object owner) {
        try {
            return part.getAccessor().invoke(owner);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
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
