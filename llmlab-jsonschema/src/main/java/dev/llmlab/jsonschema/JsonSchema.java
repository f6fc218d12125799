package dev.llmlab.jsonschema;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A compiled JSON Schema that validates instances and generates random valid ones, for a simulator that must answer
 * tool calls and Structured Outputs requests with arguments that parse and validate.
 *
 * <h2>The subset</h2>
 * The keywords OpenAI documents for function calling and Structured Outputs, and a little more, with JSON Schema
 * 2020-12 semantics: {@code type} (a name or an array of names; "integer" accepts any number with a zero fractional
 * part), {@code enum}, {@code const} (equality by mathematical value for numbers, at any depth); {@code properties},
 * {@code required}, {@code additionalProperties} (boolean or schema), {@code minProperties}, {@code maxProperties};
 * {@code items}, {@code prefixItems} (and the draft-07 array form of {@code items} with {@code additionalItems}),
 * {@code minItems}, {@code maxItems}, {@code uniqueItems}; {@code minLength}, {@code maxLength} (in code points),
 * {@code pattern} (an unanchored search, as specified), {@code format} (date, date-time, time, duration, email,
 * hostname, ipv4, ipv6, uri, uri-reference, uuid are asserted; other formats are annotations); {@code minimum},
 * {@code maximum}, {@code exclusiveMinimum}, {@code exclusiveMaximum} (number, or the draft-04 boolean),
 * {@code multipleOf}; {@code allOf}, {@code anyOf}, {@code oneOf}, {@code not}; {@code $ref} to {@code #},
 * {@code #/$defs/...}, {@code #/definitions/...} or any JSON Pointer into the document (percent-encoded or behind
 * the root {@code $id}), recursion included. Annotations ({@code title}, {@code description}, {@code default},
 * {@code examples}, ...) and unknown keywords are ignored by validation, as validators do. Constraining keywords
 * outside the subset ({@code if}, {@code patternProperties}, {@code propertyNames}, {@code contains},
 * {@code dependentRequired}, {@code dependentSchemas}, {@code dependencies}, {@code unevaluatedProperties},
 * {@code unevaluatedItems}, {@code $dynamicRef}, {@code $recursiveRef}), references outside the document or to
 * anchors, reference cycles that never descend into the instance, and patterns outside the regex subset of
 * {@link RegexParser} are refused with a {@link SchemaException} naming them: the simulator would rather reject a request
 * than answer it with data that does not validate.
 *
 * <h2>How generated instances are valid</h2>
 * {@link #compile} checks every keyword and builds two structures. The first has one node per schema location, kept
 * exactly as written; the validator walks it keyword by keyword, as the specification reads. The second, for
 * generation, is a graph of shapes: at each instance location, the conjunction of every schema that applies there
 * (allOf members and $ref targets merged, anyOf/oneOf turned into a choice of branches, each merged with its
 * context, a oneOf branch also carrying the other alternatives as schemas it must not match) folded into one set of
 * bounds. Memoizing shapes by the sets of schemas they combine keeps the graph finite for recursive schemas.
 *
 * <p>Most constraints are then met by construction. Numbers are k * step, the step being the exact rational least
 * common multiple of every multipleOf and k drawn from the range the bounds allow. Strings come from a format
 * generator sized to the length bounds, from natural words, or from the language of the pattern; a pattern that is
 * not anchored at both ends matches any text containing a match, so words may pad it, and under length bounds the
 * length is chosen first among those the pattern can reach (precomputed per regex node) and then split exactly.
 * Enum and const values, defaults and examples are filtered at compile time by validating them against the whole
 * conjunction. Arrays and objects follow minItems/maxItems, required, additionalProperties and
 * min/maxProperties. A type that every value of a {@code not} schema accepts (every non-string under
 * {@code "not": {"maxLength": 2}}) is removed from the shape.
 *
 * <p>Every shape carries the size of its smallest valid instance, the least fixpoint of "1 + the sizes of what is
 * required". The generator turns minimal when deep or large: cheapest branch and type, no optional property,
 * minItems items; the cost falls strictly along those choices, so recursion ends. A root whose cost is infinite
 * (a contradiction, or recursion without a base case) fails compile with "admits no valid instance" and a pointer.
 *
 * <p>What remains is met by checking: {@code not}, the exclusivity of {@code oneOf}, {@code uniqueItems} (items are
 * regenerated, then grown a little, until distinct), and strings under several patterns or a pattern and a format.
 * The generator regenerates such values locally a bounded number of times. At compile time, each shape and type
 * that relies on checking is probed with a few seeded generations, shallow and deep; a type for which none
 * validates is removed (compile then says "no valid instance could be generated" if the root needs it). This can
 * refuse a satisfiable type whose valid region generation does not reach (a string longer than 100000 characters,
 * say), never accept an unusable one silently. As a last resort every instance is validated before it is returned
 * and regenerated, at most {@value #ATTEMPTS} times in all; over a hundred thousand random schemas of the test
 * suite, the last resort was never exhausted. Should it be, the last attempt is returned.
 *
 * <h2>Sizes and naturalness</h2>
 * Arrays get up to about {@value Generator#TYPICAL_ITEMS} items unless the schema asks for more; optional
 * properties are included with probability 3/4 near the root and 1/2 deeper; recursion goes
 * {@value Generator#MAX_DEPTH} containers deep and an instance turns minimal after {@value Generator#SOFT_NODES}
 * values. Schemas whose smallest instance exceeds {@value ShapeBuilder#MAX_MIN_NODES} values, or whose combinators
 * expand to more than {@value ShapeBuilder#MAX_SHAPES} cases, are refused. Strings are short, made of words from a
 * small built-in list and guided by the property name where that is cheap (a {@code location} gets "Paris, France",
 * an {@code email} an address, an {@code age} a plausible age); valid defaults and examples are sometimes used as
 * they are.
 *
 * <h2>Contracts</h2>
 * Instances are immutable and safe to share between threads; compile once and cache. {@link #generate} is
 * deterministic for a given state of the random generator, which it only advances, and never throws; the trees it
 * returns are fresh and may be modified. Compile is deterministic too (its probes use fixed seeds).
 *
 * <h2>Sources</h2>
 * JSON Schema 2020-12: Core (instance equality, section 4.2.2; $ref, 8.2.3; applicators, 10) and Validation
 * (sections 6 and 7, format); RFC 6901 (JSON Pointer); RFC 3339 (with appendix A durations), 5321, 1123, 4291, 3986
 * and 4122 for the formats; ECMA-262 regular expressions for the pattern subset; OpenAI's "Structured model outputs"
 * and "Function calling" guides for the subset and its conventions (all properties required, optional as
 * {@code ["type", "null"]}, {@code additionalProperties: false}, recursion through {@code #} and {@code $defs}).
 */
public final class JsonSchema {

    static final int ATTEMPTS = 8;

    private final SchemaNode root;
    private final Shape shape;
    private final int weight;

    private JsonSchema(SchemaNode root, Shape shape, int weight) {
        this.root = root;
        this.shape = shape;
        this.weight = weight;
    }

    /**
     * Compiles a schema (an object or a boolean).
     *
     * @throws SchemaException if the schema is malformed, outside the supported subset, or admits no instance; its
     *     {@link SchemaException#pointer()} locates the keyword at fault
     */
    public static JsonSchema compile(JsonNode schema) {
        SchemaCompiler compiled = SchemaCompiler.compile(schema);
        ShapeBuilder.Graph graph = ShapeBuilder.build(compiled);
        return new JsonSchema(compiled.root(), graph.root(), compiled.nodes().size() + graph.shapes());
    }

    /**
     * What this compiled schema holds in memory, for caches that bound what they keep: the number of schema
     * locations plus generation shapes, each about 0.5 to 0.6 KB of heap (measured on JDK 25 by heap growth over
     * many compiled schemas: 620 bytes a part for a 530-character tool schema of 19 parts, 590 for an allOf of nine
     * two-branch anyOf, 1052 parts from 700 characters, 490 for an object of 200 string properties). The text's length
     * is a poor proxy: combinators multiply shapes.
     */
    public int weight() {
        return weight;
    }

    /** A random instance that validates against this schema; deterministic for a given state of {@code rng}. */
    public JsonNode generate(RandomGenerator rng) {
        return generate(rng, null);
    }

    /** As {@link #generate(RandomGenerator)}, with a property name that guides natural values at the root. */
    JsonNode generate(RandomGenerator rng, String hint) {
        JsonNode last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            last = new Generator(rng).generate(shape, 0, hint);
            if (Validator.isValid(root, last)) {
                return last;
            }
        }
        return last;
    }

    /**
     * The violations of an instance, each {@code "<json-pointer>: <problem>"} with the pointer locating the offending
     * value in the instance ({@code ""} for the root); empty if the instance is valid.
     */
    public List<String> validate(JsonNode instance) {
        return Validator.validate(root, instance);
    }

    /** A small plausible JSON object (two to four properties), for {@code response_format: json_object}. */
    public static JsonNode anyObject(RandomGenerator rng) {
        List<String> keys = new ArrayList<>(FREE_FORM.keySet());
        int n = 2 + rng.nextInt(3);
        ObjectNode o = Json.NODES.objectNode();
        for (int i = 0; i < n; i++) {
            String key = keys.remove(rng.nextInt(keys.size()));
            o.set(key, FREE_FORM.get(key).generate(rng, key));
        }
        return o;
    }

    private static final Map<String, JsonSchema> FREE_FORM = freeForm();

    private static Map<String, JsonSchema> freeForm() {
        Map<String, String> specs = new LinkedHashMap<>();
        specs.put("name", "{\"type\":\"string\"}");
        specs.put("title", "{\"type\":\"string\"}");
        specs.put("status", "{\"enum\":[\"active\",\"pending\",\"completed\",\"archived\"]}");
        specs.put("count", "{\"type\":\"integer\",\"minimum\":0,\"maximum\":50}");
        specs.put("score", "{\"type\":\"number\",\"minimum\":0,\"maximum\":100}");
        specs.put("summary", "{\"type\":\"string\"}");
        specs.put(
                "tags",
                "{\"type\":\"array\",\"items\":{\"type\":\"string\",\"maxLength\":12},\"minItems\":1,"
                        + "\"maxItems\":3,\"uniqueItems\":true}");
        specs.put("active", "{\"type\":\"boolean\"}");
        specs.put("id", "{\"type\":\"string\"}");
        specs.put("city", "{\"type\":\"string\"}");
        specs.put("email", "{\"type\":\"string\",\"format\":\"email\"}");
        specs.put("price", "{\"type\":\"number\",\"minimum\":0,\"multipleOf\":0.01}");
        specs.put("date", "{\"type\":\"string\",\"format\":\"date\"}");
        specs.put("rating", "{\"type\":\"integer\",\"minimum\":1,\"maximum\":5}");
        specs.put("url", "{\"type\":\"string\",\"format\":\"uri\"}");
        specs.put("description", "{\"type\":\"string\"}");
        Map<String, JsonSchema> m = new LinkedHashMap<>();
        specs.forEach((k, v) -> m.put(k, compile(JsonMapper.shared().readTree(v))));
        return Collections.unmodifiableMap(m); // keeps the order, for determinism
    }
}
