package dev.llmlab.jsonschema;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/** Small helpers over Jackson trees: JSON Schema equality, exact numbers, type bits, pointer escaping. */
final class Json {

    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    // Type bits. "number" is NUMBER|INTEGER; an instance is INTEGER when its value is integral (2020-12, 6.1.1).
    static final int NULL = 1;
    static final int BOOLEAN = 2;
    static final int OBJECT = 4;
    static final int ARRAY = 8;
    static final int STRING = 16;
    static final int NUMBER = 32;
    static final int INTEGER = 64;
    static final int ANY = 127;

    private Json() {}

    /** The type bit of an instance (never 0 for JSON values; 0 for binary/POJO/missing nodes). */
    static int typeOf(JsonNode n) {
        switch (n.getNodeType()) {
            case NULL:
                return NULL;
            case BOOLEAN:
                return BOOLEAN;
            case OBJECT:
                return OBJECT;
            case ARRAY:
                return ARRAY;
            case STRING:
                return STRING;
            case NUMBER: {
                if (n.isIntegralNumber()) {
                    return INTEGER;
                }
                BigDecimal d = decimal(n);
                if (d == null) {
                    return 0;
                }
                return isIntegral(d) ? INTEGER : NUMBER;
            }
            default:
                return 0;
        }
    }

    static boolean isIntegral(BigDecimal d) {
        return d.signum() == 0 || d.scale() <= 0 || d.stripTrailingZeros().scale() <= 0;
    }

    /** The exact decimal value of a number node, or null for NaN/infinity. Doubles convert via their shortest repr. */
    static BigDecimal decimal(JsonNode n) {
        if (n.isIntegralNumber()) {
            return n.isBigInteger() ? new BigDecimal(n.bigIntegerValue()) : BigDecimal.valueOf(n.longValue());
        }
        if (n.isBigDecimal()) {
            return n.decimalValue();
        }
        double d = n.doubleValue();
        if (!Double.isFinite(d)) {
            return null;
        }
        return new BigDecimal(Double.toString(d));
    }

    /** A number node for an exact decimal: an integral node when integral, a double when it round-trips. */
    static JsonNode number(BigDecimal v) {
        if (isIntegral(v)) {
            BigInteger i = v.toBigIntegerExact();
            if (i.bitLength() < 32) {
                return NODES.numberNode(i.intValue()); // the node type a parser would produce
            }
            if (i.bitLength() < 64) {
                return NODES.numberNode(i.longValue());
            }
            return NODES.numberNode(i);
        }
        double d = v.doubleValue();
        if (Double.isFinite(d) && new BigDecimal(Double.toString(d)).compareTo(v) == 0) {
            return NODES.numberNode(d);
        }
        return NODES.numberNode(v);
    }

    /** Equality as JSON Schema defines it for enum, const and uniqueItems: numbers by mathematical value. */
    static boolean equal(JsonNode a, JsonNode b) {
        int ta = typeOf(a);
        int tb = typeOf(b);
        boolean na = (ta & (NUMBER | INTEGER)) != 0;
        boolean nb = (tb & (NUMBER | INTEGER)) != 0;
        if (na || nb) {
            if (!(na && nb)) {
                return false;
            }
            BigDecimal da = decimal(a);
            BigDecimal db = decimal(b);
            return da != null && db != null && da.compareTo(db) == 0;
        }
        if (ta != tb) {
            return false;
        }
        switch (ta) {
            case NULL:
                return true;
            case BOOLEAN:
                return a.booleanValue() == b.booleanValue();
            case STRING:
                return a.stringValue().equals(b.stringValue());
            case ARRAY: {
                if (a.size() != b.size()) {
                    return false;
                }
                for (int i = 0; i < a.size(); i++) {
                    if (!equal(a.get(i), b.get(i))) {
                        return false;
                    }
                }
                return true;
            }
            case OBJECT: {
                if (a.size() != b.size()) {
                    return false;
                }
                for (Map.Entry<String, JsonNode> e : a.properties()) {
                    JsonNode other = b.get(e.getKey());
                    if (other == null || !equal(e.getValue(), other)) {
                        return false;
                    }
                }
                return true;
            }
            default:
                return a.equals(b);
        }
    }

    /** Escapes one reference token for a JSON Pointer (RFC 6901: ~ becomes ~0, / becomes ~1). */
    static String escape(String token) {
        if (token.indexOf('~') < 0 && token.indexOf('/') < 0) {
            return token;
        }
        return token.replace("~", "~0").replace("/", "~1");
    }

    static String typeName(int bit) {
        switch (bit) {
            case NULL:
                return "null";
            case BOOLEAN:
                return "boolean";
            case OBJECT:
                return "object";
            case ARRAY:
                return "array";
            case STRING:
                return "string";
            case NUMBER:
                return "number";
            case INTEGER:
                return "integer";
            default:
                return "unknown";
        }
    }

    /** Names of the types in a mask, "number" standing for NUMBER|INTEGER. */
    static String typeNames(int mask) {
        StringBuilder sb = new StringBuilder();
        for (int bit = 1; bit <= INTEGER; bit <<= 1) {
            if ((mask & bit) == 0) {
                continue;
            }
            if (bit == INTEGER && (mask & NUMBER) != 0) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append(" or ");
            }
            sb.append(typeName(bit));
        }
        return sb.toString();
    }

    /** A short rendering of a value for messages. */
    static String brief(JsonNode n) {
        String s = n.toString();
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    /** Counts nodes of a tree (for size accounting of examples). */
    static int count(JsonNode n) {
        int c = 1;
        for (Iterator<JsonNode> it = n.iterator(); it.hasNext(); ) {
            c += count(it.next());
        }
        return c;
    }
}
