package dev.llmlab.jsonschema;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Validates instances against the {@link SchemaNode} graph, keyword by keyword as JSON Schema 2020-12 (validation
 * vocabulary, section 6; applicators of the core, section 10) defines them. With a null sink it stops at the first
 * problem and only answers yes or no, which is what anyOf/oneOf/not and the generator's checks need.
 */
final class Validator {

    private Validator() {}

    /** An instance location, built as a linked list and rendered as a JSON Pointer only for messages. */
    static final class Path {
        static final Path ROOT = new Path(null, null);
        private final Path parent;
        private final String token;

        private Path(Path parent, String token) {
            this.parent = parent;
            this.token = token;
        }

        Path child(String name) {
            return new Path(this, Json.escape(name));
        }

        Path child(int index) {
            return new Path(this, Integer.toString(index));
        }

        @Override
        public String toString() {
            if (parent == null) {
                return "";
            }
            return parent + "/" + token;
        }
    }

    record Violation(Path at, String problem) {
        @Override
        public String toString() {
            return at + ": " + problem;
        }
    }

    static List<String> validate(SchemaNode root, JsonNode instance) {
        List<Violation> out = new ArrayList<>();
        check(root, instance, Path.ROOT, out);
        List<String> messages = new ArrayList<>(out.size());
        for (Violation v : out) {
            messages.add(v.toString());
        }
        return messages;
    }

    static boolean isValid(SchemaNode s, JsonNode instance) {
        return check(s, instance, Path.ROOT, null);
    }

    /** Returns whether v validates; records violations in out unless out is null (then stops at the first). */
    static boolean check(SchemaNode s, JsonNode v, Path at, List<Violation> out) {
        if (s.isFalse) {
            return fail(out, at, "no value is allowed here (the schema is false)");
        }
        boolean ok = true;
        if (s.ref != null && !check(s.ref, v, at, out)) {
            if (out == null) {
                return false;
            }
            ok = false;
        }
        int t = Json.typeOf(v);
        if (s.types != 0 && (s.types & t) == 0) {
            if (!fail(out, at, "expected " + Json.typeNames(s.types) + ", got " + describe(t))) {
                if (out == null) {
                    return false;
                }
                ok = false;
            }
        }
        if (s.constValue != null && !Json.equal(s.constValue, v)) {
            if (out == null) {
                return false;
            }
            ok = fail(out, at, "must be " + Json.brief(s.constValue));
        }
        if (s.enumValues != null && !inEnum(s.enumValues, v)) {
            if (out == null) {
                return false;
            }
            ok = fail(out, at, "must be one of " + enumText(s.enumValues) + ", got " + Json.brief(v));
        }
        switch (t) {
            case Json.NUMBER, Json.INTEGER -> ok &= number(s, v, at, out);
            case Json.STRING -> ok &= string(s, v.stringValue(), at, out);
            case Json.ARRAY -> ok &= array(s, v, at, out);
            case Json.OBJECT -> ok &= object(s, v, at, out);
            default -> {}
        }
        if (!ok && out == null) {
            return false;
        }
        if (s.allOf != null) {
            for (SchemaNode sub : s.allOf) {
                if (!check(sub, v, at, out)) {
                    if (out == null) {
                        return false;
                    }
                    ok = false;
                }
            }
        }
        if (s.anyOf != null) {
            boolean any = false;
            for (SchemaNode sub : s.anyOf) {
                if (check(sub, v, at, null)) {
                    any = true;
                    break;
                }
            }
            if (!any) {
                if (out == null) {
                    return false;
                }
                ok = false;
                explain(s.anyOf, "anyOf", v, at, out);
            }
        }
        if (s.oneOf != null) {
            int first = -1;
            int second = -1;
            for (int i = 0; i < s.oneOf.size() && second < 0; i++) {
                if (check(s.oneOf.get(i), v, at, null)) {
                    if (first < 0) {
                        first = i;
                    } else {
                        second = i;
                    }
                }
            }
            if (first < 0 || second >= 0) {
                if (out == null) {
                    return false;
                }
                ok = false;
                if (first < 0) {
                    explain(s.oneOf, "oneOf", v, at, out);
                } else {
                    out.add(new Violation(
                            at, "matches more than one oneOf alternative (" + first + " and " + second + ")"));
                }
            }
        }
        if (s.not != null && check(s.not, v, at, null)) {
            if (out == null) {
                return false;
            }
            ok = fail(out, at, "must not match the schema under 'not'");
        }
        return ok;
    }

