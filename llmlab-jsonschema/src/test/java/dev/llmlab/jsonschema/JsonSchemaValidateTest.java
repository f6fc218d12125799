package dev.llmlab.jsonschema;

import static dev.llmlab.jsonschema.TestJson.json;
import static dev.llmlab.jsonschema.TestJson.schema;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Invalid instances and the violations reported for them: pointer into the instance, then the problem. */
class JsonSchemaValidateTest {

    private static final JsonSchema WEATHER = schema("""
      {"type": "object",
       "properties": {
         "location": {"type": "string", "minLength": 2},
         "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
         "days": {"type": "integer", "minimum": 1, "maximum": 14},
         "hours": {"type": "array", "items": {"type": "integer", "minimum": 0, "exclusiveMaximum": 24},
                   "maxItems": 3, "uniqueItems": true},
         "options": {"type": "object", "properties": {"alerts": {"type": "boolean"}},
                     "additionalProperties": false}},
       "required": ["location", "unit"],
       "additionalProperties": false}""");

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
      {"location": "Paris", "unit": "kelvin"}                                | /unit: must be one of ["celsius", "fahrenheit"], got "kelvin"
      {"location": "P", "unit": "celsius"}                                   | /location: length 1 is shorter than minLength 2
      {"location": 3, "unit": "celsius"}                                     | /location: expected string, got integer
      {"unit": "celsius"}                                                    | : missing required property "location"
      {"location": "Paris", "unit": "celsius", "days": 15}                   | /days: must be <= 14, got 15
      {"location": "Paris", "unit": "celsius", "days": 2.5}                  | /days: expected integer, got number
      {"location": "Paris", "unit": "celsius", "hours": [1, 24]}             | /hours/1: must be < 24, got 24
      {"location": "Paris", "unit": "celsius", "hours": [1, 2, 1]}           | /hours: items 0 and 2 are equal but uniqueItems is true
      {"location": "Paris", "unit": "celsius", "hours": [1, 2, 3, 4]}        | /hours: 4 items, more than maxItems 3
      {"location": "Paris", "unit": "celsius", "options": {"sound": true}}   | /options/sound: property "sound" is not allowed (additionalProperties is false)
      {"location": "Paris", "unit": "celsius", "options": {"alerts": "no"}}  | /options/alerts: expected boolean, got string
      {"location": "Paris", "unit": "celsius", "x/y~z": 1}                   | /x~1y~0z: property "x/y~z" is not allowed (additionalProperties is false)
      ["Paris"]                                                              | : expected object, got array
      """)
    void validate_invalidWeatherArguments_reportsPointerAndProblem(String instance, String violation) {
        assertThat(WEATHER.validate(json(instance))).containsExactly(violation);
    }

    @Test
    void validate_validInstance_isEmpty() {
        assertThat(WEATHER.validate(json("""
        {"location": "Paris, France", "unit": "celsius", "days": 3, "hours": [0, 23.0], "options": {}}"""))).isEmpty();
    }

    @Test
    void validate_severalProblems_reportsEach() {
        assertThat(WEATHER.validate(json("""
        {"location": "", "unit": 1, "extra": null}""")))
                .containsExactlyInAnyOrder(
                        "/location: length 0 is shorter than minLength 2",
                        "/unit: expected string, got integer",
                        "/unit: must be one of [\"celsius\", \"fahrenheit\"], got 1",
                        "/extra: property \"extra\" is not allowed (additionalProperties is false)");
    }

    @Test
    void validate_anyOfWithNull_reportsTheBranchThatFitsTheShape() {
        JsonSchema s = schema("""
        {"type": "object", "properties": {"when": {"anyOf": [
           {"type": "object", "properties": {"date": {"type": "string", "format": "date"}}, "required": ["date"]},
           {"type": "null"}]}}}""");
        assertThat(s.validate(json("{\"when\": {\"date\": \"2024-02-30\"}}")))
                .containsExactly("/when/date: is not a valid date: \"2024-02-30\"");
        assertThat(s.validate(json("{\"when\": 5}")))
                .containsExactly("/when: matches none of the 2 anyOf alternatives");
    }

    @Test
    void validate_oneOf_reportsNoneAndSeveral() {
        JsonSchema s = schema("""
        {"oneOf": [{"type": "integer"}, {"type": "number", "minimum": 10}]}""");
        assertThat(s.validate(json("5"))).isEmpty();
        assertThat(s.validate(json("10.5"))).isEmpty();
        assertThat(s.validate(json("12"))).containsExactly(": matches more than one oneOf alternative (0 and 1)");
        assertThat(s.validate(json("\"x\""))).containsExactly(": matches none of the 2 oneOf alternatives");
    }

    @Test
    void validate_recursiveRef_reportsDeepPointer() {
        JsonSchema s = schema("""
        {"type": "object", "properties": {"value": {"type": "integer"}, "next": {"$ref": "#"}},
         "required": ["value"]}""");
        assertThat(s.validate(json("{\"value\": 1, \"next\": {\"value\": 2, \"next\": {\"value\": \"3\"}}}")))
                .containsExactly("/next/next/value: expected integer, got string");
    }

    @Test
    void validate_numbers_useExactDecimalArithmetic() {
        JsonSchema s = schema("{\"type\": \"number\", \"multipleOf\": 0.1, \"maximum\": 1e2}");
        assertThat(s.validate(json("0.3"))).isEmpty();
        assertThat(s.validate(json("99.9"))).isEmpty();
        assertThat(s.validate(json("0.35"))).containsExactly(": must be a multiple of 0.1, got 0.35");
        assertThat(s.validate(json("100.1"))).containsExactly(": must be <= 100, got 100.1");
        assertThat(schema("{\"type\": \"integer\"}").validate(json("1.0"))).isEmpty();
        assertThat(schema("{\"const\": 1}").validate(json("1.0"))).isEmpty();
        assertThat(schema("{\"enum\": [[1, {\"a\": 2}]]}").validate(json("[1.0, {\"a\": 2.0}]")))
                .isEmpty();
    }

    @Test
    void validate_lengthsCountCodePoints() {
        JsonSchema s = schema("{\"type\": \"string\", \"maxLength\": 2}");
        assertThat(s.validate(json("\"\\uD83D\\uDE00\\uD83D\\uDE00\""))).isEmpty(); // two emoji, four UTF-16 units
        assertThat(s.validate(json("\"abc\""))).containsExactly(": length 3 is longer than maxLength 2");
    }

    @Test
    void validate_patternIsUnanchoredSearch() {
        JsonSchema s = schema("{\"type\": \"string\", \"pattern\": \"[0-9]{3}\"}");
        assertThat(s.validate(json("\"abc123def\""))).isEmpty();
        assertThat(s.validate(json("\"ab12\""))).containsExactly(": does not match pattern \"[0-9]{3}\"");
    }

    @Test
    void validate_prefixItemsAndItems_pointAtTheItem() {
        JsonSchema s = schema("""
        {"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}], "items": {"type": "boolean"}}""");
        assertThat(s.validate(json("[\"a\", 1, true, false]"))).isEmpty();
        assertThat(s.validate(json("[\"a\", \"b\", true, 3]")))
                .containsExactly("/1: expected integer, got string", "/3: expected boolean, got integer");
    }

    @Test
    void validate_notAndConstAndFalse_report() {
        assertThat(schema("{\"not\": {\"type\": \"null\"}}").validate(json("null")))
                .containsExactly(": must not match the schema under 'not'");
        assertThat(schema("{\"const\": \"a\"}").validate(json("\"b\""))).containsExactly(": must be \"a\"");
        assertThat(schema("{\"properties\": {\"a\": false}}").validate(json("{\"a\": 1}")))
                .containsExactly("/a: no value is allowed here (the schema is false)");
    }

    @Test
    void validate_minAndMaxProperties_report() {
        JsonSchema s = schema("{\"type\": \"object\", \"minProperties\": 1, \"maxProperties\": 2}");
        assertThat(s.validate(json("{}"))).containsExactly(": 0 properties, fewer than minProperties 1");
        assertThat(s.validate(json("{\"a\":1,\"b\":2,\"c\":3}")))
                .containsExactly(": 3 properties, more than maxProperties 2");
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
      date          | 2024-02-29                              | true
      date          | 2023-02-29                              | false
      date          | 2024-1-01                               | false
      date-time     | 2024-05-17T14:32:05Z                    | true
      date-time     | 2024-05-17t14:32:05.123+02:00           | true
      date-time     | 2024-05-17T14:32:05                     | false
      date-time     | 2024-05-17 14:32:05Z                    | false
      time          | 23:59:60Z                               | true
      time          | 22:59:60Z                               | false
      time          | 14:32:05                                | false
      duration      | P3DT4H                                  | true
      duration      | P1W                                     | true
      duration      | PT                                      | false
      duration      | P1H                                     | false
      email         | ada.lovelace@example.com                | true
      email         | ada@localhost                           | true
      email         | ada..l@example.com                      | false
      email         | no-at-sign                              | false
      hostname      | api.example.com                         | true
      hostname      | -bad.example.com                        | false
      hostname      | under_score.com                         | false
      ipv4          | 192.168.0.1                             | true
      ipv4          | 192.168.0.256                           | false
      ipv4          | 01.2.3.4                                | false
      ipv6          | 2001:db8::1                             | true
      ipv6          | ::ffff:192.168.0.1                      | true
      ipv6          | 1:2:3:4:5:6:7:8                         | true
      ipv6          | 1:2:3:4:5:6:7:8:9                       | false
      ipv6          | 1::2::3                                 | false
      uri           | https://example.com/a?b=c#d             | true
      uri           | /relative/path                          | false
      uri-reference | /relative/path                          | true
      uuid          | 123e4567-e89b-12d3-a456-426614174000    | true
      uuid          | 123e4567e89b12d3a456426614174000        | false
      """)
    void validate_formats_areAsserted(String format, String value, boolean valid) {
        JsonSchema s = schema("{\"type\": \"string\", \"format\": \"" + format + "\"}");
        assertThat(s.validate(json(TestJson.quote(value)))).hasSize(valid ? 0 : 1);
    }
}
