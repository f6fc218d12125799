package dev.llmlab.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ServerReadingTest {
    /** Two models on one page, one engine-wide series without a model, and a GPU's model name that is no LLM. */
    static final String PAGE = """
            # TYPE vllm:num_requests_running gauge
            vllm:num_requests_running{engine="0",model_name="a"} 5.0
            vllm:num_requests_running{engine="0",model_name="b"} 1.0
            # TYPE vllm:kv_cache_usage_perc gauge
            vllm:kv_cache_usage_perc{engine="0",model_name="a"} 0.3
            vllm:kv_cache_usage_perc{engine="0",model_name="b"} 0.1
            # TYPE vllm:num_requests_waiting gauge
            vllm:num_requests_waiting{engine="0"} 4.0
            # TYPE vllm:e2e_request_latency_seconds histogram
            vllm:e2e_request_latency_seconds_bucket{model_name="a",le="1.0"} 3
            vllm:e2e_request_latency_seconds_bucket{model_name="a",le="+Inf"} 4
            vllm:e2e_request_latency_seconds_sum{model_name="a"} 2.5
            vllm:e2e_request_latency_seconds_count{model_name="a"} 4
            vllm:e2e_request_latency_seconds_bucket{model_name="b",le="1.0"} 1
            vllm:e2e_request_latency_seconds_bucket{model_name="b",le="+Inf"} 1
            vllm:e2e_request_latency_seconds_sum{model_name="b"} 0.5
            vllm:e2e_request_latency_seconds_count{model_name="b"} 1
            # TYPE DCGM_FI_DEV_GPU_UTIL gauge
            DCGM_FI_DEV_GPU_UTIL{gpu="0",modelName="NVIDIA H100 80GB HBM3"} 50
            """;

    @Test
    void models_areTheModelLabelsOfThePage_notTheGpusName() {
        ServerReading r = ServerKind.VLLM.read(Exposition.parse(PAGE));
        assertThat(r.models()).containsExactly("a", "b");
        assertThat(r.model()).isNull();
    }

    @Test
    void forModel_readsThatModelsSeries_andTheSeriesThatNameNone() {
        ServerReading all = ServerKind.VLLM.read(Exposition.parse(PAGE));
        assertThat(all.value(Quantity.RUNNING)).isEqualTo(6.0);
        assertThat(all.value(Quantity.KV_CACHE_USAGE)).isCloseTo(0.2, within(1e-12));

        ServerReading a = all.forModel("a");
        assertThat(a.model()).isEqualTo("a");
        assertThat(a.value(Quantity.RUNNING)).isEqualTo(5.0);
        assertThat(a.value(Quantity.KV_CACHE_USAGE)).isCloseTo(0.3, within(1e-12));
        assertThat(a.value(Quantity.WAITING))
                .as("an engine-wide series is kept")
                .isEqualTo(4.0);
        assertThat(a.series(Quantity.RUNNING)).hasSize(1);
        assertThat(a.histograms(Quantity.E2E))
                .singleElement()
                .satisfies(h -> assertThat(h.count()).isEqualTo(4));
    }

    @Test
    void forModel_aFamilyWithNoSeriesAboutTheModel_isReadWhole() {
        // Triton's ensemble: its requests run on the backend model, whose series carry the numbers
        ServerReading r = ServerKind.VLLM.read(Exposition.parse("""
                # TYPE vllm:num_requests_running gauge
                vllm:num_requests_running{model_name="backend"} 3.0
                # TYPE vllm:num_requests_waiting gauge
                vllm:num_requests_waiting{model_name="front"} 1.0
                vllm:num_requests_waiting{model_name="backend"} 2.0
                """)).forModel("front");
        assertThat(r.value(Quantity.RUNNING)).isEqualTo(3.0);
        assertThat(r.value(Quantity.WAITING)).isEqualTo(1.0);
    }
}
