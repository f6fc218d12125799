package dev.llmlab.jsonschema;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;

/**
 * Turns a schema document into a graph of {@link SchemaNode}s, one per schema location, checking every keyword it
 * knows and resolving local {@code $ref}s. Each location is compiled once, so recursive references become cycles in
 * the graph. Keywords that constrain instances but are outside the supported subset are rejected; annotations and
 * unknown keywords are ignored.
 */
final class SchemaCompiler {

    /** Keywords of JSON Schema that constrain instances and that this package does not implement. */
    private static final Set<String> UNSUPPORTED = Set.of(
            "if",
            "dependentRequired",
            "dependentSchemas",
            "dependencies",
            "patternProperties",
            "propertyNames",
            "contains",
            "unevaluatedProperties",
            "unevaluatedItems",
            "$dynamicRef",
            "$recursiveRef");

    private final JsonNode document;
    private final String rootId;
    private final Map<String, SchemaNode> byPointer = new HashMap<>();
    private final List<SchemaNode> nodes = new ArrayList<>();

    private SchemaCompiler(JsonNode document) {
        this.document = document;
        JsonNode id = document.isObject() ? document.get("$id") : null;
        this.rootId = id != null && id.isString() ? stripFragment(id.stringValue()) : null;
    }

    /** Compiles a document; returns the root node. All nodes are reachable from {@link #nodes()}. */
    static SchemaCompiler compile(JsonNode document) {
        if (document == null || document.isMissingNode()) {
            throw new SchemaException("", "a schema must be an object or a boolean, got nothing");
        }
        SchemaCompiler c = new SchemaCompiler(document);
        c.node(document, "");
        c.checkCycles();
        return c;
    }

    SchemaNode root() {
        return byPointer.get("");
    }

    List<SchemaNode> nodes() {
        return nodes;
    }

    private SchemaNode node(JsonNode json, String pointer) {
        SchemaNode existing = byPointer.get(pointer);
        if (existing != null) {
            return existing;
        }
        SchemaNode s = new SchemaNode(nodes.size(), pointer);
        byPointer.put(pointer, s);
        nodes.add(s);
        fill(s, json);
        return s;
    }

    private static SchemaException error(String pointer, String keyword, String problem) {
        return new SchemaException(pointer + "/" + Json.escape(keyword), problem);
    }

