package dev.llmlab.metrics;

import static dev.llmlab.metrics.Alias.of;
import static dev.llmlab.metrics.Alias.sameLabelAs;
import static dev.llmlab.metrics.Alias.scaled;
import static dev.llmlab.metrics.Alias.where;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Which serving stack a metrics page comes from, and the names each {@link Quantity} goes by on it
 * across versions. Detected from the page's own metric names ({@link #detect}), because the names
 * are distinctive (each stack prefixes its own), a user often points at a URL without saying what
 * serves it, and a proxy may sit in front.
 *
 * <p>Aliases are tried in order and the first the page has is read, never a sum of two: versions in
 * transition export the old and the new name side by side (vLLM 0.9 wrote both KV-cache gauges).
 * Unit changes are undone by each alias' factor (DCGM exporter 4.9 moved utilisation from percent
 * to a ratio, memory from MiB to bytes, energy from mJ to J; see docs/server-metrics.md for every
 * table and its sources). A quantity a kind does not map is not exported by it: reading it gives
 * null, never 0.
 *
 * <p>Detection order matters where pages mix: the simulator exports vLLM's names plus its own
 * {@code llmlab_*}; a Dynamo worker page carries its engine's names (vLLM, SGLang, TensorRT-LLM)
 * beside {@code dynamo_component_*}, and is read as that engine; a Triton page with the TensorRT-LLM
 * backend carries {@code nv_trt_llm_*}. An llmlab gateway kind is left out until the gateway exists
 * and its names are defined.
 */
public enum ServerKind {
    /** The llmlab simulator: vLLM's names, told apart by its own {@code llmlab_*} metrics. */
    LLMLAB("llmlab", List.of(LlmlabNames.PREFIX), Tables.vllm()),
    /** vLLM, v0 and v1 engines. */
    VLLM("vllm", List.of("vllm:"), Tables.vllm()),
    SGLANG("sglang", List.of("sglang:"), Tables.sglang()),
    /** TensorRT-LLM's own server ({@code trtllm-serve}), or its metrics as Dynamo passes them through. */
    TENSORRT_LLM("trtllm", List.of("trtllm_", "trtllm:"), Tables.tensorrtLlm()),
    /** Triton Inference Server, with the TensorRT-LLM backend's {@code nv_trt_llm_*} when present. */
    TRITON("triton", List.of("nv_inference_", "nv_trt_llm_"), Tables.triton()),
    /** Hugging Face Text Generation Inference. */
    TGI("tgi", List.of("tgi_"), Tables.tgi()),
    /** llama.cpp's {@code llama-server} with {@code --metrics}. */
    LLAMA_CPP("llamacpp", List.of("llamacpp:"), Tables.llamaCpp()),
    /** NVIDIA Dynamo's frontend ({@code dynamo_frontend_*}); a worker page reads as its engine. */
    DYNAMO("dynamo", List.of("dynamo_frontend_", "dynamo_component_"), Tables.dynamo()),
    /** The LiteLLM proxy's Prometheus callback. */
    LITELLM("litellm", List.of("litellm_"), Tables.litellm()),
    /** llmlab's own gateway ({@code llmlab gateway}). */
    LLMLAB_GATEWAY("gateway", List.of("llmlab_gateway_"), Tables.llmlabGateway()),
    /** NVIDIA's DCGM exporter, 3.x and 4.x names. */
    DCGM("dcgm", List.of("DCGM_FI_"), Tables.dcgm()),
    /** A page of some other exporter: nothing is read from it. */
    UNKNOWN("unknown", List.of(), Map.of());

    private final String label;
    private final List<String> prefixes;
    private final Map<Quantity, List<Alias>> aliases;

    ServerKind(String label, List<String> prefixes, Map<Quantity, List<Alias>> aliases) {
        this.label = label;
        this.prefixes = prefixes;
        this.aliases = aliases;
    }

    /** The kind's short name, as results and reports print it: {@code vllm}, {@code dcgm}, ... */
    public String label() {
        return label;
    }

