package dev.llmlab.jsonschema;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import tools.jackson.databind.JsonNode;

/**
 * A few constraints are met by checking rather than by construction: 'not' schemas (including the other
 * alternatives of a chosen oneOf branch), uniqueItems, and strings under several patterns, a pattern with length
 * bounds, or a format with length bounds. For each shape and type where that happens, a few seeded instances are
 * generated at compile time. A type for which no instance validates is declared infeasible and costs are recomputed,
 * so the generator never chooses it (and compile refuses the schema if the root depends on it).
 *
 * <p>A sample that fails only deeper in the tree is inconclusive: a child may be at fault and gets its own probe.
 * Types with a local failure are pinned first; when a round pins nothing but inconclusive ones remain (children that
 * fail because of their parents, as in recursive oneOf), those are pinned too. Deterministic, so compile is too; the
 * price is that a satisfiable type with a very small valid region may be treated as unsatisfiable, which the reason
 * says ({@link Infeasibility#byTrial()}).
 */
final class ShapeProbe {

    private static final String[] TYPE_NAMES = {"null", "boolean", "object", "array", "string", "number"};

    /** What the samples of one type at one shape showed. */
    private enum Trial {
        /** A sample validated both near the root and deep in a recursion. */
        PASSED,
        /** Some sample failed at the shape's own location: its constraints are at fault. */
        FAILED_HERE,
        /** Samples failed only below the shape: a child may be at fault. */
        INCONCLUSIVE
    }

    /** A type of a shape to declare infeasible. */
    private record Pin(Shape shape, int type) {}

    private ShapeProbe() {}

    /** Probes every shape and type that relies on checking, pinning those that fail; costs are left up to date. */
    static void run(List<Shape> all) {
        BitSet passed = new BitSet(); // shape * T_COUNT + type
        while (true) {
            List<Pin> local = new ArrayList<>();
            List<Pin> inconclusive = new ArrayList<>();
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
                        case PASSED -> passed.set(bit);
                        case FAILED_HERE -> local.add(new Pin(sh, t));
                        case INCONCLUSIVE -> inconclusive.add(new Pin(sh, t));
                    }
                }
            }
            List<Pin> pins = local.isEmpty() ? inconclusive : local;
            if (pins.isEmpty()) {
                return;
            }
            for (Pin pin : pins) {
                Shape sh = pin.shape();
                sh.whyNot[pin.type()] = Infeasibility.tried(
                        sh.nots.length > 0 ? sh.nots[0].pointer : sh.conj[0].pointer,
                        "no " + TYPE_NAMES[pin.type()] + " found that satisfies all constraints here"
                                + (sh.nots.length > 0
                                        ? " and does not match this schema (under 'not', or another alternative of"
                                                + " a oneOf)"
                                        : " (" + probeReason(sh, pin.type()) + ")"));
            }
            for (Shape sh : all) {
                sh.cost = Shape.INF;
            }
            ShapeCosts.compute(all);
            passed.clear();
        }
    }

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

    /** Generates samples of one type, half as near the root and half as deep in a recursion (minimal). */
    private static Trial trial(Shape sh, int type) {
        SplittableRandom rng = new SplittableRandom(0x5EED * 31L + sh.id * 7L + type);
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
                        return Trial.PASSED;
                    }
                    continue;
                }
                localFailure = true;
            } else if (!deepOnly) {
                localFailure = true;
            }
        }
        return localFailure ? Trial.FAILED_HERE : Trial.INCONCLUSIVE;
    }
}
