package dev.llmlab.sim.engine;

/**
 * What the cost model predicts for a steady stream of identical requests ({@code P} prompt and
 * {@code O} output tokens): the lone request's latencies and the deployment's saturation point.
 *
 * <p>At saturation every replica runs a full batch of {@code B} sequences. Each request holds a
 * slot for {@code O} steps (its prefill step, then {@code O - 1} decodes), so each step admits
 * {@code B / O} new requests on average and computes {@code B * P / O} prompt tokens next to
 * {@code B * (O - 1) / O} decodes, reading about {@code B * (P + O / 2)} cached tokens. {@code B}
 * is the smallest of {@code max_num_seqs}, what the KV cache holds at {@code P + O / 2} tokens a
 * sequence, and what the token budget allows per step. Throughput is then {@code B / (O * t)}
 * requests per second per replica, where {@code t} is the step time at that batch. It ignores
 * step-to-step variation and chunking, so it is an estimate: the engine's tests check that the
 * simulated plateau lands within 10% of it.
 *
 * @param batch                    sequences per step at saturation, per replica
 * @param stepNanos                step time at saturation
 * @param requestsPerSecond        saturation request rate of the whole deployment
 * @param outputTokensPerSecond    saturation output token rate of the whole deployment
 * @param loneTtftNanos            time to first token of a request alone on an idle replica
 * @param loneItlNanos             inter-token latency of a request alone (at mid-reply context)
 */
public record Capacity(
        double batch,
        double stepNanos,
        double requestsPerSecond,
        double outputTokensPerSecond,
        double loneTtftNanos,
        double loneItlNanos) {

    public static Capacity estimate(EngineSpec spec, int promptTokens, int outputTokens) {
        double p = promptTokens;
        double o = outputTokens;
        double kvPerSeq = p + o / 2;
        double byKv = Math.floor(spec.kvCapacityTokens() / Math.ceil(kvPerSeq / spec.blockSize()) / spec.blockSize());
        double byBudget = spec.maxNumBatchedTokens() * o / (p + o - 1);
        double b = Math.max(1, Math.min(spec.maxNumSeqs(), Math.min(byKv, byBudget)));
        CostModel c = spec.cost();
        double step = c.meanNanos(0, 0, 0)
                + c.prefillNanosPerToken() * b * p / o
                + c.decodeNanosPerSeq() * b * (o - 1) / o
                + c.attnNanosPerKvToken() * b * kvPerSeq;
        double rps = spec.replicas() * b / (o * step / 1e9);
        double ttft = c.meanNanos(promptTokens, 0, promptTokens);
        double itl = c.meanNanos(0, 1, (long) kvPerSeq);
        return new Capacity(b, step, rps, rps * o, ttft, itl);
    }
}