    /** Reports a failed anyOf/oneOf: the nested problems when exactly one alternative fits the value's shape. */
    private static void explain(
            List<SchemaNode> alternatives, String keyword, JsonNode v, Path at, List<Violation> out) {
        List<Violation> best = null;
        int fitting = 0;
        for (SchemaNode alt : alternatives) {
            List<Violation> errs = new ArrayList<>();
            check(alt, v, at, errs);
            boolean local = false;
            for (Violation e : errs) {
                if (e.at() == at) {
                    local = true;
                    break;
                }
            }
            if (!local) {
                fitting++;
                best = errs;
            }
        }
        if (fitting == 1 && !best.isEmpty()) {
            out.addAll(best);
        } else {
            out.add(new Violation(at, "matches none of the " + alternatives.size() + " " + keyword + " alternatives"));
        }
    }

    private static boolean fail(List<Violation> out, Path at, String problem) {
        if (out != null) {
            out.add(new Violation(at, problem));
        }
        return false;
    }

    private static String describe(int typeBit) {
        return typeBit == 0 ? "a non-JSON value" : Json.typeName(typeBit);
    }

    private static boolean inEnum(List<JsonNode> values, JsonNode v) {
        for (JsonNode e : values) {
            if (Json.equal(e, v)) {
                return true;
            }
        }
        return false;
    }

