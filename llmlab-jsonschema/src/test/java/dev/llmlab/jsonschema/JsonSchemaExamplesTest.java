package dev.llmlab.jsonschema;

import static dev.llmlab.jsonschema.TestJson.json;
import static dev.llmlab.jsonschema.TestJson.schema;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Schemas as people write them for OpenAI tools and Structured Outputs: generate many, all must validate. */
class JsonSchemaExamplesTest {

    private static final int SAMPLES = 300;

    /** Generates SAMPLES instances with a fixed seed, asserts each validates, and hands each to a check. */
    private static List<JsonNode> samples(JsonSchema s, Consumer<JsonNode> check) {
        SplittableRandom rng = new SplittableRandom(42);
        List<JsonNode> out = new ArrayList<>();
        for (int i = 0; i < SAMPLES; i++) {
            JsonNode v = s.generate(rng);
            assertThat(s.validate(v)).as("instance %s", v).isEmpty();
            check.accept(v);
            out.add(v);
        }
        return out;
    }

    @Test
    void generate_getWeather_producesLocationAndUnitFromEnum() {
        JsonSchema s = schema("""
        {"type": "object",
         "properties": {
           "location": {"type": "string", "description": "The city and state, e.g. San Francisco, CA"},
           "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}},
         "required": ["location"]}""");
        Set<String> units = new HashSet<>();
        int withUnit = 0;
        for (JsonNode v :
                samples(s, v -> assertThat(v.get("location").stringValue()).contains(", "))) {
            if (v.has("unit")) {
                withUnit++;
                units.add(v.get("unit").stringValue());
            }
        }
        assertThat(units).containsExactlyInAnyOrder("celsius", "fahrenheit");
        assertThat(withUnit)
                .as("optional property included with some probability")
                .isBetween(150, 290);
    }

    @Test
    void generate_strictMode_hasExactlyTheDeclaredProperties() {
        JsonSchema s = schema("""
        {"type": "object",
         "properties": {
           "name": {"type": "string"},
           "date": {"type": "string", "format": "date"},
           "participants": {"type": "array", "items": {"type": "string"}},
           "note": {"type": ["string", "null"]}},
         "required": ["name", "date", "participants", "note"],
         "additionalProperties": false}""");
        Set<Boolean> noteNull = new HashSet<>();
        samples(s, v -> {
            assertThat(v.propertyNames()).containsExactly("name", "date", "participants", "note");
            assertThat(v.get("date").stringValue()).matches("\\d{4}-\\d{2}-\\d{2}");
            noteNull.add(v.get("note").isNull());
        });
        assertThat(noteNull).containsExactlyInAnyOrder(true, false);
    }

    @Test
    void generate_nestedObjects_respectsAllLevels() {
        JsonSchema s = schema("""
        {"type": "object",
         "properties": {
           "customer": {"type": "object",
             "properties": {
               "name": {"type": "string", "minLength": 1},
               "email": {"type": "string", "format": "email"},
               "address": {"type": "object",
                 "properties": {"street": {"type": "string"}, "zip": {"type": "string", "pattern": "^[0-9]{5}$"}},
                 "required": ["street", "zip"], "additionalProperties": false}},
             "required": ["name", "email", "address"]},
           "total": {"type": "number", "minimum": 0, "exclusiveMaximum": 10000, "multipleOf": 0.01}},
         "required": ["customer", "total"]}""");
        samples(s, v -> {
            assertThat(v.at("/customer/address/zip").stringValue()).matches("[0-9]{5}");
            assertThat(v.at("/customer/email").stringValue()).contains("@");
        });
    }

    @Test
    void generate_arrayOfObjects_boundsItems() {
        JsonSchema s = schema("""
        {"type": "object",
         "properties": {
           "steps": {"type": "array", "minItems": 1, "maxItems": 5,
             "items": {"type": "object",
               "properties": {"explanation": {"type": "string"}, "output": {"type": "string"}},
               "required": ["explanation", "output"], "additionalProperties": false}},
           "final_answer": {"type": "string"}},
         "required": ["steps", "final_answer"], "additionalProperties": false}""");
        samples(s, v -> assertThat(v.get("steps").size()).isBetween(1, 5));
    }

