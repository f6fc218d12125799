package dev.llmlab.sim.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * Fits the step cost model's coefficients to measured latency-versus-load points.
 *
 * <h2>The fit</h2>
 * Each measured point is a request rate {@code λ} with mean TTFT and TPOT for requests of
 * {@code P} prompt and {@code O} output tokens. Below saturation nothing waits, so by Little's
 * law about {@code B = λ * e2e} sequences run at once, with {@code e2e = TTFT + (O - 1) * TPOT}.
 * A decode step is then one TPOT long and computes the prompts of the {@code λ * TPOT} requests
 * that arrived meanwhile, {@code B} decodes, and reads about {@code B * (P + O / 2)} cached tokens:
 *
 * <pre>  TPOT = c0 + c_prefill * λ TPOT P + c_decode * B + c_attn * B (P + O/2)</pre>
 *
 * and a request's first token comes after half a step in flight, on average, plus its own
 * prefill step, which also carries the batch's decodes:
 *
 * <pre>  TTFT - TPOT/2 = c0 + c_prefill * P + c_decode * B + c_attn * (B (P + O/2) + P)</pre>
 *
 * Both are linear in the four coefficients; every point gives two equations, each divided by its
 * measured value so that the fit minimises relative error, and the coefficients are solved by
 * non-negative least squares (every subset of free coefficients, the best non-negative solution
 * kept: four unknowns make that sixteen tiny solves).
 *
 * <p>Those equations approximate what the engine does (steps vary, prefill and decode share
 * them), so the linear solution is only a start (the base preset's costs are a second one):
 * from each, Nelder-Mead's simplex search (Nelder and Mead,
 * "A simplex method for function minimization", 1965), on the logarithms of the coefficients,
 * then minimises the root-mean-square relative error between the measured points and the same
 * points simulated on the engine ({@link VirtualLoad}) with the candidate coefficients. The fit's
 * error is that simulated error. With one request shape, {@code c_decode} and {@code c_attn}
 * trade against each other (both grow with the batch and the context), so a good fit may move
 * one into the other; sweeps of two request shapes would separate them. Each point is simulated
 * as it was measured (arrivals for the run's length, every request measured until it finishes),
 * so points past saturation, where the queue builds over the run, compare like with like; their
 * errors are large for small changes in cost, which is why the fit starts from the points below.
 */
public final class Calibration {
    private Calibration() {}

    /**
     * One measured load level: rate in requests per second, latencies in nanoseconds, and how long
     * its arrivals lasted in seconds (NaN: the fit's {@code secondsPerPoint}).
     */
    public record Measured(double rate, double ttftNanos, double tpotNanos, double seconds) {
        /** A level whose arrivals lasted the fit's {@code secondsPerPoint}. */
        public Measured(double rate, double ttftNanos, double tpotNanos) {
            this(rate, ttftNanos, tpotNanos, Double.NaN);
        }
    }

    /** One point as measured and as the fitted model simulates it. */
    public record Compared(Measured measured, VirtualLoad.Point simulated) {
        public double ttftError() {
            return simulated.meanTtftNanos() / measured.ttftNanos() - 1;
        }

        public double tpotError() {
            return simulated.meanTpotNanos() / measured.tpotNanos() - 1;
        }
    }

    /** The fitted model and how well it reproduces every point. */
    public record Fit(CostModel cost, List<Compared> points) {
        /** Root mean square of the relative TTFT and TPOT errors over every point. */
        public double rmsError() {
            double s = 0;
            for (Compared c : points) s += c.ttftError() * c.ttftError() + c.tpotError() * c.tpotError();
            return points.isEmpty() ? 0 : Math.sqrt(s / (2.0 * points.size()));
        }
    }

    /**
     * Fits {@code points} (requests of {@code prompt} and {@code output} tokens) and checks the fit
     * by simulating each point on {@code base} (its limits and cache; its costs are replaced).
     *
     * @param secondsPerPoint how long a point's arrivals lasted in the measurement, for a point that
     *     does not say ({@link Measured#seconds()} NaN)
     */
    public static Fit fit(
            List<Measured> points,
            int prompt,
            int output,
            EngineSpec base,
            double jitter,
            double secondsPerPoint,
            long seed) {
        if (points.isEmpty()) throw new IllegalArgumentException("no measured points to fit");
        if (prompt < 1 || output < 2)
            throw new IllegalArgumentException("fitting needs prompts of >= 1 and replies of >= 2 tokens");
        double p = prompt;
        double o = output;
        List<double[]> rows = new ArrayList<>();
        for (Measured m : points) {
            if (!(m.rate > 0) || !(m.ttftNanos > 0) || !(m.tpotNanos > 0)) {
                throw new IllegalArgumentException("every point needs a positive rate, TTFT and TPOT: " + m);
            }
            double b = m.rate * (m.ttftNanos + (o - 1) * m.tpotNanos) / 1e9;
            double kv = b * (p + o / 2);
            double prefillPerStep = m.rate * m.tpotNanos / 1e9 * p;
            rows.add(scaled(new double[] {1, prefillPerStep, b, kv}, m.tpotNanos));
            // A TTFT hardly longer than half a step says little about prefill and, divided by itself, would
            // weigh far more than the other rows: such points only enter through the search below.
            double ttftTarget = m.ttftNanos - m.tpotNanos / 2;
            if (ttftTarget > 0.1 * m.ttftNanos) rows.add(scaled(new double[] {1, p, b, kv + p}, ttftTarget));
        }
        double[] linear = nnls(rows);
        // Coefficients the linear fit zeroed start small but positive, so the search (in logs) can move them.
        CostModel b = base.cost();
        double[] floor = {b.c0Nanos(), b.prefillNanosPerToken(), b.decodeNanosPerSeq(), b.attnNanosPerKvToken()};
        double[] start = new double[4];
        for (int i = 0; i < 4; i++) start[i] = Math.log(Math.max(linear[i], Math.max(floor[i], 1) * 0.05));
        java.util.function.ToDoubleFunction<double[]> error = x -> new Fit(
                        cost(x, jitter), compare(points, prompt, output, base, cost(x, jitter), secondsPerPoint, seed))
                .rmsError();
        // Two starts, the linear fit and the base preset's own costs; the better end wins.
        double[] fromLinear = NelderMead.minimise(error, start, 0.3, 120);
        double[] preset = new double[4];
        for (int i = 0; i < 4; i++) preset[i] = Math.log(Math.max(floor[i], 1));
        double[] fromPreset = NelderMead.minimise(error, preset, 0.3, 120);
        double[] best = error.applyAsDouble(fromLinear) <= error.applyAsDouble(fromPreset) ? fromLinear : fromPreset;
        CostModel cost = cost(best, jitter);
        return new Fit(cost, compare(points, prompt, output, base, cost, secondsPerPoint, seed));
    }

    /** Coefficients from the search's logarithms, kept within a nanosecond's millionth and a day. */
    private static CostModel cost(double[] logs, double jitter) {
        double[] c = new double[4];
        for (int i = 0; i < 4; i++) c[i] = Math.exp(Math.max(-14, Math.min(32, logs[i])));
        return new CostModel(c[0], c[1], c[2], c[3], jitter);
    }

    /** Each point simulated with {@code cost}, for as long as its arrivals lasted ({@code seconds} when it does not say). */
    static List<Compared> compare(
            List<Measured> points, int prompt, int output, EngineSpec base, CostModel cost, double seconds, long seed) {
        EngineSpec spec = new EngineSpec(
                base.replicas(),
                base.routing(),
                base.maxNumSeqs(),
                base.maxNumBatchedTokens(),
                Integer.MAX_VALUE,
                base.numBlocks(),
                base.blockSize(),
                false,
                base.chunkedPrefill(),
                cost);
        List<Compared> compared = new ArrayList<>();
        for (Measured m : points) {
            double s = Double.isNaN(m.seconds) ? seconds : m.seconds;
            compared.add(new Compared(m, VirtualLoad.run(spec, prompt, output, m.rate, s, 0, seed)));
        }
        return compared;
    }

    /** A row {@code a . x = target} divided by the target: the equation of relative error, right-hand side 1. */
    private static double[] scaled(double[] a, double target) {
        double[] r = new double[a.length + 1];
        for (int i = 0; i < a.length; i++) r[i] = a[i] / target;
        r[a.length] = 1;
        return r;
    }

    /** Least squares with x >= 0 over every subset of free unknowns (4 unknowns: 16 subsets). */
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

    private static double residual(List<double[]> rows, double[] x) {
        double s = 0;
        for (double[] row : rows) {
            double e = -row[x.length];
            for (int i = 0; i < x.length; i++) e += row[i] * x[i];
            s += e * e;
        }
        return s;
    }

    /**
     * Normal equations on the columns in {@code mask}, by Gaussian elimination; null when singular.
     * Columns are scaled to unit norm first: the coefficients differ by six orders of magnitude.
     */
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
        for (int i = 0; i < m; i++) {
            int pivot = i;
            for (int r = i + 1; r < m; r++) if (Math.abs(a[r][i]) > Math.abs(a[pivot][i])) pivot = r;
            double[] t = a[i];
            a[i] = a[pivot];
            a[pivot] = t;
            if (Math.abs(a[i][i]) < 1e-10) return null;
            for (int r = 0; r < m; r++) {
                if (r == i) continue;
                double f = a[r][i] / a[i][i];
                for (int c = i; c <= m; c++) a[r][c] -= f * a[i][c];
            }
        }
        double[] x = new double[n];
        for (int i = 0; i < m; i++) x[cols[i]] = a[i][m] / a[i][i] / norm[i];
        return x;
    }
}
