package dev.llmlab.sim.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Fits the step cost model's coefficients to measured latency-versus-load points.
 *
 * <h2>The fit</h2>
 * Each measured point is a request rate {@code λ} with mean TTFT and TPOT for requests of
 * {@code P} prompt and {@code O} output tokens (points may differ in shape). Below saturation
 * nothing waits, so by Little's law about {@code B = λ * e2e} sequences run at once, with
 * {@code e2e = TTFT + (O - 1) * TPOT}.
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
 * from each, Nelder-Mead's simplex search (Nelder and Mead, "A simplex method for function
 * minimization", 1965), on the logarithms of the coefficients, minimises the root-mean-square
 * relative error between the measured points and the same points simulated on the engine ({@link
 * VirtualLoad}) with the candidate coefficients.
 *
 * <h2>Each point replayed as it was measured</h2>
 * A point's TTFT near saturation depends on how its arrivals happened to bunch: on a simulated
 * sweep, the true costs misfit other Poisson draws at the same rates by 5 to 7% RMS, and single
 * points near saturation by up to half. So a point is replayed on the very send times it was
 * measured with when they are known ({@link Load.Sends}), a closed loop as a closed loop of its
 * users ({@link Load.Users}), and only otherwise on Poisson arrivals at its rate; each for the
 * length of its run, its figures taken over the requests sent after its warm-up and before its
 * cool-down, each followed until it finishes, as a benchmark measures them. Points past
 * saturation, where the queue builds over the run, then compare like with like.
 *
 * <p>A point's simulated figures are the mean of a few replays, and their spread is how far one
 * measurement of that point may stray by chance. After a first search with every error weighed
 * the same, the search goes on with each error divided by that spread (plus {@link #MODEL_ERROR}),
 * the weights fixed from the first search's replays; restarted from where it stops while that
 * still pays, since the simplex can shrink before the bottom of the long valley that two costs
 * trading against each other make. With one request shape, {@code c_decode} and {@code c_attn}
 * do trade (both grow with the batch, and the context is the same for every point), so a good
 * fit may move one into the other; points of two prompt lengths separate them, since the one
 * grows with the batch and the other with the batch times the context.
 *
 * <h2>How well the points pin each cost</h2>
 * The fit ends with an approximate 95% interval per cost, by linearising the weighted errors
 * around the optimum (the standard asymptotic interval of nonlinear least squares: Bates and
 * Watts, "Nonlinear Regression Analysis and Its Applications", 1988, ch. 2): with {@code J} the
 * derivatives of the {@code m} errors by the costs' logarithms (central differences), {@code s² =
 * Σ e² / (m - 4)}, the covariance of the log-costs is {@code s² (JᵀJ)⁻¹}, and a cost's interval is
 * its estimate times {@code exp(± t(m - 4) σ)} with Student's {@code t} quantile. It treats the
 * points' misfits as independent noise: it says how tightly these points pin a cost given the
 * model, not whether the model is right. With no errors to spare ({@code m <= 4}) no interval is
 * given. With one request shape, the intervals of {@code c_decode} and {@code c_attn} can look
 * tight while both are far off (a misfit the model cannot explain, such as a live server's own
 * overhead, then picks the split), which is why the report gives none for them there.
 */
public final class Calibration {
    private Calibration() {}

    /** The costs in the order the fit solves them. */
    static final int COSTS = 4;

    /** How a measured level's requests arrived, and so how the fit replays it. */
    public sealed interface Load {
        /** Poisson arrivals at the level's rate, drawn afresh for each replay. */
        record Poisson() implements Load {}

        /** The very send times the level was measured with, in nanoseconds from its start, ascending. */
        record Sends(List<Long> nanos) implements Load {
            public Sends {
                nanos = List.copyOf(nanos);
            }
        }

        /** A closed loop of {@code count} users, each sending its next request when its last one ends. */
        record Users(int count) implements Load {
            public Users {
                if (count < 1) throw new IllegalArgumentException("a closed loop needs at least one user");
            }
        }
    }

    /**
     * One measured load level: requests of {@code prompt} and {@code output} tokens at {@code rate}
     * per second, with their mean TTFT and TPOT in nanoseconds, sent for {@code seconds} (NaN: the
     * fit's {@code secondsPerPoint}) as {@code load} says, of which those sent from {@code
     * warmupSeconds} until {@code seconds - cooldownSeconds} were measured.
     */
    public record Measured(
            int prompt,
            int output,
            double rate,
            double ttftNanos,
            double tpotNanos,
            double seconds,
            double warmupSeconds,
            double cooldownSeconds,
            Load load) {
        public Measured {
            if (prompt < 1 || output < 2)
                throw new IllegalArgumentException("fitting needs prompts of >= 1 and replies of >= 2 tokens");
            if (!(warmupSeconds >= 0) || !(cooldownSeconds >= 0))
                throw new IllegalArgumentException("a warm-up and a cool-down are >= 0 seconds");
            if (load == null) load = new Load.Poisson();
        }

        /** A level of Poisson arrivals at {@code rate}. */
        public Measured(
                int prompt,
                int output,
                double rate,
                double ttftNanos,
                double tpotNanos,
                double seconds,
                double warmupSeconds,
                double cooldownSeconds) {
            this(prompt, output, rate, ttftNanos, tpotNanos, seconds, warmupSeconds, cooldownSeconds, null);
        }

        /** A level every arrival of which was measured. */
        public Measured(int prompt, int output, double rate, double ttftNanos, double tpotNanos, double seconds) {
            this(prompt, output, rate, ttftNanos, tpotNanos, seconds, 0, 0);
        }

        /** A level whose arrivals lasted the fit's {@code secondsPerPoint}, all measured. */
        public Measured(int prompt, int output, double rate, double ttftNanos, double tpotNanos) {
            this(prompt, output, rate, ttftNanos, tpotNanos, Double.NaN);
        }

        String shape() {
            return prompt + "/" + output;
        }
    }

    /**
     * One point as measured and as the fitted model simulates it: the mean of its replays ({@link
     * Replays}), and how far one replay's TTFT and TPOT stray from that mean
     * (relative standard deviation), which is how far a single measurement may stray from what the
     * model expects of it.
     */
    public record Compared(Measured measured, VirtualLoad.Point simulated, double ttftSpread, double tpotSpread) {
        public double ttftError() {
            return simulated.meanTtftNanos() / measured.ttftNanos() - 1;
        }

        public double tpotError() {
            return simulated.meanTpotNanos() / measured.tpotNanos() - 1;
        }
    }

    /**
     * An approximate 95% interval of a fitted cost; both ends NaN when the points do not pin it (too
     * few points, or a cost the points cannot tell from another or from nothing).
     */
    public record Interval(double low, double high) {
        static final Interval UNDETERMINED = new Interval(Double.NaN, Double.NaN);

        public boolean determined() {
            return !Double.isNaN(low) && !Double.isNaN(high) && !Double.isInfinite(high);
        }
    }

    /**
     * The fitted model, how well it reproduces every point, and an interval per cost in {@link
     * CostModel}'s order (step, prefill per token, decode per sequence, attention per cached token).
     */
    public record Fit(CostModel cost, List<Compared> points, List<Interval> intervals) {
        public Fit {
            points = List.copyOf(points);
            intervals = List.copyOf(intervals);
        }

        /** Root mean square of the relative TTFT and TPOT errors over every point. */
        public double rmsError() {
            return rms(errors(points));
        }

        /** How many request shapes (prompt and output lengths) the points cover. */
        public long shapes() {
            return points.stream().map(c -> c.measured().shape()).distinct().count();
        }
    }

    /**
     * Fits {@code points} and checks the fit by simulating each point on {@code base} (its limits
     * and cache; its costs are replaced).
     *
     * @param secondsPerPoint how long a point's arrivals lasted in the measurement, for a point that
     *     does not say ({@link Measured#seconds()} NaN)
     */
    public static Fit fit(List<Measured> points, EngineSpec base, double jitter, double secondsPerPoint, long seed) {
        if (points.isEmpty()) throw new IllegalArgumentException("no measured points to fit");
        List<double[]> rows = new ArrayList<>();
        for (Measured m : points) {
            if (!(m.rate > 0) || !(m.ttftNanos > 0) || !(m.tpotNanos > 0)) {
                throw new IllegalArgumentException("every point needs a positive rate, TTFT and TPOT: " + m);
            }
            double p = m.prompt;
            double o = m.output;
            double b = m.rate * (m.ttftNanos + (o - 1) * m.tpotNanos) / 1e9;
            double kv = b * (p + o / 2);
            double prefillPerStep = m.rate * m.tpotNanos / 1e9 * p;
            rows.add(scaled(new double[] {1, prefillPerStep, b, kv}, m.tpotNanos));
            // A TTFT hardly longer than half a step says little about prefill and, divided by itself, would
            // weigh far more than the other rows: such points only enter through the search below.
            double ttftTarget = m.ttftNanos - m.tpotNanos / 2;
            if (ttftTarget > 0.1 * m.ttftNanos) rows.add(scaled(new double[] {1, p, b, kv + p}, ttftTarget));
        }
        double[] linear = LeastSquares.nnls(rows);
        // Coefficients the linear fit zeroed start small but positive, so the search (in logs) can move them.
        CostModel b = base.cost();
        double[] floor = {b.c0Nanos(), b.prefillNanosPerToken(), b.decodeNanosPerSeq(), b.attnNanosPerKvToken()};
        double[] start = new double[COSTS];
        for (int i = 0; i < COSTS; i++) start[i] = Math.log(Math.max(linear[i], Math.max(floor[i], 1) * 0.05));
        // First every error weighs the same: two starts, the linear fit and the base preset's own costs.
        ToDoubleFunction<double[]> evenError =
                x -> rms(errors(Replays.of(points, base, cost(x, jitter), secondsPerPoint, seed)));
        double[] fromLinear = NelderMead.minimise(evenError, start, 0.3, 120);
        double[] preset = new double[COSTS];
        for (int i = 0; i < COSTS; i++) preset[i] = Math.log(Math.max(floor[i], 1));
        double[] fromPreset = NelderMead.minimise(evenError, preset, 0.3, 120);
        double[] first =
                evenError.applyAsDouble(fromLinear) <= evenError.applyAsDouble(fromPreset) ? fromLinear : fromPreset;
        // Then each error weighs by how far a measurement of its point may stray by chance (near saturation
        // one run's queue differs much from another's), the weights fixed from the first fit's replays so
        // that the search cannot shrink its error by making the model noisier.
        double[] weights = weights(Replays.of(points, base, cost(first, jitter), secondsPerPoint, seed));
        Function<double[], double[]> residuals =
                x -> weighted(errors(Replays.of(points, base, cost(x, jitter), secondsPerPoint, seed)), weights);
        ToDoubleFunction<double[]> error = x -> rms(residuals.apply(x));
        // Nelder-Mead's simplex can shrink before it reaches the bottom of a long, narrow valley (the costs
        // that trade against each other make one): restarted from where it stopped, with a fresh simplex,
        // it goes on while that still pays.
        double[] best = first;
        double bestError = error.applyAsDouble(best);
        for (int restart = 0; restart < 4; restart++) {
            double[] next = NelderMead.minimise(error, best, 0.2, 120);
            double nextError = error.applyAsDouble(next);
            boolean paid = nextError < bestError * 0.98;
            if (nextError < bestError) {
                best = next;
                bestError = nextError;
            }
            if (!paid) break;
        }
        CostModel cost = cost(best, jitter);
        return new Fit(
                cost, Replays.of(points, base, cost, secondsPerPoint, seed), Intervals.of(residuals, clamp(best)));
    }

    /**
     * The relative error below which a point's misfit is not told from the model's own: the engine
     * model is an approximation, and a point measured without noise must not outweigh every other.
     */
    static final double MODEL_ERROR = 0.02;

    /**
     * One over each error's expected spread: a single measurement strays from the mean of the model's
     * replays by about their spread, and that mean itself by the spread over the root of their
     * number; {@link #MODEL_ERROR} adds to both.
     */
    private static double[] weights(List<Compared> compared) {
        double[] w = new double[2 * compared.size()];
        for (int i = 0; i < compared.size(); i++) {
            Compared c = compared.get(i);
            int n = Replays.count(c.measured().load());
            w[2 * i] = 1 / spread(c.ttftSpread(), n);
            w[2 * i + 1] = 1 / spread(c.tpotSpread(), n);
        }
        return w;
    }

    private static double spread(double replaySpread, int replays) {
        return Math.sqrt(replaySpread * replaySpread * (1 + 1.0 / replays) + MODEL_ERROR * MODEL_ERROR);
    }

    private static double[] weighted(double[] e, double[] w) {
        double[] r = new double[e.length];
        for (int i = 0; i < e.length; i++) r[i] = e[i] * w[i];
        return r;
    }

    /** Coefficients from the search's logarithms, kept within a nanosecond's millionth and a day. */
    private static CostModel cost(double[] logs, double jitter) {
        double[] c = clamp(logs);
        for (int i = 0; i < COSTS; i++) c[i] = Math.exp(c[i]);
        return new CostModel(c[0], c[1], c[2], c[3], jitter);
    }

    private static double[] clamp(double[] logs) {
        double[] c = new double[COSTS];
        for (int i = 0; i < COSTS; i++) c[i] = Math.max(-14, Math.min(32, logs[i]));
        return c;
    }

    /** Each point's relative TTFT and TPOT errors, in that order. */
    private static double[] errors(List<Compared> compared) {
        double[] e = new double[2 * compared.size()];
        for (int i = 0; i < compared.size(); i++) {
            e[2 * i] = compared.get(i).ttftError();
            e[2 * i + 1] = compared.get(i).tpotError();
        }
        return e;
    }

    private static double rms(double[] e) {
        double s = 0;
        for (double v : e) s += v * v;
        return e.length == 0 ? 0 : Math.sqrt(s / e.length);
    }

    /** A row {@code a . x = target} divided by the target: the equation of relative error, right-hand side 1. */
    private static double[] scaled(double[] a, double target) {
        double[] r = new double[a.length + 1];
        for (int i = 0; i < a.length; i++) r[i] = a[i] / target;
        r[a.length] = 1;
        return r;
    }
}
