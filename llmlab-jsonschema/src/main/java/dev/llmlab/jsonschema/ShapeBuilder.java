package dev.llmlab.jsonschema;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Builds the {@link Shape} graph for a compiled schema and computes, for every shape, the size of its smallest valid
 * instance.
 *
 * <p>A shape is identified by three sets of raw schemas: those in conjunction at a location, the anyOf/oneOf groups
 * already branched on there, and those the value must not match (the other alternatives of each chosen oneOf
 * branch). All range over a finite universe, so memoizing shapes by that key makes the graph finite even for
 * recursive schemas, and allOf/$ref merging is exact: a keyword of any conjunct constrains the shape. Children
 * (properties, items) start with empty second and third sets because combinators apply per location.
 *
 * <p>Costs are the least fixpoint of "1 + the cost of the required children" (minimum over branches and types),
 * iterated from infinity; a shape whose cost stays infinite has no finite valid instance (a contradiction, or a
 * recursion without a base case). Following the cheapest choices strictly decreases cost, which is what lets the
 * generator stop recursion safely when it runs out of depth or size budget.
 */
final class ShapeBuilder {

    /** Beyond this many shapes the schema's combinators multiply out too far to precompute. */
    static final int MAX_SHAPES = 20_000;
    /** Smallest instances larger than this are refused. */
    static final long MAX_MIN_NODES = 100_000;

    private static final MathContext MC = new MathContext(60, RoundingMode.HALF_EVEN);

    /**
     * schemas: in conjunction here; resolved: anyOf/oneOf groups (2 * id, + 1 for oneOf) already branched on;
     * excluded: schemas the value must not match (the other alternatives of a chosen oneOf branch).
     */
    private record Key(BitSet schemas, BitSet resolved, BitSet excluded) {}

    private final List<SchemaNode> nodes;
    private final Map<Key, Shape> shapes = new HashMap<>();
    private final List<Shape> all = new ArrayList<>();
    private final ArrayDeque<Object[]> work = new ArrayDeque<>();

    private ShapeBuilder(List<SchemaNode> nodes) {
        this.nodes = nodes;
    }

    /** The shape graph of a schema: its root, and how many shapes it holds. */
    record Graph(Shape root, int shapes) {}

    /** Builds and costs the shapes of a compiled schema; throws SchemaException if the root admits no instance. */
    static Graph build(SchemaCompiler compiled) {
        ShapeBuilder b = new ShapeBuilder(compiled.nodes());
        BitSet rootSet = new BitSet();
        b.flatten(compiled.root(), rootSet);
        Shape root = b.shape(new Key(rootSet, new BitSet(), new BitSet()));
        while (!b.work.isEmpty()) {
            Object[] item = b.work.poll();
            b.fill((Shape) item[0], (Key) item[1]);
        }
        b.computeCosts();
        b.probe();
        if (root.cost >= Shape.INF) {
            String why = b.blame(root, new BitSet());
            int sep = why.indexOf('\0');
            String problem = why.substring(sep + 1);
            throw new SchemaException(
                    why.substring(0, sep),
                    problem.startsWith(TRIED)
                            ? "no valid instance could be generated: " + problem.substring(TRIED.length())
                            : "the schema admits no valid instance: " + problem);
        }
        if (root.cost > MAX_MIN_NODES) {
            throw new SchemaException(
                    "", "the smallest valid instance has about " + root.cost + " values, too many to generate");
        }
        return new Graph(root, b.all.size());
    }

    private void flatten(SchemaNode n, BitSet into) {
        if (into.get(n.id)) {
            return;
        }
        into.set(n.id);
        if (n.ref != null) {
            flatten(n.ref, into);
        }
        if (n.allOf != null) {
            for (SchemaNode m : n.allOf) {
                flatten(m, into);
            }
        }
    }

    private Shape shape(Key key) {
        Shape s = shapes.get(key);
        if (s == null) {
            if (all.size() >= MAX_SHAPES) {
                throw new SchemaException(
                        "",
                        "the schema is too complex: its anyOf/oneOf/allOf combinations expand to" + " more than "
                                + MAX_SHAPES + " cases");
            }
            s = new Shape(all.size());
            shapes.put(key, s);
            all.add(s);
            work.add(new Object[] {s, key});
        }
        return s;
    }