    private void fill(SchemaNode s, JsonNode json) {
        String p = s.pointer;
        if (json.isBoolean()) {
            s.isFalse = !json.booleanValue();
            return;
        }
        if (!json.isObject()) {
            throw new SchemaException(p, "a schema must be an object or a boolean, got " + Json.brief(json));
        }
        JsonNode legacyAdditionalItems = null;
        boolean exclusiveMinFlag = false;
        boolean exclusiveMaxFlag = false;
        for (Map.Entry<String, JsonNode> e : json.properties()) {
            String k = e.getKey();
            JsonNode v = e.getValue();
            switch (k) {
                case "type" -> s.types = types(p, v);
                case "enum" -> {
                    if (!v.isArray()) {
                        throw error(p, k, "enum must be an array, got " + Json.brief(v));
                    }
                    List<JsonNode> values = new ArrayList<>(v.size());
                    v.forEach(values::add);
                    s.enumValues = List.copyOf(values);
                }
                case "const" -> s.constValue = v;
                case "properties" -> {
                    if (!v.isObject()) {
                        throw error(p, k, "properties must be an object, got " + Json.brief(v));
                    }
                    Map<String, SchemaNode> props = new LinkedHashMap<>();
                    String base = p + "/properties/";
                    for (Map.Entry<String, JsonNode> pe : v.properties()) {
                        props.put(pe.getKey(), node(pe.getValue(), base + Json.escape(pe.getKey())));
                    }
                    s.properties = props;
                }
                case "required" -> {
                    if (!v.isArray()) {
                        throw error(p, k, "required must be an array of strings, got " + Json.brief(v));
                    }
                    Set<String> names = new LinkedHashSet<>();
                    for (int i = 0; i < v.size(); i++) {
                        if (!v.get(i).isString()) {
                            throw new SchemaException(
                                    p + "/required/" + i, "required must list strings, got " + Json.brief(v.get(i)));
                        }
                        names.add(v.get(i).stringValue());
                    }
                    s.required = List.copyOf(names);
                }
                case "additionalProperties" -> s.additionalProperties = node(v, p + "/additionalProperties");
                case "minProperties" -> s.minProperties = count(p, k, v);
                case "maxProperties" -> s.maxProperties = count(p, k, v);
                case "items" -> {
                    if (v.isArray()) {
                        s.prefixItems = schemaList(p, k, v, true); // draft-07 tuple form
                    } else {
                        s.items = node(v, p + "/items");
                    }
                }
                case "prefixItems" -> {
                    if (!v.isArray() || v.isEmpty()) {
                        throw error(p, k, "prefixItems must be a non-empty array of schemas");
                    }
                }
                case "additionalItems" -> legacyAdditionalItems = v;
                case "minItems" -> s.minItems = count(p, k, v);
                case "maxItems" -> s.maxItems = count(p, k, v);
                case "uniqueItems" -> {
                    if (!v.isBoolean()) {
                        throw error(p, k, "uniqueItems must be a boolean, got " + Json.brief(v));
                    }
                    s.uniqueItems = v.booleanValue();
                }
                case "minLength" -> s.minLength = count(p, k, v);
                case "maxLength" -> s.maxLength = count(p, k, v);
                case "pattern" -> pattern(s, v);
                case "format" -> {
                    if (!v.isString()) {
                        throw error(p, k, "format must be a string, got " + Json.brief(v));
                    }
                    s.format = v.stringValue();
                    s.formatKind = Formats.Kind.of(s.format);
                }
                case "minimum" -> s.minimum = number(p, k, v);
                case "maximum" -> s.maximum = number(p, k, v);
                case "exclusiveMinimum" -> {
                    if (v.isBoolean()) {
                        exclusiveMinFlag = v.booleanValue(); // draft-04 form
                    } else {
                        s.exclusiveMinimum = number(p, k, v);
                    }
                }
                case "exclusiveMaximum" -> {
                    if (v.isBoolean()) {
                        exclusiveMaxFlag = v.booleanValue();
                    } else {
                        s.exclusiveMaximum = number(p, k, v);
                    }
                }
                case "multipleOf" -> {
                    BigDecimal m = number(p, k, v);
                    if (m.signum() <= 0) {
                        throw error(p, k, "multipleOf must be greater than 0, got " + Json.brief(v));
                    }
                    s.multipleOf = m;
                }
                case "allOf" -> s.allOf = schemaList(p, k, v, false);
                case "anyOf" -> s.anyOf = schemaList(p, k, v, false);
                case "oneOf" -> s.oneOf = schemaList(p, k, v, false);
                case "not" -> s.not = node(v, p + "/not");
                case "$ref" -> {
                    if (!v.isString()) {
                        throw error(p, k, "$ref must be a string, got " + Json.brief(v));
                    }
                    s.ref = resolve(p + "/$ref", v.stringValue());
                }
                case "$defs", "definitions" -> {
                    if (!v.isObject()) {
                        throw error(p, k, k + " must be an object of schemas, got " + Json.brief(v));
                    }
                    for (Map.Entry<String, JsonNode> de : v.properties()) {
                        node(de.getValue(), p + "/" + k + "/" + Json.escape(de.getKey()));
                    }
                }
                case "default" -> s.defaultValue = v;
                case "examples" -> {
                    if (v.isArray()) {
                        List<JsonNode> ex = new ArrayList<>(v.size());
                        v.forEach(ex::add);
                        s.examples = List.copyOf(ex);
                    }
                }
                default -> {
                    if (UNSUPPORTED.contains(k)) {
                        throw error(
                                p,
                                k,
                                "keyword '" + k + "' is not supported (supported: type, properties, required,"
                                        + " additionalProperties, enum, const, items, prefixItems, min/maxItems, uniqueItems,"
                                        + " min/maxLength, pattern, format, minimum, maximum, exclusiveMinimum, exclusiveMaximum,"
                                        + " multipleOf, min/maxProperties, anyOf, oneOf, allOf, not, $ref, $defs)");
                    }
                }
            }
        }
        JsonNode prefix = json.get("prefixItems");
        if (prefix != null) {
            if (s.prefixItems != null) {
                throw error(p, "items", "items must be a schema when prefixItems is present");
            }
            s.prefixItems = schemaList(p, "prefixItems", prefix, false);
        } else if (s.prefixItems != null && legacyAdditionalItems != null) {
            s.items = node(legacyAdditionalItems, p + "/additionalItems");
        }
        if (exclusiveMinFlag && s.minimum != null) {
            s.exclusiveMinimum = s.minimum;
            s.minimum = null;
        }
        if (exclusiveMaxFlag && s.maximum != null) {
            s.exclusiveMaximum = s.maximum;
            s.maximum = null;
        }
        s.impliedType = implied(s);
    }

