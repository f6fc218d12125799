package dev.llmlab.sim.engine;

import java.util.List;

/**
 * The small dense linear algebra calibration needs: non-negative least squares for its linear
 * start, and the inverse of a normal matrix for the intervals of its estimates. Four unknowns at
 * most, so plain Gaussian elimination with partial pivoting, on columns scaled to unit norm
 * (the step costs differ by six orders of magnitude).
 */
final class LeastSquares {
    private LeastSquares() {}

    /**
     * Least squares with {@code x >= 0} over every subset of free unknowns (4 unknowns: 16 subsets),
     * the best feasible solution kept. Each row is {@code a_1 .. a_n, b} for {@code a . x = b}.
     */
    static double[] nnls(List<double[]> rows) {
        int n = rows.getFirst().length - 1;
        double[] best = new double[n];
        double bestResidual = residual(rows, best);
        for (int mask = 1; mask < (1 << n); mask++) {
            double[] x = solveSubset(rows, mask, n);
            if (x == null) continue;
            boolean feasible = true;
            for (double v : x) feasible &= v >= 0;
            if (!feasible) continue;
            double r = residual(rows, x);
            if (r < bestResidual) {
                bestResidual = r;
                best = x;
            }
        }
        return best;
    }

    /**
     * {@code (J^T J)^-1} for a Jacobian {@code j} (rows: residuals, columns: unknowns); null when
     * {@code J^T J} is singular, that is when some combination of the unknowns leaves every residual
     * unchanged and the data cannot tell them apart.
     */
    static double[][] inverseNormal(double[][] j) {
        int n = j[0].length;
        double[] norm = new double[n];
        for (double[] row : j) for (int i = 0; i < n; i++) norm[i] += row[i] * row[i];
        for (int i = 0; i < n; i++) {
            if (!(norm[i] > 0)) return null;
            norm[i] = Math.sqrt(norm[i]);
        }
        // [N | I] reduced to [I | N^-1], N the normal matrix of the scaled columns
        double[][] a = new double[n][2 * n];
        for (double[] row : j)
            for (int r = 0; r < n; r++) for (int c = 0; c < n; c++) a[r][c] += row[r] / norm[r] * row[c] / norm[c];
        for (int i = 0; i < n; i++) a[i][n + i] = 1;
        if (!eliminate(a, n, 2 * n)) return null;
        double[][] inv = new double[n][n];
        for (int r = 0; r < n; r++) for (int c = 0; c < n; c++) inv[r][c] = a[r][n + c] / a[r][r] / norm[r] / norm[c];
        return inv;
    }

    private static double residual(List<double[]> rows, double[] x) {
        double s = 0;
        for (double[] row : rows) {
            double e = -row[x.length];
            for (int i = 0; i < x.length; i++) e += row[i] * x[i];
            s += e * e;
        }
        return s;
    }

    /** Normal equations on the columns in {@code mask}; null when singular. */
    private static double[] solveSubset(List<double[]> rows, int mask, int n) {
        int[] cols = new int[Integer.bitCount(mask)];
        for (int i = 0, k = 0; i < n; i++) if ((mask & (1 << i)) != 0) cols[k++] = i;
        int m = cols.length;
        double[] norm = new double[m];
        for (double[] row : rows) for (int i = 0; i < m; i++) norm[i] += row[cols[i]] * row[cols[i]];
        for (int i = 0; i < m; i++) {
            if (norm[i] == 0) return null;
            norm[i] = Math.sqrt(norm[i]);
        }
        double[][] a = new double[m][m + 1];
        for (double[] row : rows) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) a[i][j] += row[cols[i]] / norm[i] * row[cols[j]] / norm[j];
                a[i][m] += row[cols[i]] / norm[i] * row[n];
            }
        }
        if (!eliminate(a, m, m + 1)) return null;
        double[] x = new double[n];
        for (int i = 0; i < m; i++) x[cols[i]] = a[i][m] / a[i][i] / norm[i];
        return x;
    }

    /**
     * Gauss-Jordan elimination of the first {@code n} columns of {@code a} (width {@code width}) in
     * place, leaving a diagonal; false when a pivot vanishes (singular, relative to unit-norm columns).
     */
    private static boolean eliminate(double[][] a, int n, int width) {
        for (int i = 0; i < n; i++) {
            int pivot = i;
            for (int r = i + 1; r < n; r++) if (Math.abs(a[r][i]) > Math.abs(a[pivot][i])) pivot = r;
            double[] t = a[i];
            a[i] = a[pivot];
            a[pivot] = t;
            if (Math.abs(a[i][i]) < 1e-10) return false;
            for (int r = 0; r < n; r++) {
                if (r == i) continue;
                double f = a[r][i] / a[i][i];
                for (int c = i; c < width; c++) a[r][c] -= f * a[i][c];
            }
        }
        return true;
    }
}
