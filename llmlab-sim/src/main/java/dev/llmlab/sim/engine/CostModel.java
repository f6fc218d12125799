package dev.llmlab.sim.engine;

import java.util.random.RandomGenerator;

/**
 * How long one engine step takes, from what the step computes:
 *
 * <pre>  t = c0 + c_prefill * prefill_tokens + c_decode * decode_seqs + c_attn * kv_tokens_read</pre>
 *
 * <p>The terms follow where a transformer forward pass spends its time (see docs/engine.md and the
 * roofline analyses cited there). {@code c0} is the fixed cost of a step: reading every weight
 * from HBM once, which bounds decode at small batches, plus kernel launch and scheduler overhead.
 * {@code c_prefill} is the compute of one prompt token through the dense layers (about 2 FLOPs per
 * parameter), {@code c_decode} the compute and sampling of one decoding sequence, and
 * {@code c_attn} the cost of attention reading one cached key/value token, which is
 * memory-bound and grows with context. The sum is linear where a real GPU overlaps memory and
 * compute, so it errs high near the roofline's corner; calibration against measurements
 * ({@code llmlab sim calibrate}) absorbs that for the loads measured.
 *
 * <p>{@code jitter} is the relative standard deviation of a mean-one log-normal factor applied to
 * each step, for the run-to-run noise of real kernels; 0 makes steps exact.
 *
 * @param c0Nanos              fixed time per step
 * @param prefillNanosPerToken time per prompt token computed in the step
 * @param decodeNanosPerSeq    time per sequence that decodes one token in the step
 * @param attnNanosPerKvToken  time per cached token read by attention in the step
 * @param jitter               relative standard deviation of the per-step noise
 */
public record CostModel(
        double c0Nanos,
        double prefillNanosPerToken,
        double decodeNanosPerSeq,
        double attnNanosPerKvToken,
        double jitter) {

    public CostModel {
        for (double c : new double[] {c0Nanos, prefillNanosPerToken, decodeNanosPerSeq, attnNanosPerKvToken}) {
            if (!(c >= 0) || Double.isInfinite(c))
                throw new IllegalArgumentException("cost coefficients must be finite and >= 0");
        }
        if (!(jitter >= 0) || jitter > 1) throw new IllegalArgumentException("jitter must be within [0, 1]");
    }

    /** A day: no step is longer, so that model time never overflows whatever the coefficients. */
    static final double MAX_STEP_NANOS = 86_400e9;

    /** The modelled duration without noise. */
    public double meanNanos(long prefillTokens, long decodeSeqs, long kvTokensRead) {
        return c0Nanos
                + prefillNanosPerToken * prefillTokens
                + decodeNanosPerSeq * decodeSeqs
                + attnNanosPerKvToken * kvTokensRead;
    }

    /** One step's duration, with noise drawn from {@code rng} when {@code jitter > 0}. */
    public long stepNanos(long prefillTokens, long decodeSeqs, long kvTokensRead, RandomGenerator rng) {
        double t = meanNanos(prefillTokens, decodeSeqs, kvTokensRead);
        if (jitter > 0) {
            double sigma = Math.sqrt(Math.log1p(jitter * jitter));
            t *= Math.exp(sigma * rng.nextGaussian() - sigma * sigma / 2);
        }
        return Math.max(1, Math.round(Math.min(t, MAX_STEP_NANOS)));
    }
}