    private static int implied(SchemaNode s) {
        int t = 0;
        if (s.properties != null
                || s.required != null
                || s.additionalProperties != null
                || s.minProperties >= 0
                || s.maxProperties >= 0) {
            t |= Json.OBJECT;
        }
        if (s.items != null || s.prefixItems != null || s.minItems >= 0 || s.maxItems >= 0 || s.uniqueItems) {
            t |= Json.ARRAY;
        }
        if (s.pattern != null || s.formatKind != null || s.minLength >= 0 || s.maxLength >= 0) {
            t |= Json.STRING;
        }
        if (s.minimum != null
                || s.maximum != null
                || s.exclusiveMinimum != null
                || s.exclusiveMaximum != null
                || s.multipleOf != null) {
            t |= Json.NUMBER | Json.INTEGER;
        }
        return t;
    }

    private static int types(String p, JsonNode v) {
        if (v.isString()) {
            return type(p + "/type", v.stringValue());
        }
        if (v.isArray() && !v.isEmpty()) {
            int mask = 0;
            for (int i = 0; i < v.size(); i++) {
                JsonNode t = v.get(i);
                String tp = p + "/type/" + i;
                if (!t.isString()) {
                    throw new SchemaException(tp, "type names must be strings, got " + Json.brief(t));
                }
                int bits = type(tp, t.stringValue());
                if ((mask & bits) == bits) {
                    throw new SchemaException(tp, "duplicate type \"" + t.stringValue() + "\"");
                }
                mask |= bits;
            }
            return mask;
        }
        throw new SchemaException(
                p + "/type", "type must be a type name or a non-empty array of them, got " + Json.brief(v));
    }

    private static int type(String pointer, String name) {
        return switch (name) {
            case "null" -> Json.NULL;
            case "boolean" -> Json.BOOLEAN;
            case "object" -> Json.OBJECT;
            case "array" -> Json.ARRAY;
            case "string" -> Json.STRING;
            case "number" -> Json.NUMBER | Json.INTEGER;
            case "integer" -> Json.INTEGER;
            default ->
                throw new SchemaException(
                        pointer,
                        "unknown type \"" + name
                                + "\" (expected string, number, integer, boolean, object, array or null)");
        };
    }

    private static int count(String p, String k, JsonNode v) {
        if (v.isNumber()) {
            BigDecimal d = Json.decimal(v);
            if (d != null && d.signum() >= 0 && Json.isIntegral(d)) {
                return d.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0 ? Integer.MAX_VALUE : d.intValueExact();
            }
        }
        throw error(p, k, k + " must be a non-negative integer, got " + Json.brief(v));
    }

    private static BigDecimal number(String p, String k, JsonNode v) {
        BigDecimal d = v.isNumber() ? Json.decimal(v) : null;
        if (d == null) {
            throw error(p, k, k + " must be a number, got " + Json.brief(v));
        }
        return d;
    }

    private List<SchemaNode> schemaList(String p, String k, JsonNode v, boolean allowEmpty) {
        if (!v.isArray() || (v.isEmpty() && !allowEmpty)) {
            throw error(p, k, k + " must be a non-empty array of schemas, got " + Json.brief(v));
        }
        List<SchemaNode> list = new ArrayList<>(v.size());
        String base = p + "/" + k + "/";
        for (int i = 0; i < v.size(); i++) {
            list.add(node(v.get(i), base + i));
        }
        return List.copyOf(list);
    }