    private Shape child(List<SchemaNode> parts) {
        BitSet set = new BitSet();
        for (SchemaNode p : parts) {
            flatten(p, set);
        }
        return shape(new Key(set, new BitSet(), new BitSet()));
    }

    private static String why(String pointer, String problem) {
        return pointer + "\0" + problem;
    }

    private void fill(Shape sh, Key key) {
        SchemaNode[] conj = key.schemas().stream().mapToObj(nodes::get).toArray(SchemaNode[]::new);
        sh.conj = conj;
        for (SchemaNode r : conj) {
            if (r.isFalse) {
                sh.isFalse = true;
                Arrays.fill(sh.whyNot, why(r.pointer, "the schema at #" + r.pointer + " is false"));
                return;
            }
        }
        // the first unresolved combinator makes this a dispatch
        for (SchemaNode r : conj) {
            for (int g = 0; g < 2; g++) {
                List<SchemaNode> alts = g == 0 ? r.anyOf : r.oneOf;
                int groupId = 2 * r.id + g;
                if (alts == null || key.resolved().get(groupId)) {
                    continue;
                }
                BitSet resolved = (BitSet) key.resolved().clone();
                resolved.set(groupId);
                sh.branches = new Shape[alts.size()];
                for (int i = 0; i < alts.size(); i++) {
                    BitSet set = (BitSet) key.schemas().clone();
                    flatten(alts.get(i), set);
                    BitSet excluded = key.excluded();
                    if (g == 1) {
                        excluded = (BitSet) excluded.clone();
                        for (int j = 0; j < alts.size(); j++) {
                            if (j != i) {
                                excluded.set(alts.get(j).id);
                            }
                        }
                    }
                    sh.branches[i] = shape(new Key(set, resolved, excluded));
                }
                sh.alternatives = alts.toArray(SchemaNode[]::new);
                sh.oneOf = g == 1;
                return;
            }
        }
        SchemaNode[] excluded = key.excluded().stream().mapToObj(nodes::get).toArray(SchemaNode[]::new);
        concrete(sh, conj, excluded);
    }

    private void concrete(Shape sh, SchemaNode[] conj, SchemaNode[] excluded) {
        // types
        String typeFrom = null;
        for (SchemaNode r : conj) {
            if (r.types != 0) {
                sh.types &= r.types;
                typeFrom = r.pointer + "/type";
            }
            sh.implied |= r.impliedType;
        }
        if (sh.types == 0) {
            Arrays.fill(sh.whyNot, why(typeFrom, "the type constraints of the combined schemas exclude every type"));
        }
        List<SchemaNode> nots = new ArrayList<>();
        for (SchemaNode r : conj) {
            if (r.not != null) {
                nots.add(r.not);
            }
        }
        nots.addAll(Arrays.asList(excluded));
        sh.nots = nots.toArray(SchemaNode[]::new);
        // a type whose every value matches a 'not' schema is out
        for (SchemaNode n : sh.nots) {
            int before = sh.types;
            sh.types &= ~fullyAccepted(n, 0);
            if (before != 0 && sh.types == 0) {
                Arrays.fill(
                        sh.whyNot,
                        why(
                                n.pointer,
                                "every value the rest allows matches this schema, which must not"
                                        + " match (under 'not', or another alternative of a oneOf)"));
            }
        }
        enumsAndSamples(sh, conj);
        numbers(sh, conj);
        strings(sh, conj);
        arrays(sh, conj);
        objects(sh, conj);
        sh.nullish = sh.types == Json.NULL
                || (sh.enumValues != null && sh.enumValues.length == 1 && sh.enumValues[0].isNull());
    }

