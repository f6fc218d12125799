package dev.llmlab.bench.measure;

/**
 * The regularised incomplete beta function, for the confidence of a proportion: with k of n
 * samples "bad", Jeffreys' posterior of the bad share is Beta(k + 1/2, n - k + 1/2). Evaluated by
 * the continued fraction of Numerical Recipes (Press et al., 3rd ed., 6.4) with the modified Lentz
 * method, and ln Gamma by Lanczos' approximation (g = 7, 9 terms), good to about 1e-13 here.
 */
final class Beta {
    private Beta() {}

    /** P(q <= x) for q ~ Beta(k + 1/2, n - k + 1/2): how sure k bad of n puts the true share at most x. */
    static double jeffreysBelow(long k, long n, double x) {
        if (n <= 0) return Double.NaN;
        return regularized(k + 0.5, n - k + 0.5, x);
    }

    /** I_x(a, b). */
    static double regularized(double a, double b, double x) {
        if (x <= 0) return 0;
        if (x >= 1) return 1;
        double front = Math.exp(lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
        // The continued fraction converges fast for x < (a + 1) / (a + b + 2); use the symmetry otherwise.
        if (x < (a + 1) / (a + b + 2)) return front * fraction(a, b, x) / a;
        return 1 - front * fraction(b, a, 1 - x) / b;
    }

    private static double fraction(double a, double b, double x) {
        final double tiny = 1e-300;
        double qab = a + b;
        double qap = a + 1;
        double qam = a - 1;
        double c = 1;
        double d = 1 - qab * x / qap;
        if (Math.abs(d) < tiny) d = tiny;
        d = 1 / d;
        double h = d;
        for (int m = 1; m <= 10_000; m++) {
            int m2 = 2 * m;
            double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1 + aa * d;
            if (Math.abs(d) < tiny) d = tiny;
            c = 1 + aa / c;
            if (Math.abs(c) < tiny) c = tiny;
            d = 1 / d;
            h *= d * c;
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1 + aa * d;
            if (Math.abs(d) < tiny) d = tiny;
            c = 1 + aa / c;
            if (Math.abs(c) < tiny) c = tiny;
            d = 1 / d;
            double del = d * c;
            h *= del;
            if (Math.abs(del - 1) < 1e-15) break;
        }
        return h;
    }

    private static final double[] LANCZOS = {
        0.99999999999980993,
        676.5203681218851,
        -1259.1392167224028,
        771.32342877765313,
        -176.61502916214059,
        12.507343278686905,
        -0.13857109526572012,
        9.9843695780195716e-6,
        1.5056327351493116e-7
    };

    static double lnGamma(double z) {
        if (z < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * z))) - lnGamma(1 - z);
        z -= 1;
        double x = LANCZOS[0];
        for (int i = 1; i < 9; i++) x += LANCZOS[i] / (z + i);
        double t = z + 7.5;
        return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(x);
    }
}
