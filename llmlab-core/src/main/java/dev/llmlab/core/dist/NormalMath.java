package dev.llmlab.core.dist;

/**
 * The standard normal density, distribution function and quantile function, to double precision.
 *
 * <h2>Why and how</h2>
 * The JDK has no {@code erf}, and the distributions here need Φ for exact means (truncated normal,
 * piecewise log-linear empirical) and Φ⁻¹ to place percentiles on the z axis. Both are computed
 * only when a distribution is built, never per sample, so accuracy matters more than speed.
 * <ul>
 *   <li>Φ(x) for |x| ≤ 3 sums the Taylor series Φ(x) = ½ + φ(x)·(x + x³/3 + x⁵/(3·5) + …)
 *       (G. Marsaglia, "Evaluating the Normal Distribution", J. Stat. Software 11(4), 2004).
 *       All terms share x's sign, so the sum itself does not cancel; the absolute error is a
 *       few ulps of ½.
 *   <li>Beyond |x| = 3 the lower tail uses Laplace's continued fraction for the Mills ratio,
 *       Φ(−t) = φ(t) / (t + 1/(t + 2/(t + 3/(t + …)))), evaluated bottom-up; it converges fast
 *       for t ≥ 3 and keeps full relative precision far into the tail, where 1 − Φ would
 *       round to zero.
 *   <li>Φ⁻¹(p) starts from P. J. Acklam's rational approximation (relative error 1.15e−9,
 *       2003) and takes one Halley step on Φ(x) − p, which brings it to about machine
 *       precision (the refinement Acklam himself proposes).
 * </ul>
 *
 * <p>Thread-safety: stateless; safe from any thread.
 */
final class NormalMath {

    private static final double LN_SQRT_2PI = 0.91893853320467274178;
    private static final double SQRT_2PI = 2.50662827463100050242;
    private static final double SERIES_LIMIT = 3.0;
    private static final int CONTINUED_FRACTION_TERMS = 200;

    private NormalMath() {}

    /** Standard normal density φ(x). */
    static double pdf(double x) {
        return Math.exp(-0.5 * x * x - LN_SQRT_2PI);
    }

    /** Standard normal distribution function Φ(x) = P(Z ≤ x). */
    static double cdf(double x) {
        if (Double.isNaN(x)) {
            return Double.NaN;
        }
        if (x < -SERIES_LIMIT) {
            return lowerTail(-x);
        }
        if (x > SERIES_LIMIT) {
            return 1.0 - lowerTail(x);
        }
        double q = x * x;
        double sum = x;
        double term = x;
        double previous = 0.0;
        for (int i = 1; sum != previous; ) {
            previous = sum;
            i += 2;
            term *= q / i;
            sum += term;
        }
        return 0.5 + sum * Math.exp(-0.5 * q - LN_SQRT_2PI);
    }

    /** Φ(−t) for t > 3, by the Mills-ratio continued fraction. */
    private static double lowerTail(double t) {
        if (t > 40) {
            return 0.0; // below the smallest subnormal double
        }
        double f = t;
        for (int k = CONTINUED_FRACTION_TERMS; k >= 1; k--) {
            f = t + k / f;
        }
        return pdf(t) / f;
    }

    // Acklam's coefficients: central region a/b, tails c/d.
    private static final double[] A = {
        -3.969683028665376e+01,
        2.209460984245205e+02,
        -2.759285104469687e+02,
        1.383577518672690e+02,
        -3.066479806614716e+01,
        2.506628277459239e+00
    };
    private static final double[] B = {
        -5.447609879822406e+01,
        1.615858368580409e+02,
        -1.556989798598866e+02,
        6.680131188771972e+01,
        -1.328068155288572e+01
    };
    private static final double[] C = {
        -7.784894002430293e-03,
        -3.223964580411365e-01,
        -2.400758277161838e+00,
        -2.549732539343734e+00,
        4.374664141464968e+00,
        2.938163982698783e+00
    };
    private static final double[] D = {
        7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00
    };
    private static final double P_LOW = 0.02425;

    /**
     * Standard normal quantile Φ⁻¹(p).
     *
     * @throws IllegalArgumentException unless 0 &lt; p &lt; 1
     */
    static double quantile(double p) {
        if (!(p > 0.0 && p < 1.0)) {
            throw new IllegalArgumentException("probability must be in (0, 1), got " + p);
        }
        double x;
        if (p < P_LOW) {
            double q = Math.sqrt(-2 * Math.log(p));
            x = (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
                    / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
        } else if (p <= 1 - P_LOW) {
            double q = p - 0.5;
            double r = q * q;
            x = (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5])
                    * q
                    / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
        } else {
            double q = Math.sqrt(-2 * Math.log1p(-p));
            x = -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
                    / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
        }
        // e = Φ(x) − p; above the median it is computed as (1 − p) − Φ(−x), because 1 − p is
        // exact there and Φ(−x) keeps the relative precision that Φ(x) near 1 has lost.
        double e = x > 0 ? (1 - p) - cdf(-x) : cdf(x) - p;
        double u = e * SQRT_2PI * Math.exp(0.5 * x * x);
        return x - u / (1 + 0.5 * x * u);
    }
}
