package dev.llmlab.metrics;

import static dev.llmlab.metrics.ExpositionTest.page;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every fixture page: parsed whole, its kind detected, and its quantities read in their units. */
class ServerKindTest {
    static ServerReading read(String fixture, ServerKind expected) {
        Exposition p = Exposition.parse(page(fixture));
        assertThat(p.skippedLines()).as("lines dropped from " + fixture).isZero();
        ServerKind k = ServerKind.detect(p);
        assertThat(k).as(fixture).isEqualTo(expected);
        return k.read(p);
    }

    static double p50(ServerReading r, Quantity q) {
        return Histograms.quantile(0.5, Histograms.merge(r.histograms(q)).histogram())
                .value();
    }

    @ParameterizedTest
    @CsvSource({
        "vllm-v0.txt, VLLM",
        "vllm-v1.txt, VLLM",
        "vllm-v1-0.11.txt, VLLM",
        "sglang.txt, SGLANG",
        "tgi.txt, TGI",
        "llamacpp.txt, LLAMA_CPP",
        "trtllm.txt, TENSORRT_LLM",
        "triton.txt, TRITON",
        "dynamo.txt, DYNAMO",
        "dcgm-3.txt, DCGM",
        "dcgm-4.txt, DCGM",
        "litellm.txt, LITELLM",
        "llmlab-sim.txt, LLMLAB",
        "edge-cases.txt, UNKNOWN",
        "openmetrics.txt, UNKNOWN"
    })
    void detect_everyFixture_parsesWhole_andIsItsKind(String fixture, ServerKind kind) {
        String text = page(fixture);
        Exposition p = Exposition.parse(text);
        int sampleLines = 0;
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (l.equals("# EOF")) break;
            if (!l.isEmpty() && !l.startsWith("#")) sampleLines++;
        }
        assertThat(p.skippedLines()).isZero();
        assertThat(p.samples()).hasSize(sampleLines);
        assertThat(ServerKind.detect(p)).isEqualTo(kind);
    }

    @Test
    void vllmV0_readsTheOldNames_andFoldsThePythonCreatedGauges() {
        ServerReading r = read("vllm-v0.txt", ServerKind.VLLM);
        assertThat(r.value(Quantity.RUNNING)).isEqualTo(4.0);
        assertThat(r.value(Quantity.WAITING)).isEqualTo(11.0);
        assertThat(r.value(Quantity.KV_CACHE_USAGE)).isEqualTo(0.9871);
        assertThat(r.source(Quantity.KV_CACHE_USAGE)).contains(VllmNames.V0_KV_CACHE_USAGE);
        assertThat(r.source(Quantity.ITL)).contains(VllmNames.V0_TIME_PER_OUTPUT_TOKEN);
        assertThat(r.value(Quantity.PREEMPTIONS)).isEqualTo(17.0);
        assertThat(r.series(Quantity.PREEMPTIONS).getFirst().created()).isEqualTo(1.7193744051287868e9);
        assertThat(r.histograms(Quantity.TTFT).getFirst().created()).isEqualTo(1.7193744051287868e9);
        assertThat(r.value(Quantity.PROMPT_TOKENS)).isEqualTo(982114.0);
        assertThat(r.value(Quantity.GENERATION_TOKENS)).isEqualTo(201733.0);
        assertThat(r.value(Quantity.REQUESTS_SUCCEEDED)).isEqualTo(1000.0);
        assertThat(r.value(Quantity.PREFIX_CACHE_HITS)).isNull();
        assertThat(r.value(Quantity.REQUESTS_FAILED))
                .as("vLLM exports no failure counter")
                .isNull();
        // rank 500 of 1000 lies in (0.1, 0.25] holding 500: 0.1 + 0.15 * 100/500
        assertThat(p50(r, Quantity.TTFT)).isCloseTo(0.13, within(1e-12));
        assertThat(p50(r, Quantity.E2E)).isCloseTo(2.5 + 2.5 * 400 / 500, within(1e-12));
        assertThat(r.page().family("vllm:num_preemptions_created")).isEmpty();
    }

    @Test
    void vllmV1_sumsCountsOverEngines_averagesKv_prefersTheNewNames() {
        ServerReading r = read("vllm-v1.txt", ServerKind.VLLM);
        assertThat(r.value(Quantity.RUNNING)).isEqualTo(12.0);
        assertThat(r.value(Quantity.WAITING)).isEqualTo(2.0);
        assertThat(r.value(Quantity.KV_CACHE_USAGE)).isCloseTo(0.36, within(1e-12)); // not the deprecated 0.9
        assertThat(r.value(Quantity.PREFIX_CACHE_QUERIES)).isEqualTo(1e6); // not the deprecated 2e6
        assertThat(r.value(Quantity.PREFIX_CACHE_HITS)).isEqualTo(250000.0);
        assertThat(r.value(Quantity.PREEMPTIONS)).isEqualTo(3.0);
        assertThat(r.value(Quantity.PROMPT_TOKENS)).isEqualTo(2e6);
        assertThat(r.value(Quantity.GENERATION_TOKENS)).isEqualTo(4e5);
        assertThat(r.value(Quantity.REQUESTS_SUCCEEDED)).isEqualTo(720.0);
        assertThat(r.histograms(Quantity.TTFT)).hasSize(2);
        // engines merged by bucket: 720 observations, rank 360 in (0.06, 0.08] with 250 (150+100 below)
        assertThat(p50(r, Quantity.TTFT)).isCloseTo(0.06 + 0.02 * (360 - 250) / 230.0, within(1e-12));
        assertThat(r.source(Quantity.ITL)).contains(VllmNames.V0_TIME_PER_OUTPUT_TOKEN);
    }

    @Test
    void vllmV1_after011_readsInterTokenLatency() {
        ServerReading r = read("vllm-v1-0.11.txt", ServerKind.VLLM);
        assertThat(r.source(Quantity.ITL)).contains(VllmNames.INTER_TOKEN_LATENCY);
        assertThat(p50(r, Quantity.ITL)).isCloseTo(0.0175, within(1e-12));
        assertThat(r.value(Quantity.KV_CACHE_USAGE)).isEqualTo(0.0);
        assertThat(r.value(Quantity.PREFIX_CACHE_HITS)).isEqualTo(1024.0);
        assertThat(r.histograms(Quantity.TTFT)).isEmpty();
    }

    @Test
    void sglang() {
        ServerReading r = read("sglang.txt", ServerKind.SGLANG);
        assertThat(r.value(Quantity.RUNNING)).isEqualTo(39.0);
        assertThat(r.value(Quantity.WAITING)).isEqualTo(12.0);
        assertThat(r.value(Quantity.KV_CACHE_USAGE)).isEqualTo(0.28);
        assertThat(r.value(Quantity.PROMPT_TOKENS)).isEqualTo(8.128902e6);
        assertThat(r.value(Quantity.GENERATION_TOKENS)).isEqualTo(1.2e6);
        assertThat(r.value(Quantity.PREFIX_CACHE_HITS)).isEqualTo(2e6);
        assertThat(r.value(Quantity.REQUESTS_SUCCEEDED)).isEqualTo(5120.0);
        assertThat(p50(r, Quantity.TTFT)).isCloseTo(0.1 + 0.1 * (2560 - 1000) / 2000.0, within(1e-12));
        assertThat(p50(r, Quantity.ITL)).isCloseTo(0.008 + 0.002 * (600000 - 100000) / 500000.0, within(1e-12));
        assertThat(r.histograms(Quantity.E2E)).hasSize(1);
    }

    @Test
    void tgi_countsTokensFromHistogramSums_andHasNoKvGauge() {
        ServerReading r = read("tgi.txt", ServerKind.TGI);
        assertThat(r.value(Quantity.RUNNING)).isEqualTo(32.0);
        assertThat(r.value(Quantity.WAITING)).isEqualTo(6.0);
        assertThat(r.value(Quantity.KV_CACHE_USAGE)).isNull();
        assertThat(r.value(Quantity.PROMPT_TOKENS)).isEqualTo(612340.0);
        assertThat(r.value(Quantity.GENERATION_TOKENS)).isEqualTo(240112.0);
        assertThat(r.value(Quantity.REQUESTS_SUCCEEDED)).isEqualTo(1498.0);
        assertThat(r.value(Quantity.REQUESTS_FAILED)).isEqualTo(22.0);
        assertThat(r.histograms(Quantity.TTFT)).isEmpty();
        assertThat(p50(r, Quantity.E2E)).isCloseTo(0.5 + 1.5 * (749 - 311) / 889.0, within(1e-12));
    }

    @Test
    void llamaCpp() {
        ServerReading r = read("llamacpp.txt", ServerKind.LLAMA_CPP);
        assertThat(r.value(Quantity.RUNNING)).isEqualTo(1.0);
        assertThat(r.value(Quantity.WAITING)).isEqualTo(2.0);
        assertThat(r.value(Quantity.KV_CACHE_USAGE)).isEqualTo(0.125);
        assertThat(r.value(Quantity.PROMPT_TOKENS)).isEqualTo(6886.0);
        assertThat(r.value(Quantity.GENERATION_TOKENS)).isEqualTo(3469.0);
        assertThat(r.histograms(Quantity.TTFT)).isEmpty();
    }

    @Test
    void tensorRtLlm() {
        ServerReading r = read("trtllm.txt", ServerKind.TENSORRT_LLM);
        assertThat(r.value(Quantity.REQUESTS_SUCCEEDED)).isEqualTo(155.0);
        assertThat(r.value(Quantity.RUNNING)).isNull();
        Histograms.Estimate ttft = Histograms.quantile(
                0.5, Histograms.merge(r.histograms(Quantity.TTFT)).histogram());
        assertThat(ttft.lowerBound())
                .as("rank 75 of 150 is above the last finite bound")
                .isTrue();
        assertThat(ttft.value()).isEqualTo(0.05);
        assertThat(r.histograms(Quantity.ITL)).as("TPOT per request is not ITL").isEmpty();
    }

    @Test
    void triton_selectsByLabel_andScalesMillisecondsToSeconds() {
        ServerReading r = read("triton.txt", ServerKind.TRITON);
        assertThat(r.value(Quantity.RUNNING)).isEqualTo(24.0);
        // The ensemble and its composing tensorrt_llm model both count a request: the backend's series is read.
        assertThat(r.value(Quantity.WAITING)).isEqualTo(1.0);
        assertThat(r.series(Quantity.WAITING))
                .singleElement()
                .satisfies(p -> assertThat(p.labels().get("model")).isEqualTo("tensorrt_llm"));
        assertThat(r.value(Quantity.KV_CACHE_USAGE)).isEqualTo(0.4);
        assertThat(r.value(Quantity.REQUESTS_SUCCEEDED)).isEqualTo(1200.0);
        // A reading of one model is that model's, the ensemble's too (the backend rule picks among the kept).
        assertThat(r.forModel("ensemble").value(Quantity.WAITING)).isEqualTo(4.0);
        assertThat(r.forModel("ensemble").value(Quantity.REQUESTS_SUCCEEDED)).isEqualTo(1200.0);
        assertThat(r.forModel("tensorrt_llm").value(Quantity.WAITING)).isEqualTo(1.0);
        assertThat(r.value(Quantity.REQUESTS_FAILED)).isEqualTo(4.0);
        assertThat(r.value(Quantity.GPU_UTILIZATION)).isEqualTo(0.83);
        assertThat(r.value(Quantity.GPU_MEMORY_USED)).isEqualTo(77309411328.0);
        assertThat(r.value(Quantity.GPU_POWER)).isEqualTo(412.5);
        assertThat(r.value(Quantity.GPU_ENERGY)).isEqualTo(1.25e6);
        HistogramPoint ttft = r.histograms(Quantity.TTFT).getFirst();
        assertThat(ttft.buckets().getFirst().le()).isEqualTo(0.1);
        assertThat(ttft.sum()).isEqualTo(180.0);
        assertThat(p50(r, Quantity.TTFT)).isCloseTo(0.1 + 0.4 * 300 / 800.0, within(1e-12));
    }

    @Test
    void triton_withoutTheTensorRtLlmBackend_sumsEveryModel() {
        // Two independent models (no nv_trt_llm_* series to name a backend): each request counts once, in its own.
        ServerReading r = ServerKind.TRITON.read(Exposition.parse("""
                # TYPE nv_inference_pending_request_count gauge
                nv_inference_pending_request_count{model="a",version="1"} 2
                nv_inference_pending_request_count{model="b",version="1"} 3
                # TYPE nv_inference_request_success counter
                nv_inference_request_success{model="a",version="1"} 10
                nv_inference_request_success{model="b",version="1"} 20
                """));
        assertThat(r.value(Quantity.WAITING)).isEqualTo(5.0);
        assertThat(r.value(Quantity.REQUESTS_SUCCEEDED)).isEqualTo(30.0);

        // A backend whose model has no pending series yet: every model's is read rather than none.
        ServerReading missing = ServerKind.TRITON.read(Exposition.parse("""
                # TYPE nv_inference_pending_request_count gauge
                nv_inference_pending_request_count{model="ensemble",version="1"} 4
                # TYPE nv_trt_llm_request_metrics gauge
                nv_trt_llm_request_metrics{model="tensorrt_llm",request_type="scheduled",version="1"} 2
                """));
        assertThat(missing.value(Quantity.WAITING)).isEqualTo(4.0);
    }

    @Test
    void dynamo_splitsRequestsByStatus() {
        ServerReading r = read("dynamo.txt", ServerKind.DYNAMO);
        assertThat(r.value(Quantity.RUNNING)).isEqualTo(18.0);
        assertThat(r.value(Quantity.WAITING)).isEqualTo(3.0);
        assertThat(r.value(Quantity.REQUESTS_SUCCEEDED)).isEqualTo(1570.0);
        assertThat(r.value(Quantity.REQUESTS_FAILED)).isEqualTo(7.0);
        assertThat(r.value(Quantity.GENERATION_TOKENS)).isEqualTo(402112.0);
        assertThat(r.value(Quantity.PROMPT_TOKENS)).isEqualTo(2.5e6);
        assertThat(p50(r, Quantity.TTFT)).isCloseTo(0.25 + 0.25 * (785 - 120) / 1280.0, within(1e-12));
        assertThat(p50(r, Quantity.ITL)).isCloseTo(0.01 + 0.015 * (200271 - 100000) / 300000.0, within(1e-12));
        assertThat(r.histograms(Quantity.E2E)).hasSize(1);
    }

    @Test
    void dcgm3_percentToFraction_mibToBytes_millijoulesToJoules() {
        ServerReading r = read("dcgm-3.txt", ServerKind.DCGM);
        assertThat(r.value(Quantity.GPU_UTILIZATION)).isCloseTo(0.9, within(1e-12));
        assertThat(r.value(Quantity.GPU_MEMORY_USED)).isEqualTo(2 * 76000 * 1048576.0);
        assertThat(r.value(Quantity.GPU_POWER)).isCloseTo(1200.0, within(1e-9));
        assertThat(r.value(Quantity.GPU_ENERGY)).isCloseTo(5.4e6, within(1e-6));
        assertThat(r.source(Quantity.GPU_UTILIZATION)).contains("DCGM_FI_DEV_GPU_UTIL");
        assertThat(r.value(Quantity.RUNNING)).isNull();
    }

    @Test
    void dcgm4_readsTheNewNamesInTheirBaseUnits() {
        ServerReading r = read("dcgm-4.txt", ServerKind.DCGM);
        assertThat(r.value(Quantity.GPU_UTILIZATION)).isEqualTo(0.97);
        assertThat(r.value(Quantity.GPU_MEMORY_USED)).isEqualTo(136365211648.0);
        assertThat(r.value(Quantity.GPU_POWER)).isEqualTo(655.25);
        assertThat(r.value(Quantity.GPU_ENERGY)).isEqualTo(3.6e6);
        assertThat(r.source(Quantity.GPU_ENERGY)).contains("DCGM_FI_DEV_GPU_ENERGY_JOULES_TOTAL");
    }

    @Test
    void dcgm_sentinelsAndNaN_areLeftOut_notAveragedIn() {
        Exposition p = Exposition.parse("""
        DCGM_FI_DEV_GPU_UTIL{gpu="0"} 9223372036854775794
        DCGM_FI_DEV_GPU_UTIL{gpu="1"} 50
        DCGM_FI_DEV_GPU_UTIL{gpu="2"} NaN
        DCGM_FI_DEV_POWER_USAGE{gpu="0"} 9.223372036854776e+18
        """);
        ServerReading r = ServerKind.DCGM.read(p);
        assertThat(r.value(Quantity.GPU_UTILIZATION)).isEqualTo(0.5);
        assertThat(r.series(Quantity.GPU_UTILIZATION)).hasSize(1);
        assertThat(r.value(Quantity.GPU_POWER)).as("only a sentinel: unknown").isNull();
    }

    @Test
    void litellm_gatewayRequestsCostAndCacheHits() {
        ServerReading r = read("litellm.txt", ServerKind.LITELLM);
        assertThat(r.value(Quantity.GATEWAY_REQUESTS)).isEqualTo(1000.0);
        assertThat(r.value(Quantity.REQUESTS_FAILED)).isEqualTo(20.0);
        assertThat(r.value(Quantity.GATEWAY_COST)).isEqualTo(12.5);
        assertThat(r.value(Quantity.GATEWAY_CACHE_HITS)).isEqualTo(120.0);
        assertThat(r.value(Quantity.PROMPT_TOKENS)).isEqualTo(1.5e6);
        assertThat(r.value(Quantity.GENERATION_TOKENS)).isEqualTo(250000.0);
        assertThat(r.value(Quantity.RUNNING)).isEqualTo(9.0);
        assertThat(p50(r, Quantity.E2E)).isCloseTo(0.5 + 0.5 * (490 - 100) / 500.0, within(1e-12));
        assertThat(r.histograms(Quantity.TTFT)).hasSize(1);
    }

    @Test
    void llmlabSim_isToldApartFromVllm_byItsOwnMetrics() {
        ServerReading r = read("llmlab-sim.txt", ServerKind.LLMLAB);
        // the batching replica's state(3, 1, 0.25), and the profile-timed model idle again
        assertThat(r.value(Quantity.RUNNING)).isEqualTo(3.0);
        assertThat(r.value(Quantity.WAITING)).isEqualTo(1.0);
        assertThat(r.value(Quantity.KV_CACHE_USAGE)).isEqualTo(0.25);
        assertThat(r.value(Quantity.PREFIX_CACHE_HITS)).isEqualTo(256.0);
        assertThat(r.value(Quantity.REQUESTS_SUCCEEDED)).isEqualTo(2.0);
        assertThat(r.value(Quantity.PROMPT_TOKENS)).isEqualTo(32.0);
        // two TTFTs of 35 and 45 ms: both in (0.04, 0.06] but the first, in (0.02, 0.04]
        assertThat(p50(r, Quantity.TTFT)).isCloseTo(0.04, within(1e-12));
    }

    @Test
    void llmlabSim_countsAreZeroWhenItsFamiliesAreNotYetOnThePage() {
        Exposition p = Exposition.parse("# TYPE llmlab_active_streams gauge\nllmlab_active_streams 0\n");
        ServerReading r = ServerKind.detect(p).read(p);
        assertThat(r.kind()).isEqualTo(ServerKind.LLMLAB);
        assertThat(r.value(Quantity.RUNNING)).isEqualTo(0.0);
        assertThat(r.value(Quantity.WAITING)).isEqualTo(0.0);
        assertThat(r.value(Quantity.KV_CACHE_USAGE)).isNull();
    }

    @Test
    void aFamilyDeclaredWithoutSeries_sumsToZero_averagesToUnknown() {
        Exposition p = Exposition.parse("""
        # TYPE vllm:num_requests_running gauge
        # TYPE vllm:kv_cache_usage_perc gauge
        """);
        ServerReading r = ServerKind.VLLM.read(p);
        assertThat(r.value(Quantity.RUNNING)).isEqualTo(0.0);
        assertThat(r.value(Quantity.KV_CACHE_USAGE)).isNull();
        assertThat(r.value(Quantity.WAITING)).as("not on the page at all").isNull();
    }

    @Test
    void nanSeries_areLeftOut() {
        Exposition p = Exposition.parse("""
        vllm:num_requests_running{engine="0"} NaN
        vllm:num_requests_running{engine="1"} 2
        vllm:kv_cache_usage_perc{engine="0"} NaN
        """);
        ServerReading r = ServerKind.VLLM.read(p);
        assertThat(r.value(Quantity.RUNNING)).isEqualTo(2.0);
        assertThat(r.value(Quantity.KV_CACHE_USAGE)).isNull();
    }

    @Test
    void unknownServer_readsNothing() {
        Exposition p = Exposition.parse("# TYPE node_load1 gauge\nnode_load1 0.42\n");
        assertThat(ServerKind.detect(p)).isEqualTo(ServerKind.UNKNOWN);
        for (Quantity q : Quantity.values()) {
            if (q.shape() == Quantity.Shape.HISTOGRAM)
                assertThat(ServerKind.UNKNOWN.read(p).histograms(q)).isEmpty();
            else assertThat(ServerKind.UNKNOWN.read(p).value(q)).isNull();
        }
    }

    @Test
    void readingAHistogramAsAValue_isRefused() {
        ServerReading r = ServerKind.VLLM.read(Exposition.parse(""));
        assertThatThrownBy(() -> r.value(Quantity.TTFT)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.histograms(Quantity.RUNNING)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void names_listEveryAliasInOrder_andEveryKindHasALabel() {
        assertThat(ServerKind.VLLM.names(Quantity.KV_CACHE_USAGE))
                .containsExactly(VllmNames.KV_CACHE_USAGE, VllmNames.V0_KV_CACHE_USAGE);
        assertThat(ServerKind.DCGM.quantities())
                .containsExactly(
                        Quantity.GPU_UTILIZATION, Quantity.GPU_MEMORY_USED, Quantity.GPU_POWER, Quantity.GPU_ENERGY);
        assertThat(List.of(ServerKind.values()))
                .extracting(ServerKind::label)
                .doesNotHaveDuplicates()
                .contains("vllm", "llmlab", "unknown");
    }
}
