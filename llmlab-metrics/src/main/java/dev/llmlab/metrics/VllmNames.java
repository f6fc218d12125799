package dev.llmlab.metrics;

/**
 * vLLM's metric and label names (v1 engine), as its Python code declares them: counters without
 * {@code _total}, which the client library appends on the page. The llmlab simulator names its
 * vLLM-compatible series from these constants, and {@link ServerKind#VLLM} reads pages by them, so
 * the two cannot drift apart. Older spellings a page may still carry are in {@link #V0_KV_CACHE_USAGE}
 * and friends; which one wins is written on {@link ServerKind}.
 *
 * <p>Source: vllm-project/vllm, {@code vllm/v1/metrics/loggers.py} (PrometheusStatLogger) and
 * docs/usage/metrics.md.
 */
public final class VllmNames {
    private VllmNames() {}

    public static final String NUM_REQUESTS_RUNNING = "vllm:num_requests_running";
    public static final String NUM_REQUESTS_WAITING = "vllm:num_requests_waiting";
    /** A fraction 0..1 despite "perc". */
    public static final String KV_CACHE_USAGE = "vllm:kv_cache_usage_perc";

    public static final String NUM_PREEMPTIONS = "vllm:num_preemptions";
    public static final String PREFIX_CACHE_QUERIES = "vllm:prefix_cache_queries";
    public static final String PREFIX_CACHE_HITS = "vllm:prefix_cache_hits";
    public static final String PROMPT_TOKENS = "vllm:prompt_tokens";
    public static final String GENERATION_TOKENS = "vllm:generation_tokens";
    public static final String REQUEST_SUCCESS = "vllm:request_success";
    public static final String TIME_TO_FIRST_TOKEN = "vllm:time_to_first_token_seconds";
    public static final String INTER_TOKEN_LATENCY = "vllm:inter_token_latency_seconds";
    public static final String E2E_REQUEST_LATENCY = "vllm:e2e_request_latency_seconds";
    public static final String REQUEST_QUEUE_TIME = "vllm:request_queue_time_seconds";
    public static final String REQUEST_PREFILL_TIME = "vllm:request_prefill_time_seconds";
    public static final String REQUEST_DECODE_TIME = "vllm:request_decode_time_seconds";
    public static final String REQUEST_PROMPT_TOKENS = "vllm:request_prompt_tokens";
    public static final String REQUEST_GENERATION_TOKENS = "vllm:request_generation_tokens";

    /** The v0 engine's (and v1's until 0.10) name of {@link #KV_CACHE_USAGE}; also 0..1. */
    public static final String V0_KV_CACHE_USAGE = "vllm:gpu_cache_usage_perc";
    /** The name of inter-token latency before it was renamed {@link #INTER_TOKEN_LATENCY}. */
    public static final String V0_TIME_PER_OUTPUT_TOKEN = "vllm:time_per_output_token_seconds";
    /** v1 0.9's names of the prefix-cache counters, deprecated for {@link #PREFIX_CACHE_QUERIES} and {@link #PREFIX_CACHE_HITS}. */
    public static final String V1_GPU_PREFIX_CACHE_QUERIES = "vllm:gpu_prefix_cache_queries";

    public static final String V1_GPU_PREFIX_CACHE_HITS = "vllm:gpu_prefix_cache_hits";

    public static final String LABEL_MODEL_NAME = "model_name";
    /** The engine (data-parallel rank) index. */
    public static final String LABEL_ENGINE = "engine";

    public static final String LABEL_FINISHED_REASON = "finished_reason";
}