    private static void pattern(SchemaNode s, JsonNode v) {
        String p = s.pointer + "/pattern";
        if (!v.isString()) {
            throw new SchemaException(p, "pattern must be a string, got " + Json.brief(v));
        }
        String src = v.stringValue();
        try {
            s.pattern = Pattern.compile(src);
        } catch (PatternSyntaxException e) {
            throw new SchemaException(
                    p, "pattern " + Json.brief(v) + " is not a valid regular expression: " + e.getDescription());
        }
        try {
            s.patternGen = Regex.parse(src);
        } catch (IllegalArgumentException e) {
            throw new SchemaException(p, e.getMessage());
        }
        s.patternSource = src;
    }

    private SchemaNode resolve(String pointer, String ref) {
        int hash = ref.indexOf('#');
        String base = hash < 0 ? ref : ref.substring(0, hash);
        if (!base.isEmpty() && !base.equals(rootId)) {
            throw new SchemaException(
                    pointer,
                    "$ref \"" + ref + "\" is not supported: only references within the"
                            + " document (\"#\", \"#/$defs/...\", \"#/definitions/...\") are");
        }
        String fragment = hash < 0 ? "" : ref.substring(hash + 1);
        try {
            String decoded = new URI("x:y#" + fragment).getFragment(); // percent-decoding
            if (decoded != null) {
                fragment = decoded;
            }
        } catch (URISyntaxException e) {
            // keep the raw fragment
        }
        if (!fragment.isEmpty() && !fragment.startsWith("/")) {
            throw new SchemaException(
                    pointer,
                    "$ref \"" + ref + "\" is not supported: anchors are not, only JSON" + " Pointer fragments");
        }
        JsonNode target;
        try {
            target = document.at(JsonPointer.compile(fragment));
        } catch (IllegalArgumentException e) {
            throw new SchemaException(pointer, "$ref \"" + ref + "\" is not a valid JSON Pointer");
        }
        if (target == null || target.isMissingNode()) {
            throw new SchemaException(pointer, "$ref \"" + ref + "\" does not resolve to anything in the document");
        }
        if (!target.isObject() && !target.isBoolean()) {
            throw new SchemaException(
                    pointer, "$ref \"" + ref + "\" resolves to " + Json.brief(target) + ", which is not a schema");
        }
        return node(target, canonical(fragment));
    }

    /** Re-escapes a decoded JSON Pointer so it matches the pointers built while walking the document. */
    private static String canonical(String fragment) {
        if (fragment.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (String token : fragment.substring(1).split("/", -1)) {
            sb.append('/').append(Json.escape(token.replace("~1", "/").replace("~0", "~")));
        }
        return sb.toString();
    }

    private static String stripFragment(String id) {
        int hash = id.indexOf('#');
        return hash < 0 ? id : id.substring(0, hash);
    }

    /**
     * Rejects reference cycles that do not descend into the instance (for example {@code {"$ref": "#"}} or an anyOf
     * branch referring back to its parent): validating them would never terminate.
     */
    private void checkCycles() {
        int[] state = new int[nodes.size()]; // 0 new, 1 on stack, 2 done
        for (SchemaNode n : nodes) {
            if (state[n.id] == 0) {
                visit(n, state);
            }
        }
    }

    private void visit(SchemaNode n, int[] state) {
        state[n.id] = 1;
        for (SchemaNode m : inPlace(n)) {
            if (state[m.id] == 1) {
                throw new SchemaException(
                        n.ref == m ? n.pointer + "/$ref" : n.pointer,
                        "circular reference: " + m + " is reached again without descending into a property or item");
            }
            if (state[m.id] == 0) {
                visit(m, state);
            }
        }
        state[n.id] = 2;
    }

    /** Subschemas applied to the same instance location as n. */
    static List<SchemaNode> inPlace(SchemaNode n) {
        List<SchemaNode> out = new ArrayList<>();
        if (n.ref != null) {
            out.add(n.ref);
        }
        if (n.allOf != null) {
            out.addAll(n.allOf);
        }
        if (n.anyOf != null) {
            out.addAll(n.anyOf);
        }
        if (n.oneOf != null) {
            out.addAll(n.oneOf);
        }
        if (n.not != null) {
            out.add(n.not);
        }
        return out;
    }
}