    private static String enumText(List<JsonNode> values) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            if (sb.length() > 80) {
                sb.append("...");
                break;
            }
            sb.append(Json.brief(values.get(i)));
        }
        return sb.append(']').toString();
    }

    static String num(BigDecimal d) {
        BigDecimal s = d.stripTrailingZeros();
        return Math.abs(s.scale()) < 30 ? s.toPlainString() : s.toString();
    }

    private static boolean number(SchemaNode s, JsonNode v, Path at, List<Violation> out) {
        if (s.minimum == null
                && s.maximum == null
                && s.exclusiveMinimum == null
                && s.exclusiveMaximum == null
                && s.multipleOf == null) {
            return true;
        }
        BigDecimal d = Json.decimal(v);
        if (d == null) {
            return fail(out, at, "not a finite number");
        }
        boolean ok = true;
        if (s.minimum != null && d.compareTo(s.minimum) < 0) {
            ok = fail(out, at, "must be >= " + num(s.minimum) + ", got " + num(d));
        }
        if (ok || out != null) {
            if (s.exclusiveMinimum != null && d.compareTo(s.exclusiveMinimum) <= 0) {
                ok = fail(out, at, "must be > " + num(s.exclusiveMinimum) + ", got " + num(d));
            }
            if (s.maximum != null && d.compareTo(s.maximum) > 0) {
                ok = fail(out, at, "must be <= " + num(s.maximum) + ", got " + num(d));
            }
            if (s.exclusiveMaximum != null && d.compareTo(s.exclusiveMaximum) >= 0) {
                ok = fail(out, at, "must be < " + num(s.exclusiveMaximum) + ", got " + num(d));
            }
            if (s.multipleOf != null && d.remainder(s.multipleOf).signum() != 0) {
                ok = fail(out, at, "must be a multiple of " + num(s.multipleOf) + ", got " + num(d));
            }
        }
        return ok;
    }

    private static boolean string(SchemaNode s, String str, Path at, List<Violation> out) {
        boolean ok = true;
        if (s.minLength >= 0 || s.maxLength >= 0) {
            int len = str.codePointCount(0, str.length());
            if (s.minLength >= 0 && len < s.minLength) {
                ok = fail(out, at, "length " + len + " is shorter than minLength " + s.minLength);
            }
            if (s.maxLength >= 0 && len > s.maxLength) {
                ok = fail(out, at, "length " + len + " is longer than maxLength " + s.maxLength);
            }
            if (!ok && out == null) {
                return false;
            }
        }
        if (s.pattern != null && !s.pattern.matcher(str).find()) {
            ok = fail(out, at, "does not match pattern " + Json.NODES.stringNode(s.patternSource));
            if (out == null) {
                return false;
            }
        }
        if (s.formatKind != null && !Formats.valid(s.formatKind, str)) {
            ok = fail(out, at, "is not a valid " + s.format + ": " + Json.NODES.stringNode(str));
        }
        return ok;
    }

    private static boolean array(SchemaNode s, JsonNode v, Path at, List<Violation> out) {
        boolean ok = true;
        int n = v.size();
        if (s.minItems >= 0 && n < s.minItems) {
            ok = fail(out, at, n + " items, fewer than minItems " + s.minItems);
        }
        if (s.maxItems >= 0 && n > s.maxItems) {
            ok = fail(out, at, n + " items, more than maxItems " + s.maxItems);
        }
        if (!ok && out == null) {
            return false;
        }
        int prefix = s.prefixItems == null ? 0 : s.prefixItems.size();
        for (int i = 0; i < Math.min(prefix, n); i++) {
            if (!check(s.prefixItems.get(i), v.get(i), out == null ? at : at.child(i), out)) {
                if (out == null) {
                    return false;
                }
                ok = false;
            }
        }
        if (s.items != null) {
            for (int i = prefix; i < n; i++) {
                Path p = out == null ? at : at.child(i);
                if (s.items.isFalse) {
                    if (out == null) {
                        return false;
                    }
                    ok = fail(out, p, "no item is allowed at index " + i + " (items is false)");
                } else if (!check(s.items, v.get(i), p, out)) {
                    if (out == null) {
                        return false;
                    }
                    ok = false;
                }
            }
        }
        if (s.uniqueItems) {
            outer:
            for (int i = 1; i < n; i++) {
                for (int j = 0; j < i; j++) {
                    if (Json.equal(v.get(i), v.get(j))) {
                        ok = fail(out, at, "items " + j + " and " + i + " are equal but uniqueItems is true");
                        break outer;
                    }
                }
            }
        }
        return ok;
    }

    private static boolean object(SchemaNode s, JsonNode v, Path at, List<Violation> out) {
        boolean ok = true;
        if (s.required != null) {
            for (String name : s.required) {
                if (!v.has(name)) {
                    if (out == null) {
                        return false;
                    }
                    ok = fail(out, at, "missing required property " + Json.NODES.stringNode(name));
                }
            }
        }
        int n = v.size();
        if (s.minProperties >= 0 && n < s.minProperties) {
            ok = fail(out, at, n + " properties, fewer than minProperties " + s.minProperties);
        }
        if (s.maxProperties >= 0 && n > s.maxProperties) {
            ok = fail(out, at, n + " properties, more than maxProperties " + s.maxProperties);
        }
        if (!ok && out == null) {
            return false;
        }
        if (s.properties == null && s.additionalProperties == null) {
            return ok;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = v.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            SchemaNode declared = s.properties == null ? null : s.properties.get(e.getKey());
            SchemaNode applies = declared != null ? declared : s.additionalProperties;
            if (applies == null) {
                continue;
            }
            Path p = out == null ? at : at.child(e.getKey());
            if (declared == null && applies.isFalse) {
                if (out == null) {
                    return false;
                }
                ok = fail(
                        out,
                        p,
                        "property " + Json.NODES.stringNode(e.getKey())
                                + " is not allowed (additionalProperties is false)");
            } else if (!check(applies, e.getValue(), p, out)) {
                if (out == null) {
                    return false;
                }
                ok = false;
            }
        }
        return ok;
    }
}