    /** The kind of server that wrote this page; {@link #UNKNOWN} when no kind's names are on it. */
    public static ServerKind detect(Exposition page) {
        if (page.has(LlmlabNames.ACTIVE_STREAMS) || (page.hasPrefix("vllm:") && page.hasPrefix(LlmlabNames.PREFIX)))
            return LLMLAB;
        for (ServerKind k : values()) {
            if (k == LLMLAB) continue;
            for (String p : k.prefixes) if (page.hasPrefix(p)) return k;
        }
        return UNKNOWN;
    }

    /** This kind's view of a page: its quantities, resolved and in their units. */
    public ServerReading read(Exposition page) {
        return new ServerReading(this, page);
    }

    /** The quantities this kind maps, in {@link Quantity} order. */
    public List<Quantity> quantities() {
        return List.copyOf(aliases.keySet());
    }

    /** The metric names that carry {@code q} on this kind, in the order they are tried; empty when it does not map it. */
    public List<String> names(Quantity q) {
        return aliases.getOrDefault(q, List.of()).stream().map(Alias::name).toList();
    }

    List<Alias> aliases(Quantity q) {
        return aliases.getOrDefault(q, List.of());
    }

    /** The alias tables, one per kind; sources in docs/server-metrics.md. */
    private static final class Tables {
        private static Map<Quantity, List<Alias>> table(Object... quantityAndAliases) {
            Map<Quantity, List<Alias>> m = new EnumMap<>(Quantity.class);
            for (int i = 0; i < quantityAndAliases.length; i += 2) {
                @SuppressWarnings("unchecked")
                List<Alias> a = (List<Alias>) quantityAndAliases[i + 1];
                m.put((Quantity) quantityAndAliases[i], a);
            }
            return Collections.unmodifiableMap(m);
        }

        static Map<Quantity, List<Alias>> vllm() {
            return table(
                    Quantity.RUNNING, List.of(of(VllmNames.NUM_REQUESTS_RUNNING)),
                    Quantity.WAITING, List.of(of(VllmNames.NUM_REQUESTS_WAITING)),
                    Quantity.KV_CACHE_USAGE, List.of(of(VllmNames.KV_CACHE_USAGE), of(VllmNames.V0_KV_CACHE_USAGE)),
                    Quantity.TTFT, List.of(of(VllmNames.TIME_TO_FIRST_TOKEN)),
                    Quantity.ITL, List.of(of(VllmNames.INTER_TOKEN_LATENCY), of(VllmNames.V0_TIME_PER_OUTPUT_TOKEN)),
                    Quantity.E2E, List.of(of(VllmNames.E2E_REQUEST_LATENCY)),
                    Quantity.PROMPT_TOKENS, List.of(of(VllmNames.PROMPT_TOKENS)),
                    Quantity.GENERATION_TOKENS, List.of(of(VllmNames.GENERATION_TOKENS)),
                    Quantity.REQUESTS_SUCCEEDED, List.of(of(VllmNames.REQUEST_SUCCESS)),
                    Quantity.PREEMPTIONS, List.of(of(VllmNames.NUM_PREEMPTIONS)),
                    Quantity.PREFIX_CACHE_HITS,
                            List.of(of(VllmNames.PREFIX_CACHE_HITS), of(VllmNames.V1_GPU_PREFIX_CACHE_HITS)),
                    Quantity.PREFIX_CACHE_QUERIES,
                            List.of(of(VllmNames.PREFIX_CACHE_QUERIES), of(VllmNames.V1_GPU_PREFIX_CACHE_QUERIES)));
        }

        static Map<Quantity, List<Alias>> sglang() {
            return table(
                    Quantity.RUNNING, List.of(of("sglang:num_running_reqs")),
                    Quantity.WAITING, List.of(of("sglang:num_queue_reqs")),
                    Quantity.KV_CACHE_USAGE, List.of(of("sglang:token_usage")),
                    Quantity.TTFT, List.of(of("sglang:time_to_first_token_seconds")),
                    Quantity.ITL,
                            List.of(
                                    of("sglang:inter_token_latency_seconds"),
                                    of("sglang:time_per_output_token_seconds")),
                    Quantity.E2E, List.of(of("sglang:e2e_request_latency_seconds")),
                    Quantity.PROMPT_TOKENS, List.of(of("sglang:prompt_tokens")),
                    Quantity.GENERATION_TOKENS, List.of(of("sglang:generation_tokens")),
                    Quantity.REQUESTS_SUCCEEDED, List.of(of("sglang:num_requests")),
                    Quantity.PREFIX_CACHE_HITS, List.of(of("sglang:cached_tokens")));
        }