    @Test
    void generate_unboundedArray_staysSmall() {
        JsonSchema s = schema("""
        {"type": "array", "items": {"type": "array", "items": {"type": "integer"}}}""");
        samples(s, v -> {
            assertThat(v.size()).isLessThanOrEqualTo(Generator.TYPICAL_ITEMS);
            v.forEach(inner -> assertThat(inner.size()).isLessThanOrEqualTo(Generator.TYPICAL_ITEMS));
        });
    }

    @Test
    void generate_anyOfWithNull_producesBothBranches() {
        JsonSchema s = schema("""
        {"type": "object",
         "properties": {"age": {"anyOf": [{"type": "integer", "minimum": 0, "maximum": 150}, {"type": "null"}]}},
         "required": ["age"], "additionalProperties": false}""");
        Set<Boolean> nulls = new HashSet<>();
        samples(s, v -> nulls.add(v.get("age").isNull()));
        assertThat(nulls).containsExactlyInAnyOrder(true, false);
    }

    @Test
    void generate_linkedListViaDefs_terminates() {
        JsonSchema s = schema("""
        {"$ref": "#/$defs/node",
         "$defs": {"node": {"type": "object",
           "properties": {"value": {"type": "integer"},
                          "next": {"anyOf": [{"$ref": "#/$defs/node"}, {"type": "null"}]}},
           "required": ["value", "next"], "additionalProperties": false}}}""");
        int maxLength = 0;
        for (JsonNode v : samples(s, v -> {})) {
            int length = 0;
            for (JsonNode n = v; !n.isNull(); n = n.get("next")) {
                length++;
            }
            maxLength = Math.max(maxLength, length);
        }
        assertThat(maxLength).as("some lists are longer than one node").isGreaterThan(2);
    }

    @Test
    void generate_recursiveUiTreeViaRoot_isBoundedAndValid() {
        // the UI example of the Structured Outputs guide: recursion through "#"
        JsonSchema s = schema("""
        {"type": "object",
         "properties": {
           "type": {"type": "string", "enum": ["div", "button", "header", "section", "field", "form"]},
           "label": {"type": "string"},
           "children": {"type": "array", "items": {"$ref": "#"}},
           "attributes": {"type": "array", "items": {"type": "object",
             "properties": {"name": {"type": "string"}, "value": {"type": "string"}},
             "required": ["name", "value"], "additionalProperties": false}}},
         "required": ["type", "label", "children", "attributes"],
         "additionalProperties": false}""");
        int deepest = 0;
        for (JsonNode v : samples(s, v -> assertThat(v.toString().length()).isLessThan(60_000))) {
            deepest = Math.max(deepest, depth(v));
        }
        assertThat(deepest).isGreaterThan(3);
    }

    private static int depth(JsonNode v) {
        int d = 0;
        for (JsonNode c : v) {
            d = Math.max(d, depth(c));
        }
        return d + (v.isContainer() ? 1 : 0);
    }

    @Test
    void generate_mutualRecursionWithoutOptionalExit_usesCheapestBranch() {
        JsonSchema s = schema("""
        {"$defs": {
           "expr": {"oneOf": [
             {"type": "object", "properties": {"op": {"const": "add"}, "args": {"type": "array",
               "items": {"$ref": "#/$defs/expr"}, "minItems": 2, "maxItems": 2}},
              "required": ["op", "args"], "additionalProperties": false},
             {"type": "object", "properties": {"num": {"type": "number"}}, "required": ["num"],
              "additionalProperties": false}]}},
         "$ref": "#/$defs/expr"}""");
        samples(s, v -> assertThat(v.toString().length()).isLessThan(100_000));
    }

