package dev.llmlab.jsonschema;

import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * The size of each shape's smallest valid instance, and, for a shape that has none, a reason.
 *
 * <p>The cost of a shape is the fewest JSON values of a valid instance: 1 for a scalar; 1 plus the costs of the
 * required properties (and of the cheapest optional ones that minProperties asks for) for an object; 1 plus the costs
 * of the first minItems items for an array; the cheapest branch for a dispatch and the cheapest allowed type for a
 * concrete shape. Shapes refer to one another, recursively in recursive schemas, so costs are the least fixpoint of
 * these equations, found by Kleene iteration: every cost starts at infinity ({@link Shape#INF}) and all are lowered
 * together until nothing changes. Each round only lowers costs, which are whole numbers, so the iteration ends; a
 * shape still at infinity has no finite valid instance (a contradiction, or a recursion without a base case). The
 * generator relies on the result: following the cheapest choices strictly lowers cost, so a recursion it makes
 * minimal always ends.
 *
 * <p>When the root costs infinity, {@link #blame} walks down from it to name a keyword: the first local reason
 * recorded on a shape ({@link Shape#whyNot}), else the required property, minItems entry or minProperties that cannot
 * be met, else a generic "contradicts itself or recurses without a base case" at the shape's first schema.
 */
final class ShapeCosts {

    private ShapeCosts() {}

    /** Lowers every shape's cost to the least fixpoint, from the costs the shapes hold (INF when new). */
    static void compute(List<Shape> all) {
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Shape sh : all) {
                long c = cost(sh);
                if (c < sh.cost) {
                    sh.cost = c;
                    changed = true;
                }
            }
        }
    }

    private static long cost(Shape sh) {
        if (sh.isFalse) {
            return Shape.INF;
        }
        if (sh.branches != null) {
            long min = Shape.INF;
            for (Shape b : sh.branches) {
                min = Math.min(min, b.cost);
            }
            return min;
        }
        long best = Shape.INF;
        for (int t = 0; t < Shape.T_COUNT; t++) {
            long c = sh.allows(t) && sh.whyNot[t] == null ? typeCost(sh, t) : Shape.INF;
            sh.typeCost[t] = c;
            best = Math.min(best, c);
        }
        if (sh.enumValues != null) {
            return sh.enumValues.length > 0 ? 1 : Shape.INF;
        }
        return best;
    }

    private static long typeCost(Shape sh, int t) {
        switch (t) {
            case Shape.T_NULL, Shape.T_BOOLEAN, Shape.T_STRING:
                return 1;
            case Shape.T_NUMBER:
                return sh.numeric().feasible ? 1 : Shape.INF;
            case Shape.T_ARRAY: {
                long c = 1;
                int n = Math.min(sh.minItems, sh.prefix.length);
                for (int i = 0; i < n; i++) {
                    c = add(c, sh.prefix[i].cost);
                }
                if (sh.minItems > sh.prefix.length) {
                    long each = sh.rest.cost;
                    if (each >= Shape.INF) {
                        return Shape.INF;
                    }
                    long k = sh.minItems - sh.prefix.length;
                    c = each > 0 && k > Shape.INF / each ? Shape.INF : add(c, k * each);
                }
                return c;
            }
            case Shape.T_OBJECT: {
                long c = 1;
                for (int i = 0; i < sh.names.length; i++) {
                    if (sh.required[i]) {
                        c = add(c, sh.props[i].cost);
                    }
                }
                int need = sh.minProperties - sh.requiredCount;
                if (need > 0) {
                    long[] optional = new long[sh.names.length];
                    int m = 0;
                    for (int i = 0; i < sh.names.length; i++) {
                        if (!sh.required[i]) {
                            optional[m++] = sh.props[i].cost;
                        }
                    }
                    Arrays.sort(optional, 0, m);
                    long extra = sh.additional.cost;
                    for (int i = 0; i < need; i++) {
                        long o = i < m ? optional[i] : Shape.INF;
                        c = add(c, Math.min(o, extra));
                    }
                }
                return c;
            }
            default:
                return Shape.INF;
        }
    }

    /** Why a shape of infinite cost has no instance. */
    static Infeasibility blame(Shape sh) {
        return blame(sh, new BitSet());
    }

    /** A reason, or null when {@code sh} was already visited (a cycle) and another path must explain it. */
    private static Infeasibility blame(Shape sh, BitSet seen) {
        Infeasibility fallback = fallbackOf(sh);
        if (seen.get(sh.id)) {
            return null;
        }
        seen.set(sh.id);
        if (sh.branches != null) {
            for (Shape b : sh.branches) {
                Infeasibility w = blame(b, seen);
                if (w != null) {
                    return w;
                }
            }
            return fallback;
        }
        if (sh.isFalse) {
            return sh.whyNot[0];
        }
        if (sh.enumValues != null && sh.enumValues.length == 0) {
            return sh.whyNot[0];
        }
        // prefer the implied or only allowed type
        int[] order = {Shape.T_OBJECT, Shape.T_ARRAY, Shape.T_STRING, Shape.T_NUMBER, Shape.T_BOOLEAN, Shape.T_NULL};
        for (int t : order) {
            if (!sh.allows(t) && sh.types != 0) {
                continue;
            }
            if (sh.whyNot[t] != null) {
                return sh.whyNot[t];
            }
            if (t == Shape.T_OBJECT) {
                for (int i = 0; i < sh.names.length; i++) {
                    if (sh.required[i] && sh.props[i].cost >= Shape.INF) {
                        Infeasibility w = sh.props[i].isFalse ? null : blame(sh.props[i], seen);
                        if (w == null || w.equals(fallbackOf(sh.props[i]))) {
                            SchemaNode owner = requiredOwner(sh, sh.names[i]);
                            return Infeasibility.proved(
                                    owner == null ? "" : owner.pointer + "/required",
                                    "required property \"" + sh.names[i] + "\" "
                                            + (sh.props[i].isFalse ? "is not allowed" : "can never be satisfied"));
                        }
                        return w;
                    }
                }
            }
            if (t == Shape.T_OBJECT && sh.minProperties > sh.requiredCount && sh.typeCost[t] >= Shape.INF) {
                return Infeasibility.proved(
                        sh.minPropertiesFrom,
                        "minProperties " + sh.minProperties + " cannot be reached: too few" + " properties are allowed"
                                + (sh.additionalFalse ? " (additionalProperties is false)" : ""));
            }
            if (t == Shape.T_ARRAY) {
                for (int i = 0; i < sh.minItems; i++) {
                    Shape e = i < sh.prefix.length ? sh.prefix[i] : sh.rest;
                    if (e.cost >= Shape.INF) {
                        Infeasibility w = blame(e, seen);
                        return w != null ? w : fallback;
                    }
                }
            }
        }
        return fallback;
    }

    private static Infeasibility fallbackOf(Shape sh) {
        return Infeasibility.proved(
                sh.conj == null || sh.conj.length == 0 ? "" : sh.conj[0].pointer,
                "it contradicts itself or recurses without a base case");
    }

    private static SchemaNode requiredOwner(Shape sh, String name) {
        for (SchemaNode r : sh.conj) {
            if (r.required != null && r.required.contains(name)) {
                return r;
            }
        }
        return null;
    }

    private static long add(long a, long b) {
        long s = a + b;
        return s >= Shape.INF || s < 0 ? Shape.INF : s;
    }
}
