package dev.llmlab.sim.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Compares a response with a golden fixture written from the public API reference. The fixture
 * fixes field names, their order, nesting and types; values that vary per call are written as
 * placeholders: {@code "$string"}, {@code "$int"}, {@code "$number"}, {@code "$any"}, and
 * {@code "$prefix:chatcmpl-"} for strings with a fixed prefix. Everything else must be equal.
 */
final class Golden {
    private Golden() {}

    static void assertMatches(String actualJson, String fixture) {
        JsonNode expected = SimHarness.json(read(fixture));
        JsonNode actual = SimHarness.json(actualJson);
        List<String> problems = new ArrayList<>();
        compare("$", expected, actual, problems);
        assertThat(problems)
                .as("differences from golden/%s in %s", fixture, actualJson)
                .isEmpty();
    }

    private static void compare(String path, JsonNode exp, JsonNode act, List<String> problems) {
        if (exp.isString() && exp.stringValue().startsWith("$")) {
            String p = exp.stringValue();
            boolean ok = switch (p) {
                case "$string" -> act.isString();
                case "$int" -> act.isIntegralNumber();
                case "$number" -> act.isNumber();
                case "$any" -> true;
                default ->
                    p.startsWith("$prefix:")
                            && act.isString()
                            && act.stringValue().startsWith(p.substring(8));
            };
            if (!ok) problems.add(path + ": expected " + p + ", got " + act);
            return;
        }
        if (exp.isObject()) {
            if (!act.isObject()) {
                problems.add(path + ": expected an object, got " + act);
                return;
            }
            List<String> en = new ArrayList<>(exp.propertyNames());
            List<String> an = new ArrayList<>(act.propertyNames());
            if (!en.equals(an)) problems.add(path + ": fields " + an + " instead of " + en);
            for (String name : en) {
                if (act.has(name)) compare(path + "." + name, exp.get(name), act.get(name), problems);
            }
            return;
        }
        if (exp.isArray()) {
            if (!act.isArray() || act.size() != exp.size()) {
                problems.add(path + ": expected an array of " + exp.size() + ", got " + act);
                return;
            }
            for (int i = 0; i < exp.size(); i++) compare(path + "[" + i + "]", exp.get(i), act.get(i), problems);
            return;
        }
        if (!exp.equals(act)) problems.add(path + ": expected " + exp + ", got " + act);
    }

    private static String read(String fixture) {
        try (InputStream in = Golden.class.getResourceAsStream("/golden/" + fixture)) {
            if (in == null) throw new IllegalArgumentException("no fixture golden/" + fixture);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