    private static boolean validAll(Shape sh, SchemaNode[] conj, JsonNode v) {
        for (SchemaNode r : conj) {
            if (!Validator.isValid(r, v)) {
                return false;
            }
        }
        for (SchemaNode n : sh.nots) {
            if (Validator.isValid(n, v)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The types all of whose values validate against n (a sound under-approximation): used to drop from a shape the
     * types a 'not' excludes wholesale, such as every non-string under {@code "not": {"maxLength": 2}}.
     */
    static int fullyAccepted(SchemaNode n, int depth) {
        if (n.isFalse || depth > 16 || n.enumValues != null || n.constValue != null || n.oneOf != null) {
            return 0;
        }
        int m = n.types == 0 ? Json.ANY : n.types;
        if (n.minLength > 0 || n.maxLength >= 0 || n.pattern != null || n.formatKind != null) {
            m &= ~Json.STRING;
        }
        if (n.minimum != null
                || n.maximum != null
                || n.exclusiveMinimum != null
                || n.exclusiveMaximum != null
                || n.multipleOf != null) {
            m &= ~(Json.NUMBER | Json.INTEGER);
        }
        if (n.prefixItems != null
                || n.minItems > 0
                || n.maxItems >= 0
                || n.uniqueItems
                || (n.items != null && fullyAccepted(n.items, depth + 1) != Json.ANY)) {
            m &= ~Json.ARRAY;
        }
        boolean objectConstrained = (n.required != null && !n.required.isEmpty())
                || n.minProperties > 0
                || n.maxProperties >= 0
                || (n.additionalProperties != null && fullyAccepted(n.additionalProperties, depth + 1) != Json.ANY);
        if (!objectConstrained && n.properties != null) {
            for (SchemaNode p : n.properties.values()) {
                if (fullyAccepted(p, depth + 1) != Json.ANY) {
                    objectConstrained = true;
                    break;
                }
            }
        }
        if (objectConstrained) {
            m &= ~Json.OBJECT;
        }
        if (n.ref != null) {
            m &= fullyAccepted(n.ref, depth + 1);
        }
        if (n.allOf != null) {
            for (SchemaNode a : n.allOf) {
                m &= fullyAccepted(a, depth + 1);
            }
        }
        if (n.anyOf != null) {
            int any = 0;
            for (SchemaNode a : n.anyOf) {
                any |= fullyAccepted(a, depth + 1);
            }
            m &= any;
        }
        if (n.not != null) {
            m &= ~possibleTypes(n.not, depth + 1);
        }
        return m;
    }

    /** The types n may accept (a sound over-approximation). */
    private static int possibleTypes(SchemaNode n, int depth) {
        if (n.isFalse) {
            return 0;
        }
        int m = n.types == 0 ? Json.ANY : n.types;
        if (depth > 16) {
            return m;
        }
        if (n.ref != null) {
            m &= possibleTypes(n.ref, depth + 1);
        }
        if (n.allOf != null) {
            for (SchemaNode a : n.allOf) {
                m &= possibleTypes(a, depth + 1);
            }
        }
        if (n.not != null) {
            m &= ~fullyAccepted(n.not, depth + 1);
        }
        return m;
    }

    private static void addDistinct(List<JsonNode> list, JsonNode v) {
        for (JsonNode e : list) {
            if (Json.equal(e, v)) {
                return;
            }
        }
        list.add(v);
    }

    private void enumsAndSamples(Shape sh, SchemaNode[] conj) {
        List<JsonNode> candidates = null;
        String enumFrom = null;
        for (SchemaNode r : conj) {
            List<List<JsonNode>> lists = new ArrayList<>(2);
            if (r.enumValues != null) {
                lists.add(r.enumValues);
                enumFrom = r.pointer + "/enum";
            }
            if (r.constValue != null) {
                lists.add(List.of(r.constValue));
                enumFrom = r.pointer + "/const";
            }
            for (List<JsonNode> list : lists) {
                if (candidates == null) {
                    candidates = new ArrayList<>();
                    for (JsonNode v : list) {
                        addDistinct(candidates, v);
                    }
                } else {
                    candidates.removeIf(c -> list.stream().noneMatch(v -> Json.equal(c, v)));
                }
            }
        }
        if (candidates != null) {
            candidates.removeIf(c -> !validAll(sh, conj, c));
            sh.enumValues = candidates.toArray(JsonNode[]::new);
            if (candidates.isEmpty()) {
                Arrays.fill(sh.whyNot, why(enumFrom, "no value of enum/const satisfies the other constraints"));
            }
        }
        List<JsonNode> samples = new ArrayList<>();
        for (SchemaNode r : conj) {
            if (r.defaultValue != null) {
                addDistinct(samples, r.defaultValue);
            }
            if (r.examples != null) {
                for (JsonNode e : r.examples) {
                    addDistinct(samples, e);
                }
            }
        }
        samples.removeIf(c -> !validAll(sh, conj, c) || Json.count(c) > 200);
        sh.samples = samples.toArray(JsonNode[]::new);
    }

    // ------------------------------------------------------------------------------------------------ numbers

    private void numbers(Shape sh, SchemaNode[] conj) {
        Shape.NumPlan base = new Shape.NumPlan();
        List<BigDecimal> multiples = new ArrayList<>();
        for (SchemaNode r : conj) {
            lower(base, r.minimum, false, r.pointer + "/minimum");
            lower(base, r.exclusiveMinimum, true, r.pointer + "/exclusiveMinimum");
            upper(base, r.maximum, false, r.pointer + "/maximum");
            upper(base, r.exclusiveMaximum, true, r.pointer + "/exclusiveMaximum");
            if (r.multipleOf != null) {
                multiples.add(r.multipleOf);
            }
        }
        BigInteger[] stepFraction = null; // p/q, the rational lcm of all multipleOf
        BigInteger intStep = BigInteger.ONE; // the lcm of their numerators: the step among integers
        for (BigDecimal m : multiples) {
            BigInteger[] f = fraction(m);
            stepFraction =
                    stepFraction == null ? f : new BigInteger[] {lcm(stepFraction[0], f[0]), stepFraction[1].gcd(f[1])};
            intStep = lcm(intStep, f[0]);
        }
        Shape.NumPlan number = copy(base);
        if (stepFraction != null) {
            number.step = new BigDecimal(stepFraction[0]).divide(new BigDecimal(stepFraction[1]));
        }
        Shape.NumPlan integer = copy(base);
        integer.step = new BigDecimal(intStep);
        plan(number);
        plan(integer);
        sh.number = number;
        sh.integer = integer;
        Shape.NumPlan used = sh.numeric();
        if (!used.feasible && sh.whyNot[Shape.T_NUMBER] == null) {
            String at = used.hiFrom != null ? used.hiFrom : used.loFrom != null ? used.loFrom : conj[0].pointer;
            sh.whyNot[Shape.T_NUMBER] = why(
                    at,
                    "no " + ((sh.types & Json.NUMBER) != 0 ? "number" : "integer")
                            + " lies within the bounds"
                            + (used.step != null && used.step.compareTo(BigDecimal.ONE) != 0
                                    ? " as a multiple of " + Validator.num(used.step)
                                    : ""));
        }
    }

    private static void lower(Shape.NumPlan p, BigDecimal v, boolean exclusive, String from) {
        if (v == null) {
            return;
        }
        int c = p.lo == null ? 1 : v.compareTo(p.lo);
        if (c > 0 || (c == 0 && exclusive)) {
            p.lo = v;
            p.loExclusive = exclusive;
            p.loFrom = from;
        }
    }

    private static void upper(Shape.NumPlan p, BigDecimal v, boolean exclusive, String from) {
        if (v == null) {
            return;
        }
        int c = p.hi == null ? -1 : v.compareTo(p.hi);
        if (c < 0 || (c == 0 && exclusive)) {
            p.hi = v;
            p.hiExclusive = exclusive;
            p.hiFrom = from;
        }
    }

    private static Shape.NumPlan copy(Shape.NumPlan b) {
        Shape.NumPlan p = new Shape.NumPlan();
        p.lo = b.lo;
        p.loExclusive = b.loExclusive;
        p.loFrom = b.loFrom;
        p.hi = b.hi;
        p.hiExclusive = b.hiExclusive;
        p.hiFrom = b.hiFrom;
        return p;
    }

    /** Computes the admissible k range of a stepped plan, or the feasibility of a continuous one. */
    private static void plan(Shape.NumPlan p) {
        if (p.step == null) {
            p.feasible = p.lo == null
                    || p.hi == null
                    || p.lo.compareTo(p.hi) < 0
                    || (p.lo.compareTo(p.hi) == 0 && !p.loExclusive && !p.hiExclusive);
            return;
        }
        if (p.lo != null) {
            BigInteger k =
                    p.lo.divide(p.step, MC).setScale(0, RoundingMode.CEILING).toBigIntegerExact();
            while (!above(p, k)) {
                k = k.add(BigInteger.ONE);
            }
            while (above(p, k.subtract(BigInteger.ONE))) {
                k = k.subtract(BigInteger.ONE);
            }
            p.kLo = k;
        }
        if (p.hi != null) {
            BigInteger k =
                    p.hi.divide(p.step, MC).setScale(0, RoundingMode.FLOOR).toBigIntegerExact();
            while (!below(p, k)) {
                k = k.subtract(BigInteger.ONE);
            }
            while (below(p, k.add(BigInteger.ONE))) {
                k = k.add(BigInteger.ONE);
            }
            p.kHi = k;
        }
        p.feasible = p.kLo == null || p.kHi == null || p.kLo.compareTo(p.kHi) <= 0;
    }

    private static boolean above(Shape.NumPlan p, BigInteger k) {
        int c = p.step.multiply(new BigDecimal(k)).compareTo(p.lo);
        return c > 0 || (c == 0 && !p.loExclusive);
    }

    private static boolean below(Shape.NumPlan p, BigInteger k) {
        int c = p.step.multiply(new BigDecimal(k)).compareTo(p.hi);
        return c < 0 || (c == 0 && !p.hiExclusive);
    }

    /** A positive decimal as a reduced fraction p/q. */
    static BigInteger[] fraction(BigDecimal m) {
        BigDecimal s = m.stripTrailingZeros();
        if (s.scale() <= 0) {
            return new BigInteger[] {s.toBigIntegerExact(), BigInteger.ONE};
        }
        BigInteger u = s.unscaledValue();
        BigInteger q = BigInteger.TEN.pow(s.scale());
        BigInteger g = u.gcd(q);
        return new BigInteger[] {u.divide(g), q.divide(g)};
    }

    private static BigInteger lcm(BigInteger a, BigInteger b) {
        return a.divide(a.gcd(b)).multiply(b);
    }

    // ------------------------------------------------------------------------------------------------ strings

    private void strings(Shape sh, SchemaNode[] conj) {
        List<Regex> gens = new ArrayList<>();
        List<Pattern> checks = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        List<Formats.Kind> formats = new ArrayList<>();
        String minFrom = null;
        String maxFrom = null;
        for (SchemaNode r : conj) {
            if (r.minLength > sh.minLength) {
                sh.minLength = r.minLength;
                minFrom = r.pointer + "/minLength";
            }
            if (r.maxLength >= 0 && (sh.maxLength < 0 || r.maxLength < sh.maxLength)) {
                sh.maxLength = r.maxLength;
                maxFrom = r.pointer + "/maxLength";
            }
            if (r.pattern != null && !sources.contains(r.patternSource)) {
                sources.add(r.patternSource);
                gens.add(r.patternGen);
                checks.add(r.pattern);
                if (sh.whyNot[Shape.T_STRING] == null) {
                    long max = sh.maxLength < 0 ? Long.MAX_VALUE : sh.maxLength;
                    if (r.patternGen.minLength > max) {
                        sh.whyNot[Shape.T_STRING] = why(
                                r.pointer + "/pattern",
                                "pattern needs at least " + r.patternGen.minLength
                                        + " characters, more than maxLength");
                    }
                }
            }
            if (r.formatKind != null && !formats.contains(r.formatKind)) {
                formats.add(r.formatKind);
            }
        }
        if (sh.maxLength >= 0 && sh.minLength > sh.maxLength && sh.whyNot[Shape.T_STRING] == null) {
            sh.whyNot[Shape.T_STRING] = why(
                    maxFrom,
                    "minLength " + sh.minLength + " exceeds maxLength " + sh.maxLength
                            + (minFrom == null ? "" : " (#" + minFrom + ")"));
        }
        for (Regex g : gens) {
            if (sh.whyNot[Shape.T_STRING] == null
                    && ((sh.maxLength >= 0 && g.minLength > sh.maxLength) || g.maxMatchingLength() < sh.minLength)) {
                sh.whyNot[Shape.T_STRING] = why(
                        conj[0].pointer,
                        "pattern " + g + " cannot match a string of length " + sh.minLength + ".."
                                + (sh.maxLength < 0 ? "" : sh.maxLength));
            }
        }
        for (Formats.Kind f : formats) {
            if (sh.whyNot[Shape.T_STRING] == null
                    && (f.maxLength < sh.minLength || (sh.maxLength >= 0 && f.minLength > sh.maxLength))) {
                sh.whyNot[Shape.T_STRING] = why(
                        maxFrom != null && sh.maxLength >= 0 && f.minLength > sh.maxLength ? maxFrom : conj[0].pointer,
                        "no " + f.keyword + " has a length of " + sh.minLength + ".."
                                + (sh.maxLength < 0 ? "" : sh.maxLength));
            }
        }
        if (!gens.isEmpty() && (sh.minLength > 0 || sh.maxLength >= 0)) {
            Regex first = gens.get(0);
            int floor = Math.max(sh.minLength, first.minLength);
            int cap = sh.maxLength >= 0 ? Math.min(sh.maxLength, floor + 64) : floor + 64;
            RegexLengthPlanner sized = new RegexLengthPlanner(first, cap);
            if (sized.admits(sh.minLength, sh.maxLength)) {
                sh.lengthPlan = sized;
            } else if (sh.maxLength >= 0 && cap >= sh.maxLength && sh.whyNot[Shape.T_STRING] == null) {
                sh.whyNot[Shape.T_STRING] = why(
                        maxFrom,
                        "pattern " + Json.NODES.stringNode(first.toString()) + " matches no string of length "
                                + sh.minLength + ".." + sh.maxLength);
            }
        }
        sh.patterns = gens.toArray(Regex[]::new);
        sh.patternChecks = checks.toArray(Pattern[]::new);
        sh.formats = formats.toArray(Formats.Kind[]::new);
    }

    // ------------------------------------------------------------------------------------------------ arrays

    private void arrays(Shape sh, SchemaNode[] conj) {
        int maxPrefix = 0;
        String maxFrom = null;
        String minFrom = null;
        for (SchemaNode r : conj) {
            if (r.minItems > sh.minItems) {
                sh.minItems = r.minItems;
                minFrom = r.pointer + "/minItems";
            }
            if (r.maxItems >= 0 && (sh.maxItems < 0 || r.maxItems < sh.maxItems)) {
                sh.maxItems = r.maxItems;
                maxFrom = r.pointer + "/maxItems";
            }
            sh.unique |= r.uniqueItems;
            if (r.prefixItems != null) {
                maxPrefix = Math.max(maxPrefix, r.prefixItems.size());
            }
        }
        if (sh.maxItems >= 0 && sh.minItems > sh.maxItems) {
            sh.whyNot[Shape.T_ARRAY] = why(
                    maxFrom, "minItems " + sh.minItems + " exceeds maxItems " + sh.maxItems + " (#" + minFrom + ")");
        }
        sh.prefix = new Shape[maxPrefix];
        for (int i = 0; i < maxPrefix; i++) {
            List<SchemaNode> parts = new ArrayList<>();
            for (SchemaNode r : conj) {
                if (r.prefixItems != null && i < r.prefixItems.size()) {
                    parts.add(r.prefixItems.get(i));
                } else if (r.items != null) {
                    parts.add(r.items);
                }
            }
            sh.prefix[i] = child(parts);
        }
        List<SchemaNode> rest = new ArrayList<>();
        for (SchemaNode r : conj) {
            if (r.items != null) {
                rest.add(r.items);
            }
        }
        sh.rest = child(rest);
    }

    // ------------------------------------------------------------------------------------------------ objects

    private void objects(Shape sh, SchemaNode[] conj) {
        Map<String, Boolean> names = new LinkedHashMap<>(); // name -> required
        String maxFrom = null;
        String minFrom = null;
        for (SchemaNode r : conj) {
            if (r.properties != null) {
                for (String n : r.properties.keySet()) {
                    names.putIfAbsent(n, false);
                }
            }
            if (r.minProperties > sh.minProperties) {
                sh.minProperties = r.minProperties;
                minFrom = r.pointer + "/minProperties";
                sh.minPropertiesFrom = minFrom;
            }
            if (r.maxProperties >= 0 && (sh.maxProperties < 0 || r.maxProperties < sh.maxProperties)) {
                sh.maxProperties = r.maxProperties;
                maxFrom = r.pointer + "/maxProperties";
            }
        }
        for (SchemaNode r : conj) {
            if (r.required != null) {
                for (String n : r.required) {
                    names.put(n, true);
                }
            }
        }
        int n = names.size();
        sh.names = new String[n];
        sh.props = new Shape[n];
        sh.required = new boolean[n];
        int i = 0;
        for (Map.Entry<String, Boolean> e : names.entrySet()) {
            String name = e.getKey();
            sh.names[i] = name;
            sh.required[i] = e.getValue();
            if (e.getValue()) {
                sh.requiredCount++;
            }
            List<SchemaNode> parts = new ArrayList<>();
            for (SchemaNode r : conj) {
                SchemaNode p = r.properties == null ? null : r.properties.get(name);
                if (p != null) {
                    parts.add(p);
                } else if (r.additionalProperties != null) {
                    parts.add(r.additionalProperties);
                }
            }
            sh.props[i] = child(parts);
            i++;
        }
        List<SchemaNode> extra = new ArrayList<>();
        for (SchemaNode r : conj) {
            if (r.additionalProperties != null) {
                extra.add(r.additionalProperties);
                sh.additionalFalse |= r.additionalProperties.isFalse;
            }
        }
        sh.additional = child(extra);
        if (sh.maxProperties >= 0 && sh.requiredCount > sh.maxProperties) {
            sh.whyNot[Shape.T_OBJECT] =
                    why(maxFrom, sh.requiredCount + " required properties exceed maxProperties " + sh.maxProperties);
        } else if (sh.maxProperties >= 0 && sh.minProperties > sh.maxProperties) {
            sh.whyNot[Shape.T_OBJECT] = why(
                    maxFrom,
                    "minProperties " + sh.minProperties + " exceeds maxProperties " + sh.maxProperties + " (#" + minFrom
                            + ")");
        }
    }

    // ------------------------------------------------------------------------------------------------ costs

    private static long add(long a, long b) {
        long s = a + b;
        return s >= Shape.INF || s < 0 ? Shape.INF : s;
    }

    /**
     * A few constraints are met by checking rather than by construction: 'not' schemas (including the other
     * alternatives of a chosen oneOf branch), uniqueItems, and strings under several patterns, a pattern with length
     * bounds, or a format with length bounds. For each shape and type where that happens, a few seeded instances are
     * generated at compile time. A type for which no instance validates is declared infeasible and costs are
     * recomputed, so the generator never chooses it (and compile refuses the schema if the root depends on it).
     *
     * <p>A sample that fails only deeper in the tree is inconclusive: a child may be at fault and gets its own probe.
     * Types with a local failure are pinned first; when a round pins nothing but inconclusive ones remain (children
     * that fail because of their parents, as in recursive oneOf), those are pinned too. Deterministic, so compile is
     * too; the price is that a satisfiable type with a very small valid region may be treated as unsatisfiable.
     */
    private void probe() {
        BitSet passed = new BitSet(); // shape * T_COUNT + type
        while (true) {
            List<int[]> local = new ArrayList<>();
            List<int[]> inconclusive = new ArrayList<>();
            for (Shape sh : all) {
                if (sh.branches != null || sh.isFalse || sh.enumValues != null || sh.cost >= Shape.INF) {
                    continue;
                }
                for (int t = 0; t < Shape.T_COUNT; t++) {
                    int bit = sh.id * Shape.T_COUNT + t;
                    if (sh.typeCost[t] >= Shape.INF || passed.get(bit) || !needsProbe(sh, t)) {
                        continue;
                    }
                    switch (trial(sh, t)) {
                        case 0 -> passed.set(bit);
                        case 1 -> local.add(new int[] {sh.id, t});
                        default -> inconclusive.add(new int[] {sh.id, t});
                    }
                }
            }
            List<int[]> pins = local.isEmpty() ? inconclusive : local;
            if (pins.isEmpty()) {
                return;
            }
            for (int[] pin : pins) {
                Shape sh = all.get(pin[0]);
                sh.whyNot[pin[1]] = why(
                        sh.nots.length > 0 ? sh.nots[0].pointer : sh.conj[0].pointer,
                        TRIED + "no " + TYPE_NAMES[pin[1]] + " found that satisfies all constraints here"
                                + (sh.nots.length > 0
                                        ? " and does not match this schema (under 'not', or another alternative of"
                                                + " a oneOf)"
                                        : " (" + probeReason(sh, pin[1]) + ")"));
            }
            for (Shape sh : all) {
                sh.cost = Shape.INF;
            }
            computeCosts();
            passed.clear();
        }
    }

    /** Marks reasons found by trial rather than proved. */
    private static final String TRIED = "\u0001";

    private static final String[] TYPE_NAMES = {"null", "boolean", "object", "array", "string", "number"};

    private static boolean needsProbe(Shape sh, int t) {
        if (sh.nots.length > 0) {
            return true;
        }
        return switch (t) {
            case Shape.T_STRING ->
                sh.patterns.length > 1
                        || sh.formats.length > 1
                        || (sh.patterns.length + sh.formats.length > 0 && (sh.minLength > 0 || sh.maxLength >= 0))
                        || (sh.patterns.length > 0 && sh.formats.length > 0);
            case Shape.T_ARRAY -> sh.unique && sh.minItems > 1;
            default -> false;
        };
    }

    private static String probeReason(Shape sh, int t) {
        return t == Shape.T_ARRAY
                ? "uniqueItems with minItems " + sh.minItems
                : "patterns, format and length bounds together";
    }

    /**
     * Generates samples of one type, half as near the root and half as deep in a recursion (minimal): 0 if one of
     * each kind validates, 1 if some sample fails at this location, 2 if inconclusive.
     */
    private static int trial(Shape sh, int type) {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(0x5EED * 31L + sh.id * 7L + type);
        boolean localFailure = false;
        boolean[] passed = new boolean[2];
        for (int attempt = 0; attempt < 8; attempt++) {
            int mode = attempt & 1;
            if (passed[mode]) {
                continue;
            }
            JsonNode v = new Generator(rng).generateAs(sh, type, mode == 0 ? 0 : Generator.MAX_DEPTH);
            List<Validator.Violation> errors = new ArrayList<>();
            for (SchemaNode r : sh.conj) {
                Validator.check(r, v, Validator.Path.ROOT, errors);
            }
            boolean deepOnly = true;
            for (Validator.Violation e : errors) {
                if (e.at() == Validator.Path.ROOT) {
                    deepOnly = false;
                    break;
                }
            }
            if (errors.isEmpty()) {
                boolean matchesNot = false;
                for (SchemaNode n : sh.nots) {
                    if (Validator.isValid(n, v)) {
                        matchesNot = true;
                        break;
                    }
                }
                if (!matchesNot) {
                    passed[mode] = true;
                    if (passed[0] && passed[1]) {
                        return 0;
                    }
                    continue;
                }
                localFailure = true;
            } else if (!deepOnly) {
                localFailure = true;
            }
        }
        return localFailure ? 1 : 2;
    }

    private void computeCosts() {
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

    private long cost(Shape sh) {
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

    private long typeCost(Shape sh, int t) {
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

    /** Finds a reason, as "pointer\0problem", why a shape of infinite cost has no instance. */
    private String blame(Shape sh, BitSet seen) {
        String fallback = why(
                sh.conj == null || sh.conj.length == 0 ? "" : sh.conj[0].pointer,
                "it contradicts itself or recurses without a base case");
        if (seen.get(sh.id)) {
            return null;
        }
        seen.set(sh.id);
        if (sh.branches != null) {
            for (Shape b : sh.branches) {
                String w = blame(b, seen);
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
                        String w = sh.props[i].isFalse ? null : blame(sh.props[i], seen);
                        if (w == null || w.equals(fallbackOf(sh.props[i]))) {
                            SchemaNode owner = requiredOwner(sh, sh.names[i]);
                            return why(
                                    owner == null ? "" : owner.pointer + "/required",
                                    "required property \"" + sh.names[i] + "\" "
                                            + (sh.props[i].isFalse ? "is not allowed" : "can never be satisfied"));
                        }
                        return w;
                    }
                }
            }
            if (t == Shape.T_OBJECT && sh.minProperties > sh.requiredCount && sh.typeCost[t] >= Shape.INF) {
                return why(
                        sh.minPropertiesFrom,
                        "minProperties " + sh.minProperties + " cannot be reached: too few" + " properties are allowed"
                                + (sh.additionalFalse ? " (additionalProperties is false)" : ""));
            }
            if (t == Shape.T_ARRAY) {
                for (int i = 0; i < sh.minItems; i++) {
                    Shape e = i < sh.prefix.length ? sh.prefix[i] : sh.rest;
                    if (e.cost >= Shape.INF) {
                        String w = blame(e, seen);
                        return w != null ? w : fallback;
                    }
                }
            }
        }
        return fallback;
    }

    private static String fallbackOf(Shape sh) {
        return why(
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
}
