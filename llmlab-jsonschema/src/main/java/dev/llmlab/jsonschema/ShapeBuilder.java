package dev.llmlab.jsonschema;

import java.math.BigDecimal;
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
 * <p>Shapes are made on demand and filled from a work queue, so a recursive reference meets a shape that exists but
 * is not filled yet. Filling a concrete shape folds the conjunction's keywords into one set of bounds
 * ({@link NumberPlanner} for numbers) and records, per type, any reason the keywords alone make it impossible
 * ({@link Infeasibility}). Then {@link ShapeCosts} computes the size of every shape's smallest valid instance,
 * {@link ShapeProbe} tries the types that rely on checking, and compile fails with the root's reason if it has no
 * finite instance.
 */
final class ShapeBuilder {

    /** Beyond this many shapes the schema's combinators multiply out too far to precompute. */
    static final int MAX_SHAPES = 20_000;
    /** Smallest instances larger than this are refused. */
    static final long MAX_MIN_NODES = 100_000;

    /**
     * schemas: in conjunction here; resolved: anyOf/oneOf groups (2 * id, + 1 for oneOf) already branched on;
     * excluded: schemas the value must not match (the other alternatives of a chosen oneOf branch).
     */
    private record Key(BitSet schemas, BitSet resolved, BitSet excluded) {}

    /** A shape made but not filled yet, with the key it was made for. */
    private record Pending(Shape shape, Key key) {}

    private final List<SchemaNode> nodes;
    private final Map<Key, Shape> shapes = new HashMap<>();
    private final List<Shape> all = new ArrayList<>();
    private final ArrayDeque<Pending> work = new ArrayDeque<>();

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
        for (Pending p = b.work.poll(); p != null; p = b.work.poll()) {
            b.fill(p.shape(), p.key());
        }
        ShapeCosts.compute(b.all);
        ShapeProbe.run(b.all);
        if (root.cost >= Shape.INF) {
            throw ShapeCosts.blame(root).toException();
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
            work.add(new Pending(s, key));
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

    private void fill(Shape sh, Key key) {
        SchemaNode[] conj = key.schemas().stream().mapToObj(nodes::get).toArray(SchemaNode[]::new);
        sh.conj = conj;
        for (SchemaNode r : conj) {
            if (r.isFalse) {
                sh.isFalse = true;
                Arrays.fill(sh.whyNot, Infeasibility.proved(r.pointer, "the schema at #" + r.pointer + " is false"));
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
            Arrays.fill(
                    sh.whyNot,
                    Infeasibility.proved(typeFrom, "the type constraints of the combined schemas exclude every type"));
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
                        Infeasibility.proved(
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
                Arrays.fill(
                        sh.whyNot,
                        Infeasibility.proved(enumFrom, "no value of enum/const satisfies the other constraints"));
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
        NumberPlanner.Plans plans = NumberPlanner.plan(conj);
        sh.number = plans.number();
        sh.integer = plans.integer();
        Shape.NumPlan used = sh.numeric();
        if (!used.feasible && sh.whyNot[Shape.T_NUMBER] == null) {
            String at = used.hiFrom != null ? used.hiFrom : used.loFrom != null ? used.loFrom : conj[0].pointer;
            sh.whyNot[Shape.T_NUMBER] = Infeasibility.proved(
                    at,
                    "no " + ((sh.types & Json.NUMBER) != 0 ? "number" : "integer")
                            + " lies within the bounds"
                            + (used.step != null && used.step.compareTo(BigDecimal.ONE) != 0
                                    ? " as a multiple of " + Validator.num(used.step)
                                    : ""));
        }
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
                        sh.whyNot[Shape.T_STRING] = Infeasibility.proved(
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
            sh.whyNot[Shape.T_STRING] = Infeasibility.proved(
                    maxFrom,
                    "minLength " + sh.minLength + " exceeds maxLength " + sh.maxLength
                            + (minFrom == null ? "" : " (#" + minFrom + ")"));
        }
        for (Regex g : gens) {
            if (sh.whyNot[Shape.T_STRING] == null
                    && ((sh.maxLength >= 0 && g.minLength > sh.maxLength) || g.maxMatchingLength() < sh.minLength)) {
                sh.whyNot[Shape.T_STRING] = Infeasibility.proved(
                        conj[0].pointer,
                        "pattern " + g + " cannot match a string of length " + sh.minLength + ".."
                                + (sh.maxLength < 0 ? "" : sh.maxLength));
            }
        }
        for (Formats.Kind f : formats) {
            if (sh.whyNot[Shape.T_STRING] == null
                    && (f.maxLength < sh.minLength || (sh.maxLength >= 0 && f.minLength > sh.maxLength))) {
                sh.whyNot[Shape.T_STRING] = Infeasibility.proved(
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
                sh.whyNot[Shape.T_STRING] = Infeasibility.proved(
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
            sh.whyNot[Shape.T_ARRAY] = Infeasibility.proved(
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
            sh.whyNot[Shape.T_OBJECT] = Infeasibility.proved(
                    maxFrom, sh.requiredCount + " required properties exceed maxProperties " + sh.maxProperties);
        } else if (sh.maxProperties >= 0 && sh.minProperties > sh.maxProperties) {
            sh.whyNot[Shape.T_OBJECT] = Infeasibility.proved(
                    maxFrom,
                    "minProperties " + sh.minProperties + " exceeds maxProperties " + sh.maxProperties + " (#" + minFrom
                            + ")");
        }
    }
}