        static Map<Quantity, List<Alias>> tensorrtLlm() {
            return table(
                    Quantity.TTFT,
                            List.of(of("trtllm_time_to_first_token_seconds"), of("trtllm:time_to_first_token_seconds")),
                    Quantity.E2E,
                            List.of(of("trtllm_e2e_request_latency_seconds"), of("trtllm:e2e_request_latency_seconds")),
                    Quantity.REQUESTS_SUCCEEDED, List.of(of("trtllm_request_success"), of("trtllm:request_success")));
        }

        /**
         * The family whose {@code model} label names Triton's TensorRT-LLM backend model. An ensemble
         * (preprocessing, the backend, postprocessing) counts a request at itself and again at each
         * composing model, and Triton's metrics do not say which model is an ensemble (only its model
         * config does): the per-request counts that would double (pending, succeeded) are read from
         * the backend's model when it has them, every model's otherwise. Failures and TTFT are read
         * over every model: an ensemble's own rejections never reach the backend.
         */
        private static final String TRT_LLM_MODEL = "nv_trt_llm_request_metrics";

        static Map<Quantity, List<Alias>> triton() {
            return table(
                    Quantity.RUNNING, List.of(where("nv_trt_llm_request_metrics", "request_type", "scheduled")),
                    Quantity.WAITING,
                            List.of(sameLabelAs("nv_inference_pending_request_count", "model", TRT_LLM_MODEL)),
                    Quantity.KV_CACHE_USAGE,
                            List.of(where("nv_trt_llm_kv_cache_block_metrics", "kv_cache_block_type", "fraction")),
                    Quantity.TTFT, List.of(scaled("nv_inference_first_response_histogram_ms", 1e-3)),
                    Quantity.REQUESTS_SUCCEEDED,
                            List.of(sameLabelAs("nv_inference_request_success", "model", TRT_LLM_MODEL)),
                    Quantity.REQUESTS_FAILED, List.of(of("nv_inference_request_failure")),
                    Quantity.GPU_UTILIZATION, List.of(of("nv_gpu_utilization")),
                    Quantity.GPU_MEMORY_USED, List.of(of("nv_gpu_memory_used_bytes")),
                    Quantity.GPU_POWER, List.of(of("nv_gpu_power_usage")),
                    Quantity.GPU_ENERGY, List.of(of("nv_energy_consumption")));
        }

        static Map<Quantity, List<Alias>> tgi() {
            return table(
                    Quantity.RUNNING, List.of(of("tgi_batch_current_size")),
                    Quantity.WAITING, List.of(of("tgi_queue_size")),
                    Quantity.E2E, List.of(of("tgi_request_duration")),
                    Quantity.PROMPT_TOKENS, List.of(of("tgi_request_input_length")),
                    Quantity.GENERATION_TOKENS, List.of(of("tgi_request_generated_tokens")),
                    Quantity.REQUESTS_SUCCEEDED, List.of(of("tgi_request_success")),
                    Quantity.REQUESTS_FAILED, List.of(of("tgi_request_failure")));
        }

        static Map<Quantity, List<Alias>> llamaCpp() {
            return table(
                    Quantity.RUNNING, List.of(of("llamacpp:requests_processing")),
                    Quantity.WAITING, List.of(of("llamacpp:requests_deferred")),
                    Quantity.KV_CACHE_USAGE, List.of(of("llamacpp:kv_cache_usage_ratio")),
                    Quantity.PROMPT_TOKENS, List.of(of("llamacpp:prompt_tokens")),
                    Quantity.GENERATION_TOKENS, List.of(of("llamacpp:tokens_predicted")));
        }

