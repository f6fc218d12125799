package dev.llmlab.jsonschema;

import static dev.llmlab.jsonschema.TestJson.json;
import static dev.llmlab.jsonschema.TestJson.schema;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Schemas compile refuses, with a pointer to the keyword at fault. */
class JsonSchemaCompileTest {

    private static SchemaException refused(String schema) {
        SchemaException e = catchThrowableOfType(SchemaException.class, () -> schema(schema));
        assertThat(e).as("compile(%s) should throw", schema).isNotNull();
        assertThat(e.getMessage()).startsWith("#" + e.pointer() + ": ");
        return e;
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
      {"type": "object", "properties": {"location": {"type": "strin"}}}         | /properties/location/type
      {"type": ["string", 3]}                                                   | /type/1
      {"type": ["string", "string"]}                                            | /type/1
      {"type": []}                                                              | /type
      {"properties": []}                                                        | /properties
      {"properties": {"a": 5}}                                                  | /properties/a
      {"required": "a"}                                                         | /required
      {"required": ["a", 1]}                                                    | /required/1
      {"additionalProperties": "no"}                                            | /additionalProperties
      {"enum": "a"}                                                             | /enum
      {"minLength": -1}                                                         | /minLength
      {"maxItems": 1.5}                                                         | /maxItems
      {"minimum": "3"}                                                          | /minimum
      {"multipleOf": 0}                                                         | /multipleOf
      {"uniqueItems": "yes"}                                                    | /uniqueItems
      {"pattern": "a("}                                                         | /pattern
      {"pattern": "(?=a)b"}                                                     | /pattern
      {"pattern": "(a)\\\\1"}                                                   | /pattern
      {"pattern": "\\\\bword"}                                                  | /pattern
      {"pattern": "a*+"}                                                        | /pattern
      {"pattern": "a^b"}                                                        | /pattern
      {"pattern": "\\\\p{L}+"}                                                  | /pattern
      {"format": 5}                                                             | /format
      {"anyOf": []}                                                             | /anyOf
      {"oneOf": {}}                                                             | /oneOf
      {"allOf": [{"type": "nope"}]}                                             | /allOf/0/type
      {"not": 1}                                                                | /not
      {"items": {"minItems": -2}}                                               | /items/minItems
      {"prefixItems": [], "type": "array"}                                      | /prefixItems
      {"$ref": "#/$defs/missing"}                                               | /$ref
      {"$ref": "other.json#/a"}                                                 | /$ref
      {"$ref": "#anchor"}                                                       | /$ref
      {"$ref": 5}                                                               | /$ref
      {"$ref": "#"}                                                             | /$ref
      {"anyOf": [{"type": "string"}, {"$ref": "#"}]}                            | /anyOf/1/$ref
      {"$defs": {"a": {"type": "strng"}}, "type": "string"}                     | /$defs/a/type
      {"definitions": {"a~b": {"minimum": "x"}}}                                | /definitions/a~0b/minimum
      {"if": {"type": "string"}, "then": {"minLength": 1}}                      | /if
      {"patternProperties": {"^a": {}}}                                         | /patternProperties
      {"properties": {"a/b": {"contains": {}}}}                                 | /properties/a~1b/contains
      """)
    void compile_invalidSchema_throwsWithPointer(String schema, String pointer) {
        assertThat(refused(schema).pointer()).isEqualTo(pointer);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
      {"type": "integer", "minimum": 5, "maximum": 3}                                                 | /maximum
      {"type": "integer", "exclusiveMinimum": 1, "exclusiveMaximum": 2}                               | /exclusiveMaximum
      {"type": "integer", "minimum": 1, "maximum": 9, "multipleOf": 10}                               | /maximum
      {"type": "string", "minLength": 5, "maxLength": 2}                                              | /maxLength
      {"type": "array", "minItems": 3, "maxItems": 1}                                                 | /maxItems
      {"type": "string", "enum": [1, 2]}                                                              | /enum
      {"type": "string", "const": 1}                                                                  | /const
      {"type": "object", "required": ["a"], "additionalProperties": false}                            | /required
      {"type": "object", "properties": {"a": false}, "required": ["a"]}                               | /required
      {"type": "object", "properties": {"a": {"type": "integer", "minimum": 3, "maximum": 1}}, "required": ["a"]} | /properties/a/maximum
      {"allOf": [{"type": "string"}, {"type": "integer"}]}                                            | /allOf/1/type
      false                                                                                           | ''
      {"$defs": {"n": {"type": "object", "properties": {"next": {"$ref": "#/$defs/n"}}, "required": ["next"]}}, "$ref": "#/$defs/n"} | /$defs/n/required
      {"type": "string", "pattern": "^[a-z]{10}$", "maxLength": 5}                                    | /pattern
      {"type": "string", "pattern": "^[a-z]{2,3}$", "minLength": 4}                                   | ''
      {"type": "string", "format": "uuid", "maxLength": 20}                                           | /maxLength
      {"type": "object", "properties": {"a": {}}, "additionalProperties": false, "minProperties": 2}   | /minProperties
      {"type": "object", "not": {"maxLength": 2}}                                                     | /not
      {"type": "boolean", "not": {"enum": [true, false]}}                                             | /not
      {"type": "array", "items": {"type": "boolean"}, "minItems": 3, "uniqueItems": true}             | ''
      """)
    void compile_unsatisfiableSchema_throwsWithPointer(String schema, String pointer) {
        SchemaException e = refused(schema);
        assertThat(e.pointer()).isEqualTo(pointer);
        assertThat(e.getMessage()).containsAnyOf("admits no valid instance", "no valid instance could be generated");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "{\"type\": \"boolean\", \"not\": {\"enum\": [false]}}",
                "{\"type\": \"string\", \"pattern\": \"[aeiou]\", \"not\": {\"maxLength\": 2}}",
                "{\"type\": \"string\", \"pattern\": \"[aeiou]\", \"minLength\": 12}",
                "{\"type\": \"string\", \"pattern\": \"^[0-9]{3}\", \"minLength\": 8, \"maxLength\": 9}",
                "{\"type\": \"string\", \"pattern\": \"x|y|z\", \"minLength\": 5}",
                "{\"type\": \"array\", \"items\": {\"type\": [\"object\", \"boolean\"]}, \"minItems\": 3, \"uniqueItems\": true}",
                "{\"type\": \"array\", \"items\": {\"type\": \"object\"}, \"minItems\": 4, \"maxItems\": 4, \"uniqueItems\": true}",
                "{\"type\": \"number\", \"not\": {\"type\": \"integer\"}, \"minimum\": 1, \"maximum\": 2}",
                "{\"oneOf\": [{\"type\": \"number\"}, {\"type\": \"integer\"}]}",
                "{\"oneOf\": [{\"type\": \"string\"}, {\"type\": \"string\", \"pattern\": \"^\\\\S+$\"}]}"
            })
    void compile_satisfiableByCheckingOnly_isAcceptedAndGenerates(String schema) {
        JsonSchema s = schema(schema);
        SplittableRandom rng = new SplittableRandom(5);
        for (int i = 0; i < 200; i++) {
            tools.jackson.databind.JsonNode v = s.generate(rng);
            assertThat(s.validate(v)).as("instance %s", v).isEmpty();
        }
    }

    @Test
    void compile_validRegionOutOfReach_isRefusedAsNotGenerated() {
        // valid instances exist (strings over 100000 characters) but generation does not find them: refused, and said
        // so
        SchemaException e = refused("""
        {"oneOf": [{"type": "string"}, {"type": "string", "maxLength": 100000}]}""");
        assertThat(e.getMessage()).contains("no valid instance could be generated");
    }

    @Test
    void compile_unsatisfiableOptionalPart_isAccepted() {
        JsonSchema s = schema("""
        {"type": "object", "properties": {"a": {"type": "integer", "minimum": 3, "maximum": 1}}}""");
        assertThat(s.generate(new SplittableRandom(1)).has("a")).isFalse();
    }

    @Test
    void compile_notASchema_throwsAtRoot() {
        assertThat(refused("[1, 2]").pointer()).isEmpty();
        assertThat(refused("\"string\"").pointer()).isEmpty();
        assertThatThrownBy(() -> JsonSchema.compile(null)).isInstanceOf(SchemaException.class);
    }

    @Test
    void compile_unknownKeywordsAndAnnotations_areIgnored() {
        JsonSchema s = schema("""
        {"type": "string", "x-vendor": {"type": 5}, "title": "t", "description": "d", "$comment": "c",
         "deprecated": true, "readOnly": true, "format": "color", "$schema": "https://json-schema.org/draft/2020-12/schema",
         "nullable": true, "strict": true}""");
        assertThat(s.validate(json("\"anything\""))).isEmpty();
    }

    @Test
    void compile_refToIdAndPercentEncodedPointer_resolves() {
        JsonSchema s = schema("""
        {"$id": "https://example.com/s.json", "type": "object",
         "properties": {"a": {"$ref": "https://example.com/s.json#/$defs/my%20type"},
                        "b": {"$ref": "#/properties/a"}},
         "$defs": {"my type": {"type": "integer"}}}""");
        assertThat(s.validate(json("{\"a\": 1, \"b\": 2}"))).isEmpty();
        assertThat(s.validate(json("{\"a\": 1, \"b\": \"x\"}"))).containsExactly("/b: expected integer, got string");
    }

    @Test
    void compile_draft4ExclusiveBooleanAndDraft7TupleItems_areUnderstood() {
        JsonSchema s = schema("""
        {"type": "array", "items": [{"type": "number", "minimum": 0, "exclusiveMinimum": true}],
         "additionalItems": false}""");
        assertThat(s.validate(json("[0]"))).containsExactly("/0: must be > 0, got 0");
        assertThat(s.validate(json("[1, 2]"))).containsExactly("/1: no item is allowed at index 1 (items is false)");
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < 100; i++) {
            assertThat(s.validate(s.generate(rng))).isEmpty();
        }
    }

    @Test
    void weight_combinators_growWithTheShapesTheyMultiplyInto() {
        JsonSchema flat = schema("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"},"
                + "\"b\":{\"type\":\"integer\"}},\"required\":[\"a\",\"b\"]}");
        StringBuilder nine = new StringBuilder("{\"allOf\":[");
        for (int k = 0; k < 9; k++) {
            nine.append(k > 0 ? "," : "")
                    .append("{\"anyOf\":[{\"type\":\"string\",\"minLength\":")
                    .append(k)
                    .append("},{\"type\":\"string\",\"maxLength\":")
                    .append(50 + k)
                    .append("}]}");
        }
        JsonSchema combined = schema(nine.append("]}").toString());
        assertThat(flat.weight()).isBetween(4, 20);
        assertThat(combined.weight())
                .as("2^9 branch choices, each a shape, and the dispatches above them")
                .isGreaterThan(512);
    }
}
