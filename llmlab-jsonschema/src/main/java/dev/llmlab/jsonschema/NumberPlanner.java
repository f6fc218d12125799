package dev.llmlab.jsonschema;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * The numbers a conjunction of schemas allows, as {@link Shape.NumPlan}s: one for "number" and one for "integer".
 *
 * <p>The bounds fold to the tightest lower and upper bound, an exclusive bound winning a tie with an inclusive one,
 * each remembering the keyword it came from for error messages. The values of {@code multipleOf} m1, m2, ... are
 * exact decimals, so each is a reduced fraction p/q; a number is a multiple of all of them exactly when it is a
 * multiple of their rational least common multiple, lcm(p1, p2, ...) / gcd(q1, q2, ...). Among integers the step is
 * lcm(p1, p2, ...): an integer multiple of p/q with p and q coprime is a multiple of p. With a step, the allowed
 * values are exactly k * step for k in [kLo, kHi], computed with BigDecimal so that no bound is missed by rounding:
 * the quotient bound / step is rounded toward the inside at 60 digits, then k is corrected one step at a time
 * against the exact comparison. Without a step (fractional numbers, no multipleOf) the plan is the interval, and it
 * is feasible unless empty.
 *
 * <p>Sources: JSON Schema Validation 2020-12, section 6.2 (numeric keywords); exact rational arithmetic, as the
 * specification asks that multipleOf be evaluated without floating-point error.
 */
final class NumberPlanner {

    private static final MathContext MC = new MathContext(60, RoundingMode.HALF_EVEN);

    private NumberPlanner() {}

    /** The plans for fractional numbers and for integers under a conjunction of schemas. */
    record Plans(Shape.NumPlan number, Shape.NumPlan integer) {}

    static Plans plan(SchemaNode[] conj) {
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
        solve(number);
        solve(integer);
        return new Plans(number, integer);
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
    private static void solve(Shape.NumPlan p) {
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
    private static BigInteger[] fraction(BigDecimal m) {
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
}
