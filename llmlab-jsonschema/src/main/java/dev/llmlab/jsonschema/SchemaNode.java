package dev.llmlab.jsonschema;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * One schema object (or boolean schema) of the document, compiled keyword by keyword and kept exactly as written:
 * the validator walks these. Fields are filled by {@link SchemaCompiler} and never change after compile returns.
 * Absent keywords are null (or -1 for sizes, 0 for {@code types} meaning "no type keyword").
 */
final class SchemaNode {

    final int id;
    /** JSON Pointer of this schema in the document. */
    final String pointer;

    /** The boolean schema {@code false}, or an object schema that can never validate. */
    boolean isFalse;

    int types; // 0 = no "type" keyword
    List<JsonNode> enumValues;
    JsonNode constValue;

    // numbers
    BigDecimal minimum;
    BigDecimal maximum;
    BigDecimal exclusiveMinimum;
    BigDecimal exclusiveMaximum;
    BigDecimal multipleOf;

    // strings
    int minLength = -1;
    int maxLength = -1;
    String patternSource;
    Pattern pattern;
    Regex patternGen;
    String format;
    Formats.Kind formatKind; // null when the format is unknown (an annotation only)

    // arrays
    List<SchemaNode> prefixItems;
    SchemaNode items;
    int minItems = -1;
    int maxItems = -1;
    boolean uniqueItems;

    // objects
    Map<String, SchemaNode> properties; // insertion ordered
    List<String> required;
    SchemaNode additionalProperties;
    int minProperties = -1;
    int maxProperties = -1;

    // applicators
    SchemaNode ref;
    List<SchemaNode> allOf;
    List<SchemaNode> anyOf;
    List<SchemaNode> oneOf;
    SchemaNode not;

    // annotations used by the generator
    JsonNode defaultValue;
    List<JsonNode> examples;
    /** A type implied by the keywords present (for type-less schemas): a Json type bit, or 0. */
    int impliedType;

    SchemaNode(int id, String pointer) {
        this.id = id;
        this.pointer = pointer;
    }

    boolean hasGroups() {
        return anyOf != null || oneOf != null;
    }

    @Override
    public String toString() {
        return "#" + pointer;
    }
}
