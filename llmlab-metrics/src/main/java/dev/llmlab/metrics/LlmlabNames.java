package dev.llmlab.metrics;

/**
 * The llmlab simulator's own metric names, beside the vLLM names it also exports ({@link
 * VllmNames}). {@link ServerKind#LLMLAB} tells the simulator from a real vLLM by them. Counters are
 * named without {@code _total}, which the client library appends on the page.
 */
public final class LlmlabNames {
    private LlmlabNames() {}

    /** SSE streams open now: an unlabelled gauge, on the page from the start. */
    public static final String ACTIVE_STREAMS = "llmlab_active_streams";

    public static final String HTTP_REQUESTS = "llmlab_http_requests";
    public static final String HTTP_REQUEST_DURATION = "llmlab_http_request_duration_seconds";
    public static final String FAULTS_INJECTED = "llmlab_faults_injected";
    public static final String ENGINE_STEP_LATENESS = "llmlab_engine_step_lateness_seconds";

    /** Every llmlab metric name starts with this. */
    public static final String PREFIX = "llmlab_";
}
