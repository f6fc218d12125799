package dev.llmlab.jsonschema;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.random.RandomGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One generation run over a {@link Shape} graph. Not thread-safe; create one per call (it only holds the random
 * source and a node counter).
 *
 * <p>Sizes are bounded two ways. Past {@link #MAX_DEPTH} nested containers, or once {@link #SOFT_NODES} values have
 * been produced, the generator turns minimal: it takes the cheapest branch and type, only required properties and
 * minItems items. Minimal choices strictly decrease the precomputed cost, so recursion ends and the rest of the
 * instance is at most the cost of what remains.
 */
final class Generator {

    static final int MAX_DEPTH = 6;
    static final int SOFT_NODES = 300;
    /** Below this depth, looking for distinct array items stops adding properties (a guard against recursion). */
    static final int HARD_DEPTH = 4 * MAX_DEPTH;
    /** Typical array length when the schema does not bound it. */
    static final int TYPICAL_ITEMS = 3;

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private final RandomGenerator rng;
    private int produced;
    /** Set while looking for a value distinct from earlier items: the next object or array grows a little. */
    private boolean vary;

    Generator(RandomGenerator rng) {
        this.rng = rng;
    }

    JsonNode generate(Shape sh, int depth, String hint) {
        produced++;
        boolean minimal = depth >= MAX_DEPTH || produced >= SOFT_NODES;
        if (sh.branches != null) {
            return dispatch(sh, depth, hint, minimal);
        }
        JsonNode v = concrete(sh, depth, hint, minimal);
        for (int attempt = 0; attempt < 8 && sh.nots.length > 0 && matchesAny(sh.nots, v); attempt++) {
            // the name hint may be what keeps producing the excluded value: drop it after two tries
            v = concrete(sh, depth, attempt < 2 ? hint : null, minimal);
        }
        return v;
    }

    private static boolean matchesAny(SchemaNode[] schemas, JsonNode v) {
        for (SchemaNode s : schemas) {
            if (Validator.isValid(s, v)) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------------------------------------ anyOf/oneOf

    private JsonNode dispatch(Shape sh, int depth, String hint, boolean minimal) {
        JsonNode v = null;
        for (int attempt = 0; attempt < 6; attempt++) {
            int chosen = chooseBranch(sh, minimal);
            v = generate(sh.branches[chosen], depth, attempt < 2 ? hint : null);
            if (!sh.oneOf || exactlyOne(sh, chosen, v)) {
                return v;
            }
        }
        return v;
    }

    private static boolean exactlyOne(Shape sh, int chosen, JsonNode v) {
        for (int i = 0; i < sh.alternatives.length; i++) {
            if (i != chosen && Validator.isValid(sh.alternatives[i], v)) {
                return false;
            }
        }
        return true;
    }

    private int chooseBranch(Shape sh, boolean minimal) {
        Shape[] b = sh.branches;
        if (minimal) {
            return cheapest(b);
        }
        int total = 0;
        int[] weight = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            weight[i] = b[i].cost >= Shape.INF ? 0 : b[i].nullish ? 1 : 3;
            total += weight[i];
        }
        int r = rng.nextInt(total);
        for (int i = 0; i < b.length; i++) {
            r -= weight[i];
            if (r < 0) {
                return i;
            }
        }
        throw new AssertionError();
    }

    private int cheapest(Shape[] shapes) {
        long min = Shape.INF;
        int ties = 0;
        int pick = 0;
        for (int i = 0; i < shapes.length; i++) {
            long c = shapes[i].cost;
            if (c < min) {
                min = c;
                ties = 1;
                pick = i;
            } else if (c == min && c < Shape.INF && rng.nextInt(++ties) == 0) {
                pick = i;
            }
        }
        return pick;
    }

    // ------------------------------------------------------------------------------------------------ concrete

    /** One value of a concrete shape with a given type choice, for compile-time probes. */
    JsonNode generateAs(Shape sh, int type, int depth) {
        produced++;
        JsonNode v = typed(sh, type, depth, null, depth >= MAX_DEPTH);
        for (int attempt = 0; attempt < 8 && sh.nots.length > 0 && matchesAny(sh.nots, v); attempt++) {
            v = typed(sh, type, depth, null, depth >= MAX_DEPTH);
        }
        return v;
    }

    private JsonNode concrete(Shape sh, int depth, String hint, boolean minimal) {
        if (sh.isFalse) {
            return Json.NODES.nullNode(); // unreachable: false shapes have infinite cost and are never chosen
        }
        if (sh.enumValues != null) {
            return copy(sh.enumValues[rng.nextInt(sh.enumValues.length)]);
        }
        if (sh.samples.length > 0 && !minimal && rng.nextInt(4) == 0) {
            return copy(sh.samples[rng.nextInt(sh.samples.length)]);
        }
        return typed(sh, chooseType(sh, minimal), depth, hint, minimal);
    }

    private JsonNode typed(Shape sh, int type, int depth, String hint, boolean minimal) {
        return switch (type) {
            case Shape.T_NULL -> Json.NODES.nullNode();
            case Shape.T_BOOLEAN -> Json.NODES.booleanNode(rng.nextBoolean());
            case Shape.T_NUMBER -> number(sh, hint);
            case Shape.T_STRING -> Json.NODES.stringNode(string(sh, hint));
            case Shape.T_ARRAY -> {
                boolean varyHere = vary;
                vary = false;
                yield array(sh, depth, hint, minimal, varyHere);
            }
            case Shape.T_OBJECT -> {
                boolean varyHere = vary; // applies to this value only, not to its children
                vary = false;
                yield object(sh, depth, minimal, varyHere);
            }
            default -> throw new AssertionError();
        };
    }

    private static JsonNode copy(JsonNode v) {
        return v.isContainer() ? v.deepCopy() : v;
    }

    private int chooseType(Shape sh, boolean minimal) {
        long[] cost = sh.typeCost;
        if (minimal) {
            // one of the cheapest types (which guarantees termination): an implied one if any, else at random
            long min = Shape.INF;
            for (long c : cost) {
                min = Math.min(min, c);
            }
            int ties = 0;
            int impliedTies = 0;
            for (int t = 0; t < Shape.T_COUNT; t++) {
                if (cost[t] == min) {
                    ties++;
                    if (impliedBy(sh.implied, t)) {
                        impliedTies++;
                    }
                }
            }
            boolean onlyImplied = impliedTies > 0;
            int k = rng.nextInt(onlyImplied ? impliedTies : ties);
            for (int t = 0; t < Shape.T_COUNT; t++) {
                if (cost[t] == min && (!onlyImplied || impliedBy(sh.implied, t)) && k-- == 0) {
                    return t;
                }
            }
            throw new AssertionError();
        }
        int[] weight = new int[Shape.T_COUNT];
        int total = 0;
        boolean untyped = sh.types == Json.ANY;
        for (int t = 0; t < Shape.T_COUNT; t++) {
            if (cost[t] >= Shape.INF) {
                continue;
            }
            int w;
            if (sh.implied != 0 && impliedBy(sh.implied, t)) {
                w = 12;
            } else if (untyped) {
                // a schema without "type": plain scalars read best
                w = switch (t) {
                    case Shape.T_STRING -> sh.implied == 0 ? 4 : 1;
                    case Shape.T_NUMBER, Shape.T_BOOLEAN -> sh.implied == 0 ? 2 : 1;
                    default -> 0;
                };
            } else {
                w = switch (t) {
                    case Shape.T_NULL -> 1;
                    case Shape.T_BOOLEAN -> 3;
                    default -> 4;
                };
            }
            weight[t] = w;
            total += w;
        }
        if (total == 0) {
            return cheapestType(cost);
        }
        int r = rng.nextInt(total);
        for (int t = 0; t < Shape.T_COUNT; t++) {
            r -= weight[t];
            if (r < 0) {
                return t;
            }
        }
        throw new AssertionError();
    }

    private static int cheapestType(long[] cost) {
        int pick = 0;
        for (int t = 1; t < cost.length; t++) {
            if (cost[t] < cost[pick]) {
                pick = t;
            }
        }
        return pick;
    }

    private static boolean impliedBy(int implied, int t) {
        return switch (t) {
            case Shape.T_OBJECT -> (implied & Json.OBJECT) != 0;
            case Shape.T_ARRAY -> (implied & Json.ARRAY) != 0;
            case Shape.T_STRING -> (implied & Json.STRING) != 0;
            case Shape.T_NUMBER -> (implied & (Json.NUMBER | Json.INTEGER)) != 0;
            default -> false;
        };
    }

    // ------------------------------------------------------------------------------------------------ numbers

    private JsonNode number(Shape sh, String hint) {
        Shape.NumPlan p = sh.numeric();
        // integers can be excluded from "number" by a 'not' or a oneOf alternative
        boolean integral = (sh.types & Json.INTEGER) != 0;
        double[] hw = Words.numberWindow(hint);
        BigDecimal[] w = window(p, hw);
        if (p.step != null) {
            BigDecimal v = p.step.multiply(new BigDecimal(pickK(p, w)));
            for (int attempt = 0; attempt < 6 && !integral && Json.isIntegral(v); attempt++) {
                v = p.step.multiply(new BigDecimal(pickK(p, w)));
            }
            return Json.number(v);
        }
        int decimals = hw != null ? (int) hw[2] : rng.nextInt(3) == 0 ? 0 : 1 + rng.nextInt(2);
        if (!integral) {
            decimals = Math.max(decimals, 1);
        }
        for (int attempt = 0; attempt < 6; attempt++) {
            double u = rng.nextDouble();
            BigDecimal span = w[1].subtract(w[0]);
            BigDecimal v = w[0].add(span.multiply(BigDecimal.valueOf(u))).setScale(decimals, RoundingMode.HALF_UP);
            if (p.admits(v) && (integral || !Json.isIntegral(v))) {
                return Json.number(v);
            }
            decimals++;
        }
        BigDecimal v;
        if (p.lo != null && p.hi != null) {
            v = p.lo.add(p.hi).divide(BigDecimal.valueOf(2));
        } else if (p.lo != null) {
            v = p.lo.add(BigDecimal.ONE);
        } else if (p.hi != null) {
            v = p.hi.subtract(BigDecimal.ONE);
        } else {
            v = BigDecimal.ZERO;
        }
        return Json.number(v);
    }

    /** A preferred interval inside the bounds: the hint's, else [0, 100], else 100 wide next to a bound. */
    private static BigDecimal[] window(Shape.NumPlan p, double[] hint) {
        BigDecimal a = hint != null ? BigDecimal.valueOf(hint[0]) : BigDecimal.ZERO;
        BigDecimal b = hint != null ? BigDecimal.valueOf(hint[1]) : HUNDRED;
        BigDecimal ia = p.lo == null ? a : a.max(p.lo);
        BigDecimal ib = p.hi == null ? b : b.min(p.hi);
        if (ia.compareTo(ib) <= 0) {
            return new BigDecimal[] {ia, ib};
        }
        if (p.lo != null && p.hi != null) {
            return new BigDecimal[] {p.lo, p.hi.min(p.lo.add(HUNDRED))};
        }
        if (p.lo != null) {
            return new BigDecimal[] {p.lo, p.lo.add(HUNDRED)};
        }
        return new BigDecimal[] {p.hi.subtract(HUNDRED), p.hi};
    }

    private BigInteger pickK(Shape.NumPlan p, BigDecimal[] w) {
        BigInteger a = w[0].divide(p.step, java.math.MathContext.DECIMAL128)
                .setScale(0, RoundingMode.CEILING)
                .toBigInteger();
        BigInteger b = w[1].divide(p.step, java.math.MathContext.DECIMAL128)
                .setScale(0, RoundingMode.FLOOR)
                .toBigInteger();
        if (p.kLo != null) {
            a = a.max(p.kLo);
        }
        if (p.kHi != null) {
            b = b.min(p.kHi);
        }
        if (a.compareTo(b) > 0) {
            BigInteger five = BigInteger.valueOf(5);
            if (p.kLo != null) {
                a = p.kLo;
                b = p.kHi == null ? a.add(five) : p.kHi.min(a.add(five));
            } else if (p.kHi != null) {
                b = p.kHi;
                a = b.subtract(five);
            } else {
                a = BigInteger.ZERO;
                b = five;
            }
        }
        return between(a, b);
    }

    private BigInteger between(BigInteger a, BigInteger b) {
        BigInteger span = b.subtract(a);
        if (span.signum() <= 0) {
            return a;
        }
        if (span.bitLength() < 62) {
            return a.add(BigInteger.valueOf(rng.nextLong(span.longValue() + 1)));
        }
        return a.add(new BigInteger(span.bitLength() - 1, new java.util.Random(rng.nextLong())));
    }

    // ------------------------------------------------------------------------------------------------ strings

    private boolean stringOk(Shape sh, String s) {
        int len = s.codePointCount(0, s.length());
        if (len < sh.minLength || (sh.maxLength >= 0 && len > sh.maxLength)) {
            return false;
        }
        for (java.util.regex.Pattern p : sh.patternChecks) {
            if (!p.matcher(s).find()) {
                return false;
            }
        }
        for (Formats.Kind f : sh.formats) {
            if (!Formats.valid(f, s)) {
                return false;
            }
        }
        return true;
    }

    private String string(Shape sh, String hint) {
        String last = null;
        if (sh.formats.length > 0) {
            for (int attempt = 0; attempt < 6; attempt++) {
                last = Formats.generate(sh.formats[0], rng, sh.minLength, sh.maxLength);
                if (stringOk(sh, last)) {
                    return last;
                }
            }
        }
        if (sh.patterns.length > 0 && sh.formats.length == 0) {
            // natural text first: an unanchored pattern such as [aeiou] or ^[a-z ]+$ often accepts it
            String s = Words.text(rng, hint, sh.minLength, sh.maxLength);
            if (stringOk(sh, s)) {
                return s;
            }
        }
        if (sh.lengthPlan != null) {
            for (int attempt = 0; attempt < 8; attempt++) {
                String s = sh.lengthPlan.generate(rng, sh.minLength, sh.maxLength);
                if (s != null && stringOk(sh, s)) {
                    return s;
                }
            }
        }
        if (sh.patterns.length > 0) {
            String s = fromPattern(sh, sh.patterns[0]);
            if (s != null) {
                return s;
            }
            for (int i = 1; i < sh.patterns.length; i++) {
                s = fromPattern(sh, sh.patterns[i]);
                if (s != null) {
                    return s;
                }
            }
            return last != null ? last : RegexGenerator.generate(sh.patterns[0], rng, 0, -1);
        }
        if (last != null) {
            return last;
        }
        return Words.text(rng, hint, sh.minLength, sh.maxLength);
    }

    /** Generates from one pattern until the length and the other constraints hold; null when it gives up. */
    private String fromPattern(Shape sh, Regex rx) {
        for (int attempt = 0; attempt < 6; attempt++) {
            String s = RegexGenerator.generate(rx, rng, 3, 0);
            if (stringOk(sh, s)) {
                return s;
            }
        }
        // binary search the repetition budget with the longest choices
        int lo = 0;
        int hi = Math.max(sh.minLength, 8);
        for (int attempt = 0; attempt < 12 && lo <= hi; attempt++) {
            int mid = (lo + hi) >>> 1;
            String s = RegexGenerator.generate(rx, rng, mid, 1);
            if (stringOk(sh, s)) {
                return s;
            }
            int len = s.codePointCount(0, s.length());
            if (len < sh.minLength) {
                lo = mid + 1;
            } else if (sh.maxLength >= 0 && len > sh.maxLength) {
                hi = mid - 1;
            } else {
                String r = RegexGenerator.generate(rx, rng, mid, 0);
                if (stringOk(sh, r)) {
                    return r;
                }
            }
        }
        String s = RegexGenerator.generate(rx, rng, 0, -1);
        return stringOk(sh, s) ? s : null;
    }

    // ------------------------------------------------------------------------------------------------ arrays

    private JsonNode array(Shape sh, int depth, String hint, boolean minimal, boolean varyThis) {
        int hi = sh.maxItems < 0 ? Integer.MAX_VALUE : sh.maxItems;
        // the array cannot extend past the first item position that admits nothing
        int feasible = sh.rest.cost < Shape.INF ? Integer.MAX_VALUE : sh.prefix.length;
        for (int i = 0; i < sh.prefix.length; i++) {
            if (sh.prefix[i].cost >= Shape.INF) {
                feasible = i;
                break;
            }
        }
        hi = Math.min(hi, feasible);
        int lo = sh.minItems;
        int n;
        if (minimal) {
            n = lo;
        } else {
            int upper = Math.min(hi, Math.max(lo, TYPICAL_ITEMS));
            if (sh.prefix.length > upper && sh.prefix.length <= hi) {
                upper = sh.prefix.length;
            }
            int lower = lo == 0 && upper >= 1 && rng.nextInt(8) != 0 ? 1 : lo;
            n = lower + rng.nextInt(upper - lower + 1);
        }
        if (varyThis && n < hi) {
            n++; // looking for a value distinct from earlier items: one more item
        }
        ArrayNode arr = Json.NODES.arrayNode(n);
        String itemHint = singular(hint);
        for (int i = 0; i < n; i++) {
            Shape e = i < sh.prefix.length ? sh.prefix[i] : sh.rest;
            JsonNode v = generate(e, depth + 1, itemHint);
            if (sh.unique && contains(arr, v)) {
                for (int attempt = 0; attempt < 10 && contains(arr, v); attempt++) {
                    vary = attempt >= 3 && depth < HARD_DEPTH;
                    v = generate(e, depth + 1, attempt < 5 ? itemHint : null);
                    vary = false;
                }
                if (contains(arr, v) && i >= lo) {
                    break;
                }
            }
            arr.add(v);
        }
        return arr;
    }

    private static boolean contains(ArrayNode arr, JsonNode v) {
        for (JsonNode e : arr) {
            if (Json.equal(e, v)) {
                return true;
            }
        }
        return false;
    }

    private static String singular(String hint) {
        if (hint == null) {
            return null;
        }
        if (hint.endsWith("ies") && hint.length() > 4) {
            return hint.substring(0, hint.length() - 3) + "y";
        }
        if (hint.endsWith("s") && !hint.endsWith("ss") && hint.length() > 3) {
            return hint.substring(0, hint.length() - 1);
        }
        return hint;
    }

    // ------------------------------------------------------------------------------------------------ objects

    private JsonNode object(Shape sh, int depth, boolean minimal, boolean varyThis) {
        int n = sh.names.length;
        boolean[] include = new boolean[n];
        int count = sh.requiredCount;
        int budget = (sh.maxProperties < 0 ? Integer.MAX_VALUE : sh.maxProperties) - count;
        for (int i = 0; i < n; i++) {
            include[i] = sh.required[i];
        }
        if (!minimal) {
            int percent = depth <= 1 ? 75 : 50;
            for (int i = 0; i < n && budget > 0; i++) {
                if (!include[i] && sh.props[i].cost < Shape.INF && rng.nextInt(100) < percent) {
                    include[i] = true;
                    budget--;
                    count++;
                }
            }
        }
        // minProperties: first optional declared properties, the cheapest first when minimal
        while (count < sh.minProperties) {
            int best = -1;
            for (int i = 0; i < n; i++) {
                if (!include[i]
                        && sh.props[i].cost < Shape.INF
                        && (best < 0 || sh.props[i].cost < sh.props[best].cost)) {
                    best = i;
                }
            }
            if (best < 0 || sh.props[best].cost > sh.additional.cost) {
                break;
            }
            include[best] = true;
            count++;
        }
        if (varyThis
                && (sh.maxProperties < 0 || count < sh.maxProperties)
                && (rng.nextBoolean() || sh.additionalFalse || sh.additional.cost >= Shape.INF)) {
            // looking for a value distinct from earlier items: add one more optional property
            int options = 0;
            int cheapest = -1;
            for (int i = 0; i < n; i++) {
                if (!include[i] && sh.props[i].cost < Shape.INF) {
                    options++;
                    if (cheapest < 0 || sh.props[i].cost < sh.props[cheapest].cost) {
                        cheapest = i;
                    }
                }
            }
            if (options > 0 && minimal) {
                include[cheapest] = true; // deep in a recursion: the cheapest addition, so that it ends
                count++;
            } else if (options > 0) {
                int k = rng.nextInt(options);
                for (int i = 0; i < n; i++) {
                    if (!include[i] && sh.props[i].cost < Shape.INF && k-- == 0) {
                        include[i] = true;
                        count++;
                        break;
                    }
                }
            }
        }
        ObjectNode o = Json.NODES.objectNode();
        for (int i = 0; i < n; i++) {
            if (include[i]) {
                o.set(sh.names[i], generate(sh.props[i], depth + 1, sh.names[i]));
            }
        }
        int extra = 0;
        boolean grow = varyThis
                && sh.additional.cost < Shape.INF
                && !sh.additionalFalse
                && (sh.maxProperties < 0 || count < sh.maxProperties);
        while ((count < sh.minProperties || grow) && sh.additional.cost < Shape.INF) {
            grow = false;
            String name = extraName(sh, o, extra++);
            o.set(name, generate(sh.additional, depth + 1, name));
            count++;
        }
        return o;
    }

    private String extraName(Shape sh, ObjectNode o, int index) {
        for (int attempt = 0; attempt < 20; attempt++) {
            String name = attempt < 10 ? Words.pick(Words.KEYS, rng) : Words.pick(Words.NOUNS, rng) + "_" + index;
            if (!o.has(name) && !declared(sh, name)) {
                return name;
            }
        }
        String name = "extra_" + index;
        while (o.has(name) || declared(sh, name)) {
            name = name + "_";
        }
        return name;
    }

    private static boolean declared(Shape sh, String name) {
        for (String n : sh.names) {
            if (n.equals(name)) {
                return true;
            }
        }
        return false;
    }
}
