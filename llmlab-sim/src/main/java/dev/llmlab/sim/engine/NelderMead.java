package dev.llmlab.sim.engine;

import java.util.Arrays;
import java.util.Comparator;
import java.util.function.ToDoubleFunction;

/**
 * Nelder-Mead's downhill simplex (Nelder and Mead, Computer Journal 7(4), 1965) with the standard
 * coefficients: reflect 1, expand 2, contract 1/2, shrink 1/2. Derivative-free, so it minimises
 * a simulated error that has no gradient. Deterministic for a deterministic function.
 */
final class NelderMead {
    private NelderMead() {}

    static double[] minimise(ToDoubleFunction<double[]> f, double[] start, double step, int maxEvaluations) {
        int n = start.length;
        double[][] simplex = new double[n + 1][];
        double[] values = new double[n + 1];
        simplex[0] = start.clone();
        for (int i = 0; i < n; i++) {
            simplex[i + 1] = start.clone();
            simplex[i + 1][i] += step;
        }
        int evals = 0;
        for (int i = 0; i <= n; i++, evals++) values[i] = f.applyAsDouble(simplex[i]);
        Integer[] order = new Integer[n + 1];
        while (evals < maxEvaluations) {
            for (int i = 0; i <= n; i++) order[i] = i;
            Arrays.sort(order, Comparator.comparingDouble(i -> values[i]));
            int best = order[0];
            int worst = order[n];
            int second = order[n - 1];
            if (values[worst] - values[best] < 1e-4 * Math.max(1e-9, Math.abs(values[best]))) break;
            double[] centroid = new double[n];
            for (int i = 0; i <= n; i++) {
                if (i == worst) continue;
                for (int k = 0; k < n; k++) centroid[k] += simplex[i][k] / n;
            }
            double[] reflected = along(centroid, simplex[worst], -1);
            double fr = f.applyAsDouble(reflected);
            evals++;
            if (fr < values[best]) {
                double[] expanded = along(centroid, simplex[worst], -2);
                double fe = f.applyAsDouble(expanded);
                evals++;
                if (fe < fr) set(simplex, values, worst, expanded, fe);
                else set(simplex, values, worst, reflected, fr);
            } else if (fr < values[second]) {
                set(simplex, values, worst, reflected, fr);
            } else {
                double[] contracted = along(centroid, simplex[worst], 0.5);
                double fc = f.applyAsDouble(contracted);
                evals++;
                if (fc < values[worst]) {
                    set(simplex, values, worst, contracted, fc);
                } else {
                    for (int i = 0; i <= n && evals < maxEvaluations; i++) {
                        if (i == best) continue;
                        simplex[i] = along(simplex[best], simplex[i], 0.5);
                        values[i] = f.applyAsDouble(simplex[i]);
                        evals++;
                    }
                }
            }
        }
        int best = 0;
        for (int i = 1; i <= n; i++) if (values[i] < values[best]) best = i;
        return simplex[best];
    }

    /** centroid + t * (point - centroid). */
    private static double[] along(double[] centroid, double[] point, double t) {
        double[] out = new double[centroid.length];
        for (int k = 0; k < out.length; k++) out[k] = centroid[k] + t * (point[k] - centroid[k]);
        return out;
    }

    private static void set(double[][] simplex, double[] values, int i, double[] x, double v) {
        simplex[i] = x;
        values[i] = v;
    }
}
