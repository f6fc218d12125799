package dev.llmlab.api.openai;

import dev.llmlab.api.ApiException;
import tools.jackson.databind.JsonNode;

/**
 * Typed reads of request fields that fail the way the OpenAI API fails: HTTP 400, type
 * {@code invalid_request_error}, the parameter's dotted path in {@code param}, and OpenAI's own
 * codes and message wording ({@code invalid_type}, {@code missing_required_parameter},
 * {@code decimal_above_max_value}, ...), so clients that branch on them behave as in production.
 *
 * <p>JSON {@code null} counts as absent, as it does for OpenAI's optional parameters.
 */
final class Fields {
    private Fields() {}

    static boolean absent(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode();
    }

    static ApiException invalidType(String param, String expected, JsonNode got) {
        return ApiException.invalid(
                param,
                "invalid_type",
                "Invalid type for '" + param + "': expected " + expected + ", but got " + describe(got) + " instead.");
    }

    static ApiException missing(String param) {
        return ApiException.invalid(
                param, "missing_required_parameter", "Missing required parameter: '" + param + "'.");
    }

    static ApiException invalidValue(String param, String message) {
        return ApiException.invalid(param, "invalid_value", message);
    }

    static String describe(JsonNode n) {
        if (n.isString()) return "a string";
        if (n.isBoolean()) return "a boolean";
        if (n.isIntegralNumber()) return "an integer";
        if (n.isNumber()) return "a decimal";
        if (n.isArray()) return "an array";
        if (n.isObject()) return "an object";
        return "null";
    }

    static String requiredString(JsonNode obj, String field, String param) {
        JsonNode n = obj.get(field);
        if (absent(n)) throw missing(param);
        if (!n.isString()) throw invalidType(param, "a string", n);
        return n.stringValue();
    }

    static String optString(JsonNode obj, String field, String param) {
        JsonNode n = obj.get(field);
        if (absent(n)) return null;
        if (!n.isString()) throw invalidType(param, "a string", n);
        return n.stringValue();
    }

    static boolean optBool(JsonNode obj, String field, String param, boolean dflt) {
        JsonNode n = obj.get(field);
        if (absent(n)) return dflt;
        if (!n.isBoolean()) throw invalidType(param, "a boolean", n);
        return n.booleanValue();
    }

    /** An integer in [min, max], or {@code dflt} when absent. */
    static long optLong(JsonNode obj, String field, String param, long dflt, long min, long max) {
        JsonNode n = obj.get(field);
        if (absent(n)) return dflt;
        if (!n.isIntegralNumber()
                && !(n.isFloatingPointNumber()
                        && n.doubleValue() == Math.rint(n.doubleValue())
                        && Math.abs(n.doubleValue()) < 9.0e15)) {
            throw invalidType(param, "an integer", n);
        }
        if (!n.canConvertToLong()) {
            throw ApiException.invalid(param, "integer_out_of_range", "Invalid '" + param + "': integer out of range.");
        }
        long v = n.longValue();
        if (v < min) {
            throw ApiException.invalid(
                    param,
                    "integer_below_min_value",
                    "Invalid '" + param + "': integer below minimum value. Expected a value >= " + min + ", but got "
                            + v + " instead.");
        }
        if (v > max) {
            throw ApiException.invalid(
                    param,
                    "integer_above_max_value",
                    "Invalid '" + param + "': integer above maximum value. Expected a value <= " + max + ", but got "
                            + v + " instead.");
        }
        return v;
    }

    /** A number in [min, max], or {@code dflt} (may be NaN) when absent. */
    static double optDouble(JsonNode obj, String field, String param, double dflt, double min, double max) {
        JsonNode n = obj.get(field);
        if (absent(n)) return dflt;
        if (!n.isNumber()) throw invalidType(param, "a decimal", n);
        double v = n.doubleValue();
        if (v < min) {
            throw ApiException.invalid(
                    param,
                    "decimal_below_min_value",
                    "Invalid '" + param + "': decimal below minimum value. Expected a value >= " + fmt(min)
                            + ", but got " + fmt(v) + " instead.");
        }
        if (v > max) {
            throw ApiException.invalid(
                    param,
                    "decimal_above_max_value",
                    "Invalid '" + param + "': decimal above maximum value. Expected a value <= " + fmt(max)
                            + ", but got " + fmt(v) + " instead.");
        }
        return v;
    }

    static JsonNode optObject(JsonNode obj, String field, String param) {
        JsonNode n = obj.get(field);
        if (absent(n)) return null;
        if (!n.isObject()) throw invalidType(param, "an object", n);
        return n;
    }

    static JsonNode optArray(JsonNode obj, String field, String param) {
        JsonNode n = obj.get(field);
        if (absent(n)) return null;
        if (!n.isArray()) throw invalidType(param, "an array", n);
        return n;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
