package dev.llmlab.sim.engine;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * Approximate 95% intervals of fitted costs: the standard asymptotic interval of nonlinear least
 * squares (Bates and Watts, "Nonlinear Regression Analysis and Its Applications", 1988, ch. 2).
 * Around the optimum the errors are nearly linear in the costs' logarithms, {@code e ≈ e0 + J δ},
 * so with {@code s² = Σ e² / (m - p)} the log-costs' covariance is about {@code s² (JᵀJ)⁻¹}, and a
 * cost's interval is its estimate times {@code exp(± t σ)} with Student's {@code t} quantile at
 * {@code m - p} degrees of freedom. It treats the misfits as independent noise: it says how tightly
 * the points pin each cost given the model, not whether the model is right.
 */
final class Intervals {
    private Intervals() {}

    private static final int COSTS = Calibration.COSTS;

    /**
     * Approximate 95% intervals of the costs at the optimum {@code logs} (see the class comment):
     * the derivatives of the errors by each log-cost by central differences of 5%, the covariance
     * {@code s² (JᵀJ)⁻¹}. A cost whose change moves no error, as a cost fitted to nothing does, is
     * left out of the inversion and reported undetermined.
     */
    static List<Calibration.Interval> of(Function<double[], double[]> residuals, double[] logs) {
        double[] e = residuals.apply(logs);
        int m = e.length;
        int dof = m - COSTS;
        List<Calibration.Interval> none = Collections.nCopies(COSTS, Calibration.Interval.UNDETERMINED);
        if (dof < 1) return none;
        double h = 0.05;
        double[][] j = new double[m][COSTS];
        double[] colNorm = new double[COSTS];
        for (int k = 0; k < COSTS; k++) {
            double[] up = logs.clone();
            double[] down = logs.clone();
            up[k] += h;
            down[k] -= h;
            double[] eu = residuals.apply(up);
            double[] ed = residuals.apply(down);
            for (int i = 0; i < m; i++) {
                j[i][k] = (eu[i] - ed[i]) / (2 * h);
                colNorm[k] += j[i][k] * j[i][k];
            }
        }
        double maxNorm = 0;
        for (double n : colNorm) maxNorm = Math.max(maxNorm, n);
        int[] kept = new int[COSTS];
        int n = 0;
        for (int k = 0; k < COSTS; k++) if (colNorm[k] > 1e-12 * maxNorm && colNorm[k] > 0) kept[n++] = k;
        if (n == 0) return none;
        double[][] jk = new double[m][n];
        for (int i = 0; i < m; i++) for (int c = 0; c < n; c++) jk[i][c] = j[i][kept[c]];
        double[][] inv = LeastSquares.inverseNormal(jk);
        if (inv == null) return none;
        double s2 = 0;
        for (double v : e) s2 += v * v;
        s2 /= dof;
        double t = studentT95(dof);
        Calibration.Interval[] out = new Calibration.Interval[COSTS];
        Arrays.fill(out, Calibration.Interval.UNDETERMINED);
        for (int c = 0; c < n; c++) {
            double sd = Math.sqrt(Math.max(0, s2 * inv[c][c]));
            double centre = Math.exp(logs[kept[c]]);
            out[kept[c]] = new Calibration.Interval(centre * Math.exp(-t * sd), centre * Math.exp(t * sd));
        }
        return List.of(out);
    }

    /** Student's t, two-sided 95%: a table to 30 degrees of freedom, Cornish-Fisher's expansion above. */
    static double studentT95(int dof) {
        double[] table = {
            12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
            2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042
        };
        if (dof < 1) throw new IllegalArgumentException("degrees of freedom must be >= 1");
        if (dof <= table.length) return table[dof - 1];
        double z = 1.959964;
        double v = dof;
        return z + (z * z * z + z) / (4 * v) + (5 * Math.pow(z, 5) + 16 * z * z * z + 3 * z) / (96 * v * v);
    }
}
