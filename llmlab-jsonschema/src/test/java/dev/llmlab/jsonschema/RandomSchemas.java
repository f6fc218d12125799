package dev.llmlab.jsonschema;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Random schemas over the supported subset, for property tests: every keyword, nesting, combinators, $defs with
 * recursion. Some are unsatisfiable on purpose (compile must then refuse them). Deterministic for a seed.
 */
final class RandomSchemas {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    static final String[] PATTERNS = {
        "^[a-z]+$", "^[A-Z]{2,4}-\\d{3}$", "^\\d{5}(-\\d{4})?$", "^(red|green|blue)$", "[aeiou]", "^\\w+@\\w+\\.com$",
        "^#[0-9a-fA-F]{6}$", "^(\\+1-)?\\d{3}-\\d{4}$", "^[^\\s]{3,8}$", "^.{2,10}$", "ab+c?", "^[a-z0-9._-]+$",
        "^(?:[A-Z][a-z]*)( [A-Z][a-z]*)*$", "x|y|z", "^[\\w.-]{1,12}$", "^\\S+$"
    };

    static final String[] FORMATS = {
        "date", "date-time", "time", "email", "uri", "uuid", "ipv4", "hostname", "duration", "ipv6"
    };

    private static final double[] MULTIPLES = {1, 2, 3, 5, 0.5, 0.25, 0.1, 0.01, 7};

    private final SplittableRandom rng;
    private final List<String> defs = new ArrayList<>();
    private final String defsKeyword;
    private int budget = 40;

    private RandomSchemas(long seed) {
        this.rng = new SplittableRandom(seed);
        this.defsKeyword = rng.nextInt(4) == 0 ? "definitions" : "$defs";
    }

    static ObjectNode schema(long seed) {
        return new RandomSchemas(seed).root();
    }

    private ObjectNode root() {
        int nDefs = rng.nextInt(3) == 0 ? 1 + rng.nextInt(2) : 0;
        for (int i = 0; i < nDefs; i++) {
            defs.add("d" + i);
        }
        ObjectNode root = schema(0, false);
        if (nDefs > 0) {
            ObjectNode d = root.putObject(defsKeyword);
            for (String name : defs) {
                d.set(name, objectSchema(1, false));
            }
            if (rng.nextInt(3) == 0) {
                root.removeAll();
                root.put("$ref", "#/" + defsKeyword + "/" + defs.get(0));
                root.set(defsKeyword, d);
            }
        }
        return root;
    }

    /** allowRef: we are below a property or item, so a reference cannot loop without descending. */
    private ObjectNode schema(int depth, boolean allowRef) {
        budget--;
        boolean leaf = depth >= 4 || budget <= 0;
        int kind = rng.nextInt(leaf ? 8 : 16);
        return switch (kind) {
            case 0, 1 -> stringSchema();
            case 2 -> numberSchema("number");
            case 3 -> numberSchema("integer");
            case 4 -> typed("boolean");
            case 5 -> enumSchema();
            case 6 -> allowRef && !defs.isEmpty() ? ref() : typed(rng.nextBoolean() ? "null" : "boolean");
            case 7 -> multiType();
            case 8, 9, 10 -> objectSchema(depth, allowRef);
            case 11, 12 -> arraySchema(depth);
            case 13 -> combinator(depth, allowRef, rng.nextBoolean() ? "anyOf" : "oneOf");
            case 14 -> allOf(depth, allowRef);
            default -> rng.nextBoolean() ? typeless() : notSchema(depth);
        };
    }

    private ObjectNode typed(String type) {
        ObjectNode s = F.objectNode();
        s.put("type", type);
        return s;
    }

    private ObjectNode ref() {
        ObjectNode s = F.objectNode();
        int which = rng.nextInt(defs.size() + 1);
        s.put("$ref", which == defs.size() ? "#" : "#/" + defsKeyword + "/" + defs.get(which));
        return s;
    }

    private ObjectNode stringSchema() {
        ObjectNode s = typed("string");
        switch (rng.nextInt(6)) {
            case 0 -> s.put("pattern", PATTERNS[rng.nextInt(PATTERNS.length)]);
            case 1 -> s.put("format", FORMATS[rng.nextInt(FORMATS.length)]);
            case 2 -> {
                s.put("pattern", PATTERNS[rng.nextInt(PATTERNS.length)]);
                s.put("maxLength", 4 + rng.nextInt(12));
            }
            default -> {}
        }
        if (rng.nextInt(3) == 0) {
            s.put("minLength", rng.nextInt(6));
        }
        if (rng.nextInt(3) == 0 && !s.has("maxLength")) {
            s.put("maxLength", rng.nextInt(30));
        }
        return s;
    }

    private ObjectNode numberSchema(String type) {
        ObjectNode s = typed(type);
        if (rng.nextBoolean()) {
            s.put(rng.nextInt(4) == 0 ? "exclusiveMinimum" : "minimum", bound());
        }
        if (rng.nextBoolean()) {
            s.put(rng.nextInt(4) == 0 ? "exclusiveMaximum" : "maximum", bound() + 20);
        }
        if (rng.nextInt(3) == 0) {
            double m = MULTIPLES[rng.nextInt(MULTIPLES.length)];
            if (m == Math.rint(m)) {
                s.put("multipleOf", (int) m);
            } else {
                s.put("multipleOf", m);
            }
        }
        return s;
    }

    private double bound() {
        return switch (rng.nextInt(3)) {
            case 0 -> rng.nextInt(-50, 50);
            case 1 -> rng.nextInt(-500, 500) / 10.0;
            default -> 0;
        };
    }