        static Map<Quantity, List<Alias>> dynamo() {
            return table(
                    Quantity.RUNNING, List.of(of("dynamo_frontend_inflight_requests")),
                    Quantity.WAITING, List.of(of("dynamo_frontend_queued_requests")),
                    Quantity.TTFT, List.of(of("dynamo_frontend_time_to_first_token_seconds")),
                    Quantity.ITL, List.of(of("dynamo_frontend_inter_token_latency_seconds")),
                    Quantity.E2E, List.of(of("dynamo_frontend_request_duration_seconds")),
                    Quantity.PROMPT_TOKENS, List.of(of("dynamo_frontend_input_sequence_tokens")),
                    Quantity.GENERATION_TOKENS,
                            List.of(of("dynamo_frontend_output_tokens"), of("dynamo_frontend_output_sequence_tokens")),
                    Quantity.REQUESTS_SUCCEEDED, List.of(where("dynamo_frontend_requests", "status", "success")),
                    Quantity.REQUESTS_FAILED, List.of(where("dynamo_frontend_requests", "status", "error")));
        }

        static Map<Quantity, List<Alias>> litellm() {
            return table(
                    Quantity.RUNNING, List.of(of("litellm_in_flight_requests")),
                    Quantity.TTFT, List.of(of("litellm_llm_api_time_to_first_token_metric")),
                    Quantity.E2E, List.of(of("litellm_request_total_latency_metric")),
                    Quantity.PROMPT_TOKENS, List.of(of("litellm_input_tokens_metric"), of("litellm_input_tokens")),
                    Quantity.GENERATION_TOKENS,
                            List.of(of("litellm_output_tokens_metric"), of("litellm_output_tokens")),
                    Quantity.REQUESTS_FAILED, List.of(of("litellm_proxy_failed_requests_metric")),
                    Quantity.GATEWAY_REQUESTS, List.of(of("litellm_proxy_total_requests_metric")),
                    Quantity.GATEWAY_COST, List.of(of("litellm_spend_metric")),
                    Quantity.GATEWAY_CACHE_HITS, List.of(of("litellm_cache_hits_metric")));
        }

        /** llmlab-gateway's observe.GatewayMetrics names (docs/gateway.md). */
        static Map<Quantity, List<Alias>> llmlabGateway() {
            return table(
                    Quantity.GATEWAY_REQUESTS, List.of(of("llmlab_gateway_requests")),
                    Quantity.GATEWAY_COST, List.of(of("llmlab_gateway_cost_usd")),
                    Quantity.GATEWAY_CACHE_HITS, List.of(of("llmlab_gateway_cache_hits")),
                    Quantity.GATEWAY_TOKENS, List.of(of("llmlab_gateway_tokens")),
                    Quantity.GATEWAY_RETRIES, List.of(of("llmlab_gateway_retries")),
                    Quantity.GATEWAY_OPEN_BREAKERS, List.of(where("llmlab_gateway_breaker_state", "state", "open")),
                    Quantity.GATEWAY_KEY_COOLDOWNS, List.of(of("llmlab_gateway_key_cooldowns")));
        }

        static Map<Quantity, List<Alias>> dcgm() {
            return table(
                    Quantity.GPU_UTILIZATION,
                            List.of(
                                    of("DCGM_FI_DEV_GPU_UTIL_RATIO"),
                                    scaled("DCGM_FI_DEV_GPU_UTIL", 0.01),
                                    of("DCGM_FI_PROF_GR_ENGINE_UTIL_RATIO"),
                                    of("DCGM_FI_PROF_GR_ENGINE_ACTIVE")),
                    Quantity.GPU_MEMORY_USED,
                            List.of(of("DCGM_FI_DEV_FB_USED_BYTES"), scaled("DCGM_FI_DEV_FB_USED", 1024.0 * 1024.0)),
                    Quantity.GPU_POWER, List.of(of("DCGM_FI_DEV_BOARD_POWER_WATTS"), of("DCGM_FI_DEV_POWER_USAGE")),
                    Quantity.GPU_ENERGY,
                            List.of(
                                    of("DCGM_FI_DEV_GPU_ENERGY_JOULES_TOTAL"),
                                    scaled("DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION", 1e-3)));
        }
    }
}
