package dev.llmlab.jsonschema;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * What the generator sees at one instance location: the conjunction of every schema that applies there (the schema
 * itself, its allOf members and $ref targets, and the anyOf/oneOf branches chosen so far), folded into one set of
 * bounds. A shape is either a dispatch over the branches of the first unresolved anyOf/oneOf, or concrete.
 * Built and costed once by {@link ShapeBuilder}; immutable afterwards.
 */
final class Shape {

    static final long INF = Long.MAX_VALUE / 4;

    // type choices
    static final int T_NULL = 0;
    static final int T_BOOLEAN = 1;
    static final int T_OBJECT = 2;
    static final int T_ARRAY = 3;
    static final int T_STRING = 4;
    static final int T_NUMBER = 5;
    static final int T_COUNT = 6;

    final int id;

    /** The raw schemas whose conjunction this is. */
    SchemaNode[] conj;

    // ---- dispatch
    Shape[] branches; // non-null: choose one
    SchemaNode[] alternatives; // the raw alternatives, to check oneOf exclusivity
    boolean oneOf;

    // ---- concrete
    boolean isFalse;
    int types = Json.ANY;
    int implied;
    JsonNode[] enumValues; // null: no enum/const; otherwise the values that satisfy the whole conjunction
    JsonNode[] samples = new JsonNode[0]; // defaults and examples that satisfy the whole conjunction
    SchemaNode[] nots = new SchemaNode[0];

    NumPlan number; // for "number"
    NumPlan integer; // for "integer"

    int minLength;
    int maxLength = -1;
    Regex[] patterns = new Regex[0];
    /** Exact-length generation for patterns[0] when lengths are bounded; null otherwise. */
    RegexLengthPlanner lengthPlan;

    Pattern[] patternChecks = new Pattern[0];
    Formats.Kind[] formats = new Formats.Kind[0];

    Shape[] prefix = new Shape[0];
    Shape rest;
    int minItems;
    int maxItems = -1;
    boolean unique;

    String[] names = new String[0];
    Shape[] props = new Shape[0];
    boolean[] required = new boolean[0];
    int requiredCount;
    Shape additional;
    boolean additionalFalse;
    int minProperties;
    String minPropertiesFrom;
    int maxProperties = -1;

    /** Why a type cannot be produced, for reasons local to this shape, by type choice; null where none is known. */
    final Infeasibility[] whyNot = new Infeasibility[T_COUNT];

    // ---- costs: the fewest nodes of a valid instance (INF: none found)
    long cost = INF;
    final long[] typeCost = {INF, INF, INF, INF, INF, INF};
    /** A branch (or value) that is only null, to weight it down in random choices. */
    boolean nullish;

    Shape(int id) {
        this.id = id;
    }

    boolean allows(int typeChoice) {
        return switch (typeChoice) {
            case T_NULL -> (types & Json.NULL) != 0;
            case T_BOOLEAN -> (types & Json.BOOLEAN) != 0;
            case T_OBJECT -> (types & Json.OBJECT) != 0;
            case T_ARRAY -> (types & Json.ARRAY) != 0;
            case T_STRING -> (types & Json.STRING) != 0;
            case T_NUMBER -> (types & (Json.NUMBER | Json.INTEGER)) != 0;
            default -> false;
        };
    }

    /** The numeric plan to use: fractional numbers when "number" is allowed, integers otherwise. */
    NumPlan numeric() {
        return (types & Json.NUMBER) != 0 ? number : integer;
    }

    /**
     * Numbers allowed by the bounds and multipleOf: with a step, exactly the values k * step for k in [kLo, kHi]
     * (null ends unbounded); without one (fractional numbers only), the interval between lo and hi.
     */
    static final class NumPlan {
        BigDecimal lo;
        boolean loExclusive;
        String loFrom;
        BigDecimal hi;
        boolean hiExclusive;
        String hiFrom;
        BigDecimal step;
        BigInteger kLo;
        BigInteger kHi;
        boolean feasible;

        boolean admits(BigDecimal v) {
            if (lo != null) {
                int c = v.compareTo(lo);
                if (c < 0 || (c == 0 && loExclusive)) {
                    return false;
                }
            }
            if (hi != null) {
                int c = v.compareTo(hi);
                if (c > 0 || (c == 0 && hiExclusive)) {
                    return false;
                }
            }
            return step == null || v.remainder(step).signum() == 0;
        }
    }
}