    @Test
    void generate_allOfMerge_satisfiesEveryMember() {
        JsonSchema s = schema("""
        {"allOf": [
           {"type": "object", "properties": {"id": {"type": "integer", "minimum": 10}}, "required": ["id"]},
           {"properties": {"id": {"maximum": 20, "multipleOf": 3}, "tag": {"type": "string", "maxLength": 4}},
            "required": ["tag"]},
           {"properties": {"tag": {"pattern": "^[a-z]+$"}}}]}""");
        samples(s, v -> assertThat(v.get("id").intValue()).isIn(12, 15, 18));
    }

    @Test
    void generate_oneOf_matchesExactlyOneBranch() {
        JsonSchema s = schema("""
        {"oneOf": [{"type": "integer", "multipleOf": 3}, {"type": "integer", "multipleOf": 5}]}""");
        samples(s, v -> assertThat(v.intValue() % 15).isNotZero());
    }

    @Test
    void generate_uniqueItemsFromSmallEnum_isDistinct() {
        JsonSchema s = schema("""
        {"type": "array", "items": {"enum": ["a", "b", "c"]}, "minItems": 3, "uniqueItems": true}""");
        samples(s, v -> assertThat(v.size()).isEqualTo(3));
    }

    @Test
    void generate_typeless_isValidAndVaried() {
        JsonSchema s = schema("{}");
        Set<String> kinds = new HashSet<>();
        samples(s, v -> kinds.add(v.getNodeType().name()));
        assertThat(kinds.size()).isGreaterThan(1);
    }

    @Test
    void generate_formats_areValid() {
        JsonSchema s = schema("""
        {"type": "object",
         "properties": {
           "a": {"type": "string", "format": "date-time"}, "b": {"type": "string", "format": "time"},
           "c": {"type": "string", "format": "uuid"}, "d": {"type": "string", "format": "ipv4"},
           "e": {"type": "string", "format": "hostname"}, "f": {"type": "string", "format": "uri"},
           "g": {"type": "string", "format": "duration"}, "h": {"type": "string", "format": "ipv6"}},
         "required": ["a", "b", "c", "d", "e", "f", "g", "h"]}""");
        samples(s, v -> {});
    }

    @Test
    void generate_sameSeed_sameInstance() {
        JsonSchema s = schema("""
        {"type": "object", "properties": {"x": {"type": "array", "items": {"type": "string"}},
         "y": {"type": "number"}, "z": {"anyOf": [{"type": "string"}, {"type": "boolean"}]}}}""");
        for (long seed = 0; seed < 20; seed++) {
            assertThat(s.generate(new SplittableRandom(seed))).isEqualTo(s.generate(new SplittableRandom(seed)));
        }
    }

    @Test
    void generate_defaultAndExamples_areSometimesUsed() {
        JsonSchema s = schema("""
        {"type": "string", "examples": ["Ada Lovelace"], "default": "Grace Hopper"}""");
        Set<String> seen = new HashSet<>();
        samples(s, v -> seen.add(v.stringValue()));
        assertThat(seen).contains("Ada Lovelace", "Grace Hopper");
    }

    @Test
    void generate_doesNotShareNodesWithTheSchema() {
        JsonNode doc = json("""
        {"const": {"a": [1, 2]}}""");
        JsonSchema s = JsonSchema.compile(doc);
        ((tools.jackson.databind.node.ObjectNode) s.generate(new SplittableRandom(1))).put("b", 3);
        assertThat(doc.toString()).isEqualTo("{\"const\":{\"a\":[1,2]}}");
    }

    @Test
    void anyObject_isSmallObject() {
        SplittableRandom rng = new SplittableRandom(7);
        for (int i = 0; i < 200; i++) {
            JsonNode v = JsonSchema.anyObject(rng);
            assertThat(v.isObject()).isTrue();
            assertThat(v.size()).isBetween(2, 4);
        }
        assertThat(JsonSchema.anyObject(new SplittableRandom(3)))
                .isEqualTo(JsonSchema.anyObject(new SplittableRandom(3)));
    }
}
