package dev.llmlab.bench.measure;

import java.util.function.LongConsumer;

/**
 * The per-request latency metrics, each with one exact definition (docs/metrics.md gives them
 * with the names the peers use). Times are nanoseconds; {@code out} is
 * {@link RequestRecord#outputTokens()}, {@code t0} the origin (actual or intended send), {@code tok[i]}
 * the arrival of the i-th token-bearing event, {@code end} the response's end.
 *
 * <p>Why several inter-token metrics: "ITL" and "TPOT" mean different things across tools. vLLM's
 * and AIPerf's TPOT average over a request's decode, excluding the first token; vLLM's ITL pools
 * every gap between events; LLMPerf's "inter-token latency" divides the whole e2e, first token
 * included, by the output tokens, which is {@link #NTPOT} here. Each is reported under its own name.
 */
public enum Metric {
    /** {@code tok[0] - t0}: time to first token. Streams only. */
    TTFT("ttft", true),
    /** {@code tok[1] - t0}: time to the second token event. Streams of two or more events only. */
    TTST("ttst", true),
    /** {@code (end - tok[0]) / (out - 1)}: time per output token after the first (vLLM's TPOT, AIPerf's ITL). Streams with out >= 2. */
    TPOT("tpot", false),
    /** Every gap {@code tok[i] - tok[i-1]}, pooled over all requests (vLLM's ITL). Streams only. */
    ITL("itl", false),
    /** {@code (tok[n-1] - tok[0]) / (n - 1)} over a request's n token events: its mean gap. Streams of two or more events. */
    ITL_PER_REQUEST("itl_per_request", false),
    /** {@code (end - t0) / out}: e2e per output token, first token included (LLMPerf's inter-token latency). */
    NTPOT("ntpot", true),
    /** {@code end - t0}: end-to-end latency. */
    E2E("e2e", true),
    /** Time waiting for a concurrency slot ({@code --max-concurrency}); 0 without a cap. */
    QUEUE_WAIT("queue_wait", false);

    private final String key;
    private final boolean dependsOnOrigin;

    Metric(String key, boolean dependsOnOrigin) {
        this.key = key;
        this.dependsOnOrigin = dependsOnOrigin;
    }

    /** The name in every output. */
    public String key() {
        return key;
    }

    /** Whether the value changes with the origin (so an open loop reports it twice). */
    public boolean dependsOnOrigin() {
        return dependsOnOrigin;
    }

    /**
     * Passes this metric's values for one successful request to {@code sink}: none when undefined
     * for it, one for most, one per gap for {@link #ITL}.
     */
    public void values(RequestRecord r, Origin origin, LongConsumer sink) {
        long[] tok = r.tokenNanos();
        long t0 = origin.of(r);
        int out = r.outputTokens();
        switch (this) {
            case TTFT -> {
                if (tok.length > 0) sink.accept(tok[0] - t0);
            }
            case TTST -> {
                if (tok.length > 1) sink.accept(tok[1] - t0);
            }
            case TPOT -> {
                if (tok.length > 0 && out >= 2) sink.accept((r.endNanos() - tok[0]) / (out - 1));
            }
            case ITL -> {
                for (int i = 1; i < tok.length; i++) sink.accept(tok[i] - tok[i - 1]);
            }
            case ITL_PER_REQUEST -> {
                if (tok.length > 1) sink.accept((tok[tok.length - 1] - tok[0]) / (tok.length - 1));
            }
            case NTPOT -> {
                if (out >= 1) sink.accept((r.endNanos() - t0) / out);
            }
            case E2E -> sink.accept(r.endNanos() - t0);
            case QUEUE_WAIT -> sink.accept(r.slotWaitNanos());
        }
    }
}