    private ObjectNode enumSchema() {
        ObjectNode s = F.objectNode();
        if (rng.nextInt(4) == 0) {
            s.set("const", scalar());
            return s;
        }
        ArrayNode values = s.putArray("enum");
        int n = 1 + rng.nextInt(4);
        for (int i = 0; i < n; i++) {
            values.add(rng.nextInt(5) == 0 ? F.objectNode().put("k", i) : scalar());
        }
        if (rng.nextBoolean()) {
            s.put("type", "string"); // may filter the enum down
        }
        return s;
    }

    private JsonNode scalar() {
        return switch (rng.nextInt(5)) {
            case 0 -> F.stringNode(Words.pick(Words.NOUNS, new java.util.SplittableRandom(rng.nextLong())));
            case 1 -> F.numberNode(rng.nextInt(-5, 100));
            case 2 -> F.numberNode(rng.nextInt(0, 100) / 4.0 + 0.25);
            case 3 -> F.booleanNode(rng.nextBoolean());
            default -> F.nullNode();
        };
    }

    private ObjectNode multiType() {
        ObjectNode s = F.objectNode();
        ArrayNode types = s.putArray("type");
        String[] all = {"string", "integer", "number", "boolean", "null", "object", "array"};
        int first = rng.nextInt(all.length);
        types.add(all[first]);
        int second = (first + 1 + rng.nextInt(all.length - 1)) % all.length;
        if (!(all[first].equals("integer") && all[second].equals("number")
                || all[first].equals("number") && all[second].equals("integer"))) {
            types.add(all[second]);
        }
        if (rng.nextBoolean()) {
            s.put("minLength", 1);
            s.put("minimum", 0);
        }
        return s;
    }

    private ObjectNode objectSchema(int depth, boolean allowRef) {
        ObjectNode s = rng.nextInt(10) == 0 ? F.objectNode() : typed("object");
        ObjectNode props = s.putObject("properties");
        int n = rng.nextInt(5);
        List<String> names = new ArrayList<>();
        String[] pool = {
            "name",
            "location",
            "unit",
            "count",
            "tags",
            "email",
            "price",
            "items",
            "id",
            "a/b",
            "c~d",
            "description",
            "city",
            "age",
            "enabled",
            "value",
            "next",
            "children",
            "url",
            "date"
        };
        for (int i = 0; i < n; i++) {
            String name = pool[rng.nextInt(pool.length)];
            if (!names.contains(name)) {
                names.add(name);
                props.set(name, schema(depth + 1, true));
            }
        }
        if (!names.isEmpty() && rng.nextInt(4) != 0) {
            ArrayNode req = s.putArray("required");
            for (String name : names) {
                if (rng.nextInt(3) != 0) {
                    req.add(name);
                }
            }
            if (rng.nextInt(10) == 0) {
                req.add("undeclared");
            }
        }
        switch (rng.nextInt(5)) {
            case 0, 1 -> s.put("additionalProperties", false);
            case 2 -> s.set("additionalProperties", schema(depth + 1, true));
            default -> {}
        }
        if (rng.nextInt(6) == 0) {
            s.put("minProperties", rng.nextInt(4));
        }
        if (rng.nextInt(6) == 0) {
            s.put("maxProperties", 1 + rng.nextInt(4));
        }
        return s;
    }

    private ObjectNode arraySchema(int depth) {
        ObjectNode s = typed("array");
        if (rng.nextInt(4) == 0) {
            ArrayNode prefix = s.putArray("prefixItems");
            int n = 1 + rng.nextInt(3);
            for (int i = 0; i < n; i++) {
                prefix.add(schema(depth + 1, true));
            }
            if (rng.nextBoolean()) {
                s.put("items", false);
            }
        } else if (rng.nextInt(8) != 0) {
            s.set("items", schema(depth + 1, true));
        }
        if (rng.nextInt(3) == 0) {
            s.put("minItems", rng.nextInt(4));
        }
        if (rng.nextInt(3) == 0) {
            s.put("maxItems", 1 + rng.nextInt(5));
        }
        if (rng.nextInt(4) == 0) {
            s.put("uniqueItems", true);
        }
        return s;
    }

    private ObjectNode combinator(int depth, boolean allowRef, String keyword) {
        ObjectNode s = F.objectNode();
        ArrayNode alts = s.putArray(keyword);
        int n = 2 + rng.nextInt(2);
        for (int i = 0; i < n; i++) {
            alts.add(rng.nextInt(4) == 0 ? typed("null") : schema(depth + 1, allowRef));
        }
        return s;
    }

    private ObjectNode allOf(int depth, boolean allowRef) {
        ObjectNode s = F.objectNode();
        ArrayNode parts = s.putArray("allOf");
        if (rng.nextBoolean()) {
            // mergeable object parts, the usual use of allOf
            parts.add(objectSchema(depth + 1, allowRef));
            ObjectNode extra = F.objectNode();
            extra.putObject("properties").set("extra", stringSchema());
            parts.add(extra);
        } else {
            parts.add(numberSchema("integer"));
            parts.add(numberSchema("number"));
        }
        return s;
    }

    private ObjectNode typeless() {
        ObjectNode s = F.objectNode();
        switch (rng.nextInt(3)) {
            case 0 -> s.put("minimum", 3);
            case 1 -> s.put("maxLength", 3);
            default -> s.put("description", "anything");
        }
        return s;
    }

    private ObjectNode notSchema(int depth) {
        ObjectNode s = schema(depth + 1, false);
        ObjectNode not = F.objectNode();
        switch (rng.nextInt(3)) {
            case 0 -> not.put("type", "null");
            case 1 -> not.putArray("enum").add(0).add("red").add(false);
            default -> not.put("maxLength", 2); // every non-string matches it: compile must drop those types
        }
        s.set("not", not);
        return s;
    }
}
